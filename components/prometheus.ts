import * as pulumi from "@pulumi/pulumi";
import type { ConfigFile } from "../configs/files";
import { POD_NAME_ENV, PROMETHEUS_SECRETS_MOUNT_DIR, PROMETHEUS_SECRETS_RENDER_DIR } from "../configs/prometheus/remote-write";
import { SERVICES } from "../configs/topology";
import { type ApiReadRule, type ServicePort, wgetHealth } from "../targets/target";
import { IMAGES } from "../versions";
import { DataStoreArgs, mountDir, ServiceComponent } from "./service-component";
import { USER_FACING_SERVICES } from "../configs/addressing";

/** Retention is in prometheus.yml (`storage.tsdb.retention`, see prometheusConfigFile), not in args. */
export interface PrometheusArgs extends DataStoreArgs {
  /** prometheus.yml and rule files, all under `prometheus/`. */
  readonly files: readonly ConfigFile[];
  /** Open the admin API (TSDB snapshots for `npm run backup`, but also series deletion). Default false. */
  readonly adminApi?: boolean;
  /** Remote-write credentials under PROMETHEUS_SECRETS_RENDER_DIR, mounted read-only at PROMETHEUS_SECRETS_MOUNT_DIR. Default none. */
  readonly secretFiles?: readonly { readonly path: string; readonly content: pulumi.Output<string> }[];
  /** Replicas (Kubernetes; each scrapes everything). Default 1. */
  readonly replicas?: number;
}

const CONFIG_DIR = "/etc/prometheus";

/** What Prometheus reads from the Kubernetes API (its discovery and the scrapes the API authorises). */
const PROMETHEUS_API_READ: readonly ApiReadRule[] = [
  // Pod and node discovery; services and EndpointSlices find the API servers behind `default/kubernetes`.
  { apiGroup: "", resources: ["pods", "nodes", "services"], verbs: ["get", "list", "watch"] },
  { apiGroup: "discovery.k8s.io", resources: ["endpointslices"], verbs: ["get", "list", "watch"] },
  // The kubelets' /metrics, /metrics/cadvisor, /metrics/probes and /metrics/resource (never nodes/proxy).
  { apiGroup: "", resources: ["nodes/metrics"], verbs: ["get"] },
  // What kube-rbac-proxy checks before it lets a scrape through to node-exporter; and /metrics of the API server,
  // the scheduler and the controller-manager, which delegate authorisation to it.
  { nonResourceURLs: ["/metrics"], verbs: ["get"] },
];
/** Where the TSDB lives in the container (the data volume's mount); npm run backup reads it. */
export const PROMETHEUS_DATA_DIR = "/prometheus";
export const PROMETHEUS_ADMIN_API_FLAG = "--web.enable-admin-api";

/** Prometheus 3: scrapes, evaluates rules, receives Tempo's and the collector's metrics. */
export class Prometheus extends ServiceComponent {
  constructor(name: string, args: PrometheusArgs, opts?: pulumi.ComponentResourceOptions) {
    const { http } = SERVICES.prometheus.ports;
    const port: ServicePort = { name: "http", port: http, hostPort: args.hostPort, userFacing: USER_FACING_SERVICES.includes(SERVICES.prometheus.name) };
    // Alerts' "Source" links and the UI's own links: the address people reach, not the pod or container name.
    const externalUrl = args.target.publicUrl(SERVICES.prometheus.name, port);
    super("observability:index:Prometheus", name, args.target, {
      name: SERVICES.prometheus.name,
      description: "Prometheus metrics store and rule evaluator",
      image: IMAGES.prometheus,
      args: [
        `--config.file=${CONFIG_DIR}/prometheus.yml`,
        `--storage.tsdb.path=${PROMETHEUS_DATA_DIR}`,
        // The route prefix defaults to this URL's path, which is empty (publicUrl gives scheme://host[:port]),
        // so Prometheus still serves at /: the reloader POSTs http://127.0.0.1:9090/-/reload and the
        // probes GET /-/ready and /-/healthy.
        `--web.external-url=${externalUrl}`,
        // POST /-/reload applies a changed config without a restart where the target reloads in place
        // (Kubernetes' reloader). It opens POST /-/quit too, so it stays off where containers are replaced.
        ...(args.target.reloadsInPlace ? ["--web.enable-lifecycle"] : []),
        // Tempo's metrics generator remote-writes span metrics and service graphs.
        "--web.enable-remote-write-receiver",
        // The OTel collector forwards application OTLP metrics.
        "--web.enable-otlp-receiver",
        // Keep exemplars so a latency panel can open the trace behind a slow request.
        "--enable-feature=exemplar-storage",
        // POST /api/v1/admin/tsdb/snapshot for npm run backup; opens delete_series too, hence opt-in.
        ...(args.adminApi ? [PROMETHEUS_ADMIN_API_FLAG] : []),
      ],
      ports: [port],
      configs: mountDir(args.files, "prometheus", CONFIG_DIR),
      secrets: (args.secretFiles ?? []).map((f) => ({ mountPath: `${PROMETHEUS_SECRETS_MOUNT_DIR}/${f.path.slice(`${PROMETHEUS_SECRETS_RENDER_DIR}/`.length)}`, content: f.content, renderPath: f.path })),
      volumes: [{ name: "data", mountPath: PROMETHEUS_DATA_DIR, sizeGi: args.storageGi }],
      // Ready once the WAL is replayed; healthy (alive) throughout the replay.
      health: { ...wgetHealth("/-/ready", http), live: { path: "/-/healthy", port: http } },
      reload: { path: "/-/reload", port: http },
      // Scrapes the applications.
      networks: ["stack", "applications"],
      egress: true,
      apiRead: PROMETHEUS_API_READ,
      resources: { memoryLimitMb: args.memoryLimitMb, cpuRequestMillis: 250 },
      workload: "statefulset",
      replicas: args.replicas ?? 1,
      // The `replica` external label (configs/prometheus/remote-write.ts), expanded by Prometheus 3 from the environment.
      ...(args.target.profile.replicas ? { podNameEnv: POD_NAME_ENV } : {}),
      user: "65534:65534",
    }, opts);
  }
}
