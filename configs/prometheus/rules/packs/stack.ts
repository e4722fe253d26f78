/**
 * Stack pack (always on, both targets): the observability stack watching
 * itself, so a Prometheus that cannot reach Alertmanager, an Alertmanager
 * that cannot notify, or a log/trace pipeline that drops data pages someone
 * instead of failing silently.
 *
 * Names, expressions, severities and `for` durations follow the upstream
 * mixins (prometheus/prometheus documentation/prometheus-mixin,
 * prometheus/alertmanager doc/alertmanager-mixin, grafana/loki and
 * grafana/tempo mixins); selectors are this stack's job names. Deviations:
 * - every Prometheus replica evaluates these on its own metrics (the job scrapes
 *   `localhost`), so the `rulesWithoutHA` variant of
 *   PrometheusErrorSendingAlertsToAnyAlertmanager;
 * - PrometheusRemoteStorageFailures and PrometheusRemoteWriteBehind only where
 *   Prometheus remote-writes (prometheus.remoteWrite, metrics.longTerm); elsewhere
 *   they would never have data;
 * - AlertmanagerMembersInconsistent only with more than one replica;
 * - the collector has no mixin: its alerts read the collector's own
 *   `otelcol_*` telemetry as the collector's monitoring docs recommend.
 */
import { JOBS } from "../../../topology";
import type { RuleFileSpec } from "../types";
import { L, num, str, V, type PackContext, rulesPath } from "../builder";

const sel = (job: string): string => `job=${str(job)}`;
const PROM = sel(JOBS.prometheus);
const AM = sel(JOBS.alertmanager);

