/**
 * Sizing at preview: what the stack config declares (targets and their
 * intervals, exporters, rule packs, retention) turned into expected series,
 * samples per second, memory and disk per store, set against the limits and
 * volumes the same config gives. Pure: settings in, estimate out.
 */
import { CONTRACT_COMPONENTS, METRICS_CONTRACT } from "../configs/prometheus/rules/metrics-contract";
import { ruleCatalog } from "../configs/prometheus/rules";
import { JOBS } from "../configs/topology";
import { ruleCatalogOptions } from "../settings/rules";
import { longTermMode, vmStorageReplicas } from "../settings/scaling";
import type { Settings } from "../settings/schema";
import { durationSeconds } from "../configs/durations";
import { PLATFORM_PROFILES } from "../targets";
import {
  ALERTMANAGER_MEMORY_BYTES,
  ALERTMANAGER_SELF_SERIES,
  BLACKBOX_SERIES,
  CADVISOR_SERIES_PER_CONTAINER,
  CLUSTER_COMPONENT_SERIES,
  CLIENT_RUNTIME_SERIES,
  COMPONENT_SELF_SERIES,
  CONTRACT_LABEL_VALUES,
  DEFAULT_TARGET_SERIES,
  HEADROOM_WARNING,
  HISTOGRAM_SERIES,
  KUBE_STATE_METRICS_SERIES,
  LOKI_DISK,
  NODE_EXPORTER_SERIES_PER_NODE,
  PROMETHEUS_DISK,
  PROMETHEUS_MEMORY,
  PROMETHEUS_RETENTION_SIZE_SHARE,
  PROMETHEUS_SELF_SERIES,
  SERIES_PER_RECORDING_RULE,
  SERIES_PER_SCRAPE_TARGET,
  TEMPO_BYTES_PER_SPAN,
} from "./figures";

/** One scrape job's expected load. */
export interface JobEstimate {
  readonly job: string;
  /** Scrape targets of the job. */
  readonly targets: number;
  /** Active series, the synthetic per-target ones included. */
  readonly series: number;
  readonly scrapeIntervalSeconds: number;
  /** Where the series figure comes from. */
  readonly basis: string;
}

/** One store resource: what the load needs against what config gives it. */
export interface SizingRow {
  readonly store: "prometheus" | "alertmanager" | "loki" | "tempo";
  readonly resource: "memory" | "disk";
  /** Bytes the load needs; undefined when the config gives no load figure (Loki/Tempo without expected volumes). */
  readonly expectedBytes: number | undefined;
  /** Bytes configured; undefined where nothing caps it (Docker volumes share the host's disk). */
  readonly configuredBytes: number | undefined;
  /** The config key that sets `configuredBytes`, or the one that supplies the load figure. */
  readonly key: string;
  /** What the figure is made of, in a few words. */
  readonly basis: string;
}

export interface SizingEstimate {
  readonly jobs: readonly JobEstimate[];
  readonly series: number;
  readonly targets: number;
  readonly samplesPerSecond: number;
  readonly rows: readonly SizingRow[];
}

const MIB = 2 ** 20;
const GIB = 2 ** 30;

/** Series a service exports under the metrics contract, with the label cardinalities assumed in figures.ts. */
export function contractSeries(component: string): number {
  let series = CLIENT_RUNTIME_SERIES;
  for (const m of METRICS_CONTRACT) {
    if (m.component !== component && m.component !== "all") continue;
    const labelSets = m.labels.reduce((n, label) => n * (CONTRACT_LABEL_VALUES[label] ?? 1), 1);
    series += labelSets * (m.type === "histogram" ? HISTOGRAM_SERIES : 1);
  }
  return series;
}


