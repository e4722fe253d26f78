/**
 * Traces beyond OTLP, and sampling (issue 16, seeds 002/003): applications that still export Jaeger or
 * Zipkin reach Tempo through the collector's opt-in receivers, and each stack keeps all traces, a head-
 * sampled share, or a tail-sampled share that always holds errors and slow traces.
 *
 * No collector binary exists here: these specs parse the rendered YAML and hold every key to the config
 * structs read upstream (contrib receiver/jaegerreceiver config.go `Protocols`, receiver/zipkinreceiver's
 * confighttp server, processor/probabilisticsamplerprocessor, processor/tailsamplingprocessor config.go).
 */
import { parse } from "yaml";
import {
  legacyReceiverPorts,
  OTEL_RECEIVERS,
  OTEL_SAMPLERS,
  OtelCollectorConfigOptions,
  otelCollectorConfigFiles,
  TAIL_POLICIES,
  type TraceSampling,
} from "../../configs/otel-collector/otel-collector";
import { SERVICES } from "../../configs/topology";
import { COLLECTOR_PEERS } from "./tracing-peers";

const base: OtelCollectorConfigOptions = { ...COLLECTOR_PEERS, memoryLimitMib: 400 };
const render = (o: Partial<OtelCollectorConfigOptions> = {}) => parse(otelCollectorConfigFiles({ ...base, ...o })[0].content);
const tail = (t: Partial<Extract<TraceSampling, { mode: "tail" }>> = {}): TraceSampling => ({
  mode: "tail",
  percentage: 10,
  keepErrors: true,
  slowThresholdMs: 1000,
  decisionWait: "10s",
  ...t,
});

/** Upstream config keys (tailsamplingprocessor config.go): what a policy of each type may carry besides name/type. */
const TAIL_POLICY_TYPES = ["always_sample", "latency", "numeric_attribute", "probabilistic", "status_code", "string_attribute", "rate_limiting", "composite", "and"];
const TAIL_TOP_KEYS = ["decision_wait", "num_traces", "expected_new_traces_per_sec", "policies", "decision_cache"];
/** jaegerreceiver `Protocols` (mapstructure tags). */
const JAEGER_PROTOCOLS = ["grpc", "thrift_http", "thrift_binary", "thrift_compact"];

describe("the collector's Jaeger and Zipkin receivers (otelCollector.receivers)", () => {
  it("are off by default: OTLP is the one receiver", () => {
    const cfg = render();
    expect(Object.keys(cfg.receivers)).toEqual([OTEL_RECEIVERS.otlp]);
    expect(cfg.service.pipelines.traces.receivers).toEqual([OTEL_RECEIVERS.otlp]);
  });

  it("Jaeger listens on all four of its clients' protocols, on every interface, at their default ports", () => {
    const p = SERVICES.otelCollector.legacyPorts;
    const cfg = render({ legacyReceivers: { jaeger: true, zipkin: false } });
    expect(cfg.receivers.jaeger).toEqual({
      protocols: {
        grpc: { endpoint: `0.0.0.0:${p.jaegerGrpc}` },
        thrift_http: { endpoint: `0.0.0.0:${p.jaegerThriftHttp}` },
        thrift_compact: { endpoint: `0.0.0.0:${p.jaegerThriftCompact}` },
        thrift_binary: { endpoint: `0.0.0.0:${p.jaegerThriftBinary}` },
      },
    });
    for (const key of Object.keys(cfg.receivers.jaeger.protocols)) expect(JAEGER_PROTOCOLS).toContain(key);
    expect([p.jaegerGrpc, p.jaegerThriftHttp, p.jaegerThriftCompact, p.jaegerThriftBinary]).toEqual([14250, 14268, 6831, 6832]);
  });

  it("Zipkin listens on 9411", () => {
    const cfg = render({ legacyReceivers: { jaeger: false, zipkin: true } });
    expect(cfg.receivers.zipkin).toEqual({ endpoint: "0.0.0.0:9411" });
  });

  it("feed the traces pipeline only: logs and metrics stay OTLP", () => {
    const cfg = render({ legacyReceivers: { jaeger: true, zipkin: true } });
    expect(cfg.service.pipelines.traces.receivers).toEqual(["otlp", "jaeger", "zipkin"]);
    expect(cfg.service.pipelines.logs.receivers).toEqual(["otlp"]);
    expect(cfg.service.pipelines.metrics.receivers).toEqual(["otlp"]);
    // The collector refuses a pipeline naming an undefined receiver; a defined one no pipeline uses is dead weight.
    expect(Object.keys(cfg.receivers).sort()).toEqual([...new Set(Object.values(cfg.service.pipelines).flatMap((pl) => (pl as { receivers: string[] }).receivers))].sort());
  });

  it("expose the Thrift agent protocols as UDP ports and the rest as TCP, published at the same numbers", () => {
    expect(legacyReceiverPorts({ jaeger: true, zipkin: true })).toEqual([
      { name: "jaeger-grpc", port: 14250, hostPort: 14250 },
      { name: "jaeger-http", port: 14268, hostPort: 14268 },
      { name: "jaeger-compact", port: 6831, hostPort: 6831, protocol: "UDP" },
      { name: "jaeger-binary", port: 6832, hostPort: 6832, protocol: "UDP" },
      { name: "zipkin", port: 9411, hostPort: 9411 },
    ]);
    expect(legacyReceiverPorts({ jaeger: false, zipkin: false })).toEqual([]);
    // Kubernetes port names: at most 15 characters (IANA_SVC_NAME).
    for (const p of legacyReceiverPorts({ jaeger: true, zipkin: true })) expect(p.name).toMatch(/^[a-z0-9-]{1,15}$/);
  });
});

