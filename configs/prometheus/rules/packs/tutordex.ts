/**
 * TutorDex pack (seeds 000 and 001): the 9 recording rules and the 16 alerts
 * besides the Watchdog, with the seeds' names, thresholds and `for` durations.
 * Metric names follow docs/metrics-contract.md (the names the TutorDex
 * aggregator and backend already export).
 */
import { JOBS } from "../../../topology";
import type { AlertRule, RuleFileSpec, RuleGroup } from "../types";
import { L, num, record, str, V, VERSION_LABELS, VERSIONS_TEXT, withContainerName, type PackContext, rulesPath } from "../builder";

/** Rate window of every TutorDex recording rule. */
const W = "5m";

export const TUTORDEX_RECORDING_RULES = [
  "tutordex:collector:seconds_since_last_message",
  "tutordex:worker:throughput_jobs_per_s",
  "tutordex:worker:llm_fail_rate_per_s",
  "tutordex:worker:supabase_fail_rate_per_s",
  "tutordex:worker:parse_failure_rate_per_s",
  "tutordex:worker:parse_success_rate_per_s",
  "tutordex:worker:parse_error_fraction",
  "tutordex:quality:missing_field_rate_per_s",
  "tutordex:quality:inconsistency_rate_per_s",
] as const;

/** Field value of `assignment_quality_missing_field_total` that MissingSubjectsHigh watches. */
export const MISSING_SUBJECTS_FIELD = "signals_subjects";

/** Filesystems that are not real disks (node-exporter reports them too). */
export const PSEUDO_FS = 'fstype!~"tmpfs|ramfs|devtmpfs|overlay|squashfs|nsfs|fuse.lxcfs|autofs"';

export function recordingGroup(ctx: PackContext): RuleGroup {
  const failures = `sum by (${VERSION_LABELS}) (tutordex:worker:parse_failure_rate_per_s)`;
  const successes = "tutordex:worker:parse_success_rate_per_s";
  return {
    name: "tutordex-recording",
    interval: ctx.o.evaluationInterval,
    rules: [
      // Only channels that have seen a message: a gauge still at 0 is "unknown", not "stalled since 1970".
      record(
        "tutordex:collector:seconds_since_last_message",
        `time() - max by (channel, ${VERSION_LABELS}) (collector_last_message_timestamp_seconds > 0)`,
      ),
      record("tutordex:worker:throughput_jobs_per_s", `sum by (${VERSION_LABELS}) (rate(worker_jobs_processed_total[${W}]))`),
      record("tutordex:worker:llm_fail_rate_per_s", `sum by (${VERSION_LABELS}) (rate(worker_llm_fail_total[${W}]))`),
      record(
        "tutordex:worker:supabase_fail_rate_per_s",
        `sum by (operation, ${VERSION_LABELS}) (rate(worker_supabase_fail_total[${W}]))`,
      ),
      record(
        "tutordex:worker:parse_failure_rate_per_s",
        `sum by (reason, ${VERSION_LABELS}) (rate(worker_parse_failure_total[${W}]))`,
      ),
      record("tutordex:worker:parse_success_rate_per_s", `sum by (${VERSION_LABELS}) (rate(worker_parse_success_total[${W}]))`),
      // failures / (failures + successes); a side with no series yet counts as 0, so
      // "only successes" is 0 and "only failures" is 1 instead of no data.
      record(
        "tutordex:worker:parse_error_fraction",
        [
          `(${failures} or 0 * ${successes})`,
          "/",
          `((${failures} or 0 * ${successes}) + (${successes} or 0 * ${failures}))`,
        ].join("\n"),
      ),
      record(
        "tutordex:quality:missing_field_rate_per_s",
        `sum by (field, ${VERSION_LABELS}) (rate(assignment_quality_missing_field_total[${W}]))`,
      ),
      record(
        "tutordex:quality:inconsistency_rate_per_s",
        `sum by (kind, ${VERSION_LABELS}) (rate(assignment_quality_inconsistency_total[${W}]))`,
      ),
    ],
  };
}

/**
 * ContainerRestarted, per platform, with one meaning: `name` is the restarted
 * container. Docker: cAdvisor sees `container_start_time_seconds` change.
 * Kubernetes: the kubelet restarts containers in place, so kube-state-metrics'
 * restart counter is the source; `name` is copied from its `container` label
 * and `namespace`/`pod` say where it runs.
 */
function containerRestarted({ t, o, alert }: PackContext): AlertRule {
  const common = { name: "ContainerRestarted", for: t.containerRestartedFor, severity: "warning", component: "infra", summary: `Container restarted: ${L("name")}` } as const;
  if (o.platform?.objectState) {
    return alert({
      ...common,
      expr: `${withContainerName(`sum by (namespace, pod, container) (changes(kube_pod_container_status_restarts_total{job=${str(JOBS.kubeStateMetrics)}}[${t.containerRestartedWindow}]))`)} > 0`,
      description: `Container ${L("name")} of pod ${L("namespace")}/${L("pod")} restarted ${V.int} time(s) in the last ${t.containerRestartedWindow}.`,
    });
  }
  return alert({
    ...common,
    expr: `sum by (instance, name) (changes(container_start_time_seconds{name!=""}[${t.containerRestartedWindow}])) > 0`,
    description: `Container ${L("name")} (cAdvisor ${L("instance")}) restarted ${V.int} time(s) in the last ${t.containerRestartedWindow}.`,
  });
}

