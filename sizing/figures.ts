/**
 * The sizing model's constants, each with where it comes from. "Measured
 * here" figures come from Debian's daemons on this project's test machine
 * (e2e/sizing-calibration.ts, tests/sizing/calibration.test.ts re-measures the
 * Prometheus ones on every CI run); "documented" ones from the projects' own
 * documentation; "assumed" ones are typical figures for binaries that cannot
 * run here, stated so a user can override the input instead.
 */

/** Series of one scrape target that Prometheus adds itself (`up`, `scrape_duration_seconds`, `scrape_samples_scraped`, `scrape_samples_post_metric_relabeling`, `scrape_series_added`). Measured here. */
export const SERIES_PER_SCRAPE_TARGET = 5;

/** Prometheus' own metrics: 271 with no job or rule (measured here, 2.42), plus per scrape job and per rule group (685 measured with the dev stack's 14 jobs and 12 groups). */
export const PROMETHEUS_SELF_SERIES = { base: 271, perJob: 20, perRuleGroup: 10 } as const;

/** Alertmanager's own metrics per replica (measured here: 235, 0.25). */
export const ALERTMANAGER_SELF_SERIES = 240;

/** blackbox-exporter: its own metrics (measured here: 55) and one http probe's (measured here: 17 from /probe). */
export const BLACKBOX_SERIES = { self: 60, perProbe: 17 } as const;

/**
 * node-exporter per node. Measured here: 505 on a 2-core container with 4
 * interfaces; +13 per core and ~30 per interface or filesystem. 1,000 covers
 * a typical 8 to 16-core node with a few disks and interfaces.
 */
export const NODE_EXPORTER_SERIES_PER_NODE = 1000;

/** cAdvisor (Docker) and the kubelet's cAdvisor: per container, with the default-off metric groups kept off. Assumed (cannot run here). */
export const CADVISOR_SERIES_PER_CONTAINER = 100;

/** kube-state-metrics: per pod (phase, conditions, container statuses, requests/limits) and per node. Assumed. */
export const KUBE_STATE_METRICS_SERIES = { perPod: 50, perNode: 40 } as const;

/**
 * Kubernetes cluster components (the `kubernetes` rule pack's scrape jobs). Assumed, from typical clusters:
 * the API server's request histograms dominate (per API server); the kubelet's own /metrics per node plus
 * per pod; /metrics/probes and /metrics/resource per pod; CoreDNS per replica (2); with
 * `kubernetes.controlPlane`, kube-proxy per node and one scheduler, controller-manager and etcd member.
 */
export const CLUSTER_COMPONENT_SERIES = {
  apiserver: 15000,
  kubeletPerNode: 1000,
  kubeletPerPod: 10,
  kubeletProbesPerPod: 8,
  kubeletResourcePerPod: 6,
  corednsPerReplica: 500,
  corednsReplicas: 2,
  kubeProxyPerNode: 300,
  kubeScheduler: 2000,
  kubeControllerManager: 3000,
  etcd: 2000,
} as const;

/** Self-metrics of the components that cannot run here. Assumed, from typical deployments of the pinned majors. */
export const COMPONENT_SELF_SERIES = {
  loki: 3000,
  tempo: 2000,
  otelCollector: 200,
  grafana: 1500,
  alloy: 1500,
  promtail: 400,
  postgresExporter: 300,
  redisExporter: 200,
  /**
   * VictoriaMetrics' own /metrics (measured: Debian's 1.79.5 single node serves 616 series idle); the same figure
   * stands for each cluster part (vmstorage, vminsert, vmselect), which export subsets of it.
   */
  victoriaMetrics: 650,
} as const;

/** An application target that does not say `expectedSeries` and is not a TutorDex service. Assumed: runtime metrics plus a few labelled counters and histograms. */
export const DEFAULT_TARGET_SERIES = 500;

/**
 * Label values assumed per contract label when estimating a TutorDex
 * service's series from the metrics contract (docs/metrics-contract.md).
 * pipeline_version/schema_version are 1 in steady state and 2 during a rollout.
 */
export const CONTRACT_LABEL_VALUES: Readonly<Record<string, number>> = {
  component: 1,
  pipeline_version: 2,
  schema_version: 1,
  channel: 10,
  reason: 6,
  model: 2,
  operation: 6,
  field: 8,
  kind: 5,
  status: 4,
  method: 3,
  path: 15,
};

/** A histogram's series per label set: buckets (the client default's 11 plus +Inf), `_sum`, `_count`. */
export const HISTOGRAM_SERIES = 14;

/** Runtime/process metrics a client library adds to every service (Python/Node clients). Assumed. */
export const CLIENT_RUNTIME_SERIES = 40;

/** Series each recording rule writes (it aggregates to a few label sets). Assumed. */
export const SERIES_PER_RECORDING_RULE = 10;

/**
 * Prometheus memory: resident memory = base + bytes per head series + bytes
 * per scrape target (its scrape loop, buffers and cache). Fitted here to
 * Debian's 2.42 (tests/sizing/calibration.test.ts) from 1 to 300 targets and
 * 15 to 60k series: 42 to 44 MB idle, about 2 KiB per series, 150 KiB per target.
 */
export const PROMETHEUS_MEMORY = { baseBytes: 44 * 2 ** 20, bytesPerSeries: 2 * 1024, bytesPerTarget: 150 * 1024 } as const;

/**
 * Prometheus disk. Blocks: "on average, Prometheus uses only around 1-2
 * bytes per sample" (Prometheus storage documentation); the model takes 2.
 * WAL: measured here 5.5 bytes per sample and 12 per series record; the WAL
 * holds up to 3 h of samples (the 2 h head block plus the hour before it is cut).
 */
export const PROMETHEUS_DISK = {
  blockBytesPerSample: 2,
  walBytesPerSample: 5.5,
  walBytesPerSeries: 12,
  walHoldSeconds: 3 * 3600,
  /** Files Prometheus keeps whatever the load (the 20 kB query log `queries.active`, lock, segment headers). Measured here. */
  fixedBytes: 24 * 1024,
} as const;

/** Share of the Prometheus volume size-based retention may fill (`storage.tsdb.retention.size`, set by the Kubernetes target). */
export const PROMETHEUS_RETENTION_SIZE_SHARE = 0.85;

/** Alertmanager's resident memory: small and flat (silences, notification log). Measured here: 34 MB idle (0.25). */
export const ALERTMANAGER_MEMORY_BYTES = 40 * 2 ** 20;

/**
 * Loki disk per stored log byte. Chunks are compressed (snappy, Loki 3's
 * default): 4x on JSON lines is the conservative end of what Loki's docs quote;
 * the TSDB index adds about 2%; the ingester WAL holds up to 2 h of raw lines
 * (max_chunk_age). Assumed (no Loki binary here).
 */
export const LOKI_DISK = { compressionRatio: 4, indexShare: 0.02, walHoldSeconds: 2 * 3600 } as const;

/** Tempo disk per span in its Parquet blocks (about 250 bytes for a typical HTTP/DB span, compressed). Assumed (no Tempo binary here). */
export const TEMPO_BYTES_PER_SPAN = 250;

/** Below this share of free room, preview and render warn. */
export const HEADROOM_WARNING = 0.3;
