import * as pulumi from "@pulumi/pulumi";
import type { ConfigFile } from "../configs/files";
import { SERVICES } from "../configs/topology";
import { IMAGES } from "../versions";
import { ComponentArgs, mountDir, ServiceComponent } from "./service-component";

export interface LokiArgs extends ComponentArgs {
  /** loki.yml (and ruler rules) under `loki/`. */
  readonly files: readonly ConfigFile[];
  readonly hostPort: number;
  readonly memoryLimitMb: number;
  readonly storageGi: number;
}

/** Loki 3 single binary, TSDB index (schema v13) on a volume. */
export class Loki extends ServiceComponent {
  constructor(name: string, args: LokiArgs, opts?: pulumi.ComponentResourceOptions) {
    const { http, grpc } = SERVICES.loki.ports;
    super("observability:index:Loki", name, args.target, {
      name: SERVICES.loki.name,
      description: "Loki log store",
      image: IMAGES.loki,
      args: ["-config.file=/etc/loki/loki.yml"],
      ports: [
        { name: "http", port: http, hostPort: args.hostPort },
        { name: "grpc", port: grpc },
      ],
      configs: mountDir(args.files, "loki", "/etc/loki"),
      secrets: [],
      volumes: [{ name: "data", mountPath: "/loki", sizeGi: args.storageGi }],
      // The image has no shell or HTTP client; on Docker `up{job="loki"}` is the health signal.
      health: { path: "/ready", port: http },
      resources: { memoryLimitMb: args.memoryLimitMb, cpuRequestMillis: 200 },
      workload: "statefulset",
      replicas: 1,
      user: "10001:10001",
    }, opts);
  }
}
