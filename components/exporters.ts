import * as pulumi from "@pulumi/pulumi";
import { BLACKBOX_CONFIG_DIR, blackboxSecretMountPath, PING_GROUP_RANGE_SYSCTL } from "../configs/blackbox/blackbox";
import type { ConfigFile } from "../configs/files";
import { DOCKER_API_URL, SERVICES } from "../configs/topology";
import { wgetHealth } from "../targets/target";
import { IMAGES } from "../versions";
import { ComponentArgs, mountDir, ServiceComponent } from "./service-component";

/**
 * Mount points node-exporter's filesystem collector skips. The flag replaces
 * node-exporter 1.12's default (`^/(dev|proc|run/credentials/.+|sys|
 * var/lib/docker/.+|var/lib/containers/storage/.+)($|/)`, collector/
 * filesystem_linux.go), so every default entry is listed again, plus:
 * all of /run (tmpfs runtime state, not disks), and the kubelet's volume and
 * pod mounts under /var/lib/kubelet (each PVC shows up there, twice with its
 * CSI `globalmount`, and would get disk alerts of its own per node).
 */
export const NODE_EXPORTER_MOUNT_POINTS_EXCLUDE = `^/(${[
  "dev",
  "proc",
  "run",
  "run/credentials/.+",
  "sys",
  "var/lib/docker/.+",
  "var/lib/containers/storage/.+",
  "var/lib/kubelet/.+",
].join("|")})($|/)`;

/**
 * node-exporter: host CPU, memory, disk, network, read through the host's root mounted at /host. On
 * Kubernetes it listens on the node's loopback only, behind kube-rbac-proxy (TLS + the caller's token).
 */
export class NodeExporter extends ServiceComponent {
  constructor(name: string, args: ComponentArgs, opts?: pulumi.ComponentResourceOptions) {
    const { http } = SERVICES.nodeExporter.ports;
    // Kubernetes: node-exporter shares the node's network, where NetworkPolicies do not apply, so without
    // kube-rbac-proxy anything that reaches the node could read it. Prometheus' scrape job follows the same answer.
    const authenticated = args.target.profile.nodeAgentsAuthenticated;
    super("observability:index:NodeExporter", name, args.target, {
      name: SERVICES.nodeExporter.name,
      description: "Prometheus node-exporter",
      image: IMAGES.nodeExporter,
      args: [
        "--path.rootfs=/host",
        `--collector.filesystem.mount-points-exclude=${NODE_EXPORTER_MOUNT_POINTS_EXCLUDE}`,
        ...(authenticated ? [`--web.listen-address=127.0.0.1:${http}`] : []),
      ],
      ports: [{ name: "http", port: http }],
      authenticatedPorts: authenticated ? ["http"] : [],
      configs: [],
      secrets: [],
      volumes: [],
      hostMounts: [{ hostPath: "/", mountPath: "/host", readOnly: true }],
      hostNamespaces: true,
      health: wgetHealth("/", http),
      resources: { memoryLimitMb: 128, cpuRequestMillis: 20 },
      workload: "daemonset",
      user: "65534:65534",
    }, opts);
  }
}

/**
 * cAdvisor metric groups turned off. `--disable_metrics` replaces cAdvisor's
 * default set rather than adding to it (container/factory.go: `MetricSet.Set`
 * starts from an empty set), so the defaults it keeps off (advtcp, process,
 * memory_numa, cpuset, besides tcp/udp/sched/hugetlb/referenced_memory/
 * cpu_topology/resctrl) must be listed again or they come back on. Every name
 * must be one of cAdvisor's metric kinds: an unknown one stops it at start.
 */
export const CADVISOR_DISABLED_METRICS: readonly string[] = [
  "percpu", "sched", "tcp", "advtcp", "udp", "process", "disk", "diskIO", "hugetlb", "memory_numa",
  "referenced_memory", "cpu_topology", "resctrl", "cpuset",
];

