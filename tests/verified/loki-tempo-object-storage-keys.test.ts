/**
 * Loki and Tempo on object storage, and Loki's HA monolithic mode: every key
 * the builders write in the blocks this mode touches is one the pinned
 * release reads. No Loki or Tempo binary exists here, and both parse their
 * config strictly (an unknown key stops them at start), so the lists below
 * are the `yaml:"..."` struct tags of the pinned sources, copied by hand:
 *
 * - Loki v3.7.3 (grafana/loki tag v3.7.3): pkg/loki/common/common.go,
 *   pkg/compactor/config.go, pkg/storage/factory.go (storage_config),
 *   pkg/storage/bucket/client.go (object_store, `storage_prefix` and its
 *   `^[\da-zA-Z-]+$`), pkg/storage/bucket/s3/config.go (s3),
 *   vendor/github.com/grafana/dskit/kv/memberlist/{memberlist_client,tcp_transport}.go
 *   (memberlist), pkg/ingester/wal.go (ingester.wal), pkg/ruler/base/ruler.go,
 *   pkg/ruler/config/alertmanager.go and pkg/ruler/config.go (ruler), pkg/ruler/rulestore/config.go (ruler_storage), and
 *   docs/sources/setup/migrate/ssd-to-ha-monolithic/_index.md for the mode:
 *   `-target=all` on every replica, `common.replication_factor: 3`, one
 *   `horizontal_scaling_mode: main` compactor, the others `worker` reaching it at
 *   `common.compactor_grpc_address`, `memberlist.cluster_label`,
 *   `ingester.wal.flush_on_shutdown: true`.
 * - Tempo v3.0.2 (grafana/tempo tag v3.0.2): tempodb/config.go
 *   (storage.trace), tempodb/backend/s3/config.go (s3; `forcepathstyle`
 *   switches minio to path lookup in s3.go).
 */
import { parse } from "yaml";
import type { ConfigFile } from "../../configs/files";
import { LOKI_MAIN_COMPACTOR_FILE, lokiConfigFiles, type LokiConfigOptions } from "../../configs/loki/loki";
import { OBJECT_STORE_ENV, objectStoreFor, type ObjectStorageSettings } from "../../configs/object-storage";
import { headlessServiceName, replicaAddress, SERVICES } from "../../configs/topology";
import { tempoConfigFiles } from "../../configs/tempo/tempo";

type Obj = Record<string, unknown>;

