import { ConfigFile, yamlFile } from "../files";
import type { PlatformProfile } from "../platform";
import { internalAddress, JOBS, SERVICES, STACK_INSTANCE } from "../topology";
import { ALERT_RELABEL_CONFIGS, externalLabels, type RemoteWriteEndpoint, remoteWriteConfig } from "./remote-write";

/** An application service Prometheus scrapes and blackbox probes. */
export interface ScrapeTarget {
  readonly name: string;
  readonly address: string;
  readonly component: string;
  readonly metricsPath: string;
  readonly scrapeInterval: string;
  readonly healthPaths: readonly string[];
  /** Exported metric name -> contract name, applied at scrape time (histogram suffixes follow). Default none. */
  readonly metricRenames?: Readonly<Record<string, string>>;
  /** Exported label name -> contract name, on every metric of the job. Default none. */
  readonly labelRenames?: Readonly<Record<string, string>>;
}

/** One `metric_relabel_configs` entry (the subset the renames use). */
export interface MetricRelabelConfig {
  readonly source_labels?: readonly string[];
  readonly regex: string;
  readonly target_label?: string;
  readonly replacement?: string;
  readonly action: "replace" | "labeldrop";
}

/** Series a histogram (or summary) exposes besides its base name; a rename carries them along. */
const METRIC_SUFFIXES = ["_bucket", "_count", "_sum", "_created"];

/** RE2 literal for a metric or label name (only `:` and `_` besides alphanumerics, none special). */
function literal(name: string): string {
  return name.replace(/[.*+?^${}()|[\]\\]/g, "\\$&");
}

/**
 * metric_relabel_configs that rename an application's metrics and labels to
 * the contract's (docs/metrics-contract.md), so rules and dashboards need no
 * per-service variants. Prometheus anchors relabel regexes, so a rename
 * matches the exact name (plus histogram suffixes) and nothing else. A label
 * rename copies only non-empty values (`(.+)`), so a series without the old
 * label keeps any existing new one, then drops the old label.
 */
export function metricRelabelConfigs(metricRenames: Readonly<Record<string, string>> = {}, labelRenames: Readonly<Record<string, string>> = {}): MetricRelabelConfig[] {
  return [
    ...Object.entries(metricRenames).map(([from, to]): MetricRelabelConfig => ({
      source_labels: ["__name__"],
      regex: `${literal(from)}(${METRIC_SUFFIXES.join("|")})?`,
      target_label: "__name__",
      // `${1}`, not `$1`: Go would read `$1foo` as a group named "1foo".
      replacement: `${to}\${1}`,
      action: "replace",
    })),
    ...Object.entries(labelRenames).flatMap(([from, to]): MetricRelabelConfig[] => [
      { source_labels: [from], regex: "(.+)", target_label: to, replacement: "${1}", action: "replace" },
      { regex: literal(from), action: "labeldrop" },
    ]),
  ];
}

/** An endpoint blackbox probes with a given module. */
export interface Probe {
  readonly name: string;
  /** URL, host or host:port, as the module expects. */
  readonly url: string;
  /** Module kind; probes of one kind share a scrape job (`blackbox_<kind>`, `blackbox_http` for http_2xx). */
  readonly module: string;
  /** The probe's own blackbox module when it has one (configs/blackbox probeModuleName); default `module`. */
  readonly moduleName?: string;
}

/** A job of the stack itself (exporters and components). */
export interface StackJob {
  readonly job: string;
  readonly address: string;
  readonly component: "observability" | "infra" | "database" | "cache";
  readonly metricsPath?: string;
  /** Keep the target's own `namespace`/`pod` labels (kube-state-metrics reports on other objects). */
  readonly honorLabels?: boolean;
  /**
   * Kubernetes: scrape every pod of the service (a DaemonSet's pod per node,
   * each replica) found through the API, instead of `address` behind a
   * Service that would answer from one random pod per scrape.
   */
  readonly pods?: PodSelector;
  /**
   * Kubernetes: the target is behind kube-rbac-proxy: scrape over https with Prometheus' service-account
   * token. The proxy's certificate is self-signed, so it is not verified (as kube-prometheus does for
   * node-exporter); the token is what the proxy checks.
   */
  readonly authenticated?: boolean;
}

