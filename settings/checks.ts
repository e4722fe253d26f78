import { type DatasourceName, externalDatasourceUrls, INGRESS_SERVICES, publishedServicesOf } from "../configs/grafana/external";
import { JOBS } from "../configs/topology";
import { nodeNamespaceOf } from "../targets/kubernetes/namespaces";
import { PLATFORM_PROFILES } from "../targets";
import { ingressTls, RECOGNISED_INGRESS_AUTH, recognisedIngressAuth } from "../configs/addressing";
import type { ConfigProblem } from "./problems";
import { durationSeconds, isGoDuration } from "../configs/durations";
import type { ReceiverSettings, Settings } from "./schema";
import { PROJECT_DIR, renameChecks, ruleChecks } from "./rules";
import { alertingChecks } from "./alerting";
import { estimateSizing } from "../sizing/model";
import { legacyReceiverPorts } from "../configs/otel-collector/otel-collector";
import { sizingProblems } from "../sizing/report";
import { probeChecks } from "./probes";
import { telemetryInputChecks } from "./telemetry-inputs";
import { objectStorageChecks } from "./object-storage";
import { scalingChecks } from "./scaling";

/**
 * Rules that span keys, run in the same round as the per-key checks: host
 * ports, references between receivers, secrets that one setting makes
 * required, intervals that must agree, what the builders need (alerting,
 * rules), Kubernetes names. With `partial` (some key already failed its own
 * check and holds its default or nothing), a group that cannot run on the
 * incomplete settings is skipped: its keys' own problems are reported.
 */
export function crossChecks(s: Settings, partial = false, environment = "validation"): ConfigProblem[] {
  const problems: ConfigProblem[] = [];
  const rules = (x: Settings) => ruleChecks(x, PROJECT_DIR, environment);
  for (const group of [portChecks, receiverChecks, intervalChecks, sampleLimitChecks, lokiLimitChecks, rules, renameChecks, probeChecks, alertingChecks, kubernetesChecks, grafanaChecks, telemetryInputChecks, scalingChecks]) {
    try {
      problems.push(...group(s));
    } catch (e) {
      if (!partial) throw e;
    }
  }
  problems.push(...objectStorageChecks(s, partial));
  // Sizing last, and only on sound settings: the estimate builds the rule catalog, which takes valid options.
  // Limits and volumes that cannot hold the load the config declares (sizing/).
  if (!partial && problems.length === 0) problems.push(...sizingProblems(estimateSizing(s)));
  return problems;
}

/** Where services are published on host ports (Docker): every published service needs its own. */
function portChecks(s: Settings): ConfigProblem[] {
  const problems: ConfigProblem[] = [];
  const add = (key: string, message: string) => problems.push({ key, message });
  if (PLATFORM_PROFILES[s.target].publishing === "host-ports") {
    const ports: [string, number][] = [
      ["prometheus.hostPort", s.prometheus.hostPort],
      ["alertmanager.hostPort", s.alertmanager.hostPort],
      ["loki.hostPort", s.loki.hostPort],
      ["tempo.hostPort", s.tempo.hostPort],
      ["otelCollector.grpcHostPort", s.otelCollector.grpcHostPort],
      ["otelCollector.httpHostPort", s.otelCollector.httpHostPort],
      // Opt-in inputs publish their own ports (the Jaeger/Zipkin receivers at their clients' default numbers).
      ...(s.syslog.enabled ? [["syslog.hostPort", s.syslog.hostPort] as [string, number]] : []),
      ...(["jaeger", "zipkin"] as const).flatMap((r) =>
        legacyReceiverPorts({ jaeger: false, zipkin: false, [r]: s.otelCollector.receivers[r] }).map((p): [string, number] => [`otelCollector.receivers.${r}`, p.hostPort ?? p.port]),
      ),
      ...(s.metrics.longTerm === "victoriametrics" ? [["metrics.victoriametrics.hostPort", s.metrics.victoriametrics.hostPort] as [string, number]] : []),
      // An external Grafana publishes nothing here.
      ...(s.grafana.mode === "deploy" ? [["grafana.hostPort", s.grafana.hostPort] as [string, number]] : []),
    ];
    const owner = new Map<number, string>();
    for (const [key, port] of ports) {
      const first = owner.get(port);
      if (first) add(key, `host port ${port} is already taken by ${first}; every published service needs its own host port`);
      else owner.set(port, key);
    }
  }
  return problems;
}

