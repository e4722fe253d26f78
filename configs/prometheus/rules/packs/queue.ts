/** Queue pack (seed 003): backlog depth, job failure share, worker heartbeat. Uses the TutorDex contract's queue/worker metrics. */
import type { AlertRule, RuleFileSpec } from "../types";
import { L, num, V, VERSION_LABELS, VERSIONS_TEXT, type PackContext } from "../builder";

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
      path: "prometheus/rules/queue.rules.yml",
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
            alert({
              name: "WorkerHeartbeatMissing",
              // max_over_time keeps a vanished worker's last heartbeat, so a dead worker alerts instead of disappearing.
              expr: `time() - max by (job) (max_over_time(worker_last_heartbeat_timestamp_seconds[${t.workerHeartbeatLookback}])) > ${num(t.workerHeartbeatMaxAgeSeconds)}`,
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