export function stackFile({ t, o, alert }: PackContext): RuleFileSpec {
  const replicas = o.alertmanagerReplicas ?? 1;
  const prometheus = [
    alert({
      name: "PrometheusBadConfig",
      // max_over_time: a failed scrape of Prometheus itself must not hide a failed reload (mixin).
      expr: `max_over_time(prometheus_config_last_reload_successful{${PROM}}[5m]) == 0`,
      for: "10m",
      severity: "critical",
      component: "observability",
      summary: "Prometheus failed to reload its configuration",
      description: `Prometheus ${L("instance")} has failed to reload its configuration; it keeps running the previous one.`,
    }),
    alert({
      name: "PrometheusRuleFailures",
      expr: `increase(prometheus_rule_evaluation_failures_total{${PROM}}[5m]) > 0`,
      for: "15m",
      severity: "critical",
      component: "observability",
      summary: `Prometheus is failing rule evaluations: ${L("rule_group")}`,
      description: `Prometheus ${L("instance")} failed ${V.int} rule evaluations in the last 5m (group ${L("rule_group")}); alerts of that group may never fire.`,
    }),
    alert({
      name: "PrometheusMissingRuleEvaluations",
      expr: `increase(prometheus_rule_group_iterations_missed_total{${PROM}}[5m]) > 0`,
      for: "15m",
      severity: "warning",
      component: "observability",
      summary: `Prometheus is missing rule evaluations: ${L("rule_group")}`,
      description: `Prometheus ${L("instance")} missed ${V.int} evaluations of ${L("rule_group")} in the last 5m: the group takes longer than its interval.`,
    }),
    alert({
      name: "PrometheusNotificationQueueRunningFull",
      expr: [
        "(",
        `  predict_linear(prometheus_notifications_queue_length{${PROM}}[5m], 60 * 30)`,
        ">",
        `  min_over_time(prometheus_notifications_queue_capacity{${PROM}}[5m])`,
        ")",
      ].join("\n"),
      for: "15m",
      severity: "warning",
      component: "observability",
      summary: "Prometheus alert notification queue predicted to run full within 30m",
      description: `The alert notification queue of Prometheus ${L("instance")} is running full; alerts will be dropped.`,
    }),
    alert({
      name: "PrometheusErrorSendingAlertsToAnyAlertmanager",
      // min over Alertmanagers: every one of them is failing (one failing of several is still delivered).
      expr: [
        "min without (alertmanager) (",
        `  rate(prometheus_notifications_errors_total{${PROM}}[5m])`,
        "  /",
        `  rate(prometheus_notifications_sent_total{${PROM}}[5m])`,
        ")",
        `* 100 > ${num(t.stackAlertDeliveryErrorPercent)}`,
      ].join("\n"),
      for: t.stackAlertDeliveryErrorFor,
      severity: "critical",
      component: "observability",
      summary: "Prometheus cannot send alerts to any Alertmanager",
      description: `${V.f1}% of the alerts Prometheus ${L("instance")} sends fail on every Alertmanager (threshold ${num(t.stackAlertDeliveryErrorPercent)}% for ${t.stackAlertDeliveryErrorFor}); no alert is notified. This notification itself may never arrive: watch the dead man's switch.`,
    }),
    ...(o.remoteWrite
      ? [
          alert({
            name: "PrometheusRemoteStorageFailures",
            // Both spellings: Prometheus 2.x/3.x renamed the counters (mixin's `or` pairs).
            expr: [
              "(",
              `  (rate(prometheus_remote_storage_failed_samples_total{${PROM}}[5m]) or rate(prometheus_remote_storage_samples_failed_total{${PROM}}[5m]))`,
              "/",
              "  (",
              `    (rate(prometheus_remote_storage_failed_samples_total{${PROM}}[5m]) or rate(prometheus_remote_storage_samples_failed_total{${PROM}}[5m]))`,
              "  +",
              `    (rate(prometheus_remote_storage_succeeded_samples_total{${PROM}}[5m]) or rate(prometheus_remote_storage_samples_total{${PROM}}[5m]))`,
              "  )",
              ")",
              "* 100",
              "> 1",
            ].join("\n"),
            for: "15m",
            severity: "critical",
            component: "observability",
            summary: "Prometheus fails to send samples to remote storage",
            description: `Prometheus ${L("instance")} failed to send ${V.f1}% of the samples to ${L("remote_name")} (${L("url")}); the long-term store is missing them.`,
          }),
          alert({
            name: "PrometheusRemoteWriteBehind",
            // max_over_time: a failed scrape of Prometheus itself must not hide the lag (mixin).
            expr: [
              "(",
              `  max_over_time(prometheus_remote_storage_highest_timestamp_in_seconds{${PROM}}[5m])`,
              "- ignoring(remote_name, url) group_right",
              `  max_over_time(prometheus_remote_storage_queue_highest_sent_timestamp_seconds{${PROM}}[5m])`,
              ")",
              "> 120",
            ].join("\n"),
            for: "15m",
            severity: "critical",
            component: "observability",
            summary: "Prometheus remote write is behind",
            description: `Prometheus ${L("instance")} remote write to ${L("remote_name")} (${L("url")}) is ${V.f1}s behind; past the WAL's 2h it loses samples.`,
          }),
        ]
      : []),
    alert({
      name: "PrometheusNotConnectedToAlertmanagers",
      expr: `max_over_time(prometheus_notifications_alertmanagers_discovered{${PROM}}[5m]) < 1`,
      for: "10m",
      severity: "warning",
      component: "observability",
      summary: "Prometheus is not connected to any Alertmanager",
      description: `Prometheus ${L("instance")} has discovered no Alertmanager to send alerts to; no alert is notified.`,
    }),
    alert({
      name: "PrometheusTSDBCompactionsFailing",
      expr: `increase(prometheus_tsdb_compactions_failed_total{${PROM}}[3h]) > 0`,
      for: "4h",
      severity: "warning",
      component: "observability",
      summary: "Prometheus is failing to compact blocks",
      description: `Prometheus ${L("instance")} had ${V.int} compaction failures in the last 3h; disk use grows and queries slow down.`,
    }),
    alert({
      name: "PrometheusNotIngestingSamples",
      // Only a Prometheus that has something to ingest (targets or rules) counts as stuck.
      expr: [
        "(",
        `  sum without (type) (rate(prometheus_tsdb_head_samples_appended_total{${PROM}}[5m])) <= 0`,
        "and",
        "  (",
        `    sum without (scrape_job) (prometheus_target_metadata_cache_entries{${PROM}}) > 0`,
        "  or",
        `    sum without (rule_group) (prometheus_rule_group_rules{${PROM}}) > 0`,
        "  )",
        ")",
      ].join("\n"),
      for: "10m",
      severity: "warning",
      component: "observability",
      summary: "Prometheus is not ingesting samples",
      description: `Prometheus ${L("instance")} has appended no sample for 10 minutes although it has targets or rules.`,
    }),
    alert({
      name: "PrometheusTargetSyncFailure",
      expr: `increase(prometheus_target_sync_failed_total{${PROM}}[30m]) > 0`,
      for: "5m",
      severity: "critical",
      component: "observability",
      summary: `Prometheus failed to sync targets of ${L("scrape_job")}`,
      description: `${V.int} targets of scrape job ${L("scrape_job")} in Prometheus ${L("instance")} failed to sync because of an invalid configuration.`,
    }),
  ];

  const alertmanager = [
    alert({
      name: "AlertmanagerFailedReload",
      expr: `max_over_time(alertmanager_config_last_reload_successful{${AM}}[5m]) == 0`,
      for: "10m",
      severity: "critical",
      component: "observability",
      summary: "Alertmanager failed to reload its configuration",
      description: `Alertmanager ${L("instance")} has failed to reload its configuration; it keeps routing with the previous one.`,
    }),
    alert({
      name: "AlertmanagerFailedToSendAlerts",
      // `reason` exists on the failure counter only (0.26+); ignoring it matches either version.
      expr: [
        "(",
        `  rate(alertmanager_notifications_failed_total{${AM}}[5m])`,
        "  / ignoring (reason) group_left",
        `  rate(alertmanager_notifications_total{${AM}}[5m])`,
        ")",
        "> 0.01",
      ].join("\n"),
      for: "5m",
      severity: "warning",
      component: "observability",
      summary: `Alertmanager fails to send notifications to ${L("integration")}`,
      description: `Alertmanager ${L("instance")} failed to send ${V.pct} of notifications to ${L("integration")}.`,
    }),
    alert({
      name: "AlertmanagerClusterDown",
      expr: [
        "(",
        `  count by (job) (avg_over_time(up{${AM}}[5m]) < 0.5)`,
        "  /",
        `  count by (job) (up{${AM}})`,
        ")",
        ">= 0.5",
      ].join("\n"),
      for: "5m",
      severity: "critical",
      component: "observability",
      summary: "Half or more of the Alertmanager instances are down",
      description: `${V.pct} of the Alertmanager instances have been up less than half of the last 5m.`,
    }),
    ...(replicas > 1
      ? [
          alert({
            name: "AlertmanagerMembersInconsistent",
            expr: [
              `max_over_time(alertmanager_cluster_members{${AM}}[5m])`,
              "  < on (job) group_left",
              `count by (job) (max_over_time(alertmanager_cluster_members{${AM}}[5m]))`,
            ].join("\n"),
            for: "15m",
            severity: "critical",
            component: "observability",
            summary: "An Alertmanager replica has not found all cluster members",
            description: `Alertmanager ${L("instance")} sees only ${V.int} cluster members; replicas that do not gossip notify twice or miss silences.`,
          }),
        ]
      : []),
  ];

  const pipelines = [
    alert({
      name: "LokiRequestErrors",
      expr: [
        `100 * sum by (job, route) (rate(loki_request_duration_seconds_count{${sel(JOBS.loki)}, status_code=~"5.."}[2m]))`,
        "  /",
        `sum by (job, route) (rate(loki_request_duration_seconds_count{${sel(JOBS.loki)}}[2m]))`,
        "> 10",
      ].join("\n"),
      for: "15m",
      severity: "critical",
      component: "observability",
      summary: `Loki route ${L("route")} is failing`,
      description: `${V.f1}% of Loki's requests on route ${L("route")} fail with 5xx.`,
    }),
    alert({
      name: "LokiDiscardedSamples",
      expr: `sum by (job, reason) (rate(loki_discarded_samples_total{${sel(JOBS.loki)}}[5m])) > 0`,
      for: "15m",
      severity: "warning",
      component: "observability",
      summary: `Loki is discarding log lines: ${L("reason")}`,
      description: `Loki discards ${V.f2} log lines/s for reason ${L("reason")} (rate limits, too-old or too-long lines); those logs are lost.`,
    }),
    alert({
      name: "TempoDiscardedSpans",
      expr: [
        `100 * sum by (job) (rate(tempo_discarded_spans_total{${sel(JOBS.tempo)}}[5m]))`,
        "  /",
        `sum by (job) (rate(tempo_distributor_spans_received_total{${sel(JOBS.tempo)}}[5m]))`,
        "> 5",
      ].join("\n"),
      for: "5m",
      severity: "warning",
      component: "observability",
      summary: "Tempo is discarding spans",
      description: `Tempo discards ${V.f1}% of the spans it receives (rate limits, trace too large); those traces are incomplete.`,
    }),
    alert({
      name: "OtelCollectorRefusedSpans",
      expr: [
        `100 * sum by (job, receiver) (rate(otelcol_receiver_refused_spans_total{${sel(JOBS.otelCollector)}}[5m]))`,
        "  /",
        `(sum by (job, receiver) (rate(otelcol_receiver_accepted_spans_total{${sel(JOBS.otelCollector)}}[5m])) + sum by (job, receiver) (rate(otelcol_receiver_refused_spans_total{${sel(JOBS.otelCollector)}}[5m])))`,
        "> 1",
      ].join("\n"),
      for: "10m",
      severity: "warning",
      component: "observability",
      summary: `OTel Collector refuses spans on ${L("receiver")}`,
      description: `The collector refuses ${V.f1}% of the spans applications send to ${L("receiver")} (memory limit or a full pipeline); applications drop or retry them.`,
    }),
    alert({
      name: "OtelCollectorExporterFailures",
      // Spans, log records and metric points alike: a failing exporter loses whichever it carries.
      expr: [
        "sum by (job, exporter) (",
        `  rate({__name__=~"otelcol_exporter_send_failed_(spans|log_records|metric_points)_total", ${sel(JOBS.otelCollector)}}[5m])`,
        ") > 0",
      ].join("\n"),
      for: "10m",
      severity: "warning",
      component: "observability",
      summary: `OTel Collector exporter ${L("exporter")} is failing`,
      description: `Exporter ${L("exporter")} of the collector fails to send ${V.f2} items/s to its backend (Tempo, Loki or Prometheus); that telemetry is lost after the retries.`,
    }),
  ];

  const grafana = alert({
    name: "GrafanaDown",
    expr: `up{${sel(JOBS.grafana)}} == 0`,
    for: "5m",
    severity: "warning",
    component: "observability",
    summary: "Grafana is down",
    description: `Grafana (${L("instance")}) has not answered its metrics scrape for 5 minutes; dashboards are unavailable, alerting is not affected.`,
  });

  return {
    pack: "stack",
    path: rulesPath("stack"),
    groups: [
      { name: "stack-prometheus", rules: prometheus },
      { name: "stack-alertmanager", rules: alertmanager },
      { name: "stack-pipelines", rules: [...pipelines, grafana] },
    ],
  };
}