const LOKI_373 = {
  top: [
    "analytics", "auth_enabled", "ballast_bytes", "bloom_build", "bloom_gateway", "chunk_store_config", "common", "compactor", "compactor_client",
    "compactor_grpc_client", "dataobj", "distributor", "frontend", "frontend_worker", "http_prefix", "index_gateway", "ingest_limits",
    "ingest_limits_frontend", "ingest_limits_frontend_client", "ingester", "ingester_client", "internal_server", "kafka_config", "legacy_read_target",
    "limits_config", "memberlist", "metrics_namespace", "operational_config", "pattern_ingester", "profiling", "querier", "query_engine", "query_range",
    "query_scheduler", "ruler", "ruler_storage", "runtime_config", "schema_config", "server", "shutdown_delay", "storage_config", "table_manager", "target",
    "tenant_limits_allow_publish", "tracing", "ui",
  ],
  common: ["path_prefix", "storage", "persist_tokens", "replication_factor", "ring", "instance_interface_names", "instance_addr", "compactor_address", "compactor_grpc_address", "scratch_path"],
  compactor: [
    "working_directory", "compaction_interval", "apply_retention_interval", "retention_enabled", "retention_delete_delay", "retention_delete_worker_count",
    "retention_table_timeout", "retention_backoff_config", "delete_request_store", "delete_request_store_key_prefix", "delete_request_store_db_type",
    "backup_delete_request_store_db_type", "delete_batch_size", "delete_request_cancel_period", "delete_max_interval", "max_compaction_parallelism",
    "upload_parallelism", "compactor_ring", "tables_to_compact", "skip_latest_n_tables", "horizontal_scaling_mode", "worker_config", "jobs_config",
    "deletion_marker_object_store_prefix",
  ],
  /** pkg/compactor/compactor.go: HorizontalScalingModeDisabled / Main / Worker. */
  horizontalScalingModes: ["disabled", "main", "worker"],
  storageConfig: [
    "bos", "bigtable", "gcs", "cassandra", "boltdb", "filesystem", "swift", "grpc_store", "hedging", "named_stores", "cos", "index_cache_validity",
    "congestion_control", "object_prefix", "index_queries_cache_config", "disable_broad_index_queries", "max_parallel_get_chunk", "use_thanos_objstore",
    "object_store", "max_chunk_batch_size", "boltdb_shipper", "tsdb_shipper", "bloom_shipper",
  ],
  objectStore: ["s3", "gcs", "azure", "swift", "filesystem", "alibaba", "bos", "storage_prefix", "named_stores"],
  storagePrefix: /^[\da-zA-Z-]+$/,
  s3: [
    "endpoint", "region", "bucket_name", "secret_access_key", "access_key_id", "session_token", "insecure", "list_objects_version", "bucket_lookup_type",
    "dualstack_enabled", "storage_class", "native_aws_auth_enabled", "part_size", "send_content_md5", "sts_endpoint", "max_retries", "sse", "http", "trace",
  ],
  /** thanos-io/objstore providers/s3 BucketLookupType.UnmarshalYAML. */
  bucketLookupTypes: ["auto", "virtual-hosted", "path"],
  memberlist: [
    "node_name", "randomize_node_name", "stream_timeout", "retransmit_factor", "pull_push_interval", "gossip_interval", "gossip_nodes",
    "gossip_to_dead_nodes_time", "dead_node_reclaim_time", "compression_enabled", "notify_interval", "advertise_addr", "advertise_port", "cluster_label",
    "cluster_label_verification_disabled", "join_members", "min_join_backoff", "max_join_backoff", "max_join_retries", "abort_if_cluster_fast_join_fails",
    "abort_if_cluster_fast_join_fails_min_nodes", "abort_if_cluster_join_fails", "rejoin_interval", "rejoin_seed_nodes", "left_ingesters_timeout",
    "obsolete_entries_timeout", "leave_timeout", "broadcast_timeout_for_local_updates_on_shutdown", "message_history_buffer_bytes",
    "watch_prefix_buffer_size", "zone_aware_routing",
    // TCPTransportConfig, inline
    "bind_addr", "bind_port", "packet_dial_timeout", "packet_write_timeout", "max_concurrent_writes", "acquire_writer_timeout", "tls_enabled",
  ],
  ingesterWal: ["enabled", "dir", "checkpoint_duration", "flush_on_shutdown", "replay_memory_ceiling", "disk_full_threshold"],
  ruler: [
    "external_url", "datasource_uid", "external_labels", "ruler_client", "evaluation_interval", "poll_interval", "storage", "rule_path", "alertmanager_url",
    "enable_alertmanager_discovery", "alertmanager_refresh_interval", "enable_alertmanager_v2", "alert_relabel_configs", "notification_queue_capacity",
    "notification_timeout", "alertmanager_client", "for_outage_tolerance", "for_grace_period", "resend_delay", "enable_sharding", "sharding_strategy",
    "sharding_algo", "search_pending_for", "ring", "flush_period", "enable_api", "enabled_tenants", "disabled_tenants", "query_stats_enabled",
    "disable_rule_group_label", "wal", "wal_cleaner", "remote_write", "evaluation",
  ],
  /** rulestore.Config: bucket.Config inline (the backends and storage_prefix), backend, local. */
  rulerStorage: ["backend", "local", "s3", "gcs", "azure", "swift", "filesystem", "alibaba", "bos", "storage_prefix"],
} as const;

