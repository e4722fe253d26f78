/**
 * Prometheus' `remote_write` entries and the labels that make an HA pair
 * (prometheus.replicas) safe to ship to a shared store. Keys are Prometheus
 * 3.14's (config/config.go RemoteWriteConfig, QueueConfig; relabel.Config).
 */

/** External label telling clusters apart in a shared long-term store (prometheus.cluster); kubernetes.clusterLabel renames it. */
export const CLUSTER_LABEL = "cluster";
/** External label telling the replicas of an HA pair apart: the pod name. */
export const REPLICA_LABEL = "replica";
/**
 * Variable holding the pod name (Kubernetes Downward API `metadata.name`).
 * Prometheus 3 expands `${VAR}` in external label values (2.x needed
 * `--enable-feature=expand-external-labels`, removed in 3.0 as default behaviour).
 */
export const POD_NAME_ENV = "POD_NAME";

/** Relabel actions offered for write_relabel_configs (Prometheus relabel.Action). */
export const REMOTE_WRITE_RELABEL_ACTIONS = ["replace", "keep", "drop", "labeldrop", "labelkeep", "labelmap", "lowercase", "uppercase"] as const;
export type RemoteWriteRelabelAction = (typeof REMOTE_WRITE_RELABEL_ACTIONS)[number];

/**
 * Headers Prometheus sets itself and refuses in `headers` (config.go
 * reservedHeaders; Authorization separately: it has its own keys).
 */
export const RESERVED_REMOTE_WRITE_HEADERS = [
  "authorization",
  "host",
  "content-encoding",
  "content-length",
  "content-type",
  "user-agent",
  "connection",
  "keep-alive",
  "proxy-authenticate",
  "proxy-authorization",
  "www-authenticate",
  "accept-encoding",
  "x-prometheus-remote-write-version",
  "x-prometheus-remote-read-version",
] as const;

export interface RelabelRule {
  readonly action: RemoteWriteRelabelAction;
  readonly sourceLabels?: readonly string[];
  readonly regex?: string;
  readonly targetLabel?: string;
  readonly replacement?: string;
}

export interface RemoteWriteQueue {
  readonly capacity: number;
  readonly maxShards: number;
  readonly maxSamplesPerSend: number;
  readonly batchSendDeadline: string;
}

/** Prometheus 3's queue_config defaults (storage/remote DefaultQueueConfig). */
/**
 * Where remote-write credentials are mounted: a directory of their own beside /etc/prometheus, not inside it, so
 * the config directory stays ConfigMap-only (its reloader never sees a Secret) and no Secret is mounted inside
 * another read-only volume. Rendered under `prometheus/secrets/`.
 */
export const PROMETHEUS_SECRETS_MOUNT_DIR = "/etc/prometheus-secrets";
export const PROMETHEUS_SECRETS_RENDER_DIR = "prometheus/secrets";

export const DEFAULT_REMOTE_WRITE_QUEUE = { capacity: 10000, maxShards: 50, maxSamplesPerSend: 2000, batchSendDeadline: "5s" } as const satisfies RemoteWriteQueue;

export interface RemoteWriteEndpoint {
  /** Queue name, shown in Prometheus' remote-storage metrics (`remote_name`). */
  readonly name: string;
  readonly url: string;
  /** Password file, relative to prometheus.yml (Prometheus resolves it against the config's directory). */
  readonly basicAuth?: { readonly username: string; readonly passwordFile: string };
  /** Bearer-token file, relative to prometheus.yml. */
  readonly bearerTokenFile?: string;
  readonly headers?: Readonly<Record<string, string>>;
  readonly queue: RemoteWriteQueue;
  readonly writeRelabelConfigs: readonly RelabelRule[];
}

/** Drops the replica label on write, so a store that deduplicates by time keeps one series for the pair. */
export const DROP_REPLICA: RelabelRule = { action: "labeldrop", regex: REPLICA_LABEL };

/** One relabel rule in Prometheus' snake_case, defaults left out. */
export function relabelConfig(r: RelabelRule): Record<string, unknown> {
  return {
    ...(r.sourceLabels && r.sourceLabels.length > 0 ? { source_labels: [...r.sourceLabels] } : {}),
    ...(r.regex !== undefined ? { regex: r.regex } : {}),
    ...(r.targetLabel !== undefined ? { target_label: r.targetLabel } : {}),
    ...(r.replacement !== undefined ? { replacement: r.replacement } : {}),
    action: r.action,
  };
}

/** One `remote_write` entry. */
export function remoteWriteConfig(e: RemoteWriteEndpoint): Record<string, unknown> {
  return {
    name: e.name,
    url: e.url,
    ...(e.basicAuth ? { basic_auth: { username: e.basicAuth.username, password_file: e.basicAuth.passwordFile } } : {}),
    ...(e.bearerTokenFile ? { authorization: { type: "Bearer", credentials_file: e.bearerTokenFile } } : {}),
    ...(e.headers && Object.keys(e.headers).length > 0 ? { headers: { ...e.headers } } : {}),
    queue_config: {
      capacity: e.queue.capacity,
      max_shards: e.queue.maxShards,
      max_samples_per_send: e.queue.maxSamplesPerSend,
      batch_send_deadline: e.queue.batchSendDeadline,
    },
    ...(e.writeRelabelConfigs.length > 0 ? { write_relabel_configs: e.writeRelabelConfigs.map(relabelConfig) } : {}),
  };
}

/** External labels of every replica: `env`, `cluster`, and, where replicas run (Kubernetes), `replica` from the pod name. */
export function externalLabels(o: { environment: string; cluster: string; clusterLabel?: string; replicaFromPodName: boolean }): Record<string, string> {
  return { env: o.environment, [o.clusterLabel ?? CLUSTER_LABEL]: o.cluster, ...(o.replicaFromPodName ? { [REPLICA_LABEL]: `\${${POD_NAME_ENV}}` } : {}) };
}

/** alert_relabel_configs: the pair's alerts lose `replica`, so Alertmanager sees one alert and notifies once. */
export const ALERT_RELABEL_CONFIGS = [relabelConfig({ action: "labeldrop", regex: REPLICA_LABEL })];
