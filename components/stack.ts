import * as path from "path";
import * as pulumi from "@pulumi/pulumi";
import * as random from "@pulumi/random";
import { ALERTMANAGER_CONFIG_RENDER_PATH, alertmanagerConfig, type AlertmanagerConfigResult } from "../configs/alertmanager/alertmanager";
import { alloyConfigFiles } from "../configs/alloy/alloy";
import { blackboxConfig, probeModuleName, type BlackboxConfig, type ProbeSpec } from "../configs/blackbox/blackbox";
import type { ConfigFile } from "../configs/files";
import { externalDatasourceUrls, publishedServicesOf } from "../configs/grafana/external";
import type { ProvisionedDashboard } from "../configs/grafana/dashboards";
import { grafanaDashboardProviderFile, grafanaDatasourcesFile } from "../configs/grafana/provisioning";
import { LOKI_OTLP_PATH, LOKI_PUSH_PATH, lokiConfigFiles } from "../configs/loki/loki";
import { lokiRuleFiles } from "../configs/loki/rules";
import { otelCollectorConfigFiles, PROMETHEUS_OTLP_PATH } from "../configs/otel-collector/otel-collector";
import { prometheusConfigFile, retentionSize, StackJob } from "../configs/prometheus/prometheus";
import type { RemoteWriteEndpoint } from "../configs/prometheus/remote-write";
import type { PlatformProfile } from "../configs/platform";
import { ruleFiles } from "../configs/prometheus/rules";
import { promtailConfigFiles } from "../configs/promtail/promtail";
import { fillSecretSlots } from "../configs/secrets";
import { PROMETHEUS_REMOTE_WRITE_PATH, tempoConfigFiles } from "../configs/tempo/tempo";
import { internalAddress, internalUrl, replicaAddress, JOBS, METRICS_PORTS, SERVICES, type ServiceKey } from "../configs/topology";
import type { SecretValue } from "../settings/fields";
import { probeSpec } from "../settings/probes";
import { traceSampling } from "../settings/telemetry-inputs";
import { extraRuleFiles, lokiRuleOptions, ruleCatalogOptions } from "../settings/rules";
import { longTermMode, prometheusReplicas, remoteWriteEndpoints, vmStorageReplicas } from "../settings/scaling";
import { victoriaMetricsUrls } from "../configs/victoria-metrics/victoria-metrics";
import type { Settings } from "../settings/schema";
import { stackNamespaces } from "../targets/kubernetes/namespaces";
import { grafanaRootUrl, publicUrl, USER_FACING_SERVICES } from "../configs/addressing";
import type { MountedSecret, Target } from "../targets/target";
import { Alertmanager, ALERTMANAGER_SECRETS_MOUNT_DIR } from "./alertmanager";
import { DockerApiProxy } from "./docker-api-proxy";
import { BlackboxExporter, Cadvisor, KubeStateMetrics, NodeExporter, PostgresExporter, RedisExporter } from "./exporters";
import { Grafana, GRAFANA_POSTGRES_PASSWORD_ENV } from "./grafana";
import { Alloy, NODE_NAME_ENV, Promtail } from "./log-agents";
import { Loki } from "./loki";
import { objectStoreFor } from "../configs/object-storage";
import { OtelCollector } from "./otel-collector";
import { Prometheus } from "./prometheus";
import { ServiceComponent } from "./service-component";
import { Tempo } from "./tempo";
import { longTermStore } from "./victoria-metrics";

export interface ObservabilityStackArgs {
  /** Validated stack config (settings/schema.ts documents every key and default). */
  readonly settings: Settings;
  /** Where everything runs. */
  readonly target: Target;
  /** `env` label on every series and alert. */
  readonly environment: string;
  /** The dashboards to provision, loaded and checked before any resource exists (program.ts). */
  readonly dashboards: readonly ProvisionedDashboard[];
}

/** A secret file as render writes it: the path and a note, never the value. */
export interface RenderedSecret {
  readonly path: string;
}

/**
 * The whole stack: builds every tool's config from settings (pure
 * functions), then one component per piece on the given target.
 */
