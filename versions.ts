/**
 * Every container image the stack runs, pinned to an exact release: the one
 * place versions live. Bump here, run the tests, read the upstream changelog.
 */
export const IMAGES = {
  prometheus: "quay.io/prometheus/prometheus:v3.14.0",
  alertmanager: "quay.io/prometheus/alertmanager:v0.34.1",
  loki: "grafana/loki:3.7.3",
  promtail: "grafana/promtail:3.6.11",
  alloy: "grafana/alloy:v1.18.1",
  tempo: "grafana/tempo:3.0.2",
  otelCollector: "otel/opentelemetry-collector-contrib:0.159.0",
  grafana: "grafana/grafana:13.2.0",
  nodeExporter: "quay.io/prometheus/node-exporter:v1.12.1",
  cadvisor: "ghcr.io/google/cadvisor:v0.60.5",
  blackboxExporter: "quay.io/prometheus/blackbox-exporter:v0.28.0",
  postgresExporter: "quay.io/prometheuscommunity/postgres-exporter:v0.18.0",
  redisExporter: "oliver006/redis_exporter:v1.80.0",
  kubeStateMetrics: "registry.k8s.io/kube-state-metrics/kube-state-metrics:v2.19.1",
  /** Long-term store (metrics.longTerm): single server, and the cluster's parts (same release, `-cluster` tags). */
  victoriaMetrics: "victoriametrics/victoria-metrics:v1.146.0",
  vminsert: "victoriametrics/vminsert:v1.146.0-cluster",
  vmselect: "victoriametrics/vmselect:v1.146.0-cluster",
  vmstorage: "victoriametrics/vmstorage:v1.146.0-cluster",
  /** Docker: read-only proxy in front of the engine's API socket (HAProxy allowing GET on chosen sections). */
  dockerSocketProxy: "ghcr.io/tecnativa/docker-socket-proxy:v0.4.1",
  /** Kubernetes: TLS + TokenReview/SubjectAccessReview in front of node-exporter and kube-state-metrics. */
  kubeRbacProxy: "quay.io/brancz/kube-rbac-proxy:v0.21.0",
  /** Sidecar that POSTs a service's reload endpoint when its mounted ConfigMap/Secret changes (Kubernetes). */
  configReloader: "ghcr.io/jimmidyson/configmap-reload:v0.15.0",
} as const;

export type ImageKey = keyof typeof IMAGES;
