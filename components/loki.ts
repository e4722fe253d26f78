import * as pulumi from "@pulumi/pulumi";
import type { ConfigFile } from "../configs/files";
import { LOKI_CONFIG_DIR, LOKI_CONFIG_PATH, LOKI_DATA_DIR, LOKI_MAIN_COMPACTOR_FILE, LOKI_MEMBERLIST_PORT, LOKI_RULER_STORAGE_DIR } from "../configs/loki/loki";
import { LOKI_RULES_RENDER_DIR } from "../configs/loki/rules";
import { SERVICES } from "../configs/topology";
import { IMAGES } from "../versions";
import { DataStoreArgs, mountDir, ServiceComponent } from "./service-component";
import { EXPAND_ENV_FLAG } from "../configs/object-storage";
import { objectStoreEnv, type ObjectStoreCredentials } from "./object-store-credentials";

export interface LokiArgs extends DataStoreArgs {
  /**
   * loki.yml under `loki/` and the ruler's rule files under `loki/rules/<tenant>/`
   * (see configs/loki/rules.ts); the rules are mounted into the ruler's local storage,
   * which is outside the data volume so a removed rule file disappears on redeploy.
   */
  readonly files: readonly ConfigFile[];
  /**
   * Replicas (Kubernetes StatefulSet). Default 1. Above 1 the files must be
   * the HA ones (configs/loki/loki.ts `ha`): memberlist, and the main compactor's own file.
   */
  readonly replicas?: number;
  /** Credentials of the bucket the files point at (`objectStore`); none while Loki keeps its data on the volume. */
  readonly objectStoreCredentials?: ObjectStoreCredentials;
}

/** Variable holding the pod's name in HA mode, for `-config.file` to pick the main compactor's file on replica 0. */
export const LOKI_POD_NAME_ENV = "POD_NAME";

/** Loki 3 single binary (or HA monolithic with replicas >= 3), TSDB index (schema v13) on a volume or in a bucket. */
export class Loki extends ServiceComponent {
  constructor(name: string, args: LokiArgs, opts?: pulumi.ComponentResourceOptions) {
    const { http, grpc } = SERVICES.loki.ports;
    const replicas = args.replicas ?? 1;
    const ha = replicas > 1;
    if (ha && !args.files.some((f) => f.path === `loki/${LOKI_MAIN_COMPACTOR_FILE}`)) {
      throw new Error(`loki: ${replicas} replicas need the HA config files (loki/${LOKI_MAIN_COMPACTOR_FILE})`);
    }
    // Replica 0 loads its own file (main compactor), the others loki.yml: Loki takes the first file that exists.
    const configFile = ha ? `${LOKI_CONFIG_DIR}/$(${LOKI_POD_NAME_ENV}).yml,${LOKI_CONFIG_PATH}` : LOKI_CONFIG_PATH;
    const credentials = args.objectStoreCredentials;
    super("observability:index:Loki", name, args.target, {
      name: SERVICES.loki.name,
      description: "Loki log store",
      image: IMAGES.loki,
      args: [`-config.file=${configFile}`, ...(credentials ? [EXPAND_ENV_FLAG] : [])],
      ...(credentials ? { secretEnv: objectStoreEnv(credentials) } : {}),
      ...(ha ? { podNameEnv: LOKI_POD_NAME_ENV } : {}),
      // The bucket may be anywhere (a cloud endpoint, a store in another namespace).
      ...(credentials ? { egress: true } : {}),
      ports: [
        { name: "http", port: http, hostPort: args.hostPort },
        { name: "grpc", port: grpc },
        // memberlist gossips over TCP only (dskit's TCP transport).
        ...(ha ? [{ name: "memberlist", port: LOKI_MEMBERLIST_PORT }] : []),
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
      replicas,
      user: "10001:10001",
    }, opts);
  }
}

function isRuleFile(f: ConfigFile): boolean {
  return f.path.startsWith(`${LOKI_RULES_RENDER_DIR}/`);
}