/** The pods of one stack service, on one container port. */
export interface PodSelector {
  /** Namespaces to look in (the stack's two on Kubernetes). */
  readonly namespaces: readonly string[];
  /** `app.kubernetes.io/name` of the pods. */
  readonly service: string;
  readonly port: number;
}

/** prometheus.yml's `storage.tsdb` block (Prometheus 3.14 config/config.go, TSDBConfig). */
export interface PrometheusTsdbOptions {
  /** How long samples are kept, e.g. `15d` (`storage.tsdb.retention.time`). */
  readonly retentionTime: string;
  /**
   * Cap on the bytes blocks may take, e.g. `17GB` (`storage.tsdb.retention.size`;
   * see retentionSize). Default: none, time retention alone.
   */
  readonly retentionSize?: string;
}

/**
 * Share of the data volume Prometheus may fill before it deletes its oldest
 * blocks (`storage.tsdb.retention.size`). The cap counts blocks, WAL and
 * head chunks, but compaction writes a new block before deleting its inputs
 * and the WAL can grow between checks, so a margin stays free. (3.14 also
 * has `retention.percentage` of the disk, but marks it experimental.)
 */
export const RETENTION_SIZE_SHARE = 0.85;

/**
 * `storage.tsdb.retention.size` for a volume of `storageGi` GiB, in the
 * units Prometheus parses (base 2: its "GB" is GiB): whole GB where that
 * leaves something, MB below (a 1 GiB volume keeps 870MB).
 */
export function retentionSize(storageGi: number): string {
  const gb = Math.floor(storageGi * RETENTION_SIZE_SHARE);
  return gb >= 1 ? `${gb}GB` : `${Math.floor(storageGi * 1024 * RETENTION_SIZE_SHARE)}MB`;
}

/**
 * How far behind the newest sample of a series Prometheus still accepts one
 * (`storage.tsdb.out_of_order_time_window`). The collector's OTLP exporter
 * sends batches from a queue with several consumers and retries a failed
 * batch for up to 5 minutes (exporterhelper `retry_on_failure.max_elapsed_time`
 * default 300s), so a series' older point can land after a newer one; with no
 * window Prometheus drops it ("out of order sample"). 30m is the window
 * Prometheus' OpenTelemetry guide (prometheus.io/docs/guides/opentelemetry)
 * recommends for OTLP ingestion; it costs memory only while such samples arrive.
 */
export const OUT_OF_ORDER_TIME_WINDOW = "30m";

/** The facts of a platform profile (configs/platform.ts) that decide Prometheus' discovered jobs. */
export type PrometheusPlatform = Pick<PlatformProfile, "discovery" | "containerMetrics" | "clusterComponents">;

