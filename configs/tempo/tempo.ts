import { ConfigFile, yamlFile } from "../files";
import { envReference, OBJECT_STORE_ENV, type ObjectStore } from "../object-storage";
import { SERVICES } from "../topology";

/**
 * Tempo 3.0 monolithic mode (`target: all`), local storage, no Kafka.
 *
 * What changed in 3.0 (Tempo's "Upgrade to 3.0" and "Migrate to 3.0" guides):
 * the ingester, `ingester_client`, `compactor` and `metrics_generator_client`
 * blocks are gone (live-store + backend scheduler/worker replace them, run
 * in-process in monolithic mode); the `local-blocks` metrics-generator
 * processor and `metrics_generator.traces_storage` are removed (TraceQL metrics
 * are served by the live-store); overrides must use the scoped `defaults`
 * format (legacy flat overrides make 3.0 refuse to start); retention is the
 * `compaction.block_retention` of `backend_worker` (a per-tenant
 * `overrides.<tenant>.compaction.block_retention` would take precedence).
 */
export interface TempoConfigOptions {
  /** How long trace blocks are kept, as a Go duration, e.g. "336h". */
  retention: string;
  /**
   * Prometheus remote-write endpoint for span metrics / service graphs; several with an HA pair
   * (prometheus.replicas): each replica's own, so each holds every series.
   */
  prometheusRemoteWriteUrl: string | readonly string[];
  /**
   * Trace blocks in this bucket instead of on the volume (the WAL and the
   * live-store stay on the volume). Default: none (`backend: local`).
   */
  objectStore?: ObjectStore;
}

/** Everything Tempo persists lives under this directory (mount a volume here). */
export const TEMPO_DATA_DIR = "/var/tempo";

/** In-container path of the rendered config (pass as `-config.file`). */
export const TEMPO_CONFIG_PATH = "/etc/tempo/tempo.yml";

/**
 * Prometheus' remote-write receiver, where the metrics-generator sends span
 * metrics and service graphs. Prometheus must run with
 * `--web.enable-remote-write-receiver`.
 */
/** Prometheus' remote-write receiver path (`--web.enable-remote-write-receiver`). */
export const PROMETHEUS_REMOTE_WRITE_PATH = "/api/v1/write";

/** Metrics-generator processors enabled for every tenant. */
export const TEMPO_METRICS_GENERATOR_PROCESSORS = ["service-graphs", "span-metrics"] as const;

/** Takes valid options: the stack checks `tempo.retention` (a Go duration: Tempo has no "d" unit) up front (settings/checks.ts). */
export function tempoConfigFiles(o: TempoConfigOptions): ConfigFile[] {
  const remoteWriteUrls = typeof o.prometheusRemoteWriteUrl === "string" ? [o.prometheusRemoteWriteUrl] : [...o.prometheusRemoteWriteUrl];
  for (const url of remoteWriteUrls) {
    if (!/^https?:\/\/[^\s]+$/.test(url)) throw new Error(`tempo prometheusRemoteWriteUrl: "${url}" is not an http(s) URL`);
  }
  if (remoteWriteUrls.length === 0) throw new Error("tempo prometheusRemoteWriteUrl: at least one URL");
  const ports = SERVICES.tempo.ports;

  const config = {
    target: "all",
    stream_over_http_enabled: true,
    server: {
      http_listen_port: ports.http,
      grpc_listen_port: ports.grpc,
      log_level: "info",
    },
    distributor: {
      receivers: {
        otlp: {
          protocols: {
            // The OTel receivers default to localhost: bind every interface inside the container.
            grpc: { endpoint: `0.0.0.0:${ports.otlpGrpc}` },
            http: { endpoint: `0.0.0.0:${ports.otlpHttp}` },
          },
        },
      },
    },
    metrics_generator: {
      registry: {
        external_labels: { source: "tempo" },
      },
      storage: {
        path: `${TEMPO_DATA_DIR}/generator/wal`,
        remote_write: remoteWriteUrls.map((url) => ({ url, send_exemplars: true })),
      },
    },
    // Retention is the worker's: it runs the retention jobs with this block (tempodb/retention.go uses
    // `block_retention` unless a tenant override sets one). Set once, here: the scheduler's
    // `provider.compaction.compaction` block reads only max_compaction_range/objects and max_block_bytes
    // (modules/backendscheduler/provider/compaction.go at v3.0.2, unchanged in v3.0.3), so a block_retention there is never
    // read, and a per-tenant default override would only repeat this value. No `backend_scheduler_addr`:
    // in monolithic mode Tempo wires the worker to the in-process scheduler on the gRPC port itself.
    backend_worker: {
      compaction: { block_retention: o.retention },
    },
    storage: {
      trace: {
        backend: o.objectStore ? "s3" : "local",
        wal: { path: `${TEMPO_DATA_DIR}/wal` },
        ...(o.objectStore ? { s3: tempoS3Config(o.objectStore) } : { local: { path: `${TEMPO_DATA_DIR}/blocks` } }),
      },
    },
    overrides: {
      defaults: {
        metrics_generator: {
          processors: [...TEMPO_METRICS_GENERATOR_PROCESSORS],
        },
      },
    },
    usage_report: { reporting_enabled: false },
  };

  const credentials = o.objectStore
    ? `\nObject storage credentials: from the environment (${OBJECT_STORE_ENV.accessKeyId}, ${OBJECT_STORE_ENV.secretAccessKey}), expanded at start.`
    : "";
  return [yamlFile("tempo/tempo.yml", config, `Tempo 3.0 monolithic. Generated by configs/tempo/tempo.ts; do not edit.${credentials}`)];
}

/** `storage.trace.s3` (keys from tempodb/backend/s3/config.go at v3.0.2; Tempo parses its config strictly). */
function tempoS3Config(store: ObjectStore) {
  return {
    endpoint: store.endpoint,
    ...(store.region !== undefined ? { region: store.region } : {}),
    bucket: store.bucket,
    // `tempo` when the bucket is shared with Loki.
    ...(store.prefix !== undefined ? { prefix: store.prefix } : {}),
    access_key: envReference(OBJECT_STORE_ENV.accessKeyId),
    secret_key: envReference(OBJECT_STORE_ENV.secretAccessKey),
    insecure: store.insecure,
    forcepathstyle: store.forcePathStyle,
  };
}
