import { ConfigFile, yamlFile } from "../files";
import { SERVICES, type ServicePort } from "../topology";

/**
 * OpenTelemetry Collector contrib 0.159: OTLP in, traces to Tempo, logs to
 * Loki's native OTLP endpoint, metrics to Prometheus' OTLP receiver.
 *
 * Checked against the collector's changelog:
 * - exporters are named `otlp_grpc` / `otlp_http` since v0.144 (`otlp` and
 *   `otlphttp` are deprecated aliases that log a warning on every start);
 * - the `batch` processor is on its way out (the collector's "Batch processor
 *   migration" RFC, open-telemetry/opentelemetry-collector#15273; exporter
 *   batching also propagates backpressure): batching is configured per
 *   exporter under `sending_queue::batch` (keys `flush_timeout`, `sizer`,
 *   `min_size`, `max_size`, exporterhelper README), so pipelines run
 *   `memory_limiter` only;
 * - `service::telemetry::metrics` uses `readers` (pull/prometheus), the old
 *   `address` key is gone;
 * - receivers default to localhost, so every listener binds 0.0.0.0;
 * - `debug` replaced `logging`; the `loki` exporter is gone.
 */
export interface OtelCollectorConfigOptions {
  /** Tempo's OTLP/gRPC `host:port`, e.g. `tempo:4317`. */
  tempoOtlpGrpcEndpoint: string;
  /** Base URL of Loki's OTLP endpoint, e.g. `http://loki:3100/otlp` (the exporter appends `/v1/logs`). */
  lokiOtlpUrl: string;
  /**
   * Base URL of Prometheus' OTLP receiver, e.g. `http://prometheus:9090/api/v1/otlp`
   * (the exporter appends `/v1/metrics`). Prometheus must run with `--web.enable-otlp-receiver`.
   * Several with an HA pair (prometheus.replicas): each replica's own, so each gets every metric
   * (one exporter per replica, the first keeping the id `otlp_http/prometheus`).
   */
  prometheusOtlpUrl: string | readonly string[];
  /** Hard memory limit for the memory_limiter processor, in MiB; keep it below the container limit. */
  memoryLimitMib: number;
  /** Receivers for applications that still export Jaeger or Zipkin (`otelCollector.receivers`). Default: OTLP only. */
  legacyReceivers?: LegacyReceivers;
  /** Which traces reach Tempo (`otelCollector.sampling`). Default: every trace. */
  sampling?: TraceSampling;
}

/** Opt-in trace receivers besides OTLP, each on the ports its clients default to (SERVICES.otelCollector.legacyPorts). */
export interface LegacyReceivers {
  /** jaegerreceiver: gRPC 14250, Thrift HTTP 14268, Thrift compact UDP 6831, Thrift binary UDP 6832. */
  readonly jaeger: boolean;
  /** zipkinreceiver: HTTP 9411 (v1 and v2 JSON/Thrift/Protobuf). */
  readonly zipkin: boolean;
}

/**
 * Trace sampling in the collector (traces pipeline only; logs and metrics are never sampled).
 * - `none`: every trace is kept.
 * - `head`: probabilistic_sampler keeps `percentage` % of traces, decided from the trace id alone, so every
 *   span of a trace gets the same decision without waiting; errors and slow traces are dropped like the rest.
 * - `tail`: tail_sampling waits `decisionWait` after a trace's first span, then keeps it when any policy
 *   matches: an error status (`keepErrors`), a duration of at least `slowThresholdMs`, or the `percentage` %
 *   probabilistic draw. It needs every span of a trace on the same collector: the stack runs one replica.
 */
export type TraceSampling =
  | { readonly mode: "none" }
  | { readonly mode: "head"; readonly percentage: number }
  | {
      readonly mode: "tail";
      readonly percentage: number;
      readonly keepErrors: boolean;
      /** Keep every trace at least this long; undefined keeps none for its duration alone. */
      readonly slowThresholdMs?: number;
      /** Duration (`10s`) between a trace's first span and its decision; spans arriving later are sampled on their own. */
      readonly decisionWait: string;
    };

/**
 * Ports of the opt-in Jaeger and Zipkin receivers. Docker publishes each on the host at the same number,
 * since clients outside the stack's network (a process on the host) default to exactly these.
 */
export function legacyReceiverPorts(r: LegacyReceivers): ServicePort[] {
  const p = SERVICES.otelCollector.legacyPorts;
  const published = (port: Omit<ServicePort, "hostPort">): ServicePort => ({ ...port, hostPort: port.port });
  return [
    ...(r.jaeger
      ? [
          published({ name: "jaeger-grpc", port: p.jaegerGrpc }),
          published({ name: "jaeger-http", port: p.jaegerThriftHttp }),
          published({ name: "jaeger-compact", port: p.jaegerThriftCompact, protocol: "UDP" }),
          published({ name: "jaeger-binary", port: p.jaegerThriftBinary, protocol: "UDP" }),
        ]
      : []),
    ...(r.zipkin ? [published({ name: "zipkin", port: p.zipkin })] : []),
  ];
}

