import * as pulumi from "@pulumi/pulumi";
import type { ConfigFile } from "../configs/files";
import { LOKI_CONFIG_DIR, LOKI_CONFIG_PATH, LOKI_DATA_DIR, LOKI_RULER_STORAGE_DIR } from "../configs/loki/loki";
import { LOKI_RULES_RENDER_DIR } from "../configs/loki/rules";
import { SERVICES } from "../configs/topology";
import { IMAGES } from "../versions";
import { DataStoreArgs, mountDir, ServiceComponent } from "./service-component";

export interface LokiArgs extends DataStoreArgs {
  /**
   * loki.yml under `loki/` and the ruler's rule files under `loki/rules/<tenant>/`
   * (see configs/loki/rules.ts); the rules are mounted into the ruler's local storage,
   * which is outside the data volume so a removed rule file disappears on redeploy.
   */
  readonly files: readonly ConfigFile[];
}

/** Loki 3 single binary, TSDB index (schema v13) on a volume. */
export class Loki extends ServiceComponent {
  constructor(name: string, args: LokiArgs, opts?: pulumi.ComponentResourceOptions) {
    const { http, grpc } = SERVICES.loki.ports;
    super("observability:index:Loki", name, args.target, {
      name: SERVICES.loki.name,
      description: "Loki log store",
      image: IMAGES.loki,
      args: [`-config.file=${LOKI_CONFIG_PATH}`],
      ports: [
        { name: "http", port: http, hostPort: args.hostPort },
        { name: "grpc", port: grpc },
      ],
      // Rules go where the ruler's local storage reads them (`<dir>/<tenant>/*.yaml`), everything else next to loki.yml.
      // Both are config mounts (re-created with the container), never files on the data volume.
      configs: [
        ...mountDir(args.files.filter((f) => !isRuleFile(f)), "loki", LOKI_CONFIG_DIR),
        ...mountDir(args.files.filter(isRuleFile), LOKI_RULES_RENDER_DIR, LOKI_RULER_STORAGE_DIR),
      ],
      secrets: [],
      volumes: [{ name: "data", mountPath: LOKI_DATA_DIR, sizeGi: args.storageGi }],
      // The image has no shell or HTTP client; on Docker `up{job="loki"}` is the health signal.
      health: { path: "/ready", port: http },
      resources: { memoryLimitMb: args.memoryLimitMb, cpuRequestMillis: 200 },
      workload: "statefulset",
      replicas: 1,
      user: "10001:10001",
    }, opts);
  }
}

function isRuleFile(f: ConfigFile): boolean {
  return f.path.startsWith(`${LOKI_RULES_RENDER_DIR}/`);
}