const TEMPO_302 = {
  trace: [
    "pool", "wal", "block", "search", "blocklist_poll", "blocklist_poll_concurrency", "blocklist_poll_tenant_concurrency", "blocklist_poll_fallback",
    "blocklist_poll_tenant_index_builders", "blocklist_poll_stale_tenant_index", "blocklist_poll_jitter_ms", "blocklist_poll_tolerate_consecutive_errors",
    "blocklist_poll_tolerate_tenant_failures", "empty_tenant_deletion_enabled", "empty_tenant_deletion_age", "backend", "local", "gcs", "s3", "azure", "cache",
    "background_cache", "memcached", "redis",
  ],
  s3: [
    "bucket", "prefix", "endpoint", "region", "access_key", "secret_key", "session_token", "insecure", "part_size", "hedge_requests_at", "hedge_requests_up_to",
    "retry_max_attempts", "retry_backoff_initial", "retry_backoff_max", "signature_v2", "forcepathstyle", "enable_dual_stack", "bucket_lookup_type", "tags",
    "storage_class", "metadata", "native_aws_auth_enabled", "list_blocks_concurrency", "sse",
    // dskit tls.ClientConfig, inline
    "tls_cert_path", "tls_key_path", "tls_ca_path", "tls_server_name", "tls_insecure_skip_verify", "tls_cipher_suites", "tls_min_version",
  ],
} as const;

const unknownKeys = (where: string, o: unknown, known: readonly string[]) =>
  Object.keys((o ?? {}) as Obj).filter((k) => !known.includes(k)).map((k) => `${where}.${k}`);

const separateBuckets: ObjectStorageSettings = { endpoint: "s3.eu-west-1.amazonaws.com", region: "eu-west-1", lokiBucket: "tutordex-logs", tempoBucket: "tutordex-traces", forcePathStyle: false, insecure: false };
const sharedMinio: ObjectStorageSettings = { endpoint: "minio.storage:9000", lokiBucket: "tutordex-telemetry", tempoBucket: "tutordex-telemetry", forcePathStyle: true, insecure: true };

const lokiBase: LokiConfigOptions = { retention: "168h", alertmanagerUrls: ["http://alertmanager:9093"], memoryLimitMb: 1024 };
const haOptions = (s: ObjectStorageSettings): LokiConfigOptions => ({ ...lokiBase, objectStore: objectStoreFor(s, "loki"), ha: { replicas: 3, clusterLabel: "obs-loki" } });
const byPath = (files: ConfigFile[], p: string) => {
  const f = files.find((x) => x.path === p);
  if (!f) throw new Error(`no ${p} among ${files.map((x) => x.path).join(", ")}`);
  return f;
};
const lokiYaml = (o: LokiConfigOptions, file = "loki/loki.yml") => parse(byPath(lokiConfigFiles(o), file).content) as Obj;
const tempoYaml = (s?: ObjectStorageSettings) =>
  parse(tempoConfigFiles({ retention: "336h", prometheusRemoteWriteUrl: "http://prometheus:9090/api/v1/write", objectStore: s && objectStoreFor(s, "tempo") })[0].content) as Obj;
const at = (o: Obj, ...path: string[]): Obj => path.reduce<Obj>((x, k) => x[k] as Obj, o);

/** Every key of the blocks object storage and HA touch that Loki 3.7.3 would not read. */
function lokiUnknownKeys(c: Obj): string[] {
  return [
    ...unknownKeys("", c, LOKI_373.top),
    ...unknownKeys("common", c.common, LOKI_373.common),
    ...unknownKeys("compactor", c.compactor, LOKI_373.compactor),
    ...unknownKeys("storage_config", c.storage_config, LOKI_373.storageConfig),
    ...unknownKeys("storage_config.object_store", at(c, "storage_config").object_store, LOKI_373.objectStore),
    ...unknownKeys("storage_config.object_store.s3", (at(c, "storage_config").object_store as Obj | undefined)?.s3, LOKI_373.s3),
    ...unknownKeys("memberlist", c.memberlist, LOKI_373.memberlist),
    ...unknownKeys("ingester.wal", (c.ingester as Obj | undefined)?.wal, LOKI_373.ingesterWal),
    ...unknownKeys("ruler", c.ruler, LOKI_373.ruler),
    ...unknownKeys("ruler_storage", c.ruler_storage, LOKI_373.rulerStorage),
  ];
}