export interface PrometheusConfigOptions {
  readonly scrapeInterval: string;
  readonly evaluationInterval: string;
  /** `env` external label on every series and alert. */
  readonly environment: string;
  /** Rule files relative to prometheus.yml, e.g. `rules/tutordex.rules.yml`. */
  readonly ruleFiles: readonly string[];
  readonly stackJobs: readonly StackJob[];
  readonly targets: readonly ScrapeTarget[];
  readonly probes: readonly Probe[];
  /** Kubernetes: send alerts to every Alertmanager replica (never through a load-balancing Service). */
  readonly alertmanagerPods?: PodSelector;
  /**
   * The target's profile: with discovery through the Kubernetes API, pods that opt in by annotation
   * (seed 004) are scraped; the kubelet's cAdvisor where container metrics come from it; the
   * cluster's own components where it has them.
   */
  readonly platform: PrometheusPlatform;
  /**
   * Kubernetes: verify the kubelets' serving certificates against the cluster
   * CA when scraping cAdvisor and the kubelet itself. Default false (see kubeletTlsConfig).
   */
  readonly kubeletTlsVerify?: boolean;
  /** Retention (config-file form). Default: Prometheus' own, 15d and no size cap. */
  readonly tsdb?: PrometheusTsdbOptions;
  /**
   * Limits on every application scrape (targets[] and, on Kubernetes, annotated pods): one deploy that
   * exports a label per user cannot fill Prometheus' memory. Unset: no limit.
   */
  readonly applicationLimits?: { readonly sampleLimit: number; readonly labelLimit: number };
  /**
   * Kubernetes: also scrape kube-proxy, kube-scheduler, kube-controller-manager
   * and etcd (`kubernetes.controlPlane`). Default false: managed clusters hide
   * them and kubeadm binds them to localhost, so they would be down by design.
   */
  readonly controlPlane?: boolean;
  /** `cluster` external label (prometheus.cluster). Default: the environment. */
  readonly cluster?: string;
  /** Name of the cluster external label (kubernetes.clusterLabel). Default `cluster`. */
  readonly clusterLabel?: string;
  /**
   * Replicas run (Kubernetes): a `replica` external label from the pod name, dropped from alerts
   * (alert_relabel_configs) so Alertmanager deduplicates the pair. Default false.
   */
  readonly replicaFromPodName?: boolean;
  /** Long-term stores every replica writes to (remote_write). Default none. */
  readonly remoteWrite?: readonly RemoteWriteEndpoint[];
}

export const PROMETHEUS_CONFIG_RENDER_PATH = "prometheus/prometheus.yml";

/**
 * prometheus.yml for Prometheus 3.14. Debian's promtool 2.42 accepts all of
 * it but `storage.tsdb.retention` (the 3.8+ form of the deprecated
 * `--storage.tsdb.retention.*` flags; reloadable, unlike the flags), which the
 * tests strip for that checker alone (e2e/prometheus-242.ts).
 * Rule file paths are relative to this file, so the rendered directory works
 * as-is inside the container and on disk.
 */