function infraGroup(ctx: PackContext): RuleGroup {
  const { t, alert } = ctx;
  return {
    name: "tutordex-infra",
    rules: [
      alert({
        name: "PrometheusTargetDown",
        expr: "up == 0",
        for: t.targetDownFor,
        severity: "warning",
        component: "infra",
        summary: `Scrape target down: ${L("job")}`,
        description: `Prometheus has failed to scrape ${L("instance")} (job ${L("job")}) for more than ${t.targetDownFor}. Its metrics are missing and alerts that depend on them cannot fire.`,
      }),
      alert({
        name: "BlackboxProbeFailed",
        expr: "probe_success == 0",
        for: t.probeFailedFor,
        severity: "critical",
        component: "infra",
        summary: `Health probe failing: ${L("instance")}`,
        description: `The blackbox probe of ${L("instance")} (job ${L("job")}) has failed for more than ${t.probeFailedFor}.`,
      }),
      alert({
        name: "HostDiskLow",
        expr: `100 * (1 - node_filesystem_avail_bytes{${PSEUDO_FS}} / node_filesystem_size_bytes{${PSEUDO_FS}}) > ${num(t.hostDiskUsedPercent)}`,
        for: t.hostDiskLowFor,
        severity: "warning",
        component: "infra",
        summary: `Disk almost full: ${L("mountpoint")} on ${L("instance")}`,
        description: `Filesystem ${L("mountpoint")} (${L("device")}) on ${L("instance")} is ${V.f1}% full (threshold ${num(t.hostDiskUsedPercent)}%, for ${t.hostDiskLowFor}).`,
      }),
      containerRestarted(ctx),
    ],
  };
}

function pipelineGroup(ctx: PackContext): RuleGroup {
  const { t, o, alert } = ctx;
  const rules = [];
  if (o.collectorStalledEnabled) {
    rules.push(
      alert({
        name: "CollectorStalled",
        // Collector-wide: the newest message on ANY channel is too old. One quiet channel is normal.
        expr: `min by (${VERSION_LABELS}) (tutordex:collector:seconds_since_last_message) > ${num(t.collectorStalledSeconds)}`,
        for: t.collectorStalledFor,
        severity: "warning",
        component: "collector",
        summary: "Collector stalled: no new messages on any channel",
        description: `The newest message on any channel is ${V.dur} old (threshold ${num(t.collectorStalledSeconds)}s, for ${t.collectorStalledFor}) ${VERSIONS_TEXT}.`,
      }),
    );
  }
  rules.push(
    alert({
      name: "QueueBacklogGrowingNoThroughput",
      // Throughput "0" includes "no throughput series at all" (a worker that never processed a job).
      expr: [
        `(sum by (${VERSION_LABELS}) (delta(queue_pending[${t.queueBacklogWindow}])) > 0)`,
        `unless on (${VERSION_LABELS})`,
        "(tutordex:worker:throughput_jobs_per_s > 0)",
      ].join("\n"),
      for: t.queueBacklogFor,
      severity: "critical",
      component: "queue",
      summary: "Queue backlog growing with zero throughput",
      description: `pending increased over ${t.queueBacklogWindow} and worker throughput is 0: pending grew by ${V.int} jobs ${VERSIONS_TEXT}.`,
    }),
    alert({
      name: "QueueOldestPendingTooOld",
      expr: `max by (${VERSION_LABELS}) (queue_oldest_pending_age_seconds) > ${num(t.queueOldestPendingSeconds)}`,
      for: t.queueOldestPendingFor,
      severity: "warning",
      component: "queue",
      summary: "Oldest pending job is too old",
      description: `The oldest pending job has waited ${V.dur} (threshold ${num(t.queueOldestPendingSeconds)}s) ${VERSIONS_TEXT}.`,
    }),
    alert({
      name: "QueueStuckProcessing",
      expr: `max by (${VERSION_LABELS}) (queue_oldest_processing_age_seconds) > ${num(t.queueStuckProcessingSeconds)}`,
      for: t.queueStuckProcessingFor,
      severity: "critical",
      component: "queue",
      summary: "Jobs stuck in processing",
      description: `The oldest processing job has been processing for ${V.dur} (threshold ${num(t.queueStuckProcessingSeconds)}s) ${VERSIONS_TEXT}.`,
    }),
    alert({
      name: "LLMFailureSpike",
      expr: `tutordex:worker:llm_fail_rate_per_s > ${num(t.llmFailureRatePerS)}`,
      for: t.llmFailureFor,
      severity: "warning",
      component: "worker",
      summary: "LLM failures spiking",
      description: `LLM calls are failing at ${V.f2}/s (threshold ${num(t.llmFailureRatePerS)}/s for ${t.llmFailureFor}) ${VERSIONS_TEXT}.`,
    }),
    alert({
      name: "SupabaseFailureSpike",
      expr: `sum by (${VERSION_LABELS}) (tutordex:worker:supabase_fail_rate_per_s) > ${num(t.supabaseFailureRatePerS)}`,
      for: t.supabaseFailureFor,
      severity: "critical",
      component: "worker",
      summary: "Supabase failures spiking",
      description: `Supabase operations are failing at ${V.f2}/s across all operations (threshold ${num(t.supabaseFailureRatePerS)}/s for ${t.supabaseFailureFor}) ${VERSIONS_TEXT}.`,
    }),
    alert({
      name: "BroadcastFailureSpike",
      expr: `sum by (${VERSION_LABELS}) (rate(broadcast_fail_total[${W}])) > ${num(t.broadcastFailureRatePerS)}`,
      for: t.broadcastFailureFor,
      severity: "warning",
      component: "broadcast",
      summary: "Broadcast failures spiking",
      description: `Channel broadcasts are failing at ${V.f2}/s (threshold ${num(t.broadcastFailureRatePerS)}/s for ${t.broadcastFailureFor}) ${VERSIONS_TEXT}.`,
    }),
    alert({
      name: "DMFailureSpike",
      expr: `sum by (${VERSION_LABELS}) (rate(dm_fail_total[${W}])) > ${num(t.dmFailureRatePerS)}`,
      for: t.dmFailureFor,
      severity: "warning",
      component: "dm",
      summary: "DM failures spiking",
      description: `Tutor DMs are failing at ${V.f2}/s (threshold ${num(t.dmFailureRatePerS)}/s for ${t.dmFailureFor}) ${VERSIONS_TEXT}.`,
    }),
    alert({
      name: "DMRateLimited",
      // Short window: "rate limits detected for 2+ minutes" means hits keep arriving, not one hit still inside a 5m window.
      expr: `sum by (${VERSION_LABELS}) (rate(dm_rate_limited_total[${t.dmRateLimitedWindow}])) > ${num(t.dmRateLimitedRatePerS)}`,
      for: t.dmRateLimitedFor,
      severity: "warning",
      component: "dm",
      summary: "Telegram is rate-limiting DMs",
      description: `DM sends have hit Telegram rate limits continuously for ${t.dmRateLimitedFor} (${V.f2}/s) ${VERSIONS_TEXT}.`,
    }),
  );
  return { name: "tutordex-pipeline", rules };
}

