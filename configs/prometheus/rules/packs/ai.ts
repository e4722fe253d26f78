/**
 * AI pack (seeds 003, 004): generation latency and usage of a service that
 * calls a model and exports the ai_generation_* metrics of the contract
 * (docs/metrics-contract.md). Opt-in: TutorDex's worker reports its LLM calls
 * as worker_llm_* (tutordex pack).
 */
import type { RuleFileSpec } from "../types";
import { L, num, V, type PackContext } from "../builder";

export const AI_COMPONENT = "ai";

export function aiPack({ t, alert }: PackContext): RuleFileSpec[] {
  const lastHour = "sum by (job) (increase(ai_generation_total[1h]))";
  const baseline = `sum by (job) (increase(ai_generation_total[1h] offset ${t.businessBaselineOffset}))`;
  return [
    {
      pack: "ai",
      path: "prometheus/rules/ai.rules.yml",
      groups: [
        {
          name: "ai",
          rules: [
            alert({
              name: "AIGenerationSlow",
              expr: `histogram_quantile(0.95, sum by (job, le) (rate(ai_generation_duration_seconds_bucket[5m]))) > ${num(t.aiGenerationSlowSeconds)}`,
              for: t.aiGenerationSlowFor,
              severity: "warning",
              component: AI_COMPONENT,
              summary: `AI generation slow: ${L("job")}`,
              description: `p95 AI generation time of ${L("job")} is ${V.dur} (threshold ${num(t.aiGenerationSlowSeconds)}s for ${t.aiGenerationSlowFor}).`,
            }),
            alert({
              name: "AIUsageSpike",
              // Against the same hour one offset ago, so the daily and weekly rhythm cancels out;
              // with no history yet (new deployment) the baseline is empty and nothing fires.
              expr: [`${lastHour}`, `> ${num(t.aiUsageSpikeFactor)} * ${baseline}`, `and on (job)`, `${lastHour} > ${num(t.aiUsageSpikeMinPerHour)}`].join("\n"),
              for: t.aiUsageSpikeFor,
              severity: "warning",
              component: AI_COMPONENT,
              summary: `AI usage spike: ${L("job")}`,
              description: `${L("job")} ran ${V.int} AI generations in the last hour, more than ${num(t.aiUsageSpikeFactor)}x the same hour ${t.businessBaselineOffset} ago: check for abuse, a retry loop or a runaway job before the bill does.`,
            }),
          ],
        },
      ],
    },
  ];
}