export function prometheusConfigFile(o: PrometheusConfigOptions): ConfigFile {
  const limits = o.applicationLimits ? { sample_limit: o.applicationLimits.sampleLimit, label_limit: o.applicationLimits.labelLimit } : {};
  const blackbox = internalAddress("blackboxExporter");
  const probeGroups = new Map<string, { targets: string[]; labels: Record<string, string> }[]>();
  const addProbe = (module: string, url: string, labels: Record<string, string>) => {
    const groups = probeGroups.get(module) ?? [];
    groups.push({ targets: [url], labels });
    probeGroups.set(module, groups);
  };
  for (const t of o.targets) {
    for (const path of t.healthPaths) addProbe("http_2xx", `http://${t.address}${path}`, { component: t.component, probe: t.name });
  }
  // A probe with its own module overrides the job's `params.module` through `__param_module`.
  for (const p of o.probes) {
    const own: Record<string, string> = p.moduleName !== undefined && p.moduleName !== p.module ? { __param_module: p.moduleName } : {};
    addProbe(p.module, p.url, { component: "external", probe: p.name, ...own });
  }

  const probeJobs = [...probeGroups.entries()].map(([module, groups]) => ({
    // seed 001 names the health-probe job blackbox_http
    job_name: module === "http_2xx" ? JOBS.blackboxHttp : `blackbox_${module}`,
    metrics_path: "/probe",
    // Blackbox has no shared "dns" module: every dns probe brings its own (`__param_module`).
    ...(module === "dns" ? {} : { params: { module: [module] } }),
    static_configs: groups,
    relabel_configs: [
      { source_labels: ["__address__"], target_label: "__param_target" },
      { source_labels: ["__param_target"], target_label: "instance" },
      { target_label: "__address__", replacement: blackbox },
    ],
  }));

  const config = {
    global: {
      scrape_interval: o.scrapeInterval,
      evaluation_interval: o.evaluationInterval,
      external_labels: externalLabels({ environment: o.environment, cluster: o.cluster ?? o.environment, clusterLabel: o.clusterLabel, replicaFromPodName: o.replicaFromPodName ?? false }),
    },
    alerting: {
      ...(o.replicaFromPodName ? { alert_relabel_configs: ALERT_RELABEL_CONFIGS } : {}),
      alertmanagers: [
        o.alertmanagerPods
          ? podDiscovery(o.alertmanagerPods)
          : { static_configs: [{ targets: [internalAddress("alertmanager", SERVICES.alertmanager.ports.http)] }] },
      ],
    },
    rule_files: [...o.ruleFiles],
    ...(o.remoteWrite && o.remoteWrite.length > 0 ? { remote_write: o.remoteWrite.map(remoteWriteConfig) } : {}),
    storage: {
      tsdb: {
        out_of_order_time_window: OUT_OF_ORDER_TIME_WINDOW,
        ...(o.tsdb
          ? { retention: { time: o.tsdb.retentionTime, ...(o.tsdb.retentionSize ? { size: o.tsdb.retentionSize } : {}) } }
          : {}),
      },
    },
    scrape_configs: [
      ...o.stackJobs.map((j) => ({
        job_name: j.job,
        ...(j.metricsPath ? { metrics_path: j.metricsPath } : {}),
        ...(j.honorLabels ? { honor_labels: true } : {}),
        ...(j.authenticated
          ? { scheme: "https", tls_config: { insecure_skip_verify: true }, authorization: { credentials_file: `${SERVICE_ACCOUNT_DIR}/token` } }
          : {}),
        ...(j.pods
          ? withRelabel(podDiscovery(j.pods), [
              { source_labels: ["__meta_kubernetes_pod_node_name"], target_label: "node" },
              { target_label: "component", replacement: j.component },
            ])
          : { static_configs: [{ targets: [j.address], labels: { component: j.component } }] }),
      })),
      ...o.targets.map((t) => ({
        job_name: t.name,
        scrape_interval: t.scrapeInterval,
        metrics_path: t.metricsPath,
        ...limits,
        static_configs: [{ targets: [t.address], labels: { component: t.component } }],
        ...(Object.keys(t.metricRenames ?? {}).length + Object.keys(t.labelRenames ?? {}).length > 0
          ? { metric_relabel_configs: metricRelabelConfigs(t.metricRenames, t.labelRenames) }
          : {}),
      })),
      ...probeJobs,
      ...(o.platform.discovery === "kubernetes-api" ? [annotatedPodsJob(limits)] : []),
      ...(o.platform.containerMetrics === "kubelet" ? [kubeletCadvisorJob(o.kubeletTlsVerify ?? false)] : []),
      ...(o.platform.clusterComponents ? clusterComponentJobs(o.kubeletTlsVerify ?? false, o.controlPlane ?? false) : []),
    ],
  };
  return yamlFile(PROMETHEUS_CONFIG_RENDER_PATH, config, "Generated by the observability Pulumi program; edit stack config, not this file.");
}

/** Service discovery of one service's pods, kept to the one container port that serves the API/metrics. */
function podDiscovery(p: PodSelector): { kubernetes_sd_configs: object[]; relabel_configs: object[] } {
  return {
    kubernetes_sd_configs: [
      {
        role: "pod",
        namespaces: { names: [...p.namespaces] },
        selectors: [{ role: "pod", label: `app.kubernetes.io/name=${p.service},app.kubernetes.io/instance=${STACK_INSTANCE}` }],
      },
    ],
    relabel_configs: [{ source_labels: ["__meta_kubernetes_pod_container_port_number"], action: "keep", regex: String(p.port) }],
  };
}

function withRelabel<T extends { relabel_configs: object[] }>(sd: T, extra: object[]): T {
  return { ...sd, relabel_configs: [...sd.relabel_configs, ...extra] };
}