/** cAdvisor: per-container CPU, memory, restarts on Docker (root, no capability, not privileged). */
export class Cadvisor extends ServiceComponent {
  constructor(name: string, args: ComponentArgs, opts?: pulumi.ComponentResourceOptions) {
    const { http } = SERVICES.cadvisor.ports;
    super("observability:index:Cadvisor", name, args.target, {
      name: SERVICES.cadvisor.name,
      description: "cAdvisor container metrics",
      image: IMAGES.cadvisor,
      args: [
        "--docker_only=true",
        "--housekeeping_interval=15s",
        // Only the compose service label becomes a series label: low cardinality (seed 001).
        "--store_container_labels=false",
        "--whitelisted_container_labels=com.docker.compose.service",
        `--disable_metrics=${CADVISOR_DISABLED_METRICS.join(",")}`,
        // Container names and labels come from the Docker API through the read-only proxy, not the socket.
        `--docker=${DOCKER_API_URL}`,
      ],
      ports: [{ name: "http", port: http }],
      configs: [],
      secrets: [],
      volumes: [],
      hostMounts: [
        { hostPath: "/", mountPath: "/rootfs", readOnly: true },
        { hostPath: "/sys", mountPath: "/sys", readOnly: true },
        { hostPath: "/var/lib/docker", mountPath: "/var/lib/docker", readOnly: true },
        { hostPath: "/dev/disk", mountPath: "/dev/disk", readOnly: true },
      ],
      networks: ["stack", "docker-api"],
      // Not privileged: cgroup statistics are readable through the read-only /sys, and /var/lib/docker
      // by its owner, root (the image's user), without any capability. What privileged would add is
      // /dev/kmsg (OOM events), which no rule or dashboard reads.
      user: "0:0",
      health: wgetHealth("/healthz", http),
      resources: { memoryLimitMb: 256, cpuRequestMillis: 50 },
      workload: "daemonset",
    }, opts);
  }
}

export interface BlackboxExporterArgs extends ComponentArgs {
  /** blackbox.yml under `blackbox/`. */
  readonly files: readonly ConfigFile[];
  /** Credentials of authenticated probes, under `blackbox/secrets/`, as Pulumi secrets. Default none. */
  readonly secretFiles?: readonly { path: string; content: pulumi.Output<string> }[];
}

/** blackbox-exporter: HTTP, TCP, TLS, ICMP and DNS probes of health endpoints and outside services. */
export class BlackboxExporter extends ServiceComponent {
  constructor(name: string, args: BlackboxExporterArgs, opts?: pulumi.ComponentResourceOptions) {
    const { http } = SERVICES.blackboxExporter.ports;
    super("observability:index:BlackboxExporter", name, args.target, {
      name: SERVICES.blackboxExporter.name,
      description: "Prometheus blackbox-exporter",
      image: IMAGES.blackboxExporter,
      args: [`--config.file=${BLACKBOX_CONFIG_DIR}/blackbox.yml`],
      ports: [{ name: "http", port: http }],
      configs: mountDir(args.files, "blackbox", BLACKBOX_CONFIG_DIR),
      secrets: (args.secretFiles ?? []).map((f) => ({
        mountPath: blackboxSecretMountPath(f.path),
        content: f.content,
        renderPath: f.path,
      })),
      volumes: [],
      // The icmp module pings through an unprivileged socket (user nobody, no CAP_NET_RAW).
      sysctls: PING_GROUP_RANGE_SYSCTL,
      health: wgetHealth("/-/healthy", http),
      reload: { path: "/-/reload", port: http },
      // Probes the applications' health endpoints (and the probes[] URLs outside).
      networks: ["stack", "applications"],
      egress: true,
      resources: { memoryLimitMb: 64, cpuRequestMillis: 20 },
      workload: "deployment",
      replicas: 1,
      user: "65534:65534",
    }, opts);
  }
}

export interface PostgresExporterArgs extends ComponentArgs {
  /** Connection URI, a Pulumi secret. */
  readonly dataSourceName: pulumi.Output<string>;
}

/** postgres-exporter (seed 002): database up, connections, transactions. */
export class PostgresExporter extends ServiceComponent {
  constructor(name: string, args: PostgresExporterArgs, opts?: pulumi.ComponentResourceOptions) {
    const { http } = SERVICES.postgresExporter.ports;
    super("observability:index:PostgresExporter", name, args.target, {
      name: SERVICES.postgresExporter.name,
      description: "Prometheus postgres-exporter",
      image: IMAGES.postgresExporter,
      ports: [{ name: "http", port: http }],
      secretEnv: { DATA_SOURCE_NAME: args.dataSourceName },
      // The database runs with the applications.
      networks: ["stack", "applications"],
      egress: true,
      configs: [],
      secrets: [],
      volumes: [],
      health: wgetHealth("/", http),
      resources: { memoryLimitMb: 64, cpuRequestMillis: 20 },
      workload: "deployment",
      replicas: 1,
      user: "65534:65534",
    }, opts);
  }
}