export class ObservabilityStack extends pulumi.ComponentResource {
  /** Every config file deployed, keyed by its render path; secrets masked. */
  readonly files: readonly ConfigFile[];
  /** Secret files deployed (render writes a placeholder in their place). */
  readonly secretFiles: readonly RenderedSecret[];
  readonly components: readonly ServiceComponent[];
  /** URL of every user-facing service. */
  readonly urls: pulumi.Output<Record<string, string>>;
  /** OTLP endpoints applications send to. */
  readonly otlp: pulumi.Output<{ grpc: string; http: string }>;
  /** Admin login of the deployed Grafana; undefined in external mode (the stack manages no login there). */
  readonly grafanaAdminUser: string | undefined;
  /** Secret; undefined in external mode. */
  readonly grafanaAdminPassword: pulumi.Output<string | undefined>;
  /**
   * The stack outputs (`pulumi stack output`): index.ts exports exactly this
   * and render reports it. The Grafana login is left out in external mode.
   */
  readonly outputs: Readonly<Record<string, pulumi.Input<unknown>>>;

  constructor(name: string, args: ObservabilityStackArgs, opts?: pulumi.ComponentResourceOptions) {
    super("observability:index:ObservabilityStack", name, {}, opts);
    const s = args.settings;
    const { target } = args;
    const profile = target.profile;
    const child = { parent: this };

    const alerting = alertingFiles(s, profile);
    const probes = s.probes.map(probeSpec);
    const blackbox = blackboxConfig(probes);
    const replicas = prometheusReplicas(s);
    const remoteWrite = remoteWriteEndpoints(s);
    const longTerm = longTermMode(s);

    const prometheus = new Prometheus("prometheus", {
      target,
      files: prometheusFiles(s, target, args.environment, alerting.rules, probes, remoteWrite.endpoints),
      hostPort: s.prometheus.hostPort,
      memoryLimitMb: s.prometheus.memoryLimitMb,
      storageGi: s.prometheus.storageGi,
      adminApi: s.prometheus.adminApi,
      replicas,
      secretFiles: remoteWrite.secretFiles.map((f) => ({ path: f.path, content: secretOf(f.secret) })),
    }, child);
    // Long-term store (metrics.longTerm): every replica writes to it; Grafana reads it as a second datasource.
    const longTermComponents = longTerm ? this.longTermComponents(s, target, longTerm) : [];
    // What is pushed to Prometheus (Tempo's span metrics, the collector's OTLP metrics) goes to every replica
    // of an HA pair, not to one at random behind the Service: each must hold every series.
    const prometheusPushUrls =
      replicas > 1 ? Array.from({ length: replicas }, (_, i) => `http://${replicaAddress("prometheus", i)}`) : [internalUrl("prometheus")];
    const alertmanagerReplicas = profile.replicas ? s.alertmanager.replicas : 1;
    const alertmanager = new Alertmanager("alertmanager", {
      target,
      files: alerting.am.files,
      secretConfig: alerting.secretConfig,
      secretFiles: alerting.am.secretFiles.map((f) => ({ path: f.path, content: secretOf(f.secret) })),
      hostPort: s.alertmanager.hostPort,
      memoryLimitMb: s.alertmanager.memoryLimitMb,
      replicas: alertmanagerReplicas,
    }, child);
    // Alertmanager replicas deduplicate among themselves; a sender must reach every one (as Prometheus does
    // through pod discovery), not one at random behind the Service.
    const alertmanagerUrls =
      alertmanagerReplicas > 1
        ? Array.from({ length: alertmanagerReplicas }, (_, i) => `http://${replicaAddress("alertmanager", i)}`)
        : [internalUrl("alertmanager")];
    const { loki, logAgent, tempo, otelCollector } = this.telemetryPipeline(s, target, args.environment, alertmanagerUrls, prometheusPushUrls);
    const exporters = this.exporters(s, target, blackbox);
    const grafana = this.grafana(s, target, args.environment, args.dashboards, longTerm);

    this.grafanaAdminUser = grafana.adminUser;
    this.grafanaAdminPassword = grafana.adminPassword;
    this.components = [prometheus, alertmanager, loki, logAgent, tempo, otelCollector, ...exporters, ...longTermComponents, ...(grafana.component ? [grafana.component] : [])];
    this.files = this.components.flatMap((c) => c.files).concat(grafana.files, alerting.secretConfig ? [alerting.amText] : []);
    this.secretFiles = this.components.flatMap((c) => c.secretFiles.filter((m: MountedSecret) => m.renderPath !== ALERTMANAGER_CONFIG_RENDER_PATH).map((m) => ({ path: m.renderPath })));

    this.urls = pulumi.all({
      grafana: grafana.url,
      prometheus: prometheus.url(),
      alertmanager: alertmanager.url(),
      loki: loki.url(),
      tempo: tempo.url(),
    });
    this.otlp = pulumi.all([otelCollector.url("otlp-grpc"), otelCollector.url("otlp-http")]).apply(([grpc, http]) => ({ grpc, http }));
    this.outputs = {
      urls: this.urls,
      otlp: this.otlp,
      ...(longTerm ? { longTermStore: longTermStoreOutput(longTerm, longTermComponents) } : {}),
      ...(this.grafanaAdminUser === undefined ? {} : { grafanaAdminUser: this.grafanaAdminUser, grafanaAdminPassword: this.grafanaAdminPassword }),
    };
    this.registerOutputs(this.outputs);
  }