const SERVICE_ACCOUNT_DIR = "/var/run/secrets/kubernetes.io/serviceaccount";

/**
 * TLS towards the kubelets (node address:10250). kubeadm and kind kubelets
 * serve a self-signed certificate (no IP SAN, not signed by the cluster CA),
 * so verifying against the service-account CA fails there and cAdvisor would
 * read as down (ServiceDown paging forever). By default verification is
 * skipped, as kube-prometheus-stack does for the kubelet; the scrape still
 * authenticates with the service-account token, and what it reads is
 * container usage, not secrets. With `verify`, the cluster CA checks the
 * certificate: for clusters whose kubelets have CA-signed serving certificates
 * (kubelet serverTLSBootstrap with approved CSRs).
 * The API server's node proxy would avoid the question but needs
 * `nodes/proxy`, which amounts to exec on every node: not granted.
 */
export function kubeletTlsConfig(verify: boolean): { ca_file: string } | { insecure_skip_verify: true } {
  return verify ? { ca_file: `${SERVICE_ACCOUNT_DIR}/ca.crt` } : { insecure_skip_verify: true };
}

/** Pods that opt in with prometheus.io/* annotations (seed 004). */
function annotatedPodsJob(limits: object): object {
  return {
    job_name: "kubernetes_pods",
    ...limits,
    kubernetes_sd_configs: [{ role: "pod" }],
    relabel_configs: [
      { source_labels: ["__meta_kubernetes_pod_annotation_prometheus_io_scrape"], action: "keep", regex: "true" },
      { source_labels: ["__meta_kubernetes_pod_annotation_prometheus_io_path"], action: "replace", target_label: "__metrics_path__", regex: "(.+)" },
      {
        source_labels: ["__address__", "__meta_kubernetes_pod_annotation_prometheus_io_port"],
        action: "replace",
        regex: "([^:]+)(?::\\d+)?;(\\d+)",
        replacement: "$1:$2",
        target_label: "__address__",
      },
      { source_labels: ["__meta_kubernetes_namespace"], target_label: "namespace" },
      { source_labels: ["__meta_kubernetes_pod_name"], target_label: "pod" },
      { source_labels: ["__meta_kubernetes_pod_label_app_kubernetes_io_component"], target_label: "component" },
    ],
  };
}

/** Every kubelet's cAdvisor. */
function kubeletCadvisorJob(kubeletTlsVerify: boolean): object {
  const sa = SERVICE_ACCOUNT_DIR;
  return {
    job_name: JOBS.cadvisor,
    scheme: "https",
    metrics_path: "/metrics/cadvisor",
    kubernetes_sd_configs: [{ role: "node" }],
    tls_config: kubeletTlsConfig(kubeletTlsVerify),
    authorization: { credentials_file: `${sa}/token` },
    relabel_configs: [{ action: "labelmap", regex: "__meta_kubernetes_node_label_(.+)" }],
  };
}

/**
 * Where the cluster's own components serve metrics. kubeadm's defaults; the
 * control-plane ports only answer off-node once their bind address is opened
 * (kube-proxy `metricsBindAddress`, etcd `--listen-metrics-urls`,
 * scheduler/controller-manager `--bind-address`), hence `kubernetes.controlPlane`.
 */
export const CLUSTER_COMPONENT_PORTS = {
  coredns: 9153,
  kubeProxy: 10249,
  kubeScheduler: 10259,
  kubeControllerManager: 10257,
  etcd: 2381,
} as const;

/** Namespace the cluster's system pods (CoreDNS, kube-proxy, static control-plane pods) run in. */
export const KUBE_SYSTEM = "kube-system";

