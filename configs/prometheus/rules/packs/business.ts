/**
 * Business pack (seed 003, Business Metrics): anomalies in what the product
 * does, from the posts_published_total counter of the contract
 * (docs/metrics-contract.md). Opt-in. Seed 003's AI usage spike is in the `ai`
 * pack beside the other ai_generation_* alert; its revenue anomaly needs
 * revenue data, which is a database query (no metric), so it is not here.
 */
import type { RuleFileSpec } from "../types";
import { L, num, V, type PackContext } from "../builder";

export const BUSINESS_COMPONENT = "business";

export function businessPack({ t, alert }: PackContext): RuleFileSpec[] {
  const lastHour = "sum by (job) (increase(posts_published_total[1h]))";
  const baseline = `sum by (job) (increase(posts_published_total[1h] offset ${t.businessBaselineOffset}))`;
  return [
    {
      pack: "business",
      path: "prometheus/rules/business.rules.yml",
      groups: [
        {
          name: "business",
          rules: [
            alert({
              name: "UnusualPostsDrop",
              // Same hour one offset ago: a quiet night compares with a quiet night. A job that
              // stopped exporting has no sample now and is ServiceDown's, not this alert's.
              expr: [
                `${lastHour}`,
                `< ${num(t.postsDropPercent / 100)} * ${baseline}`,
                `and on (job)`,
                `${baseline} >= ${num(t.postsDropMinBaselinePerHour)}`,
              ].join("\n"),
              for: t.postsDropFor,
              severity: "warning",
              component: BUSINESS_COMPONENT,
              summary: `Unusual drop in posts: ${L("job")}`,
              description: `${L("job")} published ${V.int} posts in the last hour, under ${num(t.postsDropPercent)}% of the same hour ${t.businessBaselineOffset} ago (for ${t.postsDropFor}).`,
            }),
          ],
        },
      ],
    },
  ];
}
