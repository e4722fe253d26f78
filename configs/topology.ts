/**
 * Service names and ports of every piece of the stack: the one place they are
 * defined. Service names are DNS names on both targets (Docker network alias,
 * Kubernetes Service), so every config file can address a peer as
 * `http://<name>:<port>` unchanged on Docker and on Kubernetes.
 */
export const SERVICES = {
  prometheus: { name: "prometheus", ports: { http: 9090 } },
  alertmanager: { name: "alertmanager", ports: { http: 9093, cluster: 9094 } },
  // memberlist: HA mode only (loki.replicas >= 3), Loki's default gossip port.
  loki: { name: "loki", ports: { http: 3100, grpc: 9095, memberlist: 7946 } },
  tempo: { name: "tempo", ports: { http: 3200, grpc: 9095, otlpGrpc: 4317, otlpHttp: 4318 } },
  otelCollector: {
    name: "otel-collector",
    ports: { otlpGrpc: 4317, otlpHttp: 4318, metrics: 8888, health: 13133 },
    /**
     * Opt-in receivers (`otelCollector.receivers`) for applications that still speak Jaeger or Zipkin, on
     * the ports those clients default to (jaegerreceiver and zipkinreceiver READMEs). thrift_compact and
     * thrift_binary are UDP (the Jaeger agent protocol); the rest TCP.
     */
    legacyPorts: {
      jaegerGrpc: 14250,
      jaegerThriftHttp: 14268,
      jaegerThriftCompact: 6831,
      jaegerThriftBinary: 6832,
      zipkin: 9411,
    },
  },
  grafana: { name: "grafana", ports: { http: 3000 } },
  nodeExporter: { name: "node-exporter", ports: { http: 9100 } },
  cadvisor: { name: "cadvisor", ports: { http: 8080 } },
  blackboxExporter: { name: "blackbox-exporter", ports: { http: 9115 } },
  promtail: { name: "promtail", ports: { http: 9080 }, syslogPort: 1514 },
  alloy: { name: "alloy", ports: { http: 12345 }, syslogPort: 1514 },
  postgresExporter: { name: "postgres-exporter", ports: { http: 9187 } },
  redisExporter: { name: "redis-exporter", ports: { http: 9121 } },
  /** Kubernetes only: object state (pods, restarts, rollouts) from the API server. */
  kubeStateMetrics: { name: "kube-state-metrics", ports: { http: 8080, telemetry: 8081 } },
  // Long-term store (metrics.longTerm: victoriametrics): the single server, or the cluster's three parts.
  // Ports are VictoriaMetrics' defaults (-httpListenAddr, vmstorage -vminsertAddr/-vmselectAddr).
  victoriaMetrics: { name: "victoria-metrics", ports: { http: 8428 } },
  vminsert: { name: "vminsert", ports: { http: 8480 } },
  vmselect: { name: "vmselect", ports: { http: 8481 } },
  vmstorage: { name: "vmstorage", ports: { http: 8482, insert: 8400, select: 8401 } },
} as const;

export type ServiceKey = keyof typeof SERVICES;

export interface ServicePort {
  /** IANA-style port name (`http`, `otlp-grpc`). */
  readonly name: string;
  readonly port: number;
  /**
   * Transport: Docker publishes `<port>/udp`, Kubernetes declares `protocol: UDP` on the containerPort and
   * the Service port. Default TCP. A UDP port is never `userFacing` (an Ingress speaks HTTP).
   */
  readonly protocol?: PortProtocol;
  /** Published on the Docker host at this port (Docker target only). */
  readonly hostPort?: number;
  /**
   * A person opens this in a browser: Ingress on Kubernetes when configured
   * (for a service without its own login only with authentication
   * annotations; see configs/addressing.ts).
   */
  readonly userFacing?: boolean;
}

export type PortProtocol = "TCP" | "UDP";

/**
 * Docker only: the read-only proxy in front of the Docker engine's API, the one container that mounts its
 * socket. The log agent and cAdvisor read the API through it, on a network only they share with it. Not a
 * scrape target (it serves no metrics), so not among SERVICES.
 */
export const DOCKER_API_PROXY = { name: "docker-socket-proxy", port: 2375 } as const;