export interface RedisExporterArgs extends ComponentArgs {
  /** redis://host:port */
  readonly address: string;
  /** Password, a Pulumi secret, when the server needs one. */
  readonly password?: pulumi.Output<string>;
}

/** redis-exporter (seed 002): cache up, memory, hit rate. */
export class RedisExporter extends ServiceComponent {
  constructor(name: string, args: RedisExporterArgs, opts?: pulumi.ComponentResourceOptions) {
    const { http } = SERVICES.redisExporter.ports;
    super("observability:index:RedisExporter", name, args.target, {
      name: SERVICES.redisExporter.name,
      description: "Prometheus redis-exporter",
      image: IMAGES.redisExporter,
      ports: [{ name: "http", port: http }],
      // `/scrape?target=` would let anyone on the applications' network point the exporter, and the cache's
      // password, at any address (redis_exporter v1.88.0 main.go `disable-scrape-endpoint`); Prometheus uses /metrics.
      env: { REDIS_ADDR: args.address, REDIS_EXPORTER_DISABLE_SCRAPE_ENDPOINT: "true" },
      secretEnv: args.password ? { REDIS_PASSWORD: args.password } : undefined,
      // The cache runs with the applications.
      networks: ["stack", "applications"],
      egress: true,
      configs: [],
      secrets: [],
      volumes: [],
      // Scratch image: no shell; `up{job="redis_exporter"}` watches it on Docker.
      health: { path: "/health", port: http },
      resources: { memoryLimitMb: 64, cpuRequestMillis: 20 },
      workload: "deployment",
      replicas: 1,
      user: "59000:59000",
    }, opts);
  }
}

/**
 * What kube-state-metrics exports, by API group: the one list that feeds
 * both its `--resources` flag and its ClusterRole, so it can read exactly
 * what it reports. Secrets and ConfigMaps are left out on purpose: listing
 * them would hand it every secret's value for metrics nobody alerts on.
 */
export const KUBE_STATE_METRICS_RESOURCES: Readonly<Record<string, readonly string[]>> = {
  "": ["limitranges", "namespaces", "nodes", "persistentvolumeclaims", "persistentvolumes", "pods", "replicationcontrollers", "resourcequotas", "services"],
  apps: ["daemonsets", "deployments", "replicasets", "statefulsets"],
  autoscaling: ["horizontalpodautoscalers"],
  batch: ["cronjobs", "jobs"],
  "networking.k8s.io": ["ingresses", "networkpolicies"],
  policy: ["poddisruptionbudgets"],
  "storage.k8s.io": ["storageclasses"],
};

/**
 * kube-state-metrics (Kubernetes only): object state from the API server:
 * container restarts (`kube_pod_container_status_restarts_total`, the
 * ContainerRestarted alert on this target), rollouts, replicas, PVCs.
 */
export class KubeStateMetrics extends ServiceComponent {
  constructor(name: string, args: ComponentArgs, opts?: pulumi.ComponentResourceOptions) {
    const { http, telemetry } = SERVICES.kubeStateMetrics.ports;
    const resources = Object.values(KUBE_STATE_METRICS_RESOURCES).flat().sort();
    super("observability:index:KubeStateMetrics", name, args.target, {
      name: SERVICES.kubeStateMetrics.name,
      description: "kube-state-metrics",
      image: IMAGES.kubeStateMetrics,
      args: [`--port=${http}`, `--telemetry-port=${telemetry}`, `--resources=${resources.join(",")}`],
      ports: [
        { name: "http", port: http },
        { name: "telemetry", port: telemetry },
      ],
      configs: [],
      secrets: [],
      volumes: [],
      apiRead: Object.entries(KUBE_STATE_METRICS_RESOURCES).map(([apiGroup, rs]) => ({ apiGroup, resources: rs, verbs: ["list", "watch"] as const })),
      // Upstream's probes: ready on the telemetry port's /readyz, alive on the metrics port's /livez.
      health: { path: "/readyz", port: telemetry, live: { path: "/livez", port: http } },
      resources: { memoryLimitMb: 256, cpuRequestMillis: 50 },
      workload: "deployment",
      replicas: 1,
      user: "65534:65534",
    }, opts);
  }
}
