/** Service pack (seeds 002, 004): a whole scrape job unreachable. */
import type { RuleFileSpec } from "../types";
import { L, type PackContext } from "../builder";

export function servicePack({ t, alert }: PackContext): RuleFileSpec[] {
  return [
    {
      pack: "service",
      path: "prometheus/rules/service.rules.yml",
      groups: [
        {
          name: "service",
          rules: [
            alert({
              name: "ServiceDown",
              // Every target of the job is down; a single replica down is PrometheusTargetDown's job.
              expr: "max by (job) (up) == 0",
              for: t.serviceDownFor,
              severity: "critical",
              component: "service",
              summary: `Service down: ${L("job")}`,
              description: `Every scrape target of job ${L("job")} has been unreachable for more than ${t.serviceDownFor}.`,
            }),
          ],
        },
      ],
    },
  ];
}
