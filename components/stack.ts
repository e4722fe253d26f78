import * as path from "path";
import * as pulumi from "@pulumi/pulumi";
import * as random from "@pulumi/random";
import { alertmanagerConfig } from "../configs/alertmanager/alertmanager";
import { alloyConfigFiles } from "../configs/alloy/alloy";
import { blackboxConfigFiles } from "../configs/blackbox/blackbox";
import type { ConfigFile } from "../configs/files";
import { grafanaDashboardFiles, grafanaDashboardProviderFile, grafanaDatasourcesFile } from "../configs/grafana/provisioning";
import { lokiConfigFiles } from "../configs/loki/loki";
import { otelCollectorConfigFiles } from "../configs/otel-collector/otel-collector";
import { prometheusConfigFile, StackJob } from "../configs/prometheus/prometheus";
import { DEFAULT_THRESHOLDS, ruleFiles, RuleThresholds } from "../configs/prometheus/rules";
import { promtailConfigFiles } from "../configs/promtail/promtail";
import { fillSecretSlots } from "../configs/secrets";
import { tempoConfigFiles } from "../configs/tempo/tempo";
import { internalAddress, internalUrl, JOBS, SERVICES } from "../configs/topology";
import { SecretValue } from "../settings/fields";
import type { Settings } from "../settings/schema";
import type { MountedSecret, Target } from "../targets/target";
import { Alertmanager, ALERTMANAGER_CONFIG_DIR, ALERTMANAGER_CONFIG_FILE } from "./alertmanager";
import { BlackboxExporter, Cadvisor, NodeExporter, PostgresExporter, RedisExporter } from "./exporters";
import { Grafana } from "./grafana";
import { Alloy, NODE_NAME_ENV, Promtail } from "./log-agents";
import { Loki } from "./loki";
import { OtelCollector } from "./otel-collector";
import { Prometheus } from "./prometheus";
import { ServiceComponent } from "./service-component";
import { Tempo } from "./tempo";

export interface ObservabilityStackArgs {
  /** Validated stack config (settings/schema.ts documents every key and default). */
  readonly settings: Settings;
  /** Where everything runs. */
  readonly target: Target;
  /** `env` label on every series and alert. */
  readonly environment: string;
  /** Directory of Grafana dashboard JSON files. Default: the repository's `dashboards/`. */
  readonly dashboardsDir?: string;
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
  readonly grafanaAdminUser: string;
  /** Secret. */
  readonly grafanaAdminPassword: pulumi.Output<string>;

