import { ConfigFile, yamlFile } from "../files";
import { envReference, OBJECT_STORE_ENV, type ObjectStore } from "../object-storage";
import { headlessServiceName, replicaAddress, SERVICES } from "../topology";

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
  /**
   * Chunks, TSDB index and delete requests in this bucket instead of on the
   * volume. Default: none (filesystem under LOKI_DATA_DIR).
   */
  objectStore?: ObjectStore;
  /** HA monolithic mode (needs objectStore). Default: one replica, in-memory rings. */
  ha?: LokiHaOptions;
}

/**
 * Loki's highly available monolithic mode (Loki 3.7 docs,
 * setup/migrate/ssd-to-ha-monolithic): every replica `target: all`, rings on
 * memberlist, replication factor 3, one main compactor (replica 0) and the
 * others compactor workers that reach it at `common.compactor_grpc_address`.
 */
export interface LokiHaOptions {
  /** Replicas of the StatefulSet, at least LOKI_HA_MIN_REPLICAS. */
  readonly replicas: number;
  /**
   * memberlist `cluster_label`: gossip from a member with another label is
   * refused, so two Lokis that can reach each other never merge rings.
   */
  readonly clusterLabel: string;
}

/** Replicas HA mode needs: a write quorum of 2 of replication factor 3 survives one replica down. */
export const LOKI_HA_MIN_REPLICAS = 3;
/** Copies of every stream Loki keeps in HA mode (`common.replication_factor`). */
export const LOKI_REPLICATION_FACTOR = 3;
/** memberlist gossip port (Loki's default `memberlist.bind_port`); dskit's transport is TCP only. */
export const LOKI_MEMBERLIST_PORT = SERVICES.loki.ports.memberlist;

/**
 * HA mode: the config file of the main compactor (replica 0). Loki's
 * `-config.file` takes a comma-separated list and loads the first file that
 * exists (Loki 3.7 pkg/util/cfg/files.go), so every pod is started with
 * `-config.file=<dir>/$(POD_NAME).yml,<dir>/loki.yml`: replica 0 finds this
 * file, the others fall back to loki.yml. Both come from one builder and
 * differ in `compactor.horizontal_scaling_mode` only.
 */
export const LOKI_MAIN_COMPACTOR_FILE = `${SERVICES.loki.name}-0.yml`;

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

/**
 * Takes valid options: the stack checks retention, the memory limit, `loki.replicas` and object storage up
 * front (settings/). The push and Alertmanager URLs are the program's own, guarded below.
 */
