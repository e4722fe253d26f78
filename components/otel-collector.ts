import * as path from "path";
import * as pulumi from "@pulumi/pulumi";
import type { ConfigFile } from "../configs/files";
import { OTEL_COLLECTOR_CONFIG_PATH } from "../configs/otel-collector/otel-collector";
import { SERVICES } from "../configs/topology";
import { IMAGES } from "../versions";
import { ComponentArgs, mountDir, ServiceComponent } from "./service-component";

export interface OtelCollectorArgs extends ComponentArgs {
  /** config.yml under `otel-collector/`. */
  readonly files: readonly ConfigFile[];
  readonly grpcHostPort: number;
  readonly httpHostPort: number;
  readonly memoryLimitMb: number;
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
      replicas: 1,
      // The contrib image's own non-root user.
      user: "10001:10001",
    }, opts);
  }
}