/** Receivers and what names them; secrets one setting makes required; targets that would shadow a job of the stack. */
function receiverChecks(s: Settings): ConfigProblem[] {
  const problems: ConfigProblem[] = [];
  const add = (key: string, message: string) => problems.push({ key, message });
  const receiverNames = s.alerting.receivers.map((r) => r.name);
  if (s.alerting.deadMansSwitch !== undefined && !receiverNames.includes(s.alerting.deadMansSwitch)) {
    add(
      "alerting.deadMansSwitch",
      `names receiver '${s.alerting.deadMansSwitch}', which is not defined; defined receivers: ${receiverNames.length ? receiverNames.join(", ") : "(none)"}`,
    );
  }
  s.alerting.receivers.forEach((r: ReceiverSettings, i: number) => {
    // A dead man's switch receiver may take the Watchdog only.
    if (r.severities.length === 0 && r.name !== s.alerting.deadMansSwitch) {
      add(`alerting.receivers[${i}].severities`, "is empty; list at least one of critical, warning, info (only the deadMansSwitch receiver may have none)");
    }
    if (r.type === "email" && (r.authUsername === undefined) !== (r.authPassword === undefined)) {
      add(`alerting.receivers[${i}].${r.authUsername === undefined ? "authUsername" : "authPassword"}`, "is required when the other of authUsername/authPassword is set");
    }
  });

  if (s.exporters.postgres.enabled && s.exporters.postgres.dataSourceName === undefined) {
    add("exporters.postgres.dataSourceName", "is required when exporters.postgres.enabled is true; set it with: pulumi config set --secret --path 'observability:exporters.postgres.dataSourceName' <uri>");
  }

  const reserved: readonly string[] = Object.values(JOBS);
  s.targets.forEach((t, i) => {
    if (reserved.includes(t.name)) add(`targets[${i}].name`, `'${t.name}' is a job of the stack itself; choose another name (reserved: ${reserved.join(", ")})`);
  });
  return problems;
}

/** Intervals and retentions that must agree with each other or with what each tool parses. */
function intervalChecks(s: Settings): ConfigProblem[] {
  const problems: ConfigProblem[] = [];
  const add = (key: string, message: string) => problems.push({ key, message });
  if (durationSeconds(s.prometheus.evaluationInterval) < durationSeconds(s.prometheus.scrapeInterval)) {
    add("prometheus.evaluationInterval", `${s.prometheus.evaluationInterval} is shorter than prometheus.scrapeInterval ${s.prometheus.scrapeInterval}; rules would evaluate the same samples twice`);
  }

  // Tempo parses Go durations, which stop at hours.
  if (!isGoDuration(s.tempo.retention)) {
    add("tempo.retention", `${s.tempo.retention} is not a Go duration; Tempo accepts h, m and s only, e.g. 168h for a week`);
  }

  // Loki's compactor deletes whole days of its daily (24h) index; a shorter retention keeps nothing it means to.
  if (durationSeconds(s.loki.retention) < 24 * 3600) {
    add("loki.retention", `${s.loki.retention} is shorter than Loki's minimum of 24h (its compactor applies retention per daily index table); use 24h or more, e.g. 168h`);
  }
  return problems;
}

/**
 * A target declared to export more series than an application scrape may return would fail every scrape
 * (sample_limit) and read as down: its expectedSeries and prometheus.applicationSampleLimit must agree.
 */
function sampleLimitChecks(s: Settings): ConfigProblem[] {
  const limit = s.prometheus.applicationSampleLimit;
  return s.targets.flatMap((t, i) =>
    t.expectedSeries !== undefined && t.expectedSeries > limit
      ? [
          {
            key: `targets[${i}].expectedSeries`,
            message: `${t.expectedSeries} series is more than prometheus.applicationSampleLimit (${limit}) lets one scrape return: every scrape of ${t.name} would fail and it would read as down; raise prometheus.applicationSampleLimit to at least ${t.expectedSeries}, or cut the target's series`,
          },
        ]
      : [],
  );
}

/** Loki's per-tenant limits: a push of one second's allowed volume must fit in the burst, or Loki refuses it outright. */
function lokiLimitChecks(s: Settings): ConfigProblem[] {
  if (s.loki.limits.ingestionBurstSizeMb >= s.loki.limits.ingestionRateMb) return [];
  return [
    {
      key: "loki.limits.ingestionBurstSizeMb",
      message: `${s.loki.limits.ingestionBurstSizeMb} is below loki.limits.ingestionRateMb ${s.loki.limits.ingestionRateMb}; a burst must hold at least one second of the allowed rate (Loki's defaults: 4 and 6)`,
    },
  ];
}