/** Where the log agent and cAdvisor reach the Docker API on Docker (through DOCKER_API_PROXY). */
export const DOCKER_API_URL = `tcp://${DOCKER_API_PROXY.name}:${DOCKER_API_PROXY.port}`;

/** `http://<service>:<port>` as seen from inside the stack. */
export function internalUrl(service: ServiceKey, port: number = firstPort(service)): string {
  return `http://${SERVICES[service].name}:${port}`;
}

/** `<service>:<port>`, the form scrape targets and OTLP gRPC endpoints take. */
export function internalAddress(service: ServiceKey, port: number = firstPort(service)): string {
  return `${SERVICES[service].name}:${port}`;
}

/**
 * The headless Service a StatefulSet's pods get their stable names from on
 * Kubernetes: replica i of `alertmanager` is `alertmanager-<i>.alertmanager-headless`.
 */
export function headlessServiceName(serviceName: string): string {
  return `${serviceName}-headless`;
}

/** `<service>-<i>.<service>-headless:<port>`: one StatefulSet replica, addressed on its own. */
export function replicaAddress(service: ServiceKey, replica: number, port: number = firstPort(service)): string {
  const { name } = SERVICES[service];
  return `${name}-${replica}.${headlessServiceName(name)}:${port}`;
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
  kubeStateMetrics: "kube-state-metrics",
  // The long-term store (metrics.longTerm): the single server, or each part of the cluster.
  victoriaMetrics: "victoriametrics",
  vmstorage: "vmstorage",
  vminsert: "vminsert",
  vmselect: "vmselect",
  // Kubernetes cluster components (configs/prometheus/prometheus.ts, kubernetesDiscoveryJobs):
  // always scraped where every cluster exposes them ...
  apiserver: "apiserver",
  kubelet: "kubelet",
  kubeletProbes: "kubelet_probes",
  kubeletResource: "kubelet_resource",
  coredns: "coredns",
  // ... and behind `kubernetes.controlPlane` (managed clusters hide them).
  kubeProxy: "kube_proxy",
  kubeScheduler: "kube_scheduler",
  kubeControllerManager: "kube_controller_manager",
  etcd: "etcd",
} as const;

/** `app.kubernetes.io/instance` of every pod of the stack (Kubernetes selectors and discovery match on it). */
export const STACK_INSTANCE = "observability";

/** Grafana datasource uids: fixed so dashboards and links can reference them. */
export const DATASOURCE_UIDS = {
  prometheus: "prometheus",
  loki: "loki",
  tempo: "tempo",
  alertmanager: "alertmanager",
} as const;

/**
 * Uid of the long-term store's datasource (metrics.longTerm), for ranges beyond Prometheus' retention.
 * Apart from DATASOURCE_UIDS: it exists only with a long-term store, so a dashboard may not depend on it.
 */
export const LONG_TERM_DATASOURCE_UID = "victoriametrics";

/**
 * Where a connection starts: a piece of the stack, or applications in any
 * namespace. (The ingress controller reaches every `userFacing` port; the
 * target derives that from the ServiceSpec.)
 */
export type FlowSource = ServiceKey | "applications";

/** One kind of connection inside or into the stack. */
export interface Flow {
  readonly from: FlowSource;
  readonly to: ServiceKey;
  readonly ports: readonly number[];
  /** Default TCP; Alertmanager's gossip also uses UDP. */
  readonly protocols?: readonly ("TCP" | "UDP")[];
  /** Why the connection exists (review aid; shown in the NetworkPolicy annotations). */
  readonly why: string;
}

/** The port Prometheus scrapes on each piece: its first port unless the piece serves metrics apart. */
export const METRICS_PORTS: Readonly<Record<ServiceKey, number>> = Object.fromEntries(
  (Object.keys(SERVICES) as ServiceKey[]).map((k) => [k, k === "otelCollector" ? SERVICES.otelCollector.ports.metrics : firstPort(k)]),
) as Record<ServiceKey, number>;

/**
 * Who talks to whom: the one table NetworkPolicies are derived from on
 * Kubernetes. A connection missing here is refused there, so a new peer
 * relation in a config builder needs a row here too.
 */
