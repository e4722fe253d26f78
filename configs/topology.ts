/**
 * Service names and ports of every piece of the stack: the one place they are
 * defined. Service names are DNS names on both targets (Docker network alias,
 * Kubernetes Service), so every config file can address a peer as
 * `http://<name>:<port>` unchanged on Docker and on Kubernetes.
 */
export const SERVICES = {
  prometheus: { name: "prometheus", ports: { http: 9090 } },
  alertmanager: { name: "alertmanager", ports: { http: 9093, cluster: 9094 } },
  loki: { name: "loki", ports: { http: 3100, grpc: 9095 } },
  tempo: { name: "tempo", ports: { http: 3200, grpc: 9095, otlpGrpc: 4317, otlpHttp: 4318 } },
  otelCollector: {
    name: "otel-collector",
    ports: { otlpGrpc: 4317, otlpHttp: 4318, metrics: 8888, health: 13133 },
  },
  grafana: { name: "grafana", ports: { http: 3000 } },
  nodeExporter: { name: "node-exporter", ports: { http: 9100 } },
  cadvisor: { name: "cadvisor", ports: { http: 8080 } },
  blackboxExporter: { name: "blackbox-exporter", ports: { http: 9115 } },
  promtail: { name: "promtail", ports: { http: 9080 } },
  alloy: { name: "alloy", ports: { http: 12345 } },
  postgresExporter: { name: "postgres-exporter", ports: { http: 9187 } },
  redisExporter: { name: "redis-exporter", ports: { http: 9121 } },
} as const;

export type ServiceKey = keyof typeof SERVICES;

/** `http://<service>:<port>` as seen from inside the stack. */
export function internalUrl(service: ServiceKey, port: number = firstPort(service)): string {
  return `http://${SERVICES[service].name}:${port}`;
}

/** `<service>:<port>`, the form scrape targets and OTLP gRPC endpoints take. */
export function internalAddress(service: ServiceKey, port: number = firstPort(service)): string {
  return `${SERVICES[service].name}:${port}`;
}

function firstPort(service: ServiceKey): number {
  return Object.values(SERVICES[service].ports)[0] as number;
}

/**
 * Prometheus job names. The application jobs come from stack config; these
 * are the stack's own, spelled as seed 001 lists them where it names them.
 */
export const JOBS = {
  prometheus: "prometheus",
  alertmanager: "alertmanager",
  loki: "loki",
  tempo: "tempo",
  otelCollector: "otel_collector",
  grafana: "grafana",
  nodeExporter: "node_exporter",
  cadvisor: "cadvisor",
  blackboxExporter: "blackbox_exporter",
  blackboxHttp: "blackbox_http",
  logAgent: "log_agent",
  postgresExporter: "postgres_exporter",
  redisExporter: "redis_exporter",
} as const;

/** Grafana datasource uids: fixed so dashboards and links can reference them. */
export const DATASOURCE_UIDS = {
  prometheus: "prometheus",
  loki: "loki",
  tempo: "tempo",
  alertmanager: "alertmanager",
} as const;
