/**
 * API pack (seed 003, "Critical Alerts: API down (5xx errors > 10%)"): one
 * page when most of what an HTTP job serves is failing. Opt-in: the `http`
 * pack's HighErrorRate tiers already cover TutorDex; APIDown is the name
 * VANTAGE's on-call knows. Alertmanager lets APIDown mute the same job's
 * HighErrorRate (configs/alertmanager/alertmanager.ts, inhibition rule 7), so
 * one outage pages once.
 */
import type { RuleFileSpec } from "../types";
import { L, num, V, type PackContext } from "../builder";
import { HTTP_5XX_PERCENT, httpTrafficAbove } from "./http";

/** Seed 003's "API down" (not KubeAPIDown, the Kubernetes API server's). */
export const HTTP_API_DOWN_ALERT = "APIDown";

export function apiPack({ t, alert }: PackContext): RuleFileSpec[] {
  return [
    {
      pack: "api",
      path: "prometheus/rules/api.rules.yml",
      groups: [
        {
          name: "api",
          rules: [
            alert({
              name: HTTP_API_DOWN_ALERT,
              expr: `(${HTTP_5XX_PERCENT}\n> ${num(t.apiDownErrorPercent)})\nand on (job)\n(${httpTrafficAbove(t.apiDownMinRequestsPerS)})`,
              for: t.apiDownFor,
              severity: "critical",
              component: "http",
              summary: `API down: ${L("job")} answers mostly 5xx`,
              description: `${V.f1}% of HTTP requests to job ${L("job")} return 5xx (threshold ${num(t.apiDownErrorPercent)}% for ${t.apiDownFor}).`,
            }),
          ],
        },
      ],
    },
  ];
}