/** Receiver ids in the collector config. */
export const OTEL_RECEIVERS = { otlp: "otlp", jaeger: "jaeger", zipkin: "zipkin" } as const;

/** Processor ids of the samplers (probabilistic_sampler and tail_sampling, both in the contrib distribution). */
export const OTEL_SAMPLERS = { head: "probabilistic_sampler", tail: "tail_sampling" } as const;

/** Tail-sampling policy names, as they appear in the processor's own metrics (`policy` label). */
export const TAIL_POLICIES = { errors: "keep-errors", slow: "keep-slow", percentage: "percentage" } as const;

/** Path of Prometheus 3's OTLP receiver (enabled by `--web.enable-otlp-receiver`). */
export const PROMETHEUS_OTLP_PATH = "/api/v1/otlp";

/** Render path of the collector's config, relative to the render root. */
export const OTEL_COLLECTOR_CONFIG_FILE = "otel-collector/config.yml";

/**
 * In-container path of the rendered config (pass as `--config`): the rendered
 * file mounted into `/etc/otelcol-contrib/`. Not the image's default
 * `config.yaml`, which `--config` replaces.
 */
export const OTEL_COLLECTOR_CONFIG_PATH = "/etc/otelcol-contrib/config.yml";

/** Exporter ids, as they appear in the pipelines and in the collector's own metrics (`exporter` label). */
export const OTEL_EXPORTERS = {
  tempo: "otlp_grpc/tempo",
  loki: "otlp_http/loki",
  prometheus: "otlp_http/prometheus",
  debug: "debug",
} as const;

/**
 * Exporter-level batching (replaces the deprecated batch processor). The queue's
 * consumers send in parallel and retry for up to 5m (exporterhelper default), so
 * metrics can reach Prometheus out of order; its `out_of_order_time_window`
 * (configs/prometheus/prometheus.ts) covers that, and keeps the parallelism.
 */
function sendingQueue() {
  return {
    enabled: true,
    batch: { flush_timeout: "1s", sizer: "items", min_size: 8192, max_size: 16384 },
  };
}

/**
 * The Jaeger and Zipkin receivers, bound on every interface at their clients' default ports. Keys as in
 * contrib's receiver/jaegerreceiver (config.go `Protocols`: grpc, thrift_http, thrift_binary,
 * thrift_compact, each with `endpoint`) and receiver/zipkinreceiver (confighttp server `endpoint`);
 * jaegerreceiver is still in the contrib distribution at v0.161.
 */
function legacyReceiverConfigs(r: LegacyReceivers): Record<string, unknown> {
  const p = SERVICES.otelCollector.legacyPorts;
  return {
    ...(r.jaeger
      ? {
          [OTEL_RECEIVERS.jaeger]: {
            protocols: {
              grpc: { endpoint: `0.0.0.0:${p.jaegerGrpc}` },
              thrift_http: { endpoint: `0.0.0.0:${p.jaegerThriftHttp}` },
              thrift_compact: { endpoint: `0.0.0.0:${p.jaegerThriftCompact}` },
              thrift_binary: { endpoint: `0.0.0.0:${p.jaegerThriftBinary}` },
            },
          },
        }
      : {}),
    ...(r.zipkin ? { [OTEL_RECEIVERS.zipkin]: { endpoint: `0.0.0.0:${p.zipkin}` } } : {}),
  };
}

/**
 * The sampler's processor, or none. Keys as in contrib: probabilisticsamplerprocessor
 * (`sampling_percentage`) and tailsamplingprocessor (`decision_wait`, `policies[]` of `name`/`type` with
 * `status_code.status_codes`, `latency.threshold_ms`, `probabilistic.sampling_percentage`; a trace is kept
 * when any policy says sample).
 */
function samplerProcessor(s: TraceSampling): { id: string; config: Record<string, unknown> } | undefined {
  if (s.mode === "none") return undefined;
  if (s.mode === "head") return { id: OTEL_SAMPLERS.head, config: { sampling_percentage: s.percentage } };
  const policies = [
    ...(s.keepErrors ? [{ name: TAIL_POLICIES.errors, type: "status_code", status_code: { status_codes: ["ERROR"] } }] : []),
    ...(s.slowThresholdMs !== undefined ? [{ name: TAIL_POLICIES.slow, type: "latency", latency: { threshold_ms: s.slowThresholdMs } }] : []),
    ...(s.percentage > 0 ? [{ name: TAIL_POLICIES.percentage, type: "probabilistic", probabilistic: { sampling_percentage: s.percentage } }] : []),
  ];
  return { id: OTEL_SAMPLERS.tail, config: { decision_wait: s.decisionWait, policies } };
}

