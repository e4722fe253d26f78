/** Service pack (seeds 002, 004): a whole scrape job unreachable. */
import type { RuleFileSpec } from "../types";
import { L, type PackContext, rulesPath } from "../builder";

/**
 * ServiceDown's `component` label: the down job's own `component` (the static
 * label every scrape config attaches, configs/prometheus/prometheus.ts), not a
 * fixed value. Alertmanager can then tell which service is down: a
 * maintenance window for `component="worker"` mutes the worker's ServiceDown,
 * and the inhibition rules mute the alerts that read the down service's
 * metrics (configs/alertmanager/alertmanager.ts). Prometheus expands label
 * templates against the expression's labels.
 */
export const SERVICE_DOWN_COMPONENT = L("component");
/** `component` of a ServiceDown whose targets carry none (e.g. a discovered pod without the label). */
export const SERVICE_DOWN_FALLBACK_COMPONENT = "service";

export function servicePack({ t, alert }: PackContext): RuleFileSpec[] {
  return [
    {
      pack: "service",
      path: rulesPath("service"),
      groups: [
        {
          name: "service",
          rules: [
            alert({
              name: "ServiceDown",
              // Every target of the job is down; a single replica down is PrometheusTargetDown's job.
              // `by (job, component)` keeps the job's component; targets without one get "service".
              expr: `label_replace(max by (job, component) (up), "component", "${SERVICE_DOWN_FALLBACK_COMPONENT}", "component", "") == 0`,
              for: t.serviceDownFor,
              severity: "critical",
              component: SERVICE_DOWN_COMPONENT,
              summary: `Service down: ${L("job")}`,
              description: `Every scrape target of job ${L("job")} (component ${L("component")}) has been unreachable for more than ${t.serviceDownFor}.`,
            }),
          ],
        },
      ],
    },
  ];
}
