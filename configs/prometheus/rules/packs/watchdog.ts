/** The always-on deadman (seed 000 counts it among the 17 alerts). */
import type { RuleFileSpec } from "../types";
import { rulesPath, type PackContext } from "../builder";

export function watchdogFile({ alert }: PackContext): RuleFileSpec {
  return {
    pack: "watchdog",
    path: rulesPath("watchdog"),
    groups: [
      {
        name: "watchdog",
        rules: [
          alert({
            name: "Watchdog",
            expr: "vector(1)",
            severity: "none",
            component: "observability",
            summary: "Watchdog: the alerting pipeline is alive",
            description:
              "This alert always fires. Alertmanager repeats it every 24h; if the daily notification stops arriving, the path Prometheus -> Alertmanager -> receiver is broken.",
          }),
        ],
      },
    ],
  };
}
