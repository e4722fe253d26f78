import { ConfigFile, yamlFile } from "../files";
import { SERVICES } from "../topology";
import { isDuration } from "../durations";

/**
 * Loki 3.7 single binary (`target: all`), single tenant, filesystem storage.
 * Keys checked against the Loki 3.7 configuration reference.
 */
export interface LokiConfigOptions {
  /** How long logs are kept, as a Loki duration, e.g. "168h". */
  retention: string;
  /**
   * Alertmanagers the ruler sends alerts to, e.g. `["http://alertmanager:9093"]`. Each is its own group
   * to Loki, so a clustered Alertmanager is listed replica by replica and every replica gets every alert.
   */
  alertmanagerUrls: readonly string[];
  /** Loki's container memory limit in MiB; the in-process caches are sized from it (see lokiCacheSizesMb). */
  memoryLimitMb: number;
  /**
   * Serve the delete API (`deletion_mode: filter-and-delete`). Default false (`disabled`): Loki has no
   * login, so anyone who reaches it could erase logs.
   */
  deletionEnabled?: boolean;
  /** Per-tenant limits (`limits_config`). Default LOKI_DEFAULT_LIMITS, Loki's own defaults. */
  limits?: LokiTenantLimits;
}

/**
 * Query-frontend caches that take the results cache's settings when they
 * have none of their own (Loki 3.7 pkg/loki/config_wrapper.go,
 * applyEmbeddedCacheConfig): each is a separate in-process cache of the same
 * size. The instant-metric cache would too, but it is off by default.
 */
export const LOKI_RESULTS_CACHE_INHERITORS = ["index_stats_results_cache", "volume_results_cache", "series_results_cache", "label_results_cache"] as const;

/** Share of Loki's memory limit for each query results cache (the results cache and each inheritor). */
export const LOKI_RESULTS_CACHE_SHARE = 0.05;
/** Share of Loki's memory limit for the chunk cache. */
export const LOKI_CHUNK_CACHE_SHARE = 0.1;

/**
 * Embedded cache sizes in MB for a memory limit. Loki's own default is 100 MB
 * for each of the six caches (600 MB in all, whatever the limit); here they
 * take 35% of the limit together: five results caches at 5%, chunks at 10%.
 */
export function lokiCacheSizesMb(memoryLimitMb: number): { results: number; chunks: number } {
  return {
    results: Math.max(1, Math.floor(memoryLimitMb * LOKI_RESULTS_CACHE_SHARE)),
    chunks: Math.max(1, Math.floor(memoryLimitMb * LOKI_CHUNK_CACHE_SHARE)),
  };
}

/** The per-tenant limits a team tunes (seed 002: `ingestion_rate_mb`); Loki's own names in limits_config. */
export interface LokiTenantLimits {
  /** `ingestion_rate_mb`: sustained push rate per tenant, MB/s. */
  readonly ingestionRateMb: number;
  /** `ingestion_burst_size_mb`: largest burst per tenant, MB; at least the biggest single push. */
  readonly ingestionBurstSizeMb: number;
  /** `max_global_streams_per_user`: active streams per tenant. */
  readonly maxGlobalStreamsPerUser: number;
  /** `max_entries_limit_per_query`: log lines one query may return. */
  readonly maxEntriesLimitPerQuery: number;
}

/** Loki 3.7's defaults (pkg/validation/limits.go), written out so the rendered file says what applies. */
export const LOKI_DEFAULT_LIMITS: LokiTenantLimits = {
  ingestionRateMb: 4,
  ingestionBurstSizeMb: 6,
  maxGlobalStreamsPerUser: 5000,
  maxEntriesLimitPerQuery: 5000,
};

/** Everything Loki persists lives under this directory (mount a volume here). */
export const LOKI_DATA_DIR = "/loki";

/** In-container directory of the rendered config; mounted from the render, never persisted. */
export const LOKI_CONFIG_DIR = "/etc/loki";

/** In-container path of the rendered config (pass as `-config.file`). */
export const LOKI_CONFIG_PATH = `${LOKI_CONFIG_DIR}/loki.yml`;

/**
 * Root of the ruler's local rule storage. The ruler reads rules from
 * `<root>/<tenant>/*.yaml`; the local store only reads (Loki's local rule
 * client rejects every write), so the directory can be a read-only mount.
 * It sits next to loki.yml, outside the data volume: files uploaded into a
 * volume outlive the container, so a renamed or removed rule file would keep
 * being evaluated after a redeploy. The ruler's scratch copy (`rule_path`)
 * stays on the volume, and the ruler rewrites it from storage on every sync.
 */
export const LOKI_RULER_STORAGE_DIR = `${LOKI_CONFIG_DIR}/rules`;

/**
 * With `auth_enabled: false` every request belongs to the tenant `fake`, so
 * this is the in-container directory where Loki rule files must be mounted
 * (e.g. `/etc/loki/rules/fake/log-alerts.yaml`).
 */
export const LOKI_RULES_TENANT = "fake";
export const LOKI_RULES_DIR = `${LOKI_RULER_STORAGE_DIR}/${LOKI_RULES_TENANT}`;

