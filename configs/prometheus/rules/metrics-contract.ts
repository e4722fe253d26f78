/**
 * The application metrics contract: every metric the TutorDex services (and
 * the generic queue/HTTP packs) must export for the rule catalog, dashboards
 * and the sample app. docs/metrics-contract.md is the prose version; a test
 * keeps the two and the rule expressions in step.
 *
 * Names are the ones the TutorDex aggregator already exports where it has one
 * (seed 001: `worker_parse_failure_total{reason}`, ...). Labels follow seed
 * 001's low-cardinality rule: only bounded enums from `ALLOWED_LABELS`; never
 * ids, user names or raw URLs. `job`/`instance` are added by Prometheus and
 * `le` by histograms, so they are not listed.
 */

export type MetricType = "counter" | "gauge" | "histogram";

export interface MetricSpec {
  /** Metric name as exposed (`_total` included for counters; histograms without `_bucket`/`_sum`/`_count`). */
  readonly name: string;
  readonly type: MetricType;
  /** Label names, all from `ALLOWED_LABELS`. */
  readonly labels: readonly string[];
  /** `# HELP` text. */
  readonly help: string;
  /** Unit of the value (`seconds`, `jobs`, `1` for plain counts of events, ...). */
  readonly unit: string;
  /**
   * Service that exports it (`all`: every TutorDex service). `scheduler`, `ai`
   * and `product` are other teams' services (seeds 003/004): a cron-like
   * scheduler, an AI generation service, any service of the product with database queries or business counters.
   */
  readonly component: "collector" | "worker" | "backend" | "scheduler" | "ai" | "product" | "all";
}

/** The only label names application metrics may carry (seed 001 + the catalog's additions). */
export const ALLOWED_LABELS: readonly string[] = [
  "component",
  "channel",
  "pipeline_version",
  "schema_version",
  "operation",
  "reason",
  "model",
  "field",
  "kind",
  "status",
  "method",
  "path",
];

const V = ["pipeline_version", "schema_version"] as const;