  /** VictoriaMetrics (metrics.longTerm): the single server, or the cluster's three parts. */
  private longTermComponents(s: Settings, target: Target, mode: "single" | "cluster"): ServiceComponent[] {
    const vm = s.metrics.victoriametrics;
    return longTermStore(mode, {
      target,
      retention: vm.retention,
      scrapeInterval: s.prometheus.scrapeInterval,
      memoryLimitMb: vm.memoryLimitMb,
      storageGi: vm.storageGi,
      hostPort: vm.hostPort,
      replicationFactor: vm.replicationFactor,
      storageReplicas: vmStorageReplicas(s),
      insertReplicas: vm.insertReplicas,
      selectReplicas: vm.selectReplicas,
      insertMemoryLimitMb: vm.insertMemoryLimitMb,
      selectMemoryLimitMb: vm.selectMemoryLimitMb,
    }, this);
  }

  /** Logs and traces: Loki (with its log-based alerts), the log agent, Tempo and the OTel collector. */
  private telemetryPipeline(
    s: Settings,
    target: Target,
    environment: string,
    alertmanagerUrls: readonly string[],
    prometheusPushUrls: readonly string[],
  ): { loki: Loki; logAgent: ServiceComponent; tempo: Tempo; otelCollector: OtelCollector } {
    const child = { parent: this };
    const profile = target.profile;
    // Object storage (issue 13): Loki's chunks and index, Tempo's blocks; HA Loki on Kubernetes only (validated).
    const lokiStore = objectStoreFor(s.objectStorage, "loki");
    const tempoStore = objectStoreFor(s.objectStorage, "tempo");
    const objectStoreCredentials = lokiStore || tempoStore
      ? {
          accessKeyId: secretOf(required(s.objectStorage.accessKeyId, "objectStorage.accessKeyId")),
          secretAccessKey: secretOf(required(s.objectStorage.secretAccessKey, "objectStorage.secretAccessKey")),
        }
      : undefined;
    const lokiReplicas = profile.replicas ? s.loki.replicas : 1;
    const lokiHa = lokiReplicas > 1 ? { replicas: lokiReplicas, clusterLabel: `${s.kubernetes.namespace}-${SERVICES.loki.name}` } : undefined;
    const loki = new Loki("loki", {
      target,
      replicas: lokiReplicas,
      objectStoreCredentials: lokiStore ? objectStoreCredentials : undefined,
      files: [
        ...lokiConfigFiles({
          retention: s.loki.retention,
          alertmanagerUrls: [...alertmanagerUrls],
          memoryLimitMb: s.loki.memoryLimitMb,
          deletionEnabled: s.loki.deletionEnabled,
          limits: s.loki.limits,
          objectStore: lokiStore,
          ha: lokiHa,
        }),
        // Log-based alerts (seed 000) go to the same Alertmanager through the Loki ruler.
        ...lokiRuleFiles(lokiRuleOptions(s, environment)),
      ],
      hostPort: s.loki.hostPort,
      memoryLimitMb: s.loki.memoryLimitMb,
      storageGi: s.loki.storageGi,
    }, child);
    const logAgentService = s.logAgent === "alloy" ? "alloy" : "promtail";
    const lokiPushUrl = `${internalUrl("loki")}${LOKI_PUSH_PATH}`;
    // Syslog input (syslog.*): the same listener on either agent, at the agent's syslog port.
    const syslog = s.syslog.enabled ? { protocols: s.syslog.protocols, format: s.syslog.format, port: SERVICES[logAgentService].syslogPort } : undefined;
    const syslogPorts = syslog ? { protocols: syslog.protocols, port: syslog.port, hostPort: s.syslog.hostPort } : undefined;
    const logAgent =
      s.logAgent === "alloy"
        ? new Alloy("alloy", {
            target,
            files: alloyConfigFiles({ lokiPushUrl, platform: profile, nodeNameEnvVar: profile.perNodeAgents ? NODE_NAME_ENV : undefined, syslog }),
            syslog: syslogPorts,
          }, child)
        : new Promtail("promtail", { target, files: promtailConfigFiles({ lokiPushUrl, platform: profile, syslog }), syslog: syslogPorts }, child);
    const tempo = new Tempo("tempo", {
      target,
      objectStoreCredentials: tempoStore ? objectStoreCredentials : undefined,
      files: tempoConfigFiles({ retention: s.tempo.retention, prometheusRemoteWriteUrl: prometheusPushUrls.map((u) => `${u}${PROMETHEUS_REMOTE_WRITE_PATH}`), objectStore: tempoStore }),
      hostPort: s.tempo.hostPort,
      memoryLimitMb: s.tempo.memoryLimitMb,
      storageGi: s.tempo.storageGi,
    }, child);
    const otelCollector = new OtelCollector("otel-collector", {
      target,
      files: otelCollectorConfigFiles({
        tempoOtlpGrpcEndpoint: internalAddress("tempo", SERVICES.tempo.ports.otlpGrpc),
        lokiOtlpUrl: `${internalUrl("loki")}${LOKI_OTLP_PATH}`,
        prometheusOtlpUrl: prometheusPushUrls.map((u) => `${u}${PROMETHEUS_OTLP_PATH}`),
        // Leave the limiter headroom below the container limit so it sheds load before the OOM killer acts.
        memoryLimitMib: Math.floor(s.otelCollector.memoryLimitMb * 0.8),
        legacyReceivers: s.otelCollector.receivers,
        sampling: traceSampling(s.otelCollector.sampling),
      }),
      legacyReceivers: s.otelCollector.receivers,
      grpcHostPort: s.otelCollector.grpcHostPort,
      httpHostPort: s.otelCollector.httpHostPort,
      memoryLimitMb: s.otelCollector.memoryLimitMb,
    }, child);
    return { loki, logAgent, tempo, otelCollector };
  }

