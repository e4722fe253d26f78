/**
 * Every container image the stack runs, pinned to an exact release: the one
 * place versions live. Bump here, run the tests, read the upstream changelog.
 *
 * Each tag was confirmed upstream on 2026-12-01 against the newest snapshot of
 * the project's repository (its git tags, release commit and CHANGELOG; the
 * snapshots run to late August 2026), as noted per line.
 */
export const IMAGES = {
  /** prometheus/prometheus tag v3.14.0 (2026-08-17), the newest 3.x release. */
  prometheus: "quay.io/prometheus/prometheus:v3.14.0",
  /** prometheus/alertmanager tag v0.34.0 (2026-08-16), the newest; no v0.34.1 exists (VERSION at main says 0.34.0). */
  alertmanager: "quay.io/prometheus/alertmanager:v0.34.0",
  /**
   * grafana/loki release 3.7.5 (2026-08-05: release commit, CHANGELOG entry; bug and security fixes since 3.7.3,
   * no config change). A tag v3.7.6 exists on a later docs commit without a release of its own (manifest still 3.7.5).
   */
  loki: "grafana/loki:3.7.5",
  /** The last Promtail image: grafana/loki's release workflow stopped building it after v3.6.11 (end of life 2026-03-02). */
  promtail: "grafana/promtail:3.6.11",
  /** grafana/alloy tag v1.18.1 (2026-08-06), the newest. */
  alloy: "grafana/alloy:v1.18.1",
  /** grafana/tempo tag v3.0.3 (2026-08-13; Go and dependency security fixes, version reporting). */
  tempo: "grafana/tempo:3.0.3",
  /** open-telemetry/opentelemetry-collector-releases tag v0.159.0, the newest non-nightly release of the distributions. */
  otelCollector: "otel/opentelemetry-collector-contrib:0.159.0",
  /**
   * grafana/grafana v13.2.0 (2026-08-18): the Docker tag of Renovate's update PR AndreiGavriliu/homelab#7187, which links
   * Grafana's CHANGELOG entry "13.2.0 (2026-08-18)"; no later 13.2.x found. (The repository is too large to fetch here.)
   */
  grafana: "grafana/grafana:13.2.0",
  /** prometheus/node_exporter tag v1.12.1 (2026-07-14), the newest. */
  nodeExporter: "quay.io/prometheus/node-exporter:v1.12.1",
  /** google/cadvisor tag v0.60.5 (2026-07-11), the newest. */
  cadvisor: "ghcr.io/google/cadvisor:v0.60.5",
  /** prometheus/blackbox_exporter tag v0.28.0 (2025-12-04), the newest. */
  blackboxExporter: "quay.io/prometheus/blackbox-exporter:v0.28.0",
  /**
   * prometheus-community/postgres_exporter tag v0.20.1 (2026-07-07). 0.20.0 moved stat_activity and settings to
   * standalone collectors; the names the rules and dashboards read (pg_stat_activity_count, summed;
   * pg_settings_max_connections) are unchanged, and no flag this stack passes was removed.
   */
  postgresExporter: "quay.io/prometheuscommunity/postgres-exporter:v0.20.1",
  /** oliver006/redis_exporter tag v1.88.0 (2026-07-23); REDIS_ADDR / REDIS_PASSWORD and the metrics used unchanged. */
  redisExporter: "oliver006/redis_exporter:v1.88.0",
  /** kubernetes/kube-state-metrics tag v2.20.0 (2026-08-16); `--port`, `--telemetry-port`, `--resources` unchanged. */
  kubeStateMetrics: "registry.k8s.io/kube-state-metrics/kube-state-metrics:v2.20.0",
  /**
   * Long-term store (metrics.longTerm): single server, and the cluster's parts (same release, `-cluster` tags).
   * v1.153.0 (2026-09-28), the newest release seen pinned in public repositories (single and `-cluster` images);
   * VictoriaMetrics' own release page was not readable here, so confirmed second-hand. v1.154.0 was not seen.
   */
  victoriaMetrics: "victoriametrics/victoria-metrics:v1.153.0",
  vminsert: "victoriametrics/vminsert:v1.153.0-cluster",
  vmselect: "victoriametrics/vmselect:v1.153.0-cluster",
  vmstorage: "victoriametrics/vmstorage:v1.153.0-cluster",
  /**
   * Docker: read-only proxy in front of the engine's API socket (HAProxy allowing GET on chosen sections).
   * Tecnativa/docker-socket-proxy tag v0.4.1 (2025-09-05), the newest.
   */
  dockerSocketProxy: "ghcr.io/tecnativa/docker-socket-proxy:v0.4.1",
  /**
   * Kubernetes: TLS + TokenReview/SubjectAccessReview in front of node-exporter and kube-state-metrics.
   * brancz/kube-rbac-proxy tag v0.21.0 (2026-02-26), the newest.
   */
  kubeRbacProxy: "quay.io/brancz/kube-rbac-proxy:v0.21.0",
  /**
   * Sidecar that POSTs a service's reload endpoint when its mounted ConfigMaps change (Kubernetes).
   * jimmidyson/configmap-reload tag v0.15.0 (2025-04-09), the newest.
   */
  configReloader: "ghcr.io/jimmidyson/configmap-reload:v0.15.0",
} as const;
