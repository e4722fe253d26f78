/**
 * Metrics the stack's exporters export, by exporter, by exact name: what a
 * dashboard may read without a METRICS_CONTRACT entry. An explicit list (not
 * a `node_` prefix) so a misspelt or invented name fails the dashboard tests
 * instead of drawing an empty panel. Extend it when a dashboard needs more.
 *
 * Sources: node-exporter and blackbox-exporter names were read from the
 * /metrics and /probe output of Debian's prometheus-node-exporter and
 * prometheus-blackbox-exporter; cAdvisor, postgres_exporter (default
 * collectors and queries) and redis_exporter names from their documented
 * metric lists (binaries not available here); kube-state-metrics names from its
 * docs/metrics reference (v2), kubelet names from the metrics the kubernetes-mixin
 * dashboards and the Kubernetes metrics reference use. `process_*`/`go_*` runtime
 * metrics of client libraries and the stack's own components are matched by
 * prefix in the tests, as before.
 */
export const EXPORTER_METRICS = {
  /** node-exporter (job node_exporter). */
  nodeExporter: [
    "node_boot_time_seconds",
    "node_cpu_seconds_total",
    "node_disk_read_bytes_total",
    "node_disk_written_bytes_total",
    "node_filesystem_avail_bytes",
    "node_filesystem_size_bytes",
    "node_load1",
    "node_load5",
    "node_load15",
    "node_memory_MemAvailable_bytes",
    "node_memory_MemFree_bytes",
    "node_memory_MemTotal_bytes",
    "node_network_receive_bytes_total",
    "node_network_transmit_bytes_total",
    "node_time_seconds",
    "node_uname_info",
  ],
  /** cAdvisor (job cadvisor on Docker; the kubelet's embedded cAdvisor on Kubernetes). */
  cadvisor: [
    "container_cpu_cfs_periods_total",
    "container_cpu_cfs_throttled_periods_total",
    "container_cpu_usage_seconds_total",
    "container_memory_cache",
    "container_memory_rss",
    "container_memory_usage_bytes",
    "container_memory_working_set_bytes",
    "container_network_receive_bytes_total",
    "container_network_receive_packets_dropped_total",
    "container_network_transmit_bytes_total",
    "container_network_transmit_packets_dropped_total",
    "container_spec_memory_limit_bytes",
    "container_start_time_seconds",
  ],
  /** kube-state-metrics (job kube-state-metrics, Kubernetes only): object state from the API server. */
  kubeStateMetrics: [
    "kube_daemonset_status_desired_number_scheduled",
    "kube_daemonset_status_number_available",
    "kube_daemonset_status_updated_number_scheduled",
    "kube_deployment_spec_replicas",
    "kube_deployment_status_replicas_available",
    "kube_deployment_status_replicas_updated",
    "kube_namespace_status_phase",
    "kube_node_info",
    "kube_node_spec_unschedulable",
    "kube_node_status_allocatable",
    "kube_node_status_capacity",
    "kube_node_status_condition",
    "kube_persistentvolume_status_phase",
    "kube_persistentvolumeclaim_info",
    "kube_persistentvolumeclaim_status_phase",
    "kube_pod_container_info",
    "kube_pod_container_resource_limits",
    "kube_pod_container_resource_requests",
    "kube_pod_container_status_last_terminated_reason",
    "kube_pod_container_status_restarts_total",
    "kube_pod_container_status_waiting_reason",
    "kube_pod_info",
    "kube_pod_owner",
    "kube_pod_start_time",
    "kube_pod_status_phase",
    "kube_pod_status_ready",
    "kube_statefulset_replicas",
    "kube_statefulset_status_replicas",
    "kube_statefulset_status_replicas_ready",
  ],
  /** The kubelets' own /metrics (job kubelet, Kubernetes only): running pods and containers, pod start latency, runtime errors, volume usage per claim. */
  kubelet: [
    "kubelet_pod_start_duration_seconds_bucket",
    "kubelet_running_containers",
    "kubelet_running_pods",
    "kubelet_runtime_operations_errors_total",
    "kubelet_volume_stats_available_bytes",
    "kubelet_volume_stats_capacity_bytes",
    "kubelet_volume_stats_inodes",
    "kubelet_volume_stats_inodes_free",
    "kubelet_volume_stats_inodes_used",
    "kubelet_volume_stats_used_bytes",
  ],
  /** The API servers (job apiserver, Kubernetes only). */
  apiserver: ["apiserver_request_total"],
  /** blackbox-exporter probes (job blackbox_http and blackbox_<module>); probe_ssl_earliest_cert_expiry only for probes over TLS (prober/tls.go). */
  blackboxExporter: ["probe_duration_seconds", "probe_http_duration_seconds", "probe_http_status_code", "probe_http_ssl", "probe_ssl_earliest_cert_expiry", "probe_success"],
  /** postgres_exporter (job postgres_exporter). Counters keep the exporter's names, without `_total`. */
  postgresExporter: [
    "pg_database_size_bytes",
    "pg_locks_count",
    "pg_settings_max_connections",
    "pg_stat_activity_count",
    "pg_stat_database_blks_hit",
    "pg_stat_database_blks_read",
    "pg_stat_database_conflicts",
    "pg_stat_database_deadlocks",
    "pg_stat_database_numbackends",
    "pg_stat_database_tup_deleted",
    "pg_stat_database_tup_fetched",
    "pg_stat_database_tup_inserted",
    "pg_stat_database_tup_updated",
    "pg_stat_database_xact_commit",
    "pg_stat_database_xact_rollback",
    // stat_user_tables collector (enabled by default; labels datname, schemaname, relname): index usage per table.
    "pg_stat_user_tables_idx_scan",
    "pg_stat_user_tables_seq_scan",
    "pg_up",
  ],
  /** redis_exporter (job redis_exporter). */
  redisExporter: [
    "redis_commands_processed_total",
    "redis_connected_clients",
    "redis_db_keys",
    "redis_evicted_keys_total",
    "redis_expired_keys_total",
    "redis_keyspace_hits_total",
    "redis_keyspace_misses_total",
    "redis_memory_max_bytes",
    "redis_memory_used_bytes",
    "redis_net_input_bytes_total",
    "redis_net_output_bytes_total",
    "redis_up",
    "redis_uptime_in_seconds",
  ],
  /** Prometheus itself: target health and the alert state it records. */
  prometheus: ["up", "scrape_duration_seconds", "scrape_samples_scraped", "ALERTS", "ALERTS_FOR_STATE"],
} as const satisfies Readonly<Record<string, readonly string[]>>;

export type Exporter = keyof typeof EXPORTER_METRICS;

/** Every exporter metric name, for lookups. */
export const EXPORTER_METRIC_SET: ReadonlySet<string> = new Set(Object.values(EXPORTER_METRICS).flat());

/** The exporter that exports `metric`, or undefined. */
export function exporterOf(metric: string): Exporter | undefined {
  return (Object.keys(EXPORTER_METRICS) as Exporter[]).find((e) => (EXPORTER_METRICS[e] as readonly string[]).includes(metric));
}