/** Ingress, TLS and annotations where an Ingress publishes services; the stack's namespaces where it has its own (Kubernetes). */
function kubernetesChecks(s: Settings): ConfigProblem[] {
  const problems: ConfigProblem[] = [];
  const add = (key: string, message: string) => problems.push({ key, message });
  const profile = PLATFORM_PROFILES[s.target];
  if (profile.publishing === "ingress") {
    if (s.kubernetes.tlsSecretName !== undefined && s.kubernetes.ingressDomain === undefined) {
      add("kubernetes.tlsSecretName", "needs kubernetes.ingressDomain: TLS only applies to Ingress hosts");
    }
    if ((s.kubernetes.ingressClass === undefined) !== (s.kubernetes.ingressDomain === undefined)) {
      add(s.kubernetes.ingressClass === undefined ? "kubernetes.ingressClass" : "kubernetes.ingressDomain", "ingressClass and ingressDomain go together: set both to expose services through Ingress, or neither");
    }
    // Annotations reach the API server only at deploy time; a bad key would fail there, after other resources exist.
    const auth = s.kubernetes.ingressAuthAnnotations;
    if (Object.keys(auth).length > 0 && s.kubernetes.ingressDomain === undefined) {
      add("kubernetes.ingressAuthAnnotations", "needs kubernetes.ingressClass and kubernetes.ingressDomain: the annotations only apply to the Ingresses of Prometheus and Alertmanager");
    }
    // Any annotation map is not authentication: name one the controller enforces, or acknowledge an unrecognised one.
    if (Object.keys(auth).length > 0 && recognisedIngressAuth(auth) === undefined && !s.kubernetes.ingressAuthAcknowledged) {
      add(
        "kubernetes.ingressAuthAnnotations",
        `configure no authentication the program recognises, and Prometheus and Alertmanager have no login of their own. Recognised: ${RECOGNISED_INGRESS_AUTH.join("; ")}. For another controller, check that it authenticates every request with these annotations, then set kubernetes.ingressAuthAcknowledged: true`,
      );
    }
    if (s.kubernetes.ingressAuthAcknowledged && Object.keys(auth).length === 0) {
      add("kubernetes.ingressAuthAcknowledged", "acknowledges kubernetes.ingressAuthAnnotations, which are not set; remove it, or set the annotations");
    }
    if (s.kubernetes.ingressClass !== undefined && !ingressTls(s.kubernetes) && !s.kubernetes.allowPlainHttpIngress) {
      add(
        "kubernetes.tlsSecretName",
        "is required with kubernetes.ingressClass (or set kubernetes.certManagerClusterIssuer): without TLS, Grafana's login and the Ingress authentication would cross the network in the clear. Give a TLS Secret for *.<ingressDomain>, or set kubernetes.allowPlainHttpIngress: true if TLS ends in front of the controller",
      );
    }
    if (s.kubernetes.tlsSecretName !== undefined && s.kubernetes.certManagerClusterIssuer !== undefined) {
      add("kubernetes.certManagerClusterIssuer", "and kubernetes.tlsSecretName both configure the Ingress certificate; set one of them");
    }
    if (s.kubernetes.certManagerClusterIssuer !== undefined && s.kubernetes.ingressDomain === undefined) {
      add("kubernetes.certManagerClusterIssuer", "needs kubernetes.ingressClass and kubernetes.ingressDomain: certificates are issued for Ingress hosts");
    }
    for (const [key, value] of Object.entries(auth)) {
      if (!ANNOTATION_KEY_RE.test(key) || key.length > 316) {
        add(`kubernetes.ingressAuthAnnotations.${key}`, "is not a valid annotation key: an optional DNS-subdomain prefix and '/', then a name of letters, digits, '-', '_' and '.' (at most 63), e.g. nginx.ingress.kubernetes.io/auth-url");
      } else if (value.trim() === "") {
        add(`kubernetes.ingressAuthAnnotations.${key}`, "is empty; give the annotation's value (e.g. the auth-secret name or the auth-url), or remove the key");
      }
    }
  }
  if (profile.namespaces) {
    // The derived node namespace is a namespace name too: `<namespace>-node` must fit in 63 characters.
    if (s.kubernetes.nodeNamespace === undefined && nodeNamespaceOf(s.kubernetes).length > 63) {
      add("kubernetes.namespace", `'${s.kubernetes.namespace}' is ${s.kubernetes.namespace.length} characters; the node agents' namespace '<namespace>-node' would exceed the 63 a namespace may have. Shorten it to 58 or fewer, or set kubernetes.nodeNamespace`);
    }
    // The node namespace admits privileged pods; sharing it would put the whole stack at that level.
    if (s.kubernetes.nodeNamespace !== undefined && s.kubernetes.nodeNamespace === s.kubernetes.namespace) {
      add("kubernetes.nodeNamespace", `must differ from kubernetes.namespace ('${s.kubernetes.namespace}'): node agents run at Pod Security 'privileged', the stack at 'restricted'; leave it unset for '${s.kubernetes.namespace}-node'`);
    }
    if (s.kubernetes.ingressNamespace === s.kubernetes.namespace || s.kubernetes.ingressNamespace === nodeNamespaceOf(s.kubernetes)) {
      add("kubernetes.ingressNamespace", `'${s.kubernetes.ingressNamespace}' is one of the stack's own namespaces; give the namespace the ingress controller runs in (e.g. ingress-nginx)`);
    }
  }
  return problems;
}

