import * as pulumi from "@pulumi/pulumi";
import { SERVICES } from "../configs/topology";
import { dedupFlag, retentionPeriod, storageNodes, type VictoriaMetricsMode } from "../configs/victoria-metrics/victoria-metrics";
import { type ServicePort, type ServiceSpec, type Target, wgetHealth } from "../targets/target";
import { IMAGES } from "../versions";
import { ServiceComponent } from "./service-component";

/** Settings shared by the long-term store's parts (metrics.victoriametrics). */
export interface LongTermStoreArgs {
  readonly target: Target;
  /** Samples kept (`retention`, a Prometheus duration of at least 24h). */
  readonly retention: string;
  /** Prometheus' scrape interval: the deduplication window (-dedup.minScrapeInterval). */
  readonly scrapeInterval: string;
  /** Memory limit in MiB of the single server or each vmstorage. */
  readonly memoryLimitMb: number;
  /** Volume per server or vmstorage replica, GiB (Kubernetes PVC). */
  readonly storageGi: number;
}

const DATA_DIR = "/storage";
/** Every image runs as nobody, like Prometheus: restricted pod security, data dir owned through fsGroup. */
const USER = "65534:65534";

/** What every part has in common: image from versions.ts, `/health`, a non-root user, egress only to peers. */
function part(name: string, description: string, image: string, port: number, rest: Pick<ServiceSpec, "args" | "volumes" | "resources" | "workload" | "replicas"> & { ports?: ServicePort[]; scratchDirs?: string[] }): ServiceSpec {
  return {
    name,
    description,
    image,
    ports: rest.ports ?? [{ name: "http", port }],
    configs: [],
    secrets: [],
    health: wgetHealth("/health", port),
    user: USER,
    ...rest,
  };
}

/** Single-node VictoriaMetrics (Docker always; Kubernetes `mode: single`): takes remote write, serves PromQL. */
export class VictoriaMetrics extends ServiceComponent {
  constructor(name: string, args: LongTermStoreArgs & { readonly hostPort: number }, opts?: pulumi.ComponentResourceOptions) {
    const { http } = SERVICES.victoriaMetrics.ports;
    super("observability:index:VictoriaMetrics", name, args.target, part(SERVICES.victoriaMetrics.name, "VictoriaMetrics long-term metrics store", IMAGES.victoriaMetrics, http, {
      // Published on Docker so its UI (/vmui) and API are reachable like Prometheus'; no Ingress on Kubernetes
      // (it has no login; Grafana reaches it inside the cluster).
      ports: [{ name: "http", port: http, hostPort: args.hostPort }],
      args: [
        `-storageDataPath=${DATA_DIR}`,
        `-retentionPeriod=${retentionPeriod(args.retention)}`,
        `-httpListenAddr=:${http}`,
        dedupFlag(args.scrapeInterval),
      ],
      volumes: [{ name: "data", mountPath: DATA_DIR, sizeGi: args.storageGi }],
      resources: { memoryLimitMb: args.memoryLimitMb, cpuRequestMillis: 250 },
      workload: "statefulset",
      replicas: 1,
    }), opts);
  }
}

export interface VictoriaMetricsClusterArgs extends LongTermStoreArgs {
  readonly replicationFactor: number;
  readonly storageReplicas: number;
  readonly insertReplicas: number;
  readonly selectReplicas: number;
  readonly insertMemoryLimitMb: number;
  readonly selectMemoryLimitMb: number;
}

/** vmstorage: the cluster's stateful part, one PVC per replica; replicas never talk to each other. */
export class VmStorage extends ServiceComponent {
  constructor(name: string, args: VictoriaMetricsClusterArgs, opts?: pulumi.ComponentResourceOptions) {
    const p = SERVICES.vmstorage.ports;
    super("observability:index:VmStorage", name, args.target, part(SERVICES.vmstorage.name, "VictoriaMetrics cluster storage", IMAGES.vmstorage, p.http, {
      ports: [
        { name: "http", port: p.http },
        { name: "vminsert", port: p.insert },
        { name: "vmselect", port: p.select },
      ],
      args: [
        `-storageDataPath=${DATA_DIR}`,
        `-retentionPeriod=${retentionPeriod(args.retention)}`,
        `-httpListenAddr=:${p.http}`,
        `-vminsertAddr=:${p.insert}`,
        `-vmselectAddr=:${p.select}`,
        dedupFlag(args.scrapeInterval),
      ],
      volumes: [{ name: "data", mountPath: DATA_DIR, sizeGi: args.storageGi }],
      resources: { memoryLimitMb: args.memoryLimitMb, cpuRequestMillis: 250 },
      workload: "statefulset",
      replicas: args.storageReplicas,
    }), opts);
  }
}

/** vminsert: stateless; spreads each series over replicationFactor vmstorage replicas by consistent hashing. */
export class VmInsert extends ServiceComponent {
  constructor(name: string, args: VictoriaMetricsClusterArgs, opts?: pulumi.ComponentResourceOptions) {
    const { http } = SERVICES.vminsert.ports;
    super("observability:index:VmInsert", name, args.target, part(SERVICES.vminsert.name, "VictoriaMetrics cluster write path", IMAGES.vminsert, http, {
      args: [
        `-httpListenAddr=:${http}`,
        `-storageNode=${storageNodes(args.storageReplicas, SERVICES.vmstorage.ports.insert)}`,
        `-replicationFactor=${args.replicationFactor}`,
      ],
      volumes: [],
      resources: { memoryLimitMb: args.insertMemoryLimitMb, cpuRequestMillis: 100 },
      workload: "deployment",
      replicas: args.insertReplicas,
    }), opts);
  }
}

/** vmselect: stateless PromQL front; merges and deduplicates what the vmstorage replicas return. */
export class VmSelect extends ServiceComponent {
  constructor(name: string, args: VictoriaMetricsClusterArgs, opts?: pulumi.ComponentResourceOptions) {
    const { http } = SERVICES.vmselect.ports;
    const cache = "/cache";
    super("observability:index:VmSelect", name, args.target, part(SERVICES.vmselect.name, "VictoriaMetrics cluster query path", IMAGES.vmselect, http, {
      args: [
        `-httpListenAddr=:${http}`,
        `-storageNode=${storageNodes(args.storageReplicas, SERVICES.vmstorage.ports.select)}`,
        // Reads tolerate replicationFactor-1 vmstorage replicas down and skip the slowest copies.
        `-replicationFactor=${args.replicationFactor}`,
        dedupFlag(args.scrapeInterval),
        `-cacheDataPath=${cache}`,
      ],
      volumes: [],
      scratchDirs: [cache],
      resources: { memoryLimitMb: args.selectMemoryLimitMb, cpuRequestMillis: 100 },
      workload: "deployment",
      replicas: args.selectReplicas,
    }), opts);
  }
}

/** The store's parts for a mode: one server, or vmstorage + vminsert + vmselect. */
export function longTermStore(mode: VictoriaMetricsMode, args: VictoriaMetricsClusterArgs & { readonly hostPort: number }, parent: pulumi.Resource): ServiceComponent[] {
  const child = { parent };
  return mode === "single"
    ? [new VictoriaMetrics("victoria-metrics", args, child)]
    : [new VmStorage("vmstorage", args, child), new VmInsert("vminsert", args, child), new VmSelect("vmselect", args, child)];
}