/** Every scrape job the stack config implies, with its expected series (the jobs of prometheus.yml: a test keeps the two in step). */
export function expectedJobs(s: Settings): JobEstimate[] {
  const interval = durationSeconds(s.prometheus.scrapeInterval);
  const profile = PLATFORM_PROFILES[s.target];
  const nodes = profile.perNodeAgents ? s.kubernetes.expectedNodes : 1;
  const catalog = ruleCatalog(ruleCatalogOptions(s));
  const ruleGroups = catalog.reduce((n, f) => n + f.groups.length, 0);
  const job = (name: string, targets: number, series: number, basis: string, scrapeIntervalSeconds = interval): JobEstimate => ({
    job: name,
    targets,
    series: series + targets * SERIES_PER_SCRAPE_TARGET,
    scrapeIntervalSeconds,
    basis,
  });

  const probes = s.targets.reduce((n, t) => n + t.healthPaths.length, 0);
  const probeModules = new Set<string>([...(probes > 0 ? ["http_2xx"] : []), ...s.probes.map((p) => p.module)]);
  const probeJobs = [...probeModules].map((module) => {
    const count = (module === "http_2xx" ? probes : 0) + s.probes.filter((p) => p.module === module).length;
    return job(module === "http_2xx" ? JOBS.blackboxHttp : `blackbox_${module}`, count, count * BLACKBOX_SERIES.perProbe, `${count} probes`);
  });
  const targetJobs = s.targets.map((t) => {
    const fromContract = CONTRACT_COMPONENTS.includes(t.component);
    const series = t.expectedSeries ?? (fromContract ? contractSeries(t.component) : undefined) ?? DEFAULT_TARGET_SERIES;
    const basis = t.expectedSeries !== undefined ? "targets[].expectedSeries" : fromContract ? `metrics contract (${t.component})` : "default per target";
    return job(t.name, 1, series, basis, durationSeconds(t.scrapeInterval));
  });

  const alertmanagerReplicas = profile.replicas ? s.alertmanager.replicas : 1;
  const logAgentSeries = COMPONENT_SELF_SERIES[s.logAgent];
  const stackJobs: JobEstimate[] = [
    job(JOBS.alertmanager, alertmanagerReplicas, alertmanagerReplicas * ALERTMANAGER_SELF_SERIES, `${alertmanagerReplicas} replica(s)`),
    job(JOBS.loki, 1, COMPONENT_SELF_SERIES.loki, "component self-metrics"),
    job(JOBS.tempo, 1, COMPONENT_SELF_SERIES.tempo, "component self-metrics"),
    job(JOBS.otelCollector, 1, COMPONENT_SELF_SERIES.otelCollector, "component self-metrics"),
    ...(s.grafana.mode === "deploy" ? [job(JOBS.grafana, 1, COMPONENT_SELF_SERIES.grafana, "component self-metrics")] : []),
    job(JOBS.logAgent, nodes, nodes * logAgentSeries, `${s.logAgent} per node`),
    job(JOBS.blackboxExporter, 1, BLACKBOX_SERIES.self, "exporter self-metrics"),
    job(JOBS.nodeExporter, nodes, nodes * NODE_EXPORTER_SERIES_PER_NODE, `${nodes} node(s)`),
    ...(profile.objectState
      ? [
          job(
            JOBS.kubeStateMetrics,
            1,
            s.kubernetes.expectedPods * KUBE_STATE_METRICS_SERIES.perPod + nodes * KUBE_STATE_METRICS_SERIES.perNode,
            `${s.kubernetes.expectedPods} pods, ${nodes} nodes`,
          ),
        ]
      : []),
    profile.containerMetrics === "kubelet"
      ? job(JOBS.cadvisor, nodes, s.kubernetes.expectedPods * CADVISOR_SERIES_PER_CONTAINER, `${s.kubernetes.expectedPods} pods (kubelet)`)
      : job(JOBS.cadvisor, 1, stackContainers(s) * CADVISOR_SERIES_PER_CONTAINER, `${stackContainers(s)} stack containers`),
    ...(profile.discovery === "kubernetes-api"
      ? [
          // Annotated pods are whatever the cluster runs; their load belongs in targets[] or expectedSeries of the user's choice.
          job("kubernetes_pods", 0, 0, "annotated pods: not estimated"),
          ...clusterComponentJobs(s, job),
        ]
      : []),
    ...(s.exporters.postgres.enabled ? [job(JOBS.postgresExporter, 1, COMPONENT_SELF_SERIES.postgresExporter, "exporter")] : []),
    ...(s.exporters.redis.enabled ? [job(JOBS.redisExporter, 1, COMPONENT_SELF_SERIES.redisExporter, "exporter")] : []),
    ...longTermJobs(s, job),
  ];
  const jobCount = 1 + stackJobs.length + targetJobs.length + probeJobs.length;
  const recordingRules = catalog.reduce((n, f) => n + f.groups.reduce((m, g) => m + g.rules.filter((r) => "record" in r).length, 0), 0);
  const self = job(
    JOBS.prometheus,
    1,
    PROMETHEUS_SELF_SERIES.base + jobCount * PROMETHEUS_SELF_SERIES.perJob + ruleGroups * PROMETHEUS_SELF_SERIES.perRuleGroup + recordingRules * SERIES_PER_RECORDING_RULE,
    `self-metrics, ${jobCount} jobs, ${ruleGroups} rule groups, ${recordingRules} recording rules`,
  );
  return [self, ...stackJobs, ...targetJobs, ...probeJobs];
}

type JobOf = (name: string, targets: number, series: number, basis: string) => JobEstimate;