describe("Loki 3.7.3 on object storage", () => {
  it.each([
    ["separate buckets on AWS", separateBuckets],
    ["one shared MinIO bucket", sharedMinio],
  ])("writes only keys Loki reads, single replica and HA, with %s", (_what, s) => {
    const single = lokiYaml({ ...lokiBase, objectStore: objectStoreFor(s, "loki") });
    const ha = haOptions(s);
    expect(lokiUnknownKeys(single)).toEqual([]);
    expect(lokiUnknownKeys(lokiYaml(ha))).toEqual([]);
    expect(lokiUnknownKeys(lokiYaml(ha, `loki/${LOKI_MAIN_COMPACTOR_FILE}`))).toEqual([]);
  });

  it("keeps chunks, index and delete requests in the bucket through the thanos objstore client", () => {
    const c = lokiYaml({ ...lokiBase, objectStore: objectStoreFor(separateBuckets, "loki") });
    const storage = at(c, "storage_config");
    expect(storage.use_thanos_objstore).toBe(true);
    expect(at(c, "storage_config", "object_store", "s3")).toEqual({
      endpoint: "s3.eu-west-1.amazonaws.com",
      region: "eu-west-1",
      bucket_name: "tutordex-logs",
      access_key_id: "${OBJECT_STORE_ACCESS_KEY_ID}",
      secret_access_key: "${OBJECT_STORE_SECRET_ACCESS_KEY}",
      insecure: false,
      bucket_lookup_type: "auto",
    });
    // Separate buckets need no prefix.
    expect(at(c, "storage_config", "object_store")).not.toHaveProperty("storage_prefix");
    // The period's object store and the delete-request store both name the configured backend.
    expect((at(c, "schema_config").configs as Obj[])[0].object_store).toBe("s3");
    expect(at(c, "compactor").delete_request_store).toBe("s3");
    // No filesystem store left behind: nothing would read it.
    expect(at(c, "common")).not.toHaveProperty("storage");
  });

  it("writes under its own prefix, path-style over plain http, when Tempo shares a MinIO bucket", () => {
    const objectStore = at(lokiYaml({ ...lokiBase, objectStore: objectStoreFor(sharedMinio, "loki") }), "storage_config", "object_store");
    expect(objectStore.storage_prefix).toBe("loki");
    expect(objectStore.storage_prefix).toMatch(LOKI_373.storagePrefix);
    expect(objectStore.s3).toMatchObject({ endpoint: "minio.storage:9000", bucket_name: "tutordex-telemetry", insecure: true, bucket_lookup_type: "path" });
    expect(LOKI_373.bucketLookupTypes).toContain((objectStore.s3 as Obj).bucket_lookup_type);
    expect(objectStore.s3).not.toHaveProperty("region");
  });

  it("keeps retention working: compactor retention with a delete-request store, the retention period per tenant", () => {
    for (const c of [lokiYaml({ ...lokiBase, objectStore: objectStoreFor(sharedMinio, "loki") }), lokiYaml(haOptions(sharedMinio)), lokiYaml(haOptions(sharedMinio), `loki/${LOKI_MAIN_COMPACTOR_FILE}`)]) {
      // Loki 3.7 refuses retention_enabled without delete_request_store (pkg/compactor/config.go Validate).
      expect(at(c, "compactor")).toMatchObject({ retention_enabled: true, delete_request_store: "s3" });
      expect(at(c, "limits_config").retention_period).toBe("168h");
    }
  });

  it("ships rule files with the config, read by the ruler from the local directory (ruler_storage once thanos objstore is on)", () => {
    const c = lokiYaml({ ...lokiBase, objectStore: objectStoreFor(separateBuckets, "loki") });
    expect(c.ruler_storage).toEqual({ backend: "local", local: { directory: "/etc/loki/rules" } });
    // Loki warns and ignores ruler.storage when use_thanos_objstore is true (pkg/loki/modules.go initRulerStorage).
    expect(at(c, "ruler")).not.toHaveProperty("storage");
  });

  it("references the credentials as ${VAR} only: no other expansion in a file Loki expands", () => {
    for (const f of lokiConfigFiles(haOptions(sharedMinio))) {
      expect((f.content.match(/\$\{?[A-Za-z_]*\}?/g) ?? []).sort()).toEqual(["${OBJECT_STORE_ACCESS_KEY_ID}", "${OBJECT_STORE_SECRET_ACCESS_KEY}"]);
    }
    // Without object storage nothing is expanded, so the file keeps no reference either.
    expect(lokiConfigFiles(lokiBase)[0].content).not.toContain("${");
  });
});