export const METRICS_CONTRACT: readonly MetricSpec[] = [
  // ------------------------------------------------------------------ collector
  { name: "collector_messages_seen_total", type: "counter", labels: ["channel", ...V], unit: "messages", component: "collector", help: "Raw Telegram messages observed by the collector." },
  { name: "collector_messages_upserted_total", type: "counter", labels: ["channel", ...V], unit: "messages", component: "collector", help: "Raw Telegram messages successfully upserted into storage." },
  { name: "collector_errors_total", type: "counter", labels: ["channel", "reason", ...V], unit: "errors", component: "collector", help: "Collector errors by best-effort reason class." },
  { name: "collector_last_message_timestamp_seconds", type: "gauge", labels: ["channel", ...V], unit: "seconds (Unix time)", component: "collector", help: "Unix time of the newest message seen per channel; absent or 0 until the first message." },

  // ------------------------------------------------------------------ queue (exported by the worker)
  { name: "queue_pending", type: "gauge", labels: [...V], unit: "jobs", component: "worker", help: "Extraction jobs waiting to be processed." },
  { name: "queue_processing", type: "gauge", labels: [...V], unit: "jobs", component: "worker", help: "Extraction jobs currently being processed." },
  { name: "queue_failed", type: "gauge", labels: [...V], unit: "jobs", component: "worker", help: "Extraction jobs in the failed state." },
  { name: "queue_ok", type: "gauge", labels: [...V], unit: "jobs", component: "worker", help: "Extraction jobs completed successfully." },
  { name: "queue_oldest_pending_age_seconds", type: "gauge", labels: [...V], unit: "seconds", component: "worker", help: "Age of the oldest pending job; 0 when none is pending." },
  { name: "queue_oldest_processing_age_seconds", type: "gauge", labels: [...V], unit: "seconds", component: "worker", help: "Time the oldest processing job has been processing; 0 when none is." },

  // ------------------------------------------------------------------ worker
  { name: "worker_jobs_processed_total", type: "counter", labels: ["status", ...V], unit: "jobs", component: "worker", help: "Jobs the worker finished, by status (ok, failed, skipped)." },
  { name: "worker_job_latency_seconds", type: "histogram", labels: [...V], unit: "seconds", component: "worker", help: "End-to-end job latency." },
  { name: "worker_job_stage_latency_seconds", type: "histogram", labels: ["operation", ...V], unit: "seconds", component: "worker", help: "Latency of one job stage; operation is the stage (queue_wait, llm, persist, broadcast, dm)." },
  { name: "worker_requeued_stale_jobs_total", type: "counter", labels: [...V], unit: "jobs", component: "worker", help: "Jobs found stuck in processing and put back to pending." },
  { name: "worker_last_heartbeat_timestamp_seconds", type: "gauge", labels: [...V], unit: "seconds (Unix time)", component: "worker", help: "Unix time of the worker loop's last iteration (heartbeat)." },
  { name: "worker_llm_requests_total", type: "counter", labels: ["model", ...V], unit: "requests", component: "worker", help: "LLM extraction requests attempted." },
  { name: "worker_llm_fail_total", type: "counter", labels: ["model", "reason", ...V], unit: "requests", component: "worker", help: "LLM requests that failed (timeout, http_error, invalid_json, ...)." },
  { name: "worker_llm_call_latency_seconds", type: "histogram", labels: ["model", ...V], unit: "seconds", component: "worker", help: "LLM call latency." },
  { name: "worker_supabase_requests_total", type: "counter", labels: ["operation", ...V], unit: "requests", component: "worker", help: "Supabase operations attempted, by operation (e.g. upsert_assignment, claim_job)." },
  { name: "worker_supabase_fail_total", type: "counter", labels: ["operation", ...V], unit: "requests", component: "worker", help: "Supabase operations that failed." },
  { name: "worker_supabase_latency_seconds", type: "histogram", labels: ["operation", ...V], unit: "seconds", component: "worker", help: "Supabase operation latency." },
  { name: "worker_parse_success_total", type: "counter", labels: ["channel", ...V], unit: "extractions", component: "worker", help: "Extractions whose parsed assignment passed validation and was persisted." },
  { name: "worker_parse_failure_total", type: "counter", labels: ["channel", "reason", ...V], unit: "extractions", component: "worker", help: "Extractions that failed, by reason (llm_invalid_json, validation_error, ...)." },
  { name: "assignment_quality_missing_field_total", type: "counter", labels: ["field", "channel", ...V], unit: "assignments", component: "worker", help: "Parsed assignments missing an important field (quality signal, not a failure); field=signals_subjects drives MissingSubjectsHigh." },
  { name: "assignment_quality_inconsistency_total", type: "counter", labels: ["kind", "channel", ...V], unit: "assignments", component: "worker", help: "Inconsistencies detected between text, signals and fields, by kind." },

  // ------------------------------------------------------------------ broadcast / DM (exported by the worker)
  { name: "broadcast_sent_total", type: "counter", labels: [...V], unit: "messages", component: "worker", help: "Channel broadcast messages sent." },
  { name: "broadcast_fail_total", type: "counter", labels: [...V], unit: "messages", component: "worker", help: "Channel broadcast sends that failed." },
  { name: "broadcast_fail_reason_total", type: "counter", labels: ["reason", ...V], unit: "messages", component: "worker", help: "Channel broadcast failures by reason." },
  { name: "dm_sent_total", type: "counter", labels: [...V], unit: "messages", component: "worker", help: "Tutor DMs sent." },
  { name: "dm_fail_total", type: "counter", labels: [...V], unit: "messages", component: "worker", help: "Tutor DM sends that failed." },
  { name: "dm_fail_reason_total", type: "counter", labels: ["reason", ...V], unit: "messages", component: "worker", help: "Tutor DM failures by reason." },
  { name: "dm_rate_limited_total", type: "counter", labels: [...V], unit: "events", component: "worker", help: "DM sends that hit a Telegram rate limit (FloodWait)." },

  // ------------------------------------------------------------------ backend (and any HTTP service the http/slo packs watch)
  { name: "http_requests_total", type: "counter", labels: ["method", "path", "status"], unit: "requests", component: "backend", help: "HTTP requests served; path is the route template (/assignments/{id}), status the numeric code." },
  { name: "http_request_duration_seconds", type: "histogram", labels: ["method", "path"], unit: "seconds", component: "backend", help: "HTTP request latency; buckets must include every SLO latency threshold." },

  // ------------------------------------------------------------------ scheduler (seed 003; any cron-like service, targets[].component "scheduler")
  { name: "scheduler_jobs_scheduled_total", type: "counter", labels: ["operation"], unit: "jobs", component: "scheduler", help: "Job runs the scheduler started; operation is the scheduled job's name (a fixed set, e.g. publish_posts)." },
  { name: "scheduler_job_runs_total", type: "counter", labels: ["operation", "status"], unit: "jobs", component: "scheduler", help: "Job runs that finished, by status (success, failed)." },
  { name: "scheduler_job_failures_total", type: "counter", labels: ["operation", "reason"], unit: "jobs", component: "scheduler", help: "Failed job runs by reason class (timeout, exception, dependency, ...)." },
  { name: "scheduler_execution_lag_seconds", type: "histogram", labels: ["operation"], unit: "seconds", component: "scheduler", help: "Delay between a run's scheduled time and its actual start; buckets must include 300 (the lag threshold)." },
  { name: "scheduler_last_tick_timestamp_seconds", type: "gauge", labels: [], unit: "seconds (Unix time)", component: "scheduler", help: "Unix time of the scheduler loop's last iteration (heartbeat)." },

  // ------------------------------------------------------------------ AI generation (seed 004's AI service metrics; seed 003's "AI generations per day")
  { name: "ai_generation_total", type: "counter", labels: ["model", "status"], unit: "generations", component: "ai", help: "AI generation requests, by model and status (success, failed)." },
  { name: "ai_generation_duration_seconds", type: "histogram", labels: ["model"], unit: "seconds", component: "ai", help: "Time one AI generation took, request to complete answer; buckets must include 5 (the AIGenerationSlow threshold)." },

  // ------------------------------------------------------------------ any service of the team's own (seeds 003/004: database queries, business counters)
  { name: "db_query_duration_seconds", type: "histogram", labels: ["operation"], unit: "seconds", component: "product", help: "Database query time as the application measures it; operation is a fixed query name (get_user, list_posts), never the SQL text; buckets must include 1 (the SlowDatabaseQueries threshold)." },
  { name: "posts_published_total", type: "counter", labels: [], unit: "posts", component: "product", help: "Posts the product published (seed 003's Business Metrics: posts published per day)." },

  // ------------------------------------------------------------------ every TutorDex service
  { name: "tutordex_build_info", type: "gauge", labels: ["component", ...V], unit: "1 (always 1)", component: "all", help: "Pipeline and schema version a component (collector, worker, backend) runs; the value is always 1." },
];