  /** node-exporter, blackbox (probe credentials as secret files), and what the platform and settings add. */
  private exporters(s: Settings, target: Target, blackbox: BlackboxConfig<SecretValue>): ServiceComponent[] {
    const child = { parent: this };
    const profile = target.profile;
    const exporters: ServiceComponent[] = [
      new NodeExporter("node-exporter", { target }, child),
      new BlackboxExporter("blackbox-exporter", {
        target,
        files: blackbox.files,
        secretFiles: blackbox.secretFiles.map((f) => ({ path: f.path, content: secretOf(f.secret) })),
      }, child),
      ...(profile.containerMetrics === "cadvisor" ? [new Cadvisor("cadvisor", { target }, child)] : []),
      // The log agent and cAdvisor read the Docker API through the read-only proxy.
      ...(profile.logSource === "docker-api" ? [new DockerApiProxy("docker-api-proxy", { target }, child)] : []),
      ...(profile.objectState ? [new KubeStateMetrics("kube-state-metrics", { target }, child)] : []),
    ];
    if (s.exporters.postgres.enabled && s.exporters.postgres.dataSourceName) {
      exporters.push(new PostgresExporter("postgres-exporter", { target, dataSourceName: secretOf(s.exporters.postgres.dataSourceName) }, child));
    }
    if (s.exporters.redis.enabled) {
      exporters.push(
        new RedisExporter("redis-exporter", {
          target,
          address: s.exporters.redis.address,
          password: s.exporters.redis.password ? secretOf(s.exporters.redis.password) : undefined,
        }, child),
      );
    }
    return exporters;
  }

