/**
 * The tracing pipeline: applications send OTLP to the collector, which sends
 * traces to Tempo, logs to Loki's OTLP endpoint and metrics to Prometheus'
 * OTLP receiver; Tempo turns spans into service-graph and span metrics and
 * remote-writes them to Prometheus.
 *
 * No Tempo or collector binary exists here: these specs parse the YAML and
 * check the facts both tools and their peers depend on.
 */
import { parse } from "yaml";
import {
  OTEL_EXPORTERS,
  OtelCollectorConfigOptions,
  otelCollectorConfigFiles,
} from "../../configs/otel-collector/otel-collector";
import { OUT_OF_ORDER_TIME_WINDOW } from "../../configs/prometheus/prometheus";
import { tempoConfigFiles } from "../../configs/tempo/tempo";
import { SERVICES } from "../../configs/topology";
import { runWith } from "../stack/harness";
import { COLLECTOR_PEERS, PROMETHEUS_REMOTE_WRITE_URL } from "./tracing-peers";

describe("Tempo 3.0 (tempo/tempo.yml)", () => {
  const render = () => tempoConfigFiles({ retention: "336h", prometheusRemoteWriteUrl: PROMETHEUS_REMOTE_WRITE_URL });
  const cfg = parse(render()[0].content);

  it("is one file at tempo/tempo.yml", () => {
    expect(render().map((f) => f.path)).toEqual(["tempo/tempo.yml"]);
  });

  it("runs monolithic on the topology ports", () => {
    expect(cfg.target).toBe("all");
    expect(cfg.server.http_listen_port).toBe(SERVICES.tempo.ports.http);
    expect(cfg.server.grpc_listen_port).toBe(SERVICES.tempo.ports.grpc);
  });

  it("receives OTLP over gRPC and HTTP on every interface", () => {
    expect(cfg.distributor.receivers).toEqual({
      otlp: {
        protocols: {
          grpc: { endpoint: `0.0.0.0:${SERVICES.tempo.ports.otlpGrpc}` },
          http: { endpoint: `0.0.0.0:${SERVICES.tempo.ports.otlpHttp}` },
        },
      },
    });
  });

  it("stores blocks and WAL locally under /var/tempo", () => {
    expect(cfg.storage.trace.backend).toBe("local");
    expect(cfg.storage.trace.local.path).toMatch(/^\/var\/tempo\//);
    expect(cfg.storage.trace.wal.path).toMatch(/^\/var\/tempo\//);
  });

  // Tempo 3.0.2 source (same in 3.0.3): tempodb/retention.go keeps blocks for the worker's `compaction.block_retention`
  // unless a tenant override is non-zero; modules/backendscheduler/provider/compaction.go reads only
  // max_compaction_range/objects and max_block_bytes of the scheduler's compaction block. In monolithic
  // mode the worker finds the in-process scheduler by itself ("deploy/locally/linux.md": no backend_scheduler_addr).
  it("keeps traces for the configured retention, said once where Tempo reads it", () => {
    expect(cfg.backend_worker).toEqual({ compaction: { block_retention: "336h" } });
    expect(cfg).not.toHaveProperty("backend_scheduler");
    expect(cfg.overrides.defaults).not.toHaveProperty("compaction");
    expect(render()[0].content.match(/block_retention/g)).toHaveLength(1);
  });

  // Tempo 3.0 upgrade guide ("Other breaking changes", "Ingester removal"): these keys are gone.
  it("uses none of the settings Tempo 3.0 removed outside the big blocks", () => {
    expect(cfg.querier?.query_live_store).toBeUndefined();
    expect(cfg.query_frontend?.search?.query_ingesters_until).toBeUndefined();
    expect(cfg.ingest?.enabled).toBeUndefined();
    expect(cfg.live_store?.block_config).toBeUndefined();
    expect(cfg.distributor.receivers).not.toHaveProperty("opencensus");
    expect(cfg.target).not.toBe("scalable-single-binary");
  });

  it("generates service graphs and span metrics and remote-writes them to Prometheus", () => {
    expect(PROMETHEUS_REMOTE_WRITE_URL).toBe("http://prometheus:9090/api/v1/write");
    expect(cfg.metrics_generator.storage.remote_write).toEqual([{ url: PROMETHEUS_REMOTE_WRITE_URL, send_exemplars: true }]);
    expect(cfg.overrides.defaults.metrics_generator.processors).toEqual(["service-graphs", "span-metrics"]);
  });

  it("uses no block that Tempo 3.0 removed", () => {
    for (const removed of ["ingester", "ingester_client", "compactor", "metrics_generator_client", "partition_ring_live_store"]) {
      expect(cfg).not.toHaveProperty(removed);
    }
    expect(cfg.metrics_generator).not.toHaveProperty("traces_storage");
    expect(cfg.metrics_generator.processor?.local_blocks).toBeUndefined();
    expect(cfg.overrides.defaults.metrics_generator.processors).not.toContain("local-blocks");
    // 3.0 refuses to start on legacy flat overrides: only the scoped `defaults` key is allowed.
    expect(Object.keys(cfg.overrides)).toEqual(["defaults"]);
  });

  it("renders identical bytes every time", () => {
    expect(render()).toEqual(render());
  });
});

describe("OpenTelemetry Collector 0.159 (otel-collector/config.yml)", () => {
  const options: OtelCollectorConfigOptions = { ...COLLECTOR_PEERS, memoryLimitMib: 400 };
  const render = () => otelCollectorConfigFiles(options);
  const cfg = parse(render()[0].content);
  const ports = SERVICES.otelCollector.ports;

  it("is one file at otel-collector/config.yml", () => {
    expect(render().map((f) => f.path)).toEqual(["otel-collector/config.yml"]);
  });

  it("addresses its peers by topology name and port, as the stack wires them", async () => {
    const run = await runWith({});
    const stackConfig = parse(run.stack.files.find((f) => f.path === "otel-collector/config.yml")!.content);
    expect(stackConfig.exporters).toEqual(cfg.exporters);
    expect(COLLECTOR_PEERS).toEqual({
      tempoOtlpGrpcEndpoint: `${SERVICES.tempo.name}:${SERVICES.tempo.ports.otlpGrpc}`,
      lokiOtlpUrl: `http://${SERVICES.loki.name}:${SERVICES.loki.ports.http}/otlp`,
      prometheusOtlpUrl: [`http://${SERVICES.prometheus.name}:${SERVICES.prometheus.ports.http}/api/v1/otlp`],
    });
  }, 60_000);

  it("receives OTLP over gRPC and HTTP on every interface", () => {
    expect(cfg.receivers.otlp.protocols).toEqual({
      grpc: { endpoint: `0.0.0.0:${ports.otlpGrpc}` },
      http: { endpoint: `0.0.0.0:${ports.otlpHttp}` },
    });
  });

  it("sends traces to Tempo over insecure gRPC", () => {
    expect(cfg.exporters["otlp_grpc/tempo"]).toMatchObject({ endpoint: "tempo:4317", tls: { insecure: true } });
  });

  it("sends logs to Loki's OTLP endpoint and metrics to Prometheus' OTLP receiver", () => {
    expect(cfg.exporters["otlp_http/loki"].endpoint).toBe("http://loki:3100/otlp");
    expect(cfg.exporters["otlp_http/prometheus"].endpoint).toBe("http://prometheus:9090/api/v1/otlp");
  });

  it("uses the current component names (no deprecated aliases, no removed components)", () => {
    const ids = [...Object.keys(cfg.exporters), ...Object.keys(cfg.processors), ...Object.keys(cfg.extensions)];
    for (const id of ids) {
      const type = id.split("/")[0];
      expect(["otlp", "otlphttp", "logging", "loki", "batch"]).not.toContain(type);
    }
  });

  it("limits memory first and batches in the exporters (the batch processor is being phased out, collector RFC #15273)", () => {
    expect(cfg.processors.memory_limiter).toMatchObject({ limit_mib: 400, spike_limit_mib: 80 });
    for (const pipeline of Object.values(cfg.service.pipelines) as { processors: string[] }[]) {
      expect(pipeline.processors[0]).toBe("memory_limiter");
      expect(pipeline.processors).not.toContain("batch");
    }
    for (const id of [OTEL_EXPORTERS.tempo, OTEL_EXPORTERS.loki, OTEL_EXPORTERS.prometheus]) {
      expect(cfg.exporters[id].sending_queue.batch).toEqual(expect.objectContaining({ flush_timeout: expect.any(String) }));
    }
  });

  // exporterhelper README ("Sending queue batch settings"): `batch` takes flush_timeout (non-zero),
  // min_size, max_size (0 or >= min_size) and a sizer of `items` or `bytes` (not `requests`).
  it("batches with settings exporterhelper accepts", () => {
    for (const id of [OTEL_EXPORTERS.tempo, OTEL_EXPORTERS.loki, OTEL_EXPORTERS.prometheus]) {
      const { enabled, batch } = cfg.exporters[id].sending_queue;
      expect(enabled).toBe(true);
      expect(Object.keys(batch).sort()).toEqual(["flush_timeout", "max_size", "min_size", "sizer"]);
      expect(["items", "bytes"]).toContain(batch.sizer);
      expect(batch.flush_timeout).toMatch(/^[1-9]\d*(ms|s)$/);
      expect(batch.max_size === 0 || batch.max_size >= batch.min_size).toBe(true);
    }
  });

  // configretry NewDefaultBackOffConfig: retry_on_failure.max_elapsed_time defaults to 5m. A batch retried
  // that long lands behind newer ones for the same series; Prometheus keeps it only within its window.
  it("delivers metrics late by no more than Prometheus' out-of-order window accepts", () => {
    const seconds = (d: string) => {
      const m = /^(\d+)(ms|s|m|h)$/.exec(d);
      if (!m) throw new Error(`not a simple duration: ${d}`);
      return Number(m[1]) * { ms: 0.001, s: 1, m: 60, h: 3600 }[m[2] as "ms" | "s" | "m" | "h"];
    };
    const exporter = cfg.exporters[OTEL_EXPORTERS.prometheus];
    const retryBudget = exporter.retry_on_failure?.max_elapsed_time ?? "5m";
    expect(seconds(retryBudget) + seconds(exporter.sending_queue.batch.flush_timeout)).toBeLessThan(seconds(OUT_OF_ORDER_TIME_WINDOW));
  });

  it("wires one pipeline per signal, each to its backend, with debug defined but unused", () => {
    expect(cfg.service.pipelines).toEqual({
      traces: { receivers: ["otlp"], processors: ["memory_limiter"], exporters: ["otlp_grpc/tempo"] },
      logs: { receivers: ["otlp"], processors: ["memory_limiter"], exporters: ["otlp_http/loki"] },
      metrics: { receivers: ["otlp"], processors: ["memory_limiter"], exporters: ["otlp_http/prometheus"] },
    });
    expect(cfg.exporters.debug).toBeDefined();
  });

  it("references only components it defines", () => {
    for (const p of Object.values(cfg.service.pipelines) as Record<string, string[]>[]) {
      for (const r of p.receivers) expect(cfg.receivers).toHaveProperty([r]);
      for (const r of p.processors) expect(cfg.processors).toHaveProperty([r]);
      for (const r of p.exporters) expect(cfg.exporters).toHaveProperty([r]);
    }
    for (const e of cfg.service.extensions) expect(cfg.extensions).toHaveProperty([e]);
  });

  it("serves health on 13133 and its own Prometheus metrics on 8888, both on every interface", () => {
    expect(cfg.extensions.health_check.endpoint).toBe(`0.0.0.0:${ports.health}`);
    expect(cfg.service.extensions).toEqual(["health_check"]);
    expect(cfg.service.telemetry.metrics.readers).toEqual([
      { pull: { exporter: { prometheus: { host: "0.0.0.0", port: ports.metrics } } } },
    ]);
    expect(cfg.service.telemetry.metrics).not.toHaveProperty("address");
  });

  // Settings are checked up front (settings/); the builder guards only the peers' endpoints, which the program builds.
  it("rejects peer endpoints of the wrong shape", () => {
    expect(() => otelCollectorConfigFiles({ ...options, tempoOtlpGrpcEndpoint: "http://tempo" })).toThrow(/tempoOtlpGrpcEndpoint/);
    expect(() => otelCollectorConfigFiles({ ...options, lokiOtlpUrl: "http://loki:3100/otlp/" })).toThrow(/lokiOtlpUrl/);
  });

  it("renders identical bytes every time", () => {
    expect(render()).toEqual(render());
  });
});
