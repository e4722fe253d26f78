import * as path from "path";
import * as pulumi from "@pulumi/pulumi";
import type { ConfigFile } from "../configs/files";
import { legacyReceiverPorts, OTEL_COLLECTOR_CONFIG_PATH, type LegacyReceivers } from "../configs/otel-collector/otel-collector";
import { SERVICES } from "../configs/topology";
import { IMAGES } from "../versions";
import { ComponentArgs, mountDir, ServiceComponent } from "./service-component";

export interface OtelCollectorArgs extends ComponentArgs {
  /** config.yml under `otel-collector/`. */
  readonly files: readonly ConfigFile[];
  readonly grpcHostPort: number;
  readonly httpHostPort: number;
  readonly memoryLimitMb: number;
  /** Jaeger/Zipkin receivers the config enables (`otelCollector.receivers`): their ports are exposed too. Default none. */
  readonly legacyReceivers?: LegacyReceivers;
}

/** OpenTelemetry Collector (contrib): the applications' one OTLP endpoint. */
export class OtelCollector extends ServiceComponent {
  constructor(name: string, args: OtelCollectorArgs, opts?: pulumi.ComponentResourceOptions) {
    const { otlpGrpc, otlpHttp, metrics, health } = SERVICES.otelCollector.ports;
    super("observability:index:OtelCollector", name, args.target, {
      name: SERVICES.otelCollector.name,
      description: "OpenTelemetry Collector",
      image: IMAGES.otelCollector,
      args: [`--config=${OTEL_COLLECTOR_CONFIG_PATH}`],
      ports: [
        { name: "otlp-grpc", port: otlpGrpc, hostPort: args.grpcHostPort },
        { name: "otlp-http", port: otlpHttp, hostPort: args.httpHostPort },
        { name: "metrics", port: metrics },
        { name: "health", port: health },
        ...legacyReceiverPorts(args.legacyReceivers ?? { jaeger: false, zipkin: false }),
      ],
      configs: mountDir(args.files, "otel-collector", path.posix.dirname(OTEL_COLLECTOR_CONFIG_PATH)),
      secrets: [],
      volumes: [],
      // Scratch image: health_check extension answers Kubernetes probes; Docker relies on `up`.
      health: { path: "/", port: health },
      // Applications send it OTLP.
      networks: ["stack", "applications"],
      resources: { memoryLimitMb: args.memoryLimitMb, cpuRequestMillis: 100 },
      workload: "deployment",
      // One replica: tail sampling (otelCollector.sampling.mode tail) decides on whole traces, so every span
      // of a trace must reach the same collector. More replicas would need a loadbalancing exporter tier.
      replicas: 1,
      // The contrib image's own non-root user.
      user: "10001:10001",
    }, opts);
  }
}