  /** Grafana deployed with the stack (provisioning files), or an existing Grafana configured through its API. */
  private grafana(
    s: Settings,
    target: Target,
    environment: string,
    dashboards: readonly ProvisionedDashboard[],
    longTerm: "single" | "cluster" | undefined,
  ): { component?: Grafana; url: pulumi.Output<string>; files: readonly ConfigFile[]; adminUser: string | undefined; adminPassword: pulumi.Output<string | undefined> } {
    const child = { parent: this };
    if (s.grafana.mode === "external") {
      const { urls, missing } = externalDatasourceUrls(publishedServicesOf(s, target.profile.publishing));
      // settings/checks.ts reports these before any resource exists; this guards a caller that skipped validation.
      if (urls === undefined) throw new Error(`grafana.datasourceUrls.${missing[0]} is required in external mode`);
      if (s.grafana.url === undefined) throw new Error("grafana.url is required in external mode");
      // Loaded only here: the Grafana provider SDK is needed by external mode alone (program start).
      const { GrafanaExternal } = require("./grafana-external") as typeof import("./grafana-external");
      const external = new GrafanaExternal("grafana-external", {
        url: s.grafana.url,
        apiToken: secretOf(required(s.grafana.apiToken, "grafana.apiToken")),
        datasourceUrls: urls,
        datasourceNameSuffix: ` (${environment})`,
        scrapeInterval: s.prometheus.scrapeInterval,
        dashboards,
      }, child);
      return { url: external.url, files: external.files, adminUser: undefined, adminPassword: pulumi.output(undefined) };
    }
    const adminPassword = s.grafana.adminPassword
      ? secretOf(s.grafana.adminPassword)
      : // The provider marks `result` secret; wrapping says so here too, whatever the provider does.
        pulumi.secret(new random.RandomPassword("grafana-admin-password", { length: 24, special: false }, child).result);
    // PostgreSQL datasource: with the exporter and a connection (settings/telemetry-inputs.ts checks the rest).
    const pg = s.exporters.postgres;
    const postgresDatasource =
      pg.enabled && pg.grafana.host && pg.grafana.database && pg.grafana.user && pg.grafana.password
        ? { host: pg.grafana.host, database: pg.grafana.database, user: pg.grafana.user, sslMode: pg.grafana.sslMode }
        : undefined;
    const grafana = new Grafana("grafana", {
      target,
      provisioning: [
        grafanaDatasourcesFile(
          undefined,
          { scrapeInterval: s.prometheus.scrapeInterval, ...(longTerm ? { longTermUrl: victoriaMetricsUrls(longTerm).query } : {}) },
          postgresDatasource ? { ...postgresDatasource, passwordEnv: GRAFANA_POSTGRES_PASSWORD_ENV } : undefined,
        ),
        grafanaDashboardProviderFile(dashboards),
      ],
      postgresPassword: postgresDatasource && pg.grafana.password ? secretOf(pg.grafana.password) : undefined,
      dashboards,
      adminUser: s.grafana.adminUser,
      adminPassword,
      // Grafana's default secret_key is public; a generated one keeps what it encrypts (datasource secrets) private.
      secretKey: pulumi.secret(new random.RandomPassword("grafana-secret-key", { length: 40, special: false }, child).result),
      hostPort: s.grafana.hostPort,
      memoryLimitMb: s.grafana.memoryLimitMb,
      rootUrl: grafanaRootUrl(publishedServicesOf(s, target.profile.publishing)),
    }, child);
    return { component: grafana, url: grafana.url(), files: [], adminUser: s.grafana.adminUser, adminPassword };
  }
}

/**
 * Prometheus' and Loki's rules and Alertmanager's config, from the same builders validateSettings checked
 * (settings/rules.ts): what was validated is what ships. The user's own rule files (alerting.extraRuleFiles)
 * ship byte for byte under prometheus/rules/user/. With inline secrets, alertmanager.yml ships as a secret.
 */
