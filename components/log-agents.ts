import * as path from "path";
import * as pulumi from "@pulumi/pulumi";
import { ALLOY_CONFIG_PATH, ALLOY_STORAGE_PATH } from "../configs/alloy/alloy";
import type { ConfigFile } from "../configs/files";
import { KUBERNETES_POD_LOG_DIR, PROMTAIL_CONFIG_PATH, PROMTAIL_POSITIONS_FILE } from "../configs/promtail/promtail";
import type { SyslogProtocol } from "../configs/logs/syslog";
import { SERVICES } from "../configs/topology";
import type { NetworkRole, ServicePort } from "../targets/target";
import { IMAGES } from "../versions";
import { ComponentArgs, mountDir, ServiceComponent } from "./service-component";

export interface LogAgentArgs extends ComponentArgs {
  /** The agent's config under `promtail/` or `alloy/`. */
  readonly files: readonly ConfigFile[];
  /** The syslog input the config runs (`syslog.*`): its ports are exposed. Default none. */
  readonly syslog?: SyslogPorts;
}

/** Where the syslog input listens: one port per transport, published on the Docker host at `hostPort`. */
export interface SyslogPorts {
  readonly protocols: readonly SyslogProtocol[];
  /** In-container (and Kubernetes Service) port. */
  readonly port: number;
  readonly hostPort: number;
}

/** The agent's syslog ports (`syslog-tcp`, `syslog-udp`). */
export function syslogPorts(s: SyslogPorts | undefined): ServicePort[] {
  if (!s) return [];
  return s.protocols.map((p) => ({ name: `syslog-${p}`, port: s.port, hostPort: s.hostPort, ...(p === "udp" ? { protocol: "UDP" as const } : {}) }));
}

/** Docker networks of a log agent: the applications' too when they send it syslog. */
function agentNetworks(args: LogAgentArgs): NetworkRole[] {
  return ["stack", "docker-api", ...(args.syslog ? (["applications"] as const) : [])];
}

/** The agent on each node keeps only that node's pods, so no line is shipped twice. */
export const NODE_NAME_ENV = "NODE_NAME";

/** Grafana Alloy, Promtail's maintained successor: ships container logs to Loki. */
export class Alloy extends ServiceComponent {
  constructor(name: string, args: LogAgentArgs, opts?: pulumi.ComponentResourceOptions) {
    const { http } = SERVICES.alloy.ports;
    super("observability:index:Alloy", name, args.target, {
      name: SERVICES.alloy.name,
      description: "Grafana Alloy log agent",
      image: IMAGES.alloy,
      args: ["run", ALLOY_CONFIG_PATH, `--server.http.listen-addr=0.0.0.0:${http}`, `--storage.path=${ALLOY_STORAGE_PATH}`],
      ports: [{ name: "http", port: http }, ...syslogPorts(args.syslog)],
      configs: mountDir(args.files, "alloy", path.posix.dirname(ALLOY_CONFIG_PATH)),
      secrets: [],
      // Read positions survive replacement, so no line is shipped twice or lost.
      volumes: [{ name: "data", mountPath: ALLOY_STORAGE_PATH, sizeGi: 1 }],
      // Docker: the engine's API through the read-only proxy. Kubernetes: pod logs through the API. No host path.
      hostMounts: [],
      networks: agentNetworks(args),
      // Kubernetes: discovers the pods and reads their logs through the API.
      apiRead: [{ apiGroup: "", resources: ["pods", "pods/log"], verbs: ["get", "list", "watch"] }],
      nodeNameEnv: args.target.profile.perNodeAgents ? NODE_NAME_ENV : undefined,
      health: { path: "/-/ready", port: http },
      reload: { path: "/-/reload", port: http },
      resources: { memoryLimitMb: 256, cpuRequestMillis: 50 },
      workload: "daemonset",
      // Both targets read logs through an API (no socket, no host path), so Alloy runs as the image's own
      // `alloy` user (uid 473); on Kubernetes it meets the `restricted` Pod Security Standard.
      user: `${ALLOY_UID}:${ALLOY_UID}`,
    }, opts);
  }
}

/** The `alloy` user grafana/alloy images create (their Dockerfile's `ARG UID=473`). */
const ALLOY_UID = 473;

/** Promtail (end of life 2026-03-02), kept as a choice for users migrating to Alloy. */
export class Promtail extends ServiceComponent {
  constructor(name: string, args: LogAgentArgs, opts?: pulumi.ComponentResourceOptions) {
    const { http } = SERVICES.promtail.ports;
    super("observability:index:Promtail", name, args.target, {
      name: SERVICES.promtail.name,
      description: "Promtail log agent",
      image: IMAGES.promtail,
      args: [`-config.file=${PROMTAIL_CONFIG_PATH}`],
      ports: [{ name: "http", port: http }, ...syslogPorts(args.syslog)],
      configs: mountDir(args.files, "promtail", path.posix.dirname(PROMTAIL_CONFIG_PATH)),
      secrets: [],
      volumes: [{ name: "positions", mountPath: path.posix.dirname(PROMTAIL_POSITIONS_FILE), sizeGi: 1 }],
      // Docker: the engine's API through the read-only proxy. Kubernetes: the node's pod log directory.
      hostMounts: args.target.profile.logSource === "docker-api" ? [] : [{ hostPath: KUBERNETES_POD_LOG_DIR, mountPath: KUBERNETES_POD_LOG_DIR, readOnly: true }],
      networks: agentNetworks(args),
      // Kubernetes: discovers the pods through the API (their logs it reads from the node's directory).
      apiRead: [{ apiGroup: "", resources: ["pods"], verbs: ["get", "list", "watch"] }],
      // Promtail keeps targets whose __host__ equals its HOSTNAME: the node's name.
      nodeNameEnv: args.target.profile.perNodeAgents ? "HOSTNAME" : undefined,
      health: { path: "/ready", port: http },
      resources: { memoryLimitMb: 256, cpuRequestMillis: 50 },
      workload: "daemonset",
      // The image has no other user, and its positions volume starts out root's; no capability is kept.
      user: "0:0",
    }, opts);
  }
}