/** A Kubernetes annotation key: optional DNS-subdomain prefix and '/', then a name of at most 63 characters. */
const ANNOTATION_KEY_RE = /^([a-z0-9]([-a-z0-9]*[a-z0-9])?(\.[a-z0-9]([-a-z0-9]*[a-z0-9])?)*\/)?[A-Za-z0-9]([-A-Za-z0-9_.]{0,61}[A-Za-z0-9])?$/;

/** Why a datasource has no Ingress URL an external Grafana could use (for the datasourceUrls message). */
function noIngressReason(s: Settings, name: DatasourceName): string {
  if (s.kubernetes.ingressDomain === undefined) return "without an Ingress";
  if (INGRESS_SERVICES.includes(name)) return `(${name} gets an Ingress only behind kubernetes.ingressAuthAnnotations: it has no login of its own)`;
  return `(${name} has no Ingress)`;
}

/** Minimum length of a configured Grafana admin password. */
export const GRAFANA_MIN_PASSWORD_LENGTH = 12;

/**
 * Grafana: what each mode needs, keys that would be silently ignored in the
 * other mode, a guessable admin password, and (external mode) a reachable
 * URL for every datasource.
 */
function grafanaChecks(s: Settings): ConfigProblem[] {
  const problems: ConfigProblem[] = [];
  const add = (key: string, message: string) => problems.push({ key, message });
  const g = s.grafana;
  if (g.mode === "external") {
    if (g.url === undefined) add("grafana.url", "is required when grafana.mode is external: the URL of the Grafana to configure, e.g. https://example.grafana.net");
    if (g.apiToken === undefined) {
      add("grafana.apiToken", "is required when grafana.mode is external; create a service-account token with the Admin role and set it with: pulumi config set --secret --path 'observability:grafana.apiToken' <token>");
    }
    if (g.adminPassword !== undefined) add("grafana.adminPassword", "is only used when grafana.mode is deploy; the external Grafana's logins are its own. Remove it");
    const { missing } = externalDatasourceUrls(publishedServicesOf(s, PLATFORM_PROFILES[s.target].publishing));
    for (const name of missing) {
      add(
        `grafana.datasourceUrls.${name}`,
        `is required when grafana.mode is external on Kubernetes ${noIngressReason(s, name)}: the external Grafana cannot resolve the cluster-internal address; give the URL it reaches ${name} at`,
      );
    }
  } else {
    for (const key of ["url", "apiToken"] as const) {
      if (g[key] !== undefined) add(`grafana.${key}`, "is only used when grafana.mode is external; set grafana.mode to external or remove it");
    }
    for (const [name, url] of Object.entries(g.datasourceUrls)) {
      if (url !== undefined) add(`grafana.datasourceUrls.${name}`, "is only used when grafana.mode is external (the deployed Grafana reaches every service on the stack's network); remove it");
    }
    const password = g.adminPassword?.reveal();
    if (password !== undefined) {
      if (password.length < GRAFANA_MIN_PASSWORD_LENGTH) {
        add("grafana.adminPassword", `is shorter than ${GRAFANA_MIN_PASSWORD_LENGTH} characters; choose a longer one, or unset it to get a generated 24-character password`);
      } else if (password.toLowerCase() === g.adminUser.toLowerCase() || /^(admin|password|grafana)\d*$/i.test(password)) {
        add("grafana.adminPassword", "is a well-known default; choose another, or unset it to get a generated 24-character password");
      }
    }
  }
  return problems;
}