export function lokiConfigFiles(o: LokiConfigOptions): ConfigFile[] {
  const badUrls = o.alertmanagerUrls.filter((u) => !/^https?:\/\/[^\s,]+$/.test(u));
  if (o.alertmanagerUrls.length === 0 || badUrls.length > 0) {
    throw new Error(`loki alertmanagerUrls: ${JSON.stringify(o.alertmanagerUrls)} must be one or more http(s) URLs`);
  }
  const caches = lokiCacheSizesMb(o.memoryLimitMb);
  const store = o.objectStore;
  const ha = o.ha;
  // HA: the rings live in memberlist gossip; one replica alone keeps them in memory.
  const kvstore = { store: ha ? "memberlist" : "inmemory" };

  const config = {
    target: "all",
    auth_enabled: false,
    server: {
      http_listen_port: SERVICES.loki.ports.http,
      grpc_listen_port: SERVICES.loki.ports.grpc,
      log_level: "info",
    },
    common: {
      // HA: each replica advertises its pod address (Loki's default: the first private interface).
      ...(ha ? {} : { instance_addr: "127.0.0.1" }),
      path_prefix: LOKI_DATA_DIR,
      ...(store
        ? {}
        : {
            storage: {
              filesystem: {
                chunks_directory: `${LOKI_DATA_DIR}/chunks`,
                rules_directory: LOKI_RULER_STORAGE_DIR,
              },
            },
          }),
      replication_factor: ha ? LOKI_REPLICATION_FACTOR : 1,
      ring: { kvstore },
      // Workers and every querier (delete requests) reach the one main compactor, replica 0.
      ...(ha ? { compactor_grpc_address: replicaAddress("loki", 0, SERVICES.loki.ports.grpc) } : {}),
    },
    ...(ha
      ? {
          memberlist: {
            cluster_label: ha.clusterLabel,
            // Loki's default; an explicit value keeps the cluster label check on.
            cluster_label_verification_disabled: false,
            // The headless Service lists every pod, ready or not (publishNotReadyAddresses), so a
            // starting replica finds the others.
            join_members: [`dns+${headlessServiceName(SERVICES.loki.name)}:${LOKI_MEMBERLIST_PORT}`],
            bind_port: LOKI_MEMBERLIST_PORT,
          },
          // A replica that stops uploads what it holds in memory instead of leaving it to the WAL of a pod
          // that may not come back on this node (upstream's HA monolithic guide, stage 1).
          ingester: { wal: { flush_on_shutdown: true } },
        }
      : {}),
    schema_config: {
      configs: [
        {
          from: "2024-01-01",
          store: "tsdb",
          object_store: store ? "s3" : "filesystem",
          schema: "v13",
          index: { prefix: "index_", period: "24h" },
        },
      ],
    },
    storage_config: {
      ...(store ? lokiObjectStoreConfig(store) : {}),
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
      // Retention needs a delete-request store (Loki refuses to start without one when retention is on).
      delete_request_store: store ? "s3" : "filesystem",
      // HA: one main compactor at any time (replica 0, from LOKI_MAIN_COMPACTOR_FILE); the rest are workers.
      ...(ha ? { horizontal_scaling_mode: "worker" } : {}),
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
      // `ruler.storage` (not `ruler_storage`): the latter only takes effect with -use-thanos-objstore,
      // which the object store turns on (then `ruler_storage` below holds the same local directory).
      ...(store ? {} : { storage: { type: "local", local: { directory: LOKI_RULER_STORAGE_DIR } } }),
      rule_path: LOKI_RULER_SCRATCH_DIR,
      ring: { kvstore },
      // HA: the ring hands each rule group to one replica, so an alert is evaluated (and sent) once.
      ...(ha ? { enable_sharding: true } : {}),
      wal: { dir: `${LOKI_DATA_DIR}/ruler-wal` },
    },
    // The rule files ship with the config (mounted read-only on every replica), not through the bucket.
    ...(store ? { ruler_storage: { backend: "local", local: { directory: LOKI_RULER_STORAGE_DIR } } } : {}),
    analytics: { reporting_enabled: false },
  };

  const header =
    `Loki 3.7 ${ha ? `HA monolithic (${ha.replicas} replicas)` : "single binary"}. Generated by configs/loki/loki.ts; do not edit.\n` +
    `Rule files: mount into ${LOKI_RULES_DIR}/ (tenant "${LOKI_RULES_TENANT}" because auth is disabled).` +
    (store ? `\nObject storage credentials: from the environment (${OBJECT_STORE_ENV.accessKeyId}, ${OBJECT_STORE_ENV.secretAccessKey}), expanded at start.` : "");
  return [
    yamlFile("loki/loki.yml", config, header),
    ...(ha
      ? [
          yamlFile(
            `loki/${LOKI_MAIN_COMPACTOR_FILE}`,
            { ...config, compactor: { ...config.compactor, horizontal_scaling_mode: "main" } },
            `${header}\nReplica 0 only: the main compactor (loki.yml runs the others as compactor workers).`,
          ),
        ]
      : []),
  ];
}

/**
 * `storage_config` for an S3-compatible bucket through the thanos-io/objstore
 * client, which Loki 3.7 recommends over its deprecated legacy clients
 * (`use_thanos_objstore`; keys from pkg/storage/bucket/s3/config.go and
 * pkg/storage/bucket/client.go at v3.7.3).
 */
function lokiObjectStoreConfig(store: ObjectStore) {
  return {
    use_thanos_objstore: true,
    object_store: {
      s3: {
        endpoint: store.endpoint,
        ...(store.region !== undefined ? { region: store.region } : {}),
        bucket_name: store.bucket,
        access_key_id: envReference(OBJECT_STORE_ENV.accessKeyId),
        secret_access_key: envReference(OBJECT_STORE_ENV.secretAccessKey),
        insecure: store.insecure,
        // `auto` picks virtual-hosted style for AWS endpoints; MinIO and most self-hosted stores need `path`.
        bucket_lookup_type: store.forcePathStyle ? "path" : "auto",
      },
      // Digits, letters and dashes only (pkg/storage/bucket/client.go); `loki` when the bucket is shared with Tempo.
      ...(store.prefix !== undefined ? { storage_prefix: store.prefix } : {}),
    },
  };
}
