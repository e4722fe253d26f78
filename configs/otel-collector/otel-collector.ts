import { ConfigFile, yamlFile } from "../files";
import { LOKI_OTLP_PATH } from "../loki/loki";
import { SERVICES, internalAddress, internalUrl } from "../topology";

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
}

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

/** Where the collector sends each signal inside the stack, from the topology. */
export function otelCollectorPeers(): Omit<OtelCollectorConfigOptions, "memoryLimitMib"> {
  return {
    tempoOtlpGrpcEndpoint: internalAddress("tempo", SERVICES.tempo.ports.otlpGrpc),
    lokiOtlpUrl: `${internalUrl("loki", SERVICES.loki.ports.http)}${LOKI_OTLP_PATH}`,
    prometheusOtlpUrl: `${internalUrl("prometheus", SERVICES.prometheus.ports.http)}${PROMETHEUS_OTLP_PATH}`,
  };
}

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

export function otelCollectorConfigFiles(o: OtelCollectorConfigOptions): ConfigFile[] {
  if (!Number.isInteger(o.memoryLimitMib) || o.memoryLimitMib < 32) {
    throw new Error(`otel-collector memoryLimitMib: ${o.memoryLimitMib} must be an integer of at least 32`);
  }
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
    },
    processors: {
      [memoryLimiter]: {
        check_interval: "1s",
        limit_mib: o.memoryLimitMib,
        spike_limit_mib: Math.max(1, Math.floor(o.memoryLimitMib / 5)),
      },
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
        traces: { receivers: ["otlp"], processors: [memoryLimiter], exporters: [OTEL_EXPORTERS.tempo] },
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
