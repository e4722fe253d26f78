import * as pulumi from "@pulumi/pulumi";
import { ALERTMANAGER_CONFIG_RENDER_PATH, ALERTMANAGER_SECRETS_DIR } from "../configs/alertmanager/alertmanager";
import type { ConfigFile } from "../configs/files";
import { replicaAddress, SERVICES } from "../configs/topology";
import { MountedSecret, wgetHealth } from "../targets/target";
import { IMAGES } from "../versions";
import { ComponentArgs, mountDir, ServiceComponent } from "./service-component";
import { USER_FACING_SERVICES } from "../configs/addressing";

export interface AlertmanagerArgs extends ComponentArgs {
  /** alertmanager.yml (secrets already filled in, as a secret) and templates, under `alertmanager/`. */
  readonly files: readonly ConfigFile[];
  /** alertmanager.yml itself when it carries inline secrets; replaces the masked file of `files`. */
  readonly secretConfig?: pulumi.Output<string>;
  /** Secret files under `alertmanager/secrets/` (ALERTMANAGER_SECRETS_DIR), mounted at ALERTMANAGER_SECRETS_MOUNT_DIR. */
  readonly secretFiles: readonly { path: string; content: pulumi.Output<string> }[];
  readonly hostPort: number;
  readonly memoryLimitMb: number;
  /** Clustered replicas (Kubernetes). Default 1. */
  readonly replicas: number;
}

/** Where the container reads its config (mount paths; render paths are configs/alertmanager's `*_RENDER_PATH`). */
export const ALERTMANAGER_CONFIG_DIR = "/etc/alertmanager";
/**
 * Where receivers' secret files (`*_file`) are mounted: beside the config directory, not in it, so on Kubernetes
 * they sit in a volume of their own and the reload sidecar can watch a config without inline secrets.
 */
export const ALERTMANAGER_SECRETS_MOUNT_DIR = "/etc/alertmanager-secrets";
/** Silences and the notification log (the data volume's mount); npm run backup exports the silences. */
export const ALERTMANAGER_DATA_DIR = "/alertmanager";
const CONFIG_MOUNT_PATH = `${ALERTMANAGER_CONFIG_DIR}/alertmanager.yml`;

/** Variable holding the pod's IP (Kubernetes Downward API), for the gossip advertise address. */
export const POD_IP_ENV = "POD_IP";

/**
 * `--cluster.advertise-address` value: the pod's own IP, which Kubernetes
 * expands from `$(POD_IP)` in args. Without it Alertmanager picks a private
 * (RFC 1918) address of the pod and refuses to start when it has none
 * (IPv6-only or non-RFC 1918 pod networks: "No private IP address found").
 * The brackets make an IPv6 address parse as host:port, and Go's
 * net.SplitHostPort accepts them around IPv4 too; the Prometheus operator
 * and the community chart advertise `[$(POD_IP)]:9094` the same way.
 */
export function clusterAdvertiseAddress(port: number): string {
  return `[$(${POD_IP_ENV})]:${port}`;
}

/** Alertmanager: routing, grouping, inhibition, silences; state (silences, notification log) on a volume. */
export class Alertmanager extends ServiceComponent {
  constructor(name: string, args: AlertmanagerArgs, opts?: pulumi.ComponentResourceOptions) {
    const { http, cluster } = SERVICES.alertmanager.ports;
    const inSecretConfig = (p: string) => args.secretConfig !== undefined && p === ALERTMANAGER_CONFIG_RENDER_PATH;
    const secrets: MountedSecret[] = args.secretFiles.map((s) => ({
      mountPath: `${ALERTMANAGER_SECRETS_MOUNT_DIR}/${s.path.slice(`${ALERTMANAGER_SECRETS_DIR}/`.length)}`,
      content: s.content,
      renderPath: s.path,
    }));
    if (args.secretConfig) {
      secrets.push({ mountPath: CONFIG_MOUNT_PATH, content: args.secretConfig, renderPath: ALERTMANAGER_CONFIG_RENDER_PATH });
    }
    super("observability:index:Alertmanager", name, args.target, {
      name: SERVICES.alertmanager.name,
      description: "Alertmanager notification router",
      image: IMAGES.alertmanager,
      args: [
        `--config.file=${CONFIG_MOUNT_PATH}`,
        `--storage.path=${ALERTMANAGER_DATA_DIR}`,
        "--data.retention=120h",
        // One replica gossips with nobody; more form a cluster through the StatefulSet's stable names.
        ...(args.replicas > 1
          ? [
              `--cluster.listen-address=0.0.0.0:${cluster}`,
              `--cluster.advertise-address=${clusterAdvertiseAddress(cluster)}`,
              ...Array.from({ length: args.replicas }, (_, i) => `--cluster.peer=${replicaAddress("alertmanager", i, cluster)}`),
            ]
          : ["--cluster.listen-address="]),
      ],
      ports: [
        { name: "http", port: http, hostPort: args.hostPort, userFacing: USER_FACING_SERVICES.includes(SERVICES.alertmanager.name) },
        ...(args.replicas > 1 ? [{ name: "cluster", port: cluster }] : []),
      ],
      configs: mountDir(args.files.filter((f) => !inSecretConfig(f.path)), "alertmanager", ALERTMANAGER_CONFIG_DIR),
      secrets,
      volumes: [{ name: "data", mountPath: ALERTMANAGER_DATA_DIR, sizeGi: 2 }],
      health: { ...wgetHealth("/-/ready", http), live: { path: "/-/healthy", port: http } },
      reload: { path: "/-/reload", port: http },
      // Notifications go out to Telegram, Slack, PagerDuty, SMTP, webhooks.
      egress: true,
      resources: { memoryLimitMb: args.memoryLimitMb, cpuRequestMillis: 50 },
      workload: "statefulset",
      replicas: args.replicas,
      podIpEnv: args.replicas > 1 ? POD_IP_ENV : undefined,
      user: "65534:65534",
    }, opts);
  }
}