function alertingFiles(s: Settings, profile: PlatformProfile): {
  rules: ConfigFile[];
  am: AlertmanagerConfigResult<SecretValue>;
  amText: ConfigFile;
  secretConfig: pulumi.Output<string> | undefined;
} {
  const rules = [...ruleFiles(ruleCatalogOptions(s)), ...extraRuleFiles(s)];
  const am = alertmanagerConfig({
    receivers: s.alerting.receivers,
    deadMansSwitch: s.alerting.deadMansSwitch,
    groupBy: s.alerting.groupBy,
    maintenanceWindows: s.alerting.maintenanceWindows,
    // Links in notifications open on a phone or laptop, so they use the address people reach.
    externalUrl: publicUrl(publishedServicesOf(s, profile.publishing), SERVICES.alertmanager.name, {
      name: "http",
      port: SERVICES.alertmanager.ports.http,
      hostPort: s.alertmanager.hostPort,
      userFacing: USER_FACING_SERVICES.includes(SERVICES.alertmanager.name),
    }),
    secretsDir: ALERTMANAGER_SECRETS_MOUNT_DIR,
  });
  const amText = am.files.find((f) => f.path === ALERTMANAGER_CONFIG_RENDER_PATH);
  if (!amText) throw new Error(`alertmanager builder wrote no ${ALERTMANAGER_CONFIG_RENDER_PATH}`);
  const secretConfig =
    am.secretSlots.length === 0 ? undefined : pulumi.secret(fillSecretSlots(amText.content, am.secretSlots, (secret) => secret.reveal()));
  return { rules, am, amText, secretConfig };
}

/**
 * The stack's own scrape jobs. Kubernetes: every pod of a DaemonSet or replicated StatefulSet is scraped
 * (and every Alertmanager replica gets the alerts), found through the API in the stack's namespaces.
 */
function stackScrapeJobs(s: Settings, profile: PlatformProfile): { jobs: StackJob[]; alertmanagerPods: StackJob["pods"] } {
  const logAgentService = s.logAgent === "alloy" ? "alloy" : "promtail";
  const longTerm = longTermMode(s);
  const podsOf = (service: ServiceKey, port: number = METRICS_PORTS[service]) =>
    profile.discovery === "kubernetes-api" ? { pods: { namespaces: stackNamespaces(s.kubernetes), service: SERVICES[service].name, port } } : {};
  const jobs: StackJob[] = [
    { job: JOBS.prometheus, address: `localhost:${SERVICES.prometheus.ports.http}`, component: "observability" },
    { job: JOBS.alertmanager, address: internalAddress("alertmanager"), component: "observability", ...podsOf("alertmanager") },
    { job: JOBS.loki, address: internalAddress("loki"), component: "observability" },
    { job: JOBS.tempo, address: internalAddress("tempo"), component: "observability" },
    { job: JOBS.otelCollector, address: internalAddress("otelCollector", SERVICES.otelCollector.ports.metrics), component: "observability" },
    // An external Grafana is not on the stack's network: scraping it would only report it down.
    ...(s.grafana.mode === "deploy" ? [{ job: JOBS.grafana, address: internalAddress("grafana"), component: "observability" as const }] : []),
    { job: JOBS.logAgent, address: internalAddress(logAgentService), component: "observability", ...podsOf(logAgentService) },
    { job: JOBS.blackboxExporter, address: internalAddress("blackboxExporter"), component: "observability" },
    {
      job: JOBS.nodeExporter,
      address: internalAddress("nodeExporter"),
      component: "infra",
      ...podsOf("nodeExporter"),
      ...(profile.nodeAgentsAuthenticated ? { authenticated: true } : {}),
    },
    // Kubernetes object state (restarts, rollouts); its series carry the objects' own namespace/pod labels.
    ...(profile.objectState
      ? [{ job: JOBS.kubeStateMetrics, address: internalAddress("kubeStateMetrics"), component: "infra" as const, honorLabels: true }]
      : []),
    // On Kubernetes the kubelet's built-in cAdvisor is discovered instead.
    ...(profile.containerMetrics === "cadvisor" ? [{ job: JOBS.cadvisor, address: internalAddress("cadvisor"), component: "infra" as const }] : []),
    ...(s.exporters.postgres.enabled ? [{ job: JOBS.postgresExporter, address: internalAddress("postgresExporter"), component: "database" as const }] : []),
    ...(s.exporters.redis.enabled ? [{ job: JOBS.redisExporter, address: internalAddress("redisExporter"), component: "cache" as const }] : []),
    // The long-term store (metrics.longTerm): the single server, or every replica of each cluster part.
    ...(longTerm === "single" ? [{ job: JOBS.victoriaMetrics, address: internalAddress("victoriaMetrics"), component: "observability" as const }] : []),
    ...(longTerm === "cluster"
      ? (["vmstorage", "vminsert", "vmselect"] as const).map((k) => ({ job: JOBS[k], address: internalAddress(k), component: "observability" as const, ...podsOf(k) }))
      : []),
  ];
  return { jobs, alertmanagerPods: podsOf("alertmanager").pods };
}

