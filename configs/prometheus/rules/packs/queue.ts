/** Queue pack (seed 003): backlog depth, job failure share, worker heartbeat. Uses the TutorDex contract's queue/worker metrics. */
import type { AlertRule, RuleFileSpec } from "../types";
import { L, num, record, V, VERSION_LABELS, VERSIONS_TEXT, type PackContext, rulesPath } from "../builder";

/**
 * Newest heartbeat of each worker job, remembered for as long as Prometheus
 * still scrapes the job. A dead worker's heartbeat series goes stale (the
 * process is gone, or its scrape fails), and `max_over_time` alone forgets it
 * once the last sample leaves the lookback window: WorkerHeartbeatMissing then
 * sent a false "resolved" one lookback after the worker died. So the rule
 * falls back to its own previous value (evaluated every interval, so it is
 * always within the 5m instant-query lookback), kept only while the job still
 * has `up` series: removing the job from the scrape config forgets it. The
 * `max_over_time` lookback covers a broken chain (Prometheus down for more
 * than 5m): a worker that died less than a lookback before is still found.
 */
export const WORKER_LAST_HEARTBEAT = "job:worker_last_heartbeat_timestamp_seconds:max";

export function queuePack({ t, alert }: PackContext): RuleFileSpec[] {
  const depth = (severity: "warning" | "critical", jobs: number, forDur: string): AlertRule =>
    alert({
      name: "QueueDepthHigh",
      expr: `sum by (${VERSION_LABELS}) (queue_pending) > ${num(jobs)}`,
      for: forDur,
      severity,
      component: "queue",
      summary: "Queue depth high",
      description: `${V.int} jobs are pending (threshold ${num(jobs)} for ${forDur}) ${VERSIONS_TEXT}.`,
    });
  return [
    {
      pack: "queue",
      path: rulesPath("queue"),
      groups: [
        {
          name: "queue",
          rules: [
            depth("warning", t.queueDepthWarning, t.queueDepthWarningFor),
            depth("critical", t.queueDepthCritical, t.queueDepthCriticalFor),
            alert({
              name: "JobFailureRateHigh",
              expr: [
                `100 * sum by (${VERSION_LABELS}) (rate(worker_jobs_processed_total{status="failed"}[5m]))`,
                `/ sum by (${VERSION_LABELS}) (rate(worker_jobs_processed_total[5m]))`,
                `> ${num(t.jobFailurePercent)}`,
              ].join("\n"),
              for: t.jobFailureFor,
              severity: "warning",
              component: "worker",
              summary: "High job failure rate",
              description: `${V.f1}% of processed jobs failed (threshold ${num(t.jobFailurePercent)}% for ${t.jobFailureFor}) ${VERSIONS_TEXT}.`,
            }),
            // Must come before the alert: rules of a group run in order, so the alert reads this evaluation's value.
            record(
              WORKER_LAST_HEARTBEAT,
              [
                `max by (job) (max_over_time(worker_last_heartbeat_timestamp_seconds[${t.workerHeartbeatLookback}]))`,
                "or",
                `(${WORKER_LAST_HEARTBEAT} and on (job) group by (job) (up))`,
              ].join("\n"),
            ),
            alert({
              name: "WorkerHeartbeatMissing",
              expr: `time() - ${WORKER_LAST_HEARTBEAT} > ${num(t.workerHeartbeatMaxAgeSeconds)}`,
              for: t.workerHeartbeatMissingFor,
              severity: "critical",
              component: "worker",
              summary: `Worker heartbeat missing: ${L("job")}`,
              description: `No worker of job ${L("job")} has sent a heartbeat for ${V.dur} (threshold ${num(t.workerHeartbeatMaxAgeSeconds)}s).`,
            }),
          ],
        },
      ],
    },
  ];
}
