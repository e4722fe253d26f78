/** HTTP pack (seeds 002, 003, 004): error ratio and p95 latency per job, warning and critical tiers. */
import type { AlertRule, RuleFileSpec } from "../types";
import { L, num, V, type PackContext, rulesPath } from "../builder";

const W = "5m";

/** Percentage of a job's requests answered 5xx over the pack's window (the `api` pack's APIDown reads it too). */
export const HTTP_5XX_PERCENT = [
  `100 * sum by (job) (rate(http_requests_total{status=~"5.."}[${W}]))`,
  `/ sum by (job) (rate(http_requests_total[${W}]))`,
].join("\n");

/** Jobs serving more than `minPerS` requests per second, so a ratio of a handful of requests never fires. */
export function httpTrafficAbove(minPerS: number): string {
  return `sum by (job) (rate(http_requests_total[${W}])) > ${num(minPerS)}`;
}

export const HIGH_ERROR_RATE_ALERT = "HighErrorRate";

export function httpPack({ t, alert }: PackContext): RuleFileSpec[] {
  const errorRatio = HTTP_5XX_PERCENT;
  const traffic = httpTrafficAbove(t.httpErrorRateMinRequestsPerS);
  const p95 = `histogram_quantile(0.95, sum by (job, le) (rate(http_request_duration_seconds_bucket[${W}])))`;

  const errorRate = (severity: "warning" | "critical", percent: number, forDur: string): AlertRule =>
    alert({
      name: HIGH_ERROR_RATE_ALERT,
      expr: `(${errorRatio}\n> ${num(percent)})\nand on (job)\n(${traffic})`,
      for: forDur,
      severity,
      component: "http",
      summary: `High HTTP error rate: ${L("job")}`,
      description: `${V.f1}% of HTTP requests to job ${L("job")} return 5xx (threshold ${num(percent)}% for ${forDur}).`,
    });
  const latency = (severity: "warning" | "critical", seconds: number, forDur: string): AlertRule =>
    alert({
      name: "HighLatencyP95",
      expr: `${p95} > ${num(seconds)}`,
      for: forDur,
      severity,
      component: "http",
      summary: `High p95 latency: ${L("job")}`,
      description: `p95 HTTP latency of job ${L("job")} is ${V.dur} (threshold ${num(seconds)}s for ${forDur}).`,
    });

  return [
    {
      pack: "http",
      path: rulesPath("http"),
      groups: [
        {
          name: "http",
          rules: [
            errorRate("warning", t.httpErrorRateWarningPercent, t.httpErrorRateWarningFor),
            errorRate("critical", t.httpErrorRateCriticalPercent, t.httpErrorRateCriticalFor),
            latency("warning", t.httpLatencyP95WarningSeconds, t.httpLatencyP95WarningFor),
            latency("critical", t.httpLatencyP95CriticalSeconds, t.httpLatencyP95CriticalFor),
          ],
        },
      ],
    },
  ];
}