/** The long-term store's own scrape jobs (metrics.longTerm): one per part, one target per replica. */
function longTermJobs(s: Settings, job: JobOf): JobEstimate[] {
  const mode = longTermMode(s);
  if (mode === undefined) return [];
  const each = COMPONENT_SELF_SERIES.victoriaMetrics;
  if (mode === "single") return [job(JOBS.victoriaMetrics, 1, each, "component self-metrics")];
  const vm = s.metrics.victoriametrics;
  return (
    [
      [JOBS.vmstorage, vmStorageReplicas(s)],
      [JOBS.vminsert, vm.insertReplicas],
      [JOBS.vmselect, vm.selectReplicas],
    ] as const
  ).map(([name, n]) => job(name, n, n * each, `${n} replica(s), component self-metrics`));
}

/** The cluster's own components the Kubernetes stack scrapes (configs/prometheus/prometheus.ts, clusterComponentJobs). */
function clusterComponentJobs(s: Settings, job: JobOf): JobEstimate[] {
  const c = CLUSTER_COMPONENT_SERIES;
  const nodes = s.kubernetes.expectedNodes;
  const pods = s.kubernetes.expectedPods;
  return [
    job(JOBS.apiserver, 1, c.apiserver, "API server request histograms"),
    job(JOBS.kubelet, nodes, nodes * c.kubeletPerNode + pods * c.kubeletPerPod, `${nodes} kubelets, ${pods} pods`),
    job(JOBS.kubeletProbes, nodes, pods * c.kubeletProbesPerPod, `${pods} pods' probes`),
    job(JOBS.kubeletResource, nodes, pods * c.kubeletResourcePerPod, `${pods} pods' resource usage`),
    job(JOBS.coredns, c.corednsReplicas, c.corednsReplicas * c.corednsPerReplica, `${c.corednsReplicas} CoreDNS replicas`),
    ...(s.kubernetes.controlPlane
      ? [
          job(JOBS.kubeProxy, nodes, nodes * c.kubeProxyPerNode, `${nodes} nodes`),
          job(JOBS.kubeScheduler, 1, c.kubeScheduler, "control plane"),
          job(JOBS.kubeControllerManager, 1, c.kubeControllerManager, "control plane"),
          job(JOBS.etcd, 1, c.etcd, "control plane"),
        ]
      : []),
  ];
}

/** Containers of the stack that cAdvisor reports on (the stack's own, targets/docker/profile.ts; applications add theirs). */
function stackContainers(s: Settings): number {
  const always = PLATFORM_PROFILES[s.target].stackContainers ?? 0;
  // metrics.longTerm on Docker: one victoria-metrics container.
  const longTerm = s.metrics.longTerm === "none" ? 0 : 1;
  return always + (s.grafana.mode === "deploy" ? 0 : -1) + (s.exporters.postgres.enabled ? 1 : 0) + (s.exporters.redis.enabled ? 1 : 0) + longTerm + s.targets.length;
}

/** Prometheus' resident memory for a number of head series and scrape targets. */
export function prometheusMemoryBytes(series: number, targets: number): number {
  return PROMETHEUS_MEMORY.baseBytes + series * PROMETHEUS_MEMORY.bytesPerSeries + targets * PROMETHEUS_MEMORY.bytesPerTarget;
}

/** Bytes of the TSDB after `seconds` of ingestion, before the first block is cut (WAL only): what calibration measures. */
export function prometheusWalBytes(series: number, samples: number): number {
  return PROMETHEUS_DISK.fixedBytes + series * PROMETHEUS_DISK.walBytesPerSeries + samples * PROMETHEUS_DISK.walBytesPerSample;
}

/** Bytes of the TSDB holding `retentionSeconds` of samples: blocks plus the WAL. */
export function prometheusDiskBytes(series: number, samplesPerSecond: number, retentionSeconds: number): number {
  const blocks = samplesPerSecond * retentionSeconds * PROMETHEUS_DISK.blockBytesPerSample;
  return blocks + prometheusWalBytes(series, samplesPerSecond * PROMETHEUS_DISK.walHoldSeconds);
}

/** The whole estimate for one stack config. */
export function estimateSizing(s: Settings): SizingEstimate {
  const jobs = expectedJobs(s);
  const series = jobs.reduce((n, j) => n + j.series, 0);
  const targets = jobs.reduce((n, j) => n + j.targets, 0);
  const samplesPerSecond = jobs.reduce((n, j) => n + j.series / j.scrapeIntervalSeconds, 0);
  const sizedVolumes = PLATFORM_PROFILES[s.target].sizedVolumes;
  const retention = durationSeconds(s.prometheus.retention);
  const rows: SizingRow[] = [
    {
      store: "prometheus",
      resource: "memory",
      expectedBytes: prometheusMemoryBytes(series, targets),
      configuredBytes: s.prometheus.memoryLimitMb * MIB,
      key: "prometheus.memoryLimitMb",
      basis: `${Math.round(series)} head series, ${targets} targets`,
    },
    {
      store: "prometheus",
      resource: "disk",
      expectedBytes: prometheusDiskBytes(series, samplesPerSecond, retention),
      // Size-based retention deletes the oldest blocks beyond this share of the volume, whatever `retention` says.
      configuredBytes: sizedVolumes ? s.prometheus.storageGi * GIB * PROMETHEUS_RETENTION_SIZE_SHARE : undefined,
      key: "prometheus.storageGi",
      basis: `${Math.round(samplesPerSecond)} samples/s for ${s.prometheus.retention}`,
    },
    {
      store: "alertmanager",
      resource: "memory",
      expectedBytes: ALERTMANAGER_MEMORY_BYTES,
      configuredBytes: s.alertmanager.memoryLimitMb * MIB,
      key: "alertmanager.memoryLimitMb",
      basis: "silences and notification log",
    },
    lokiDisk(s, sizedVolumes),
    tempoDisk(s, sizedVolumes),
  ];
  return { jobs, series, targets, samplesPerSecond, rows };
}

