import * as pulumi from "@pulumi/pulumi";
import type { ConfigFile } from "../configs/files";
import type { ProvisionedDashboard } from "../configs/grafana/dashboards";
import { dashboardMountPath } from "../configs/grafana/provisioning";
import { SERVICES } from "../configs/topology";
import { wgetHealth } from "../targets/target";
import { IMAGES } from "../versions";
import { ComponentArgs, ServiceComponent } from "./service-component";
import { USER_FACING_SERVICES } from "../configs/addressing";

export interface GrafanaArgs extends ComponentArgs {
  /** Provisioning files under `grafana/provisioning/` (datasources, dashboard providers). */
  readonly provisioning: readonly ConfigFile[];
  /** Dashboards (render path `grafana/dashboards/<file>.json`), each mounted in its folder's directory. */
  readonly dashboards: readonly ProvisionedDashboard[];
  /** Admin login. Default `admin`. */
  readonly adminUser: string;
  /** Admin password, a Pulumi secret (generated when not configured). */
  readonly adminPassword: pulumi.Output<string>;
  /** Key Grafana encrypts the secrets it stores with (`secret_key`), a Pulumi secret generated per stack. */
  readonly secretKey: pulumi.Output<string>;
  readonly hostPort: number;
  readonly memoryLimitMb: number;
  /**
   * Public URL when served through an ingress: Grafana builds redirects and
   * links from it. Cookies are marked Secure and HSTS is sent when it is
   * https; over plain http a Secure cookie would never come back and login
   * would loop, so both stay off. Default: unset (the published port).
   */
  readonly rootUrl?: string;
  /**
   * Password of the PostgreSQL datasource's read-only role (`exporters.postgres.grafana.password`), a
   * Pulumi secret mounted as a file and read into GRAFANA_POSTGRES_PASSWORD_ENV. Given, Grafana also joins the applications'
   * network (Docker) and may connect out (Kubernetes), as the database is outside the stack. Default none.
   */
  readonly postgresPassword?: pulumi.Output<string>;
}

/** Grafana's data volume: SQLite database, sessions, plugins, search index, temporary renders. */
export const GRAFANA_DATA_DIR = "/var/lib/grafana";

/**
 * Where Grafana writes, pinned to the data volume rather than left to the
 * image's defaults, so a read-only root filesystem (Kubernetes) holds. Upstream
 * evidence (Grafana 13.2's tag cannot be read here, so from the main branch):
 * - the image entrypoint packaging/docker/run.sh passes `paths.data`, `.logs`,
 *   `.plugins` and `.provisioning` from these variables, mkdirs only
 *   GF_PATHS_PLUGINS, and forces `log.mode=console`;
 * - conf/defaults.ini `[paths] data`: "temp files, sessions, and the sqlite3
 *   db"; plugins and logs default under it (`data/plugins`, `data/log`), and
 *   unified storage's search index defaults to `<data>/unified-search/bleve`
 *   (pkg/storage/unified/search);
 * - everything else goes to the OS temp dir (Go's os.TempDir, SQLite's temp
 *   files, plugin sockets): /tmp, an emptyDir on Kubernetes.
 * kube-prometheus runs Grafana the same way: readOnlyRootFilesystem with
 * writable /var/lib/grafana and /tmp only (manifests/grafana-deployment.yaml).
 */
export const GRAFANA_PATHS_ENV: Readonly<Record<string, string>> = {
  GF_PATHS_DATA: GRAFANA_DATA_DIR,
  GF_PATHS_PLUGINS: `${GRAFANA_DATA_DIR}/plugins`,
  // Unused while GF_LOG_MODE is console; on the volume should anyone add "file".
  GF_PATHS_LOGS: `${GRAFANA_DATA_DIR}/log`,
};

