import * as path from "path";
import * as pulumi from "@pulumi/pulumi";
import type { ConfigFile } from "../configs/files";
import { TEMPO_CONFIG_PATH, TEMPO_DATA_DIR } from "../configs/tempo/tempo";
import { SERVICES } from "../configs/topology";
import { IMAGES } from "../versions";
import { DataStoreArgs, mountDir, ServiceComponent } from "./service-component";
import { EXPAND_ENV_FLAG } from "../configs/object-storage";
import { objectStoreEnv, type ObjectStoreCredentials } from "./object-store-credentials";

export interface TempoArgs extends DataStoreArgs {
  /** tempo.yml under `tempo/`. */
  readonly files: readonly ConfigFile[];
  /** Credentials of the bucket tempo.yml points at (`objectStore`); none while blocks stay on the volume. */
  readonly objectStoreCredentials?: ObjectStoreCredentials;
}

/** Tempo single binary: OTLP in from the collector, blocks on a volume, span metrics to Prometheus. */
export class Tempo extends ServiceComponent {
  constructor(name: string, args: TempoArgs, opts?: pulumi.ComponentResourceOptions) {
    const { http, grpc, otlpGrpc, otlpHttp } = SERVICES.tempo.ports;
    const credentials = args.objectStoreCredentials;
    super("observability:index:Tempo", name, args.target, {
      name: SERVICES.tempo.name,
      description: "Tempo trace store",
      image: IMAGES.tempo,
      args: [`-config.file=${TEMPO_CONFIG_PATH}`, ...(credentials ? [EXPAND_ENV_FLAG] : [])],
      ...(credentials ? { secretEnv: objectStoreEnv(credentials), egress: true } : {}),
      ports: [
        { name: "http", port: http, hostPort: args.hostPort },
        { name: "grpc", port: grpc },
        { name: "otlp-grpc", port: otlpGrpc },
        { name: "otlp-http", port: otlpHttp },
      ],
      configs: mountDir(args.files, "tempo", path.posix.dirname(TEMPO_CONFIG_PATH)),
      secrets: [],
      volumes: [{ name: "data", mountPath: TEMPO_DATA_DIR, sizeGi: args.storageGi }],
      // Distroless image: no Docker health command; `up{job="tempo"}` watches it.
      health: { path: "/ready", port: http },
      resources: { memoryLimitMb: args.memoryLimitMb, cpuRequestMillis: 200 },
      workload: "statefulset",
      replicas: 1,
      user: "10001:10001",
    }, opts);
  }
}