/**
 * Takes valid options: the stack checks the memory limit and `otelCollector.sampling` up front (settings/).
 * The peers' endpoints are the program's own, guarded below.
 */
export function otelCollectorConfigFiles(o: OtelCollectorConfigOptions): ConfigFile[] {
  if (!/^[A-Za-z0-9.-]+:\d+$/.test(o.tempoOtlpGrpcEndpoint)) {
    throw new Error(`otel-collector tempoOtlpGrpcEndpoint: "${o.tempoOtlpGrpcEndpoint}" must be host:port, e.g. "tempo:4317"`);
  }
  const prometheusUrls = typeof o.prometheusOtlpUrl === "string" ? [o.prometheusOtlpUrl] : [...o.prometheusOtlpUrl];
  if (prometheusUrls.length === 0) throw new Error("otel-collector prometheusOtlpUrl: at least one URL");
  // Replica i > 0 gets its own exporter id beside the first's.
  const prometheusExporters = prometheusUrls.map((url, i) => [i === 0 ? OTEL_EXPORTERS.prometheus : `${OTEL_EXPORTERS.prometheus}_${i}`, url] as const);
  for (const [key, url] of [["lokiOtlpUrl", o.lokiOtlpUrl] as const, ...prometheusUrls.map((u) => ["prometheusOtlpUrl", u] as const)]) {
    if (!/^https?:\/\/[^\s]+$/.test(url) || url.endsWith("/")) {
      throw new Error(`otel-collector ${key}: "${url}" must be an http(s) URL without a trailing slash`);
    }
  }

  const ports = SERVICES.otelCollector.ports;
  const memoryLimiter = "memory_limiter";
  const legacy = o.legacyReceivers ?? { jaeger: false, zipkin: false };
  const sampling = o.sampling ?? { mode: "none" };
  const sampler = samplerProcessor(sampling);
  const traceReceivers = [OTEL_RECEIVERS.otlp, ...(legacy.jaeger ? [OTEL_RECEIVERS.jaeger] : []), ...(legacy.zipkin ? [OTEL_RECEIVERS.zipkin] : [])];

  const config = {
    extensions: {
      health_check: { endpoint: `0.0.0.0:${ports.health}` },
    },
    receivers: {
      otlp: {
        protocols: {
          grpc: { endpoint: `0.0.0.0:${ports.otlpGrpc}` },
          http: { endpoint: `0.0.0.0:${ports.otlpHttp}` },
        },
      },
      ...legacyReceiverConfigs(legacy),
    },
    processors: {
      [memoryLimiter]: {
        check_interval: "1s",
        limit_mib: o.memoryLimitMib,
        spike_limit_mib: Math.max(1, Math.floor(o.memoryLimitMib / 5)),
      },
      ...(sampler ? { [sampler.id]: sampler.config } : {}),
    },
    exporters: {
      [OTEL_EXPORTERS.tempo]: {
        endpoint: o.tempoOtlpGrpcEndpoint,
        tls: { insecure: true },
        sending_queue: sendingQueue(),
      },
      [OTEL_EXPORTERS.loki]: {
        endpoint: o.lokiOtlpUrl,
        sending_queue: sendingQueue(),
      },
      ...Object.fromEntries(prometheusExporters.map(([id, endpoint]) => [id, { endpoint, sending_queue: sendingQueue() }])),
      // Defined for ad-hoc troubleshooting (add it to a pipeline); not wired by default.
      [OTEL_EXPORTERS.debug]: { verbosity: "basic" },
    },
    service: {
      extensions: ["health_check"],
      telemetry: {
        logs: { level: "info" },
        metrics: {
          level: "normal",
          readers: [{ pull: { exporter: { prometheus: { host: "0.0.0.0", port: ports.metrics } } } }],
        },
      },
      pipelines: {
        // The limiter first (it refuses data before anything holds it), then the sampler.
        traces: { receivers: traceReceivers, processors: [memoryLimiter, ...(sampler ? [sampler.id] : [])], exporters: [OTEL_EXPORTERS.tempo] },
        logs: { receivers: ["otlp"], processors: [memoryLimiter], exporters: [OTEL_EXPORTERS.loki] },
        metrics: { receivers: ["otlp"], processors: [memoryLimiter], exporters: prometheusExporters.map(([id]) => id) },
      },
    },
  };

  return [
    yamlFile(
      OTEL_COLLECTOR_CONFIG_FILE,
      config,
      "OpenTelemetry Collector contrib 0.159. Generated by configs/otel-collector/otel-collector.ts; do not edit.\n" +
        "Prometheus must run with --web.enable-otlp-receiver for the metrics pipeline.",
    ),
  ];
}