function qualityGroup({ t, alert }: PackContext): RuleGroup {
  return {
    name: "tutordex-quality",
    rules: [
      alert({
        name: "ParseFailureSpike",
        expr: `sum by (${VERSION_LABELS}) (tutordex:worker:parse_failure_rate_per_s) > ${num(t.parseFailureRatePerS)}`,
        for: t.parseFailureFor,
        severity: "warning",
        component: "worker",
        summary: "Parse failures spiking",
        description: `Extractions are failing to parse at ${V.f2}/s, all reasons (threshold ${num(t.parseFailureRatePerS)}/s for ${t.parseFailureFor}); break down by reason with tutordex:worker:parse_failure_rate_per_s ${VERSIONS_TEXT}.`,
      }),
      alert({
        name: "ParseErrorFractionHigh",
        expr: `tutordex:worker:parse_error_fraction > ${num(t.parseErrorFraction)}`,
        for: t.parseErrorFractionFor,
        severity: "warning",
        component: "worker",
        summary: "High parse error fraction",
        description: `${V.pct} of parse attempts are failing (threshold ${num(t.parseErrorFraction * 100)}% for ${t.parseErrorFractionFor}) ${VERSIONS_TEXT}.`,
      }),
      alert({
        name: "MissingSubjectsHigh",
        expr: `sum by (${VERSION_LABELS}) (tutordex:quality:missing_field_rate_per_s{field="${MISSING_SUBJECTS_FIELD}"}) > ${num(t.missingSubjectsRatePerS)}`,
        for: t.missingSubjectsFor,
        severity: "warning",
        component: "quality",
        summary: "Many assignments are missing subjects",
        description: `Parsed assignments without subjects arrive at ${V.f2}/s (threshold ${num(t.missingSubjectsRatePerS)}/s for ${t.missingSubjectsFor}); check LLM output and the subject matcher ${VERSIONS_TEXT}.`,
      }),
    ],
  };
}

export function tutordexPack(ctx: PackContext): RuleFileSpec[] {
  return [
    { pack: "tutordex", path: rulesPath("tutordex.recording"), groups: [recordingGroup(ctx)] },
    { pack: "tutordex", path: rulesPath("tutordex"), groups: [infraGroup(ctx), pipelineGroup(ctx), qualityGroup(ctx)] },
  ];
}