/**
 * Environment that locks Grafana down: no sign-up, no anonymous viewers, no
 * organisation creation by users, no snapshots published to grafana.com, no
 * public dashboards, no plugin downloads, no phoning home; behind an https
 * ingress, Secure cookies and HSTS.
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
    // No dashboard shared with anyone who has the link, no plugin fetched from grafana.com at start or
    // installed from the UI: what runs is what the image ships.
    GF_PUBLIC_DASHBOARDS_ENABLED: "false",
    GF_PLUGINS_PREINSTALL_DISABLED: "true",
    GF_PLUGINS_PLUGIN_ADMIN_ENABLED: "false",
    GF_ANALYTICS_REPORTING_ENABLED: "false",
    GF_ANALYTICS_CHECK_FOR_UPDATES: "false",
    // Logs to stdout only (the log agent ships them). The image's entrypoint already forces console;
    // said here too so the file mode of conf/defaults.ini ("console file") never applies.
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

/** Where Grafana reads its secrets from (mounted files: `docker inspect` and the pod spec show only the path). */
export const GRAFANA_SECRETS_DIR = "/etc/grafana/secrets";

/**
 * The PostgreSQL datasource's password: the variable the provisioning file names, filled by the image's
 * run.sh from the secret file its `__FILE` twin points at (as for the admin password).
 */
export const GRAFANA_POSTGRES_PASSWORD_ENV = "GF_DATASOURCE_POSTGRES_PASSWORD";
const GRAFANA_POSTGRES_PASSWORD_FILE = `${GRAFANA_SECRETS_DIR}/postgres-password`;

/**
 * Grafana applies GF_SECURITY_ADMIN_PASSWORD only when it creates its database, so a changed
 * `grafana.adminPassword` would not reach a running Grafana and the stack output would lie. Before the
 * server starts, the CLI sets the admin's password from the same file (on the very first start there is
 * no admin yet; the server then creates it from the file), then the image's own entrypoint runs.
 */
export const GRAFANA_ENTRYPOINT: readonly string[] = [
  "/bin/sh",
  "-c",
  'grafana cli --homepath "$GF_PATHS_HOME" --config "$GF_PATHS_CONFIG" admin reset-admin-password --password-from-stdin < "$GF_SECURITY_ADMIN_PASSWORD__FILE" > /dev/null 2>&1 || true; exec /run.sh "$@"',
  "--",
];

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
      entrypoint: GRAFANA_ENTRYPOINT,
      env: {
        ...grafanaSecurityEnv(args.adminUser, args.rootUrl),
        ...GRAFANA_PATHS_ENV,
        GF_PATHS_PROVISIONING: "/etc/grafana/provisioning",
        // The image's run.sh reads each GF_*__FILE into the variable without the suffix.
        GF_SECURITY_ADMIN_PASSWORD__FILE: `${GRAFANA_SECRETS_DIR}/admin-password`,
        GF_SECURITY_SECRET_KEY__FILE: `${GRAFANA_SECRETS_DIR}/secret-key`,
        ...(args.postgresPassword ? { [`${GRAFANA_POSTGRES_PASSWORD_ENV}__FILE`]: GRAFANA_POSTGRES_PASSWORD_FILE } : {}),
      },
      ports: [{ name: "http", port: http, hostPort: args.hostPort, userFacing: USER_FACING_SERVICES.includes(SERVICES.grafana.name) }],
      configs: [
        ...args.provisioning.map((file) => ({ mountPath: provisioningMount(file.path), file })),
        ...args.dashboards.map((d) => ({ mountPath: dashboardMountPath(d), file: d.file })),
      ],
      secrets: [
        { mountPath: `${GRAFANA_SECRETS_DIR}/admin-password`, content: args.adminPassword, renderPath: "grafana/secrets/admin-password" },
        { mountPath: `${GRAFANA_SECRETS_DIR}/secret-key`, content: args.secretKey, renderPath: "grafana/secrets/secret-key" },
        ...(args.postgresPassword
          ? [{ mountPath: GRAFANA_POSTGRES_PASSWORD_FILE, content: args.postgresPassword, renderPath: "grafana/secrets/postgres-password" }]
          : []),
      ],
      ...(args.postgresPassword ? { networks: ["stack", "applications"] as const, egress: true } : {}),
      volumes: [{ name: "data", mountPath: GRAFANA_DATA_DIR, sizeGi: 5 }],
      health: wgetHealth("/api/health", http),
      resources: { memoryLimitMb: args.memoryLimitMb, cpuRequestMillis: 100 },
      workload: "statefulset",
      replicas: 1,
      // The image's grafana user, with its own group rather than root's (gid 0).
      user: "472:472",
    }, opts);
  }
}
