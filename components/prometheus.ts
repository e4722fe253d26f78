import * as pulumi from "@pulumi/pulumi";
import type { ConfigFile } from "../configs/files";
import { SERVICES } from "../configs/topology";
import { wgetHealth } from "../targets/target";
import { IMAGES } from "../versions";
import { ComponentArgs, mountDir, ServiceComponent } from "./service-component";

export interface PrometheusArgs extends ComponentArgs {
  /** prometheus.yml and rule files, all under `prometheus/`. */
  readonly files: readonly ConfigFile[];
  /** Sample retention, e.g. `15d`. */
  readonly retention: string;
  /** Host port (Docker). Default 9090. */
  readonly hostPort: number;
  readonly memoryLimitMb: number;
  readonly storageGi: number;
}

const CONFIG_DIR = "/etc/prometheus";

/** Prometheus 3: scrapes, evaluates rules, receives Tempo's and the collector's metrics. */
export class Prometheus extends ServiceComponent {
  constructor(name: string, args: PrometheusArgs, opts?: pulumi.ComponentResourceOptions) {
    const { http } = SERVICES.prometheus.ports;
    super("observability:index:Prometheus", name, args.target, {
      name: SERVICES.prometheus.name,
      description: "Prometheus metrics store and rule evaluator",
      image: IMAGES.prometheus,
      args: [
        `--config.file=${CONFIG_DIR}/prometheus.yml`,
        "--storage.tsdb.path=/prometheus",
        // Deprecated in recent 3.x in favour of `storage.tsdb.retention.time` in prometheus.yml, but still honoured;
        // the config-file key does not exist in 2.42, whose promtool must accept prometheus.yml.
        `--storage.tsdb.retention.time=${args.retention}`,
        // POST /-/reload applies a changed config without a restart.
        "--web.enable-lifecycle",
        // Tempo's metrics generator remote-writes span metrics and service graphs.
        "--web.enable-remote-write-receiver",
        // The OTel collector forwards application OTLP metrics.
        "--web.enable-otlp-receiver",
        // Keep exemplars so a latency panel can open the trace behind a slow request.
        "--enable-feature=exemplar-storage",
      ],
      ports: [{ name: "http", port: http, hostPort: args.hostPort, userFacing: true }],
      configs: mountDir(args.files, "prometheus", CONFIG_DIR),
      secrets: [],
      volumes: [{ name: "data", mountPath: "/prometheus", sizeGi: args.storageGi }],
      // Ready once the WAL is replayed; healthy (alive) throughout the replay.
      health: { ...wgetHealth("/-/ready", http), live: { path: "/-/healthy", port: http } },
      reload: { path: "/-/reload", port: http },
      resources: { memoryLimitMb: args.memoryLimitMb, cpuRequestMillis: 250 },
      workload: "statefulset",
      replicas: 1,
      user: "65534:65534",
    }, opts);
  }
}