describe("Loki 3.7.3 HA monolithic mode", () => {
  const worker = lokiYaml(haOptions(separateBuckets));
  const main = lokiYaml(haOptions(separateBuckets), `loki/${LOKI_MAIN_COMPACTOR_FILE}`);

  it("runs every replica as target all with three copies of every stream, rings on memberlist", () => {
    for (const c of [worker, main]) {
      expect(c.target).toBe("all");
      expect(at(c, "common").replication_factor).toBe(3);
      expect(at(c, "common", "ring", "kvstore").store).toBe("memberlist");
      expect(at(c, "ruler", "ring", "kvstore").store).toBe("memberlist");
      // Each rule group evaluated by one replica, not three.
      expect(at(c, "ruler").enable_sharding).toBe(true);
      // Pods advertise their own address, never loopback.
      expect(at(c, "common")).not.toHaveProperty("instance_addr");
    }
  });

  it("gossips inside one labelled cluster, joining through the headless Service", () => {
    expect(at(worker, "memberlist")).toEqual({
      cluster_label: "obs-loki",
      cluster_label_verification_disabled: false,
      join_members: [`dns+${headlessServiceName(SERVICES.loki.name)}:${SERVICES.loki.ports.memberlist}`],
      bind_port: SERVICES.loki.ports.memberlist,
    });
  });

  it("runs one main compactor, replica 0, and compactor workers that reach it", () => {
    expect(at(main, "compactor").horizontal_scaling_mode).toBe("main");
    expect(at(worker, "compactor").horizontal_scaling_mode).toBe("worker");
    for (const c of [worker, main]) {
      expect(LOKI_373.horizontalScalingModes).toContain(at(c, "compactor").horizontal_scaling_mode);
      expect(at(c, "common").compactor_grpc_address).toBe(replicaAddress("loki", 0, SERVICES.loki.ports.grpc));
    }
    // The two files differ in that one key only.
    expect({ ...main, compactor: { ...at(main, "compactor"), horizontal_scaling_mode: "worker" } }).toEqual(worker);
  });

  it("uploads what a stopping replica holds in memory", () => {
    expect(at(worker, "ingester", "wal").flush_on_shutdown).toBe(true);
  });
});

describe("Tempo 3.0.2 on object storage", () => {
  it("writes trace blocks to S3 with only keys Tempo reads, WAL on the volume", () => {
    const trace = at(tempoYaml(separateBuckets), "storage", "trace");
    expect(unknownKeys("storage.trace", trace, TEMPO_302.trace)).toEqual([]);
    expect(unknownKeys("storage.trace.s3", trace.s3, TEMPO_302.s3)).toEqual([]);
    expect(trace.backend).toBe("s3");
    expect(trace).not.toHaveProperty("local");
    expect(at(trace, "wal").path).toBe("/var/tempo/wal");
    expect(trace.s3).toEqual({
      endpoint: "s3.eu-west-1.amazonaws.com",
      region: "eu-west-1",
      bucket: "tutordex-traces",
      access_key: `\${${OBJECT_STORE_ENV.accessKeyId}}`,
      secret_key: `\${${OBJECT_STORE_ENV.secretAccessKey}}`,
      insecure: false,
      forcepathstyle: false,
    });
  });

  it("writes under tempo/ path-style over http in a bucket shared with Loki", () => {
    expect(at(tempoYaml(sharedMinio), "storage", "trace", "s3")).toMatchObject({ bucket: "tutordex-telemetry", prefix: "tempo", forcepathstyle: true, insecure: true });
  });

  it("keeps block retention in the backend worker, whatever the backend", () => {
    expect(at(tempoYaml(sharedMinio), "backend_worker", "compaction").block_retention).toBe("336h");
    expect(at(tempoYaml(), "backend_worker", "compaction").block_retention).toBe("336h");
  });

  it("keeps the local backend, and no credential reference, without object storage", () => {
    const c = tempoYaml();
    expect(at(c, "storage", "trace").backend).toBe("local");
    expect(JSON.stringify(c)).not.toContain("${");
  });
});