/** The TutorDex services (`component` of their targets); the contract also describes other teams' scheduler, ai and product services (seeds 003/004). */
export const TUTORDEX_COMPONENTS: readonly string[] = ["collector", "worker", "backend"];

/** Every service the contract describes, the other teams' included. */
export const CONTRACT_COMPONENTS: readonly string[] = [...new Set(METRICS_CONTRACT.map((m) => m.component).filter((c) => c !== "all"))];

/**
 * Metrics from the stack's exporters (node-exporter, cAdvisor, blackbox,
 * postgres/redis exporters, and on Kubernetes kube-state-metrics, the
 * kubelets and the API server), Prometheus itself and the stack's other
 * components, which rules may use without a contract entry.
 */
export const EXPORTER_METRIC_PREFIXES: readonly string[] = [
  "node_",
  "container_",
  "probe_",
  "pg_",
  "redis_",
  "prometheus_",
  "alertmanager_",
  "kube_",
  // the stack's own components (stack pack) and the cluster's (kubernetes pack)
  "loki_",
  "tempo_",
  "otelcol_",
  "kubelet_",
  "apiserver_",
];

/** Exporter/Prometheus metrics matched by exact name. */
export const EXPORTER_METRIC_NAMES: readonly string[] = ["up", "scrape_duration_seconds", "scrape_samples_scraped", "ALERTS", "ALERTS_FOR_STATE"];

/**
 * Where a TutorDex service exports a contract metric under another name today
 * (docs/metrics-contract.md, "Differences from the current services"): the
 * renames on its `targets[]` entry that map it onto the contract.
 */
export interface KnownDeviation {
  readonly component: MetricSpec["component"];
  /** Contract name. */
  readonly contract: string;
  /** Name the service exports. */
  readonly exported: string;
  /** Labels it exports under another name, exported -> contract. */
  readonly labelRenames?: Readonly<Record<string, string>>;
}

export const KNOWN_DEVIATIONS: readonly KnownDeviation[] = [
  { component: "backend", contract: "http_requests_total", exported: "backend_http_requests_total", labelRenames: { status_code: "status" } },
  { component: "backend", contract: "http_request_duration_seconds", exported: "backend_http_request_latency_seconds" },
];