/**
 * A Loki or Tempo volume: the disk the expected volume needs for the retention, when the config gives that
 * volume (`inputKey`); set against the PVC on Kubernetes.
 */
function volumeRow(
  store: "loki" | "tempo",
  volume: { readonly storageGi: number },
  sizedVolumes: boolean,
  inputKey: string,
  expected: { readonly bytes: number; readonly basis: string } | undefined,
): SizingRow {
  return {
    store,
    resource: "disk",
    expectedBytes: expected?.bytes,
    configuredBytes: sizedVolumes ? volume.storageGi * GIB : undefined,
    key: expected === undefined ? inputKey : `${store}.storageGi`,
    basis: expected?.basis ?? `no ${inputKey} given`,
  };
}

function lokiDisk(s: Settings, sizedVolumes: boolean): SizingRow {
  const perDay = s.loki.expectedLogBytesPerDay;
  const retentionDays = durationSeconds(s.loki.retention) / 86400;
  const wal = perDay === undefined ? 0 : (perDay * LOKI_DISK.walHoldSeconds) / 86400;
  // With objectStorage the retained chunks and index are in the bucket; the volume keeps the WAL (issue 13).
  const inBucket = s.objectStorage.endpoint !== undefined;
  const expected =
    perDay === undefined
      ? undefined
      : inBucket
        ? { bytes: wal, basis: `${formatBytes(perDay)}/day, WAL only (chunks and index in objectStorage.lokiBucket)` }
        : {
            bytes: (perDay * retentionDays * (1 + LOKI_DISK.indexShare)) / LOKI_DISK.compressionRatio + wal,
            basis: `${formatBytes(perDay)}/day for ${s.loki.retention}`,
          };
  return volumeRow("loki", s.loki, sizedVolumes, "loki.expectedLogBytesPerDay", expected);
}

function tempoDisk(s: Settings, sizedVolumes: boolean): SizingRow {
  const spans = s.tempo.expectedSpansPerSecond;
  // With objectStorage the blocks (what retention keeps) are in the bucket: nothing to hold the volume against.
  if (s.objectStorage.endpoint !== undefined) {
    return { ...volumeRow("tempo", s.tempo, sizedVolumes, "tempo.expectedSpansPerSecond", undefined), basis: "blocks in objectStorage.tempoBucket; the volume keeps the WAL" };
  }
  const expected =
    spans === undefined ? undefined : { bytes: spans * durationSeconds(s.tempo.retention) * TEMPO_BYTES_PER_SPAN, basis: `${spans} spans/s for ${s.tempo.retention}` };
  return volumeRow("tempo", s.tempo, sizedVolumes, "tempo.expectedSpansPerSecond", expected);
}

/** Free share of what is configured; undefined when either side is unknown. */
export function headroom(row: SizingRow): number | undefined {
  if (row.expectedBytes === undefined || row.configuredBytes === undefined) return undefined;
  return 1 - row.expectedBytes / row.configuredBytes;
}

/** The smallest value of the row's key that holds the estimate with the warning's headroom, in the key's unit. */
export function valueThatFits(row: SizingRow): number | undefined {
  if (row.expectedBytes === undefined) return undefined;
  const needed = row.expectedBytes / (1 - HEADROOM_WARNING);
  if (row.key.endsWith("memoryLimitMb")) return Math.ceil(needed / MIB);
  if (row.key === "prometheus.storageGi") return Math.ceil(needed / PROMETHEUS_RETENTION_SIZE_SHARE / GIB);
  if (row.key.endsWith("storageGi")) return Math.ceil(needed / GIB);
  return undefined;
}

export function formatBytes(bytes: number): string {
  if (bytes >= GIB) return `${(bytes / GIB).toFixed(1)} GiB`;
  if (bytes >= MIB) return `${(bytes / MIB).toFixed(0)} MiB`;
  return `${(bytes / 1024).toFixed(0)} KiB`;
}