/**
 * Scrape jobs of the cluster's own components, for the kubernetes rule pack:
 * - `apiserver`: the endpoints of the `default/kubernetes` Service (every API
 *   server, not one behind the Service), https with the service-account CA and
 *   token; `server_name: kubernetes` because the serving certificate names the
 *   Service, not the endpoint IP. Needs the `/metrics` non-resource URL.
 * - `kubelet`, `kubelet_probes`, `kubelet_resource`: each node's kubelet
 *   `/metrics`, `/metrics/probes`, `/metrics/resource` (beside `cadvisor`),
 *   with a `node` label; `nodes/metrics` covers all four paths.
 * - `coredns`: the cluster DNS pods (`k8s-app=kube-dns`, port 9153).
 * - with `controlPlane`: kube-proxy (DaemonSet pods), and the static pods of
 *   kube-scheduler, kube-controller-manager (https, self-signed: not verified,
 *   token-authenticated) and etcd (plain http metrics port), found by the
 *   `component` label kubeadm gives them.
 */
function clusterComponentJobs(kubeletTlsVerify: boolean, controlPlane: boolean): object[] {
  const sa = SERVICE_ACCOUNT_DIR;
  const token = { credentials_file: `${sa}/token` };
  const nodeLabel = { source_labels: ["__meta_kubernetes_node_name"], target_label: "node" };
  const kubeletJob = (job: string, metricsPath: string) => ({
    job_name: job,
    scheme: "https",
    metrics_path: metricsPath,
    kubernetes_sd_configs: [{ role: "node" }],
    tls_config: kubeletTlsConfig(kubeletTlsVerify),
    authorization: token,
    relabel_configs: [nodeLabel],
  });
  /**
   * Pods of kube-system selected by label, on `port`: kept by their declared
   * container port (CoreDNS), or, for host-network pods that declare none
   * (kube-proxy, static control-plane pods), addressed as pod IP:`port`.
   */
  const systemPods = (job: string, selector: string, port: number, o: { https: boolean; declared: boolean }) => ({
    job_name: job,
    ...(o.https ? { scheme: "https", tls_config: { insecure_skip_verify: true }, authorization: token } : {}),
    kubernetes_sd_configs: [{ role: "pod", namespaces: { names: [KUBE_SYSTEM] }, selectors: [{ role: "pod", label: selector }] }],
    relabel_configs: [
      o.declared
        ? { source_labels: ["__meta_kubernetes_pod_container_port_number"], action: "keep", regex: String(port) }
        : { source_labels: ["__meta_kubernetes_pod_ip"], regex: "(.+)", replacement: `$1:${port}`, target_label: "__address__" },
      { source_labels: ["__meta_kubernetes_pod_node_name"], target_label: "node" },
      { source_labels: ["__meta_kubernetes_pod_name"], target_label: "pod" },
    ],
  });
  const P = CLUSTER_COMPONENT_PORTS;
  return [
    {
      job_name: JOBS.apiserver,
      scheme: "https",
      kubernetes_sd_configs: [{ role: "endpointslice", namespaces: { names: ["default"] } }],
      tls_config: { ca_file: `${sa}/ca.crt`, server_name: "kubernetes" },
      authorization: token,
      relabel_configs: [
        {
          source_labels: ["__meta_kubernetes_service_name", "__meta_kubernetes_endpointslice_port_name"],
          action: "keep",
          regex: "kubernetes;https",
        },
      ],
    },
    kubeletJob(JOBS.kubelet, "/metrics"),
    kubeletJob(JOBS.kubeletProbes, "/metrics/probes"),
    kubeletJob(JOBS.kubeletResource, "/metrics/resource"),
    systemPods(JOBS.coredns, "k8s-app=kube-dns", P.coredns, { https: false, declared: true }),
    ...(controlPlane
      ? [
          systemPods(JOBS.kubeProxy, "k8s-app=kube-proxy", P.kubeProxy, { https: false, declared: false }),
          systemPods(JOBS.kubeScheduler, "component=kube-scheduler", P.kubeScheduler, { https: true, declared: false }),
          systemPods(JOBS.kubeControllerManager, "component=kube-controller-manager", P.kubeControllerManager, { https: true, declared: false }),
          systemPods(JOBS.etcd, "component=etcd", P.etcd, { https: false, declared: false }),
        ]
      : []),
  ];
}
