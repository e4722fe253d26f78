import * as pulumi from "@pulumi/pulumi";
import type { ConfigFile } from "../configs/files";
import type { ProvisionedDashboard } from "../configs/grafana/dashboards";
import { dashboardMountPath } from "../configs/grafana/provisioning";
import { SERVICES } from "../configs/topology";
import { wgetHealth } from "../targets/target";
import { IMAGES } from "../versions";
import { ComponentArgs, ServiceComponent } from "./service-component";

export interface GrafanaArgs extends ComponentArgs {
  /** Provisioning files under `grafana/provisioning/` (datasources, dashboard providers). */
  readonly provisioning: readonly ConfigFile[];
  /** Dashboards (render path `grafana/dashboards/<file>.json`), each mounted in its folder's directory. */
  readonly dashboards: readonly ProvisionedDashboard[];
  /** Admin login. Default `admin`. */
  readonly adminUser: string;
  /** Admin password, a Pulumi secret (generated when not configured). */
  readonly adminPassword: pulumi.Output<string>;
  readonly hostPort: number;
  readonly memoryLimitMb: number;
  /**
   * Public URL when served through an ingress: Grafana builds redirects and
   * links from it. Cookies are marked Secure and HSTS is sent when it is
   * https; over plain http a Secure cookie would never come back and login
   * would loop, so both stay off. Default: unset (the published port).
   */
  readonly rootUrl?: string;
}

/**
 * Environment that locks Grafana down: no sign-up, no anonymous viewers, no
 * organisation creation by users, no snapshots published to grafana.com, no
 * phoning home; behind an https ingress, Secure cookies and HSTS.
 */
export function grafanaSecurityEnv(adminUser: string, rootUrl: string | undefined): Record<string, string> {
  const https = rootUrl?.startsWith("https://") ?? false;
  return {
    GF_SECURITY_ADMIN_USER: adminUser,
    GF_USERS_ALLOW_SIGN_UP: "false",
    GF_USERS_ALLOW_ORG_CREATE: "false",
    GF_AUTH_ANONYMOUS_ENABLED: "false",
    GF_SECURITY_DISABLE_GRAVATAR: "true",
    GF_SECURITY_COOKIE_SAMESITE: "lax",
    GF_SNAPSHOTS_EXTERNAL_ENABLED: "false",
    GF_ANALYTICS_REPORTING_ENABLED: "false",
    GF_ANALYTICS_CHECK_FOR_UPDATES: "false",
    // Logs to stdout only (the log agent ships them): the default "console file" writes /var/log/grafana,
    // which a read-only root filesystem does not allow.
    GF_LOG_MODE: "console",
    ...(rootUrl
      ? {
          GF_SERVER_ROOT_URL: rootUrl,
          GF_SECURITY_COOKIE_SECURE: String(https),
          GF_SECURITY_STRICT_TRANSPORT_SECURITY: String(https),
        }
      : {}),
  };
}

/** Grafana with provisioned datasources and dashboards (one directory per folder); locked down as above. */
export class Grafana extends ServiceComponent {
  constructor(name: string, args: GrafanaArgs, opts?: pulumi.ComponentResourceOptions) {
    const { http } = SERVICES.grafana.ports;
    const provisioningMount = (p: string) => {
      if (!p.startsWith("grafana/provisioning/")) throw new Error(`${p} is not a Grafana provisioning file (grafana/provisioning/...)`);
      return `/etc/grafana/${p.slice("grafana/".length)}`;
    };
    super("observability:index:Grafana", name, args.target, {
      name: SERVICES.grafana.name,
      description: "Grafana dashboards",
      image: IMAGES.grafana,
      env: {
        ...grafanaSecurityEnv(args.adminUser, args.rootUrl),
        GF_PATHS_PROVISIONING: "/etc/grafana/provisioning",
      },
      secretEnv: { GF_SECURITY_ADMIN_PASSWORD: args.adminPassword },
      ports: [{ name: "http", port: http, hostPort: args.hostPort, userFacing: true }],
      configs: [
        ...args.provisioning.map((file) => ({ mountPath: provisioningMount(file.path), file })),
        ...args.dashboards.map((d) => ({ mountPath: dashboardMountPath(d), file: d.file })),
      ],
      secrets: [],
      volumes: [{ name: "data", mountPath: "/var/lib/grafana", sizeGi: 5 }],
      health: wgetHealth("/api/health", http),
      resources: { memoryLimitMb: args.memoryLimitMb, cpuRequestMillis: 100 },
      workload: "statefulset",
      replicas: 1,
      // The image's grafana user, with its own group rather than root's (gid 0).
      user: "472:472",
    }, opts);
  }
}
