import * as pulumi from "@pulumi/pulumi";
import type { ConfigFile } from "../configs/files";
import { GRAFANA_DASHBOARDS_DIR } from "../configs/grafana/provisioning";
import { SERVICES } from "../configs/topology";
import { wgetHealth } from "../targets/target";
import { IMAGES } from "../versions";
import { ComponentArgs, ServiceComponent } from "./service-component";

export interface GrafanaArgs extends ComponentArgs {
  /** Provisioning files under `grafana/provisioning/` and dashboards under `grafana/dashboards/`. */
  readonly files: readonly ConfigFile[];
  /** Admin login. Default `admin`. */
  readonly adminUser: string;
  /** Admin password, a Pulumi secret (generated when not configured). */
  readonly adminPassword: pulumi.Output<string>;
  readonly hostPort: number;
  readonly memoryLimitMb: number;
  /** Public URL when served through an ingress (secure cookies follow from https). */
  readonly rootUrl?: string;
}

/** Grafana with provisioned datasources and dashboards; no sign-up, no anonymous access. */
export class Grafana extends ServiceComponent {
  constructor(name: string, args: GrafanaArgs, opts?: pulumi.ComponentResourceOptions) {
    const { http } = SERVICES.grafana.ports;
    const mountPath = (p: string) =>
      p.startsWith("grafana/dashboards/")
        ? `${GRAFANA_DASHBOARDS_DIR}/${p.slice("grafana/dashboards/".length)}`
        : `/etc/grafana/${p.slice("grafana/".length)}`;
    super("observability:index:Grafana", name, args.target, {
      name: SERVICES.grafana.name,
      description: "Grafana dashboards",
      image: IMAGES.grafana,
      env: {
        GF_SECURITY_ADMIN_USER: args.adminUser,
        GF_USERS_ALLOW_SIGN_UP: "false",
        GF_AUTH_ANONYMOUS_ENABLED: "false",
        GF_ANALYTICS_REPORTING_ENABLED: "false",
        GF_ANALYTICS_CHECK_FOR_UPDATES: "false",
        GF_PATHS_PROVISIONING: "/etc/grafana/provisioning",
        ...(args.rootUrl
          ? { GF_SERVER_ROOT_URL: args.rootUrl, GF_SECURITY_COOKIE_SECURE: String(args.rootUrl.startsWith("https://")) }
          : {}),
      },
      secretEnv: { GF_SECURITY_ADMIN_PASSWORD: args.adminPassword },
      ports: [{ name: "http", port: http, hostPort: args.hostPort, userFacing: true }],
      configs: args.files.map((file) => ({ mountPath: mountPath(file.path), file })),
      secrets: [],
      volumes: [{ name: "data", mountPath: "/var/lib/grafana", sizeGi: 5 }],
      health: wgetHealth("/api/health", http),
      resources: { memoryLimitMb: args.memoryLimitMb, cpuRequestMillis: 100 },
      workload: "statefulset",
      replicas: 1,
      user: "472:0",
    }, opts);
  }
}