/** The ruler's scratch directory (rule files it hands to its evaluator), on the data volume. */
export const LOKI_RULER_SCRATCH_DIR = `${LOKI_DATA_DIR}/rules-temp`;

/** Path prefix of Loki's OTLP/HTTP logs endpoint (collector exporters append `/v1/logs`). */
export const LOKI_OTLP_PATH = "/otlp";

/** Path of Loki's push API (Promtail/Alloy). */
export const LOKI_PUSH_PATH = "/loki/api/v1/push";

export function lokiConfigFiles(o: LokiConfigOptions): ConfigFile[] {
  // Loki accepts Prometheus durations: 30m, 168h, 7d, 1w...
  if (!isDuration(o.retention)) {
    throw new Error(`loki retention: "${o.retention}" is not a duration (expected e.g. "168h" or "30d")`);
  }
  const badUrls = o.alertmanagerUrls.filter((u) => !/^https?:\/\/[^\s,]+$/.test(u));
  if (o.alertmanagerUrls.length === 0 || badUrls.length > 0) {
    throw new Error(`loki alertmanagerUrls: ${JSON.stringify(o.alertmanagerUrls)} must be one or more http(s) URLs`);
  }

  if (!Number.isInteger(o.memoryLimitMb) || o.memoryLimitMb < 32) {
    throw new Error(`loki memoryLimitMb: ${o.memoryLimitMb} must be an integer of at least 32`);
  }
  const caches = lokiCacheSizesMb(o.memoryLimitMb);

  const config = {
    target: "all",
    auth_enabled: false,
    server: {
      http_listen_port: SERVICES.loki.ports.http,
      grpc_listen_port: SERVICES.loki.ports.grpc,
      log_level: "info",
    },
    common: {
      instance_addr: "127.0.0.1",
      path_prefix: LOKI_DATA_DIR,
      storage: {
        filesystem: {
          chunks_directory: `${LOKI_DATA_DIR}/chunks`,
          rules_directory: LOKI_RULER_STORAGE_DIR,
        },
      },
      replication_factor: 1,
      ring: { kvstore: { store: "inmemory" } },
    },
    schema_config: {
      configs: [
        {
          from: "2024-01-01",
          store: "tsdb",
          object_store: "filesystem",
          schema: "v13",
          index: { prefix: "index_", period: "24h" },
        },
      ],
    },
    storage_config: {
      tsdb_shipper: {
        active_index_directory: `${LOKI_DATA_DIR}/tsdb-index`,
        cache_location: `${LOKI_DATA_DIR}/tsdb-cache`,
      },
    },
    // A results cache block alone caches nothing: `cache_results` (default false) turns caching of
    // range-query results on. Grafana's panels repeat the same ranges every refresh, so it pays.
    query_range: {
      cache_results: true,
      results_cache: { cache: { embedded_cache: { enabled: true, max_size_mb: caches.results } } },
    },
    chunk_store_config: {
      chunk_cache_config: { embedded_cache: { enabled: true, max_size_mb: caches.chunks } },
    },
    compactor: {
      working_directory: `${LOKI_DATA_DIR}/compactor`,
      compaction_interval: "10m",
      retention_enabled: true,
      retention_delete_delay: "2h",
      delete_request_store: "filesystem",
    },
    limits_config: {
      retention_period: o.retention,
      // Loki 3 serves the compactor's delete API by default; off unless asked for.
      deletion_mode: o.deletionEnabled ? "filter-and-delete" : "disabled",
      // Structured metadata (trace_id, pod) and OTLP ingestion at /otlp need it; tsdb v13 supports it.
      allow_structured_metadata: true,
      volume_enabled: true,
      reject_old_samples: true,
      reject_old_samples_max_age: "168h",
      ingestion_rate_mb: (o.limits ?? LOKI_DEFAULT_LIMITS).ingestionRateMb,
      ingestion_burst_size_mb: (o.limits ?? LOKI_DEFAULT_LIMITS).ingestionBurstSizeMb,
      max_global_streams_per_user: (o.limits ?? LOKI_DEFAULT_LIMITS).maxGlobalStreamsPerUser,
      max_entries_limit_per_query: (o.limits ?? LOKI_DEFAULT_LIMITS).maxEntriesLimitPerQuery,
    },
    ruler: {
      alertmanager_url: o.alertmanagerUrls.join(","),
      enable_api: true,
      enable_alertmanager_v2: true,
      evaluation_interval: "1m",
      // `ruler.storage` (not `ruler_storage`): the latter only takes effect with -use-thanos-objstore.
      storage: { type: "local", local: { directory: LOKI_RULER_STORAGE_DIR } },
      rule_path: LOKI_RULER_SCRATCH_DIR,
      ring: { kvstore: { store: "inmemory" } },
      wal: { dir: `${LOKI_DATA_DIR}/ruler-wal` },
    },
    analytics: { reporting_enabled: false },
  };

  return [
    yamlFile(
      "loki/loki.yml",
      config,
      "Loki 3.7 single binary. Generated by configs/loki/loki.ts; do not edit.\n" +
        `Rule files: mount into ${LOKI_RULES_DIR}/ (tenant "${LOKI_RULES_TENANT}" because auth is disabled).`,
    ),
  ];
}