export const FLOWS: readonly Flow[] = [
  ...(Object.keys(SERVICES) as ServiceKey[])
    .filter((k) => k !== "prometheus")
    .map((k): Flow => ({ from: "prometheus", to: k, ports: [METRICS_PORTS[k]], why: "scrape" })),
  { from: "prometheus", to: "alertmanager", ports: [SERVICES.alertmanager.ports.http], why: "alerts" },
  { from: "prometheus", to: "blackboxExporter", ports: [SERVICES.blackboxExporter.ports.http], why: "probes" },
  ...(["prometheus", "loki", "tempo", "alertmanager"] as const).map(
    (k): Flow => ({ from: "grafana", to: k, ports: [SERVICES[k].ports.http], why: "datasource" }),
  ),
  ...(["alloy", "promtail"] as const).map((k): Flow => ({ from: k, to: "loki", ports: [SERVICES.loki.ports.http], why: "log push" })),
  { from: "otelCollector", to: "tempo", ports: [SERVICES.tempo.ports.otlpGrpc], why: "traces" },
  { from: "otelCollector", to: "loki", ports: [SERVICES.loki.ports.http], why: "OTLP logs" },
  { from: "otelCollector", to: "prometheus", ports: [SERVICES.prometheus.ports.http], why: "OTLP metrics" },
  { from: "tempo", to: "prometheus", ports: [SERVICES.prometheus.ports.http], why: "metrics-generator remote write" },
  { from: "loki", to: "alertmanager", ports: [SERVICES.alertmanager.ports.http], why: "ruler alerts" },
  // HA mode: gossip, pushes to the replicas holding a stream, queries of their memory, compactor jobs from replica 0.
  { from: "loki", to: "loki", ports: [SERVICES.loki.ports.memberlist], why: "ring gossip (HA)" },
  { from: "loki", to: "loki", ports: [SERVICES.loki.ports.grpc], why: "replication and compactor jobs (HA)" },
  { from: "alertmanager", to: "alertmanager", ports: [SERVICES.alertmanager.ports.cluster], protocols: ["TCP", "UDP"], why: "cluster gossip" },
  { from: "prometheus", to: "victoriaMetrics", ports: [SERVICES.victoriaMetrics.ports.http], why: "remote write" },
  { from: "prometheus", to: "vminsert", ports: [SERVICES.vminsert.ports.http], why: "remote write" },
  { from: "grafana", to: "victoriaMetrics", ports: [SERVICES.victoriaMetrics.ports.http], why: "datasource" },
  { from: "grafana", to: "vmselect", ports: [SERVICES.vmselect.ports.http], why: "datasource" },
  { from: "vminsert", to: "vmstorage", ports: [SERVICES.vmstorage.ports.insert], why: "cluster write" },
  { from: "vmselect", to: "vmstorage", ports: [SERVICES.vmstorage.ports.select], why: "cluster read" },
  {
    from: "applications",
    to: "otelCollector",
    ports: [SERVICES.otelCollector.ports.otlpGrpc, SERVICES.otelCollector.ports.otlpHttp],
    why: "application telemetry (OTLP)",
  },
  // The opt-in receivers and the syslog input: a rule applies only where the spec exposes the port (opted in).
  {
    from: "applications",
    to: "otelCollector",
    ports: [SERVICES.otelCollector.legacyPorts.jaegerGrpc, SERVICES.otelCollector.legacyPorts.jaegerThriftHttp, SERVICES.otelCollector.legacyPorts.zipkin],
    why: "application traces (Jaeger gRPC/Thrift HTTP, Zipkin)",
  },
  {
    from: "applications",
    to: "otelCollector",
    ports: [SERVICES.otelCollector.legacyPorts.jaegerThriftCompact, SERVICES.otelCollector.legacyPorts.jaegerThriftBinary],
    protocols: ["UDP"],
    why: "application traces (Jaeger agent Thrift over UDP)",
  },
  ...(["alloy", "promtail"] as const).map(
    (k): Flow => ({ from: "applications", to: k, ports: [SERVICES[k].syslogPort], protocols: ["TCP", "UDP"], why: "syslog" }),
  ),
];
