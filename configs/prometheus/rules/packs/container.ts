/** Container pack (seed 002): cAdvisor memory against the limit, crash loops. Named containers only. */
import type { AlertRule, RuleFileSpec } from "../types";
import { L, num, V, type PackContext } from "../builder";

export function containerPack({ t, alert }: PackContext): RuleFileSpec[] {
  // Containers without a limit report 0; `> 0` drops them instead of dividing by zero.
  const memRatio =
    '100 * max by (instance, name) (container_memory_working_set_bytes{name!=""} / (container_spec_memory_limit_bytes{name!=""} > 0))';
  const memory = (severity: "warning" | "critical", percent: number, forDur: string): AlertRule =>
    alert({
      name: "ContainerMemoryHigh",
      expr: `${memRatio} > ${num(percent)}`,
      for: forDur,
      severity,
      component: "infra",
      summary: `Container near its memory limit: ${L("name")}`,
      description: `Container ${L("name")} uses ${V.f1}% of its memory limit (threshold ${num(percent)}% for ${forDur}); at 100% it is OOM-killed.`,
    });
  return [
    {
      pack: "container",
      path: "prometheus/rules/container.rules.yml",
      groups: [
        {
          name: "container",
          rules: [
            memory("warning", t.containerMemoryWarningPercent, t.containerMemoryWarningFor),
            memory("critical", t.containerMemoryCriticalPercent, t.containerMemoryCriticalFor),
            alert({
              name: "ContainerRestartLoop",
              expr: `sum by (instance, name) (changes(container_start_time_seconds{name!=""}[${t.containerRestartLoopWindow}])) >= ${num(t.containerRestartLoopCount)}`,
              severity: "warning",
              component: "infra",
              summary: `Container crash-looping: ${L("name")}`,
              description: `Container ${L("name")} restarted ${V.int} times in the last ${t.containerRestartLoopWindow} (threshold ${num(t.containerRestartLoopCount)}).`,
            }),
          ],
        },
      ],
    },
  ];
}