/** prometheus.yml (the stack's jobs, the targets, the probes, remote write) and the rule files beside it. */
function prometheusFiles(
  s: Settings,
  target: Target,
  environment: string,
  rules: readonly ConfigFile[],
  probes: readonly ProbeSpec<SecretValue>[],
  remoteWrite: readonly RemoteWriteEndpoint[],
): ConfigFile[] {
  const profile = target.profile;
  const { jobs, alertmanagerPods } = stackScrapeJobs(s, profile);
  return [
    prometheusConfigFile({
      scrapeInterval: s.prometheus.scrapeInterval,
      evaluationInterval: s.prometheus.evaluationInterval,
      environment,
      ruleFiles: rules.map((f: ConfigFile) => path.posix.relative("prometheus", f.path)),
      stackJobs: jobs,
      alertmanagerPods,
      targets: s.targets,
      probes: probes.map((p) => ({ name: p.name, url: p.url, module: p.module, moduleName: probeModuleName(p) })),
      platform: profile,
      kubeletTlsVerify: s.kubernetes.kubeletTlsVerify,
      tsdb: {
        retentionTime: s.prometheus.retention,
        // Kubernetes: the PVC is the disk, so a full one would stop ingestion; delete the oldest blocks
        // first. Docker's named volume has no size of its own (it shares the host's disk, which the
        // host rules watch), so time retention alone applies there.
        ...(profile.sizedVolumes ? { retentionSize: retentionSize(s.prometheus.storageGi) } : {}),
      },
      applicationLimits: { sampleLimit: s.prometheus.applicationSampleLimit, labelLimit: s.prometheus.applicationLabelLimit },
      controlPlane: s.kubernetes.controlPlane,
      // Scaling (issue 13): cluster/replica external labels, the pair's alerts deduplicated, remote write.
      cluster: s.prometheus.cluster,
      clusterLabel: s.kubernetes.clusterLabel,
      replicaFromPodName: profile.replicas,
      remoteWrite: [...remoteWrite],
    }),
    ...rules,
  ];
}

/**
 * The long-term store's addresses (`pulumi stack output longTermStore`): where Prometheus writes and
 * Grafana queries inside the stack, and how a person reaches the query API: the published port on
 * Docker; on Kubernetes the kubectl port-forward command (no Ingress: it has no login of its own).
 */
function longTermStoreOutput(mode: "single" | "cluster", components: readonly ServiceComponent[]): pulumi.Output<{ write: string; query: string; external: string }> {
  const { write, query } = victoriaMetricsUrls(mode);
  const front = components.find((c) => c.spec.name === SERVICES[mode === "single" ? "victoriaMetrics" : "vmselect"].name);
  if (!front) throw new Error(`no ${mode} long-term store component`);
  return front.url().apply((external) => ({ write, query, external }));
}

/** A stack secret as a Pulumi secret: its value is only ever read into the secret wrapper. */
function secretOf(secret: SecretValue): pulumi.Output<string> {
  return pulumi.secret(secret.reveal());
}

/**
 * A secret validation requires where this is called (settings/ reports it
 * missing before any resource exists); this guards a caller that skipped validation.
 */
function required(secret: SecretValue | undefined, key: string): SecretValue {
  if (secret === undefined) throw new Error(`${key} is required (no secret configured)`);
  return secret;
}