  constructor(name: string, args: ObservabilityStackArgs, opts?: pulumi.ComponentResourceOptions) {
    super("observability:index:ObservabilityStack", name, {}, opts);
    const s = args.settings;
    const { target } = args;
    const platform = target.kind;
    const child = { parent: this };

    // --- Alerting: rules and Alertmanager -------------------------------------------------
    const rules = ruleFiles({
      packs: s.alerting.rulePacks,
      thresholds: { ...DEFAULT_THRESHOLDS, ...(s.alerting.thresholds as Partial<RuleThresholds>) },
      runbookBaseUrl: s.alerting.runbookBaseUrl,
      collectorStalledEnabled: s.alerting.collectorStalledEnabled,
      evaluationInterval: s.prometheus.evaluationInterval,
    });
    const am = alertmanagerConfig({
      receivers: s.alerting.receivers.map(({ type, ...r }) => ({ type, ...r }) as never),
      deadMansSwitch: s.alerting.deadMansSwitch,
      groupBy: s.alerting.groupBy,
      maintenanceWindows: s.alerting.maintenanceWindows.map((w) => ({ ...w, weekdays: [...w.weekdays], times: w.times.map((t) => ({ ...t })) })),
      // Links in notifications open on a phone or laptop, so they use the address people reach.
      externalUrl: alertmanagerPublicUrl(s),
      secretsDir: `${ALERTMANAGER_CONFIG_DIR}/secrets`,
    });
    const secretOf = (key: string) => pulumi.secret(secretAt(s, key).reveal());
    const amText = am.files.find((f) => f.path === ALERTMANAGER_CONFIG_FILE);
    if (!amText) throw new Error(`alertmanager builder wrote no ${ALERTMANAGER_CONFIG_FILE}`);
    const secretConfig =
      am.secretSlots.length === 0
        ? undefined
        : pulumi.secret(
            fillSecretSlots(
              amText.content,
              am.secretSlots,
              Object.fromEntries(am.secretSlots.map((slot) => [slot.configKey, secretAt(s, slot.configKey).reveal()])),
            ),
          );

    // --- Logs and traces --------------------------------------------------------------------
    const logAgentService = s.logAgent === "alloy" ? "alloy" : "promtail";
    const lokiPushUrl = `${internalUrl("loki")}/loki/api/v1/push`;

    // --- Prometheus -------------------------------------------------------------------------
    const stackJobs: StackJob[] = [
      { job: JOBS.prometheus, address: `localhost:${SERVICES.prometheus.ports.http}`, component: "observability" },
      { job: JOBS.alertmanager, address: internalAddress("alertmanager"), component: "observability" },
      { job: JOBS.loki, address: internalAddress("loki"), component: "observability" },
      { job: JOBS.tempo, address: internalAddress("tempo"), component: "observability" },
      { job: JOBS.otelCollector, address: internalAddress("otelCollector", SERVICES.otelCollector.ports.metrics), component: "observability" },
      { job: JOBS.grafana, address: internalAddress("grafana"), component: "observability" },
      { job: JOBS.logAgent, address: internalAddress(logAgentService), component: "observability" },
      { job: JOBS.blackboxExporter, address: internalAddress("blackboxExporter"), component: "observability" },
      { job: JOBS.nodeExporter, address: internalAddress("nodeExporter"), component: "infra" },
      // On Kubernetes the kubelet's built-in cAdvisor is discovered instead.
      ...(platform === "docker" ? [{ job: JOBS.cadvisor, address: internalAddress("cadvisor"), component: "infra" as const }] : []),
      ...(s.exporters.postgres.enabled ? [{ job: JOBS.postgresExporter, address: internalAddress("postgresExporter"), component: "database" as const }] : []),
      ...(s.exporters.redis.enabled ? [{ job: JOBS.redisExporter, address: internalAddress("redisExporter"), component: "cache" as const }] : []),
    ];
    const prometheusFiles = [
      prometheusConfigFile({
        scrapeInterval: s.prometheus.scrapeInterval,
        evaluationInterval: s.prometheus.evaluationInterval,
        environment: args.environment,
        ruleFiles: rules.map((f: ConfigFile) => path.posix.relative("prometheus", f.path)),
        stackJobs,
        targets: s.targets,
        probes: s.probes,
        platform,
      }),
      ...rules,
    ];

    const prometheus = new Prometheus("prometheus", {
      target,
      files: prometheusFiles,
      retention: s.prometheus.retention,
      hostPort: s.prometheus.hostPort,
      memoryLimitMb: s.prometheus.memoryLimitMb,
      storageGi: s.prometheus.storageGi,
    }, child);
    const alertmanager = new Alertmanager("alertmanager", {
      target,
      files: am.files,
      secretConfig,
      secretFiles: am.secretFiles.map((f) => ({ path: f.path, content: secretOf(f.configKey) })),
      hostPort: s.alertmanager.hostPort,
      memoryLimitMb: s.alertmanager.memoryLimitMb,
      replicas: platform === "docker" ? 1 : s.alertmanager.replicas,
    }, child);
    const loki = new Loki("loki", {
      target,
      files: lokiConfigFiles({ retention: s.loki.retention, alertmanagerUrl: internalUrl("alertmanager") }),
      hostPort: s.loki.hostPort,
      memoryLimitMb: s.loki.memoryLimitMb,
      storageGi: s.loki.storageGi,
    }, child);
    const logAgent =
      s.logAgent === "alloy"
        ? new Alloy("alloy", {
            target,
            platform,
            files: alloyConfigFiles({ lokiPushUrl, platform, nodeNameEnvVar: platform === "kubernetes" ? NODE_NAME_ENV : undefined }),
          }, child)
        : new Promtail("promtail", { target, platform, files: promtailConfigFiles({ lokiPushUrl, platform }) }, child);
    const tempo = new Tempo("tempo", {
      target,
      files: tempoConfigFiles({ retention: s.tempo.retention, prometheusRemoteWriteUrl: `${internalUrl("prometheus")}/api/v1/write` }),
      hostPort: s.tempo.hostPort,
      memoryLimitMb: s.tempo.memoryLimitMb,
      storageGi: s.tempo.storageGi,
    }, child);
    const otelCollector = new OtelCollector("otel-collector", {
      target,
      files: otelCollectorConfigFiles({
        tempoOtlpGrpcEndpoint: internalAddress("tempo", SERVICES.tempo.ports.otlpGrpc),
        lokiOtlpUrl: `${internalUrl("loki")}/otlp`,
        prometheusOtlpUrl: `${internalUrl("prometheus")}/api/v1/otlp`,
        // Leave the limiter headroom below the container limit so it sheds load before the OOM killer acts.
        memoryLimitMib: Math.floor(s.otelCollector.memoryLimitMb * 0.8),
      }),
      grpcHostPort: s.otelCollector.grpcHostPort,
      httpHostPort: s.otelCollector.httpHostPort,
      memoryLimitMb: s.otelCollector.memoryLimitMb,
    }, child);

    const exporters: ServiceComponent[] = [
      new NodeExporter("node-exporter", { target }, child),
      new BlackboxExporter("blackbox-exporter", { target, files: blackboxConfigFiles() }, child),
      ...(platform === "docker" ? [new Cadvisor("cadvisor", { target }, child)] : []),
    ];
    if (s.exporters.postgres.enabled && s.exporters.postgres.dataSourceName) {
      exporters.push(new PostgresExporter("postgres-exporter", { target, dataSourceName: secretOf("exporters.postgres.dataSourceName") }, child));
    }
    if (s.exporters.redis.enabled) {
      exporters.push(
        new RedisExporter("redis-exporter", {
          target,
          address: s.exporters.redis.address,
          password: s.exporters.redis.password ? secretOf("exporters.redis.password") : undefined,
        }, child),
      );
    }

    // --- Grafana --------------------------------------------------------------------------
    this.grafanaAdminUser = s.grafana.adminUser;
    this.grafanaAdminPassword = s.grafana.adminPassword
      ? secretOf("grafana.adminPassword")
      : // The provider marks `result` secret; wrapping says so here too, whatever the provider does.
        pulumi.secret(new random.RandomPassword("grafana-admin-password", { length: 24, special: false }, child).result);
    const grafana = new Grafana("grafana", {
      target,
      files: [
        grafanaDatasourcesFile(),
        grafanaDashboardProviderFile(),
        ...grafanaDashboardFiles(args.dashboardsDir ?? path.join(__dirname, "..", "dashboards")),
      ],
      adminUser: s.grafana.adminUser,
      adminPassword: this.grafanaAdminPassword,
      hostPort: s.grafana.hostPort,
      memoryLimitMb: s.grafana.memoryLimitMb,
    }, child);

    this.components = [prometheus, alertmanager, loki, logAgent, tempo, otelCollector, ...exporters, grafana];
    this.files = this.components.flatMap((c) => c.files).concat(secretConfig ? [amText] : []);
    this.secretFiles = this.components.flatMap((c) => c.secretFiles.filter((m: MountedSecret) => m.renderPath !== ALERTMANAGER_CONFIG_FILE).map((m) => ({ path: m.renderPath })));

    this.urls = pulumi.all({
      grafana: grafana.url(),
      prometheus: prometheus.url(),
      alertmanager: alertmanager.url(),
      loki: loki.url(),
      tempo: tempo.url(),
    });
    this.otlp = pulumi.all([otelCollector.url("otlp-grpc"), otelCollector.url("otlp-http")]).apply(([grpc, http]) => ({ grpc, http }));
    this.registerOutputs({ urls: this.urls, otlp: this.otlp, grafanaAdminUser: this.grafanaAdminUser, grafanaAdminPassword: this.grafanaAdminPassword });
  }
}

/** Where people open Alertmanager: published port on Docker, ingress host on Kubernetes when configured. */
function alertmanagerPublicUrl(s: Settings): string {
  if (s.target === "docker") {
    const host = s.docker.bindAddress === "0.0.0.0" ? "localhost" : s.docker.bindAddress;
    return `http://${host}:${s.alertmanager.hostPort}`;
  }
  const { ingressDomain, tlsSecretName } = s.kubernetes;
  return ingressDomain ? `${tlsSecretName ? "https" : "http"}://${SERVICES.alertmanager.name}.${ingressDomain}` : internalUrl("alertmanager");
}

/** The secret at a config key path such as `alerting.receivers[0].botToken`. */
export function secretAt(settings: Settings, key: string): SecretValue {
  let node: unknown = settings;
  for (const part of key.split(/\.|\[(\d+)\]/).filter((p) => p !== undefined && p !== "")) {
    node = (node as Record<string, unknown> | undefined)?.[part];
  }
  if (!(node instanceof SecretValue)) throw new Error(`no secret configured at ${key}`);
  return node;
}