describe("trace sampling (otelCollector.sampling)", () => {
  it("none: no sampler, every trace reaches Tempo", () => {
    const cfg = render({ sampling: { mode: "none" } });
    expect(cfg.processors).not.toHaveProperty(OTEL_SAMPLERS.head);
    expect(cfg.processors).not.toHaveProperty(OTEL_SAMPLERS.tail);
    expect(cfg.service.pipelines.traces.processors).toEqual(["memory_limiter"]);
  });

  it("head: probabilistic_sampler keeps the percentage, after the memory limiter, on traces only", () => {
    const cfg = render({ sampling: { mode: "head", percentage: 10 } });
    expect(cfg.processors[OTEL_SAMPLERS.head]).toEqual({ sampling_percentage: 10 });
    expect(cfg.service.pipelines.traces.processors).toEqual(["memory_limiter", "probabilistic_sampler"]);
    expect(cfg.service.pipelines.logs.processors).toEqual(["memory_limiter"]);
    expect(cfg.service.pipelines.metrics.processors).toEqual(["memory_limiter"]);
  });

  it("tail (seed 002 prod: 10 %): errors and slow traces always kept, 10 % of the rest", () => {
    const cfg = render({ sampling: tail() });
    expect(cfg.processors[OTEL_SAMPLERS.tail]).toEqual({
      decision_wait: "10s",
      policies: [
        { name: TAIL_POLICIES.errors, type: "status_code", status_code: { status_codes: ["ERROR"] } },
        { name: TAIL_POLICIES.slow, type: "latency", latency: { threshold_ms: 1000 } },
        { name: TAIL_POLICIES.percentage, type: "probabilistic", probabilistic: { sampling_percentage: 10 } },
      ],
    });
    expect(cfg.service.pipelines.traces.processors).toEqual(["memory_limiter", "tail_sampling"]);
  });

  it("tail: every key is one the processor's config struct has, and each policy carries its own type's block", () => {
    const t = render({ sampling: tail() }).processors[OTEL_SAMPLERS.tail];
    for (const k of Object.keys(t)) expect(TAIL_TOP_KEYS).toContain(k);
    for (const p of t.policies as Record<string, unknown>[]) {
      expect(TAIL_POLICY_TYPES).toContain(p.type);
      expect(Object.keys(p).sort()).toEqual(["name", "type", String(p.type)].sort());
    }
  });

  it("tail leaves out what is switched off: no duration policy without a threshold, no draw at 0 %", () => {
    const policies = render({ sampling: tail({ slowThresholdMs: undefined, percentage: 0 }) }).processors.tail_sampling.policies;
    expect(policies.map((p: { name: string }) => p.name)).toEqual([TAIL_POLICIES.errors]);
  });
});
