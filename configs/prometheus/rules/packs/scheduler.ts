/**
 * Scheduler pack (seed 003, Scheduler Performance): execution lag, success
 * rate and liveness of a job scheduler (cron-like service) that exports the
 * scheduler_* metrics of the contract (docs/metrics-contract.md). Opt-in:
 * TutorDex has no scheduler.
 */
import type { RuleFileSpec } from "../types";
import { L, num, V, type PackContext, rulesPath } from "../builder";

/** `component` of the targets[] entries that run a scheduler; SchedulerOffline also watches their `up`. */
export const SCHEDULER_COMPONENT = "scheduler";

export function schedulerPack({ t, alert }: PackContext): RuleFileSpec[] {
  const w = t.schedulerSuccessRateWindow;
  return [
    {
      pack: "scheduler",
      path: rulesPath("scheduler"),
      groups: [
        {
          name: "scheduler",
          rules: [
            alert({
              name: "SchedulerExecutionLagHigh",
              // p95 over 10m: scheduled runs are sparse, a 5m window may hold only a handful.
              expr: `histogram_quantile(0.95, sum by (job, le) (rate(scheduler_execution_lag_seconds_bucket[10m]))) > ${num(t.schedulerExecutionLagSeconds)}`,
              for: t.schedulerExecutionLagFor,
              severity: "warning",
              component: SCHEDULER_COMPONENT,
              summary: `Scheduled jobs start late: ${L("job")}`,
              description: `p95 delay between a job's scheduled and actual start on ${L("job")} is ${V.dur} (threshold ${num(t.schedulerExecutionLagSeconds)}s for ${t.schedulerExecutionLagFor}).`,
            }),
            alert({
              name: "SchedulerSuccessRateLow",
              expr: [
                `100 * sum by (job) (rate(scheduler_job_runs_total{status="success"}[${w}]))`,
                `/ sum by (job) (rate(scheduler_job_runs_total[${w}]))`,
                `< ${num(t.schedulerSuccessRatePercent)}`,
              ].join("\n"),
              for: t.schedulerSuccessRateFor,
              severity: "warning",
              component: SCHEDULER_COMPONENT,
              summary: `Scheduled jobs failing: ${L("job")}`,
              description: `Only ${V.f1}% of the runs ${L("job")} finished in the last ${w} succeeded (threshold ${num(t.schedulerSuccessRatePercent)}% for ${t.schedulerSuccessRateFor}).`,
            }),
            alert({
              name: "SchedulerOffline",
              // Loop stuck (no tick) or process unreachable: the second branch keeps the alert
              // firing once the dead scheduler's last tick has left the lookback window.
              expr: [
                `time() - max by (job) (max_over_time(scheduler_last_tick_timestamp_seconds[1h])) > ${num(t.schedulerHeartbeatMaxAgeSeconds)}`,
                "or on (job)",
                `max by (job) (up{component="${SCHEDULER_COMPONENT}"}) == 0`,
              ].join("\n"),
              for: t.schedulerOfflineFor,
              severity: "critical",
              component: SCHEDULER_COMPONENT,
              summary: `Scheduler offline: ${L("job")}`,
              description: `Scheduler ${L("job")} has not ticked for more than ${num(t.schedulerHeartbeatMaxAgeSeconds)}s or cannot be scraped; scheduled jobs are not being started.`,
            }),
          ],
        },
      ],
    },
  ];
}
