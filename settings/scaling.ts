/**
 * Scaling settings (issue 13, metrics) turned into what the builders take:
 * how many Prometheus replicas run, where they remote-write (the user's
 * stores and the deployed long-term store), and the checks that span those keys.
 */
import {
  DEFAULT_REMOTE_WRITE_QUEUE,
  DROP_REPLICA,
  PROMETHEUS_SECRETS_MOUNT_DIR,
  PROMETHEUS_SECRETS_RENDER_DIR,
  type RemoteWriteEndpoint,
  RESERVED_REMOTE_WRITE_HEADERS,
} from "../configs/prometheus/remote-write";
import { MIN_RETENTION_SECONDS, minStorageReplicas, victoriaMetricsUrls, type VictoriaMetricsMode } from "../configs/victoria-metrics/victoria-metrics";
import { PLATFORM_PROFILES } from "../targets";
import type { SecretFile } from "../configs/secrets";
import type { SecretValue } from "./fields";
import type { Settings } from "./schema";
import { durationSeconds } from "../configs/durations";
import type { ConfigProblem } from "./problems";

/** Prometheus replicas that run: `prometheus.replicas` on Kubernetes (default 2, an HA pair); one on Docker. */
export function prometheusReplicas(s: Settings): number {
  return PLATFORM_PROFILES[s.target].replicas ? (s.prometheus.replicas ?? 2) : 1;
}

/** The long-term store's mode, or undefined without one. Docker always runs the single server. */
export function longTermMode(s: Settings): VictoriaMetricsMode | undefined {
  if (s.metrics.longTerm === "none") return undefined;
  return PLATFORM_PROFILES[s.target].replicas ? s.metrics.victoriametrics.mode : "single";
}

/** Prometheus remote-writes somewhere: the deployed long-term store or prometheus.remoteWrite[]. */
export function remoteWriteConfigured(s: Settings): boolean {
  return longTermMode(s) !== undefined || s.prometheus.remoteWrite.length > 0;
}

/** vmstorage replicas: `storageReplicas`, or the least that survives replicationFactor-1 losses. */
export function vmStorageReplicas(s: Settings): number {
  const vm = s.metrics.victoriametrics;
  return vm.storageReplicas ?? minStorageReplicas(vm.replicationFactor);
}

/**
 * Every remote_write entry: the deployed long-term store first (replica label
 * dropped, so the pair stores one series and VictoriaMetrics' dedup keeps one
 * sample per interval), then `prometheus.remoteWrite[]` as configured. Secret
 * files are named by position; paths in prometheus.yml are relative to it
 * (Prometheus resolves them against the config file's directory).
 */
export function remoteWriteEndpoints(s: Settings): { endpoints: RemoteWriteEndpoint[]; secretFiles: SecretFile<SecretValue>[] } {
  const endpoints: RemoteWriteEndpoint[] = [];
  /** Remote-write credential files, at their render paths (under prometheus/). */
  const secretFiles: SecretFile<SecretValue>[] = [];
  const mode = longTermMode(s);
  if (mode) {
    endpoints.push({
      name: "victoriametrics",
      url: victoriaMetricsUrls(mode).write,
      queue: DEFAULT_REMOTE_WRITE_QUEUE,
      writeRelabelConfigs: [DROP_REPLICA],
    });
  }
  s.prometheus.remoteWrite.forEach((w, i) => {
    const secretFile = (what: string, secret: SecretValue) => {
      const file = `remote-write-${i}-${what}`;
      secretFiles.push({ path: `${PROMETHEUS_SECRETS_RENDER_DIR}/${file}`, secret });
      return `${PROMETHEUS_SECRETS_MOUNT_DIR}/${file}`;
    };
    endpoints.push({
      name: `remote-write-${i}`,
      url: w.url,
      ...(w.basicAuthUser !== undefined && w.basicAuthPassword !== undefined
        ? { basicAuth: { username: w.basicAuthUser, passwordFile: secretFile("password", w.basicAuthPassword) } }
        : {}),
      ...(w.bearerToken !== undefined ? { bearerTokenFile: secretFile("bearer-token", w.bearerToken) } : {}),
      headers: w.headers,
      queue: { ...w.queue },
      writeRelabelConfigs: w.writeRelabelConfigs.map((r) => ({
        action: r.action,
        sourceLabels: r.sourceLabels,
        regex: r.regex,
        targetLabel: r.targetLabel,
        replacement: r.replacement,
      })),
    });
  });
  return { endpoints, secretFiles };
}

const HEADER_NAME = /^[!#$%&'*+.^_`|~0-9A-Za-z-]+$/;

/** Replicas per target, remote-write endpoints and the long-term store's layout. */
export function scalingChecks(s: Settings): ConfigProblem[] {
  const problems: ConfigProblem[] = [];
  const add = (key: string, message: string) => problems.push({ key, message });
  if (!PLATFORM_PROFILES[s.target].replicas && s.prometheus.replicas !== undefined && s.prometheus.replicas > 1) {
    add("prometheus.replicas", `is ${s.prometheus.replicas}, but Docker runs one Prometheus; remove it (replicas are for target: kubernetes)`);
  }
  s.prometheus.remoteWrite.forEach((w, i) => {
    const key = `prometheus.remoteWrite[${i}]`;
    if ((w.basicAuthUser === undefined) !== (w.basicAuthPassword === undefined)) {
      add(`${key}.${w.basicAuthUser === undefined ? "basicAuthUser" : "basicAuthPassword"}`, "is required when the other of basicAuthUser/basicAuthPassword is set");
    }
    if (w.bearerToken !== undefined && (w.basicAuthUser !== undefined || w.basicAuthPassword !== undefined)) {
      add(`${key}.bearerToken`, "cannot be combined with basic auth; set either bearerToken or basicAuthUser + basicAuthPassword");
    }
    for (const name of Object.keys(w.headers)) {
      if (!HEADER_NAME.test(name)) add(`${key}.headers.${name}`, "is not a valid HTTP header name (letters, digits and !#$%&'*+.^_`|~-)");
      else if (name.toLowerCase() === "authorization") {
        add(`${key}.headers.${name}`, `would put a credential in plain text in prometheus.yml; set it as a secret: pulumi config set --secret --path 'observability:${key}.bearerToken' <token>`);
      } else if ((RESERVED_REMOTE_WRITE_HEADERS as readonly string[]).includes(name.toLowerCase())) {
        add(`${key}.headers.${name}`, "is set by Prometheus itself and refused in remote_write headers");
      }
    }
    if (w.queue.capacity < w.queue.maxSamplesPerSend) {
      add(`${key}.queue.capacity`, `is ${w.queue.capacity}, below maxSamplesPerSend (${w.queue.maxSamplesPerSend}): a batch could never fill; make it at least that (upstream recommends 3-10x)`);
    }
    w.writeRelabelConfigs.forEach((r, j) => {
      const rk = `${key}.writeRelabelConfigs[${j}]`;
      if (r.action === "replace" && r.targetLabel === undefined) add(`${rk}.targetLabel`, "is required for action replace");
      if (["labeldrop", "labelkeep"].includes(r.action) && (r.sourceLabels.length > 0 || r.targetLabel !== undefined)) {
        add(`${rk}.action`, `${r.action} takes only regex (matched against label names); remove sourceLabels and targetLabel`);
      }
      if (["keep", "drop"].includes(r.action) && r.sourceLabels.length === 0) add(`${rk}.sourceLabels`, `is required for action ${r.action} (the labels whose values the regex matches)`);
    });
  });
  const vm = s.metrics.victoriametrics;
  if (s.metrics.longTerm === "victoriametrics") {
    if (!PLATFORM_PROFILES[s.target].replicas && vm.mode === "cluster") add("metrics.victoriametrics.mode", "cluster runs on Kubernetes only; Docker runs the single server (mode: single)");
    if (durationSeconds(vm.retention) < MIN_RETENTION_SECONDS) add("metrics.victoriametrics.retention", `is ${vm.retention}; VictoriaMetrics keeps data at least 24h`);
    else if (durationSeconds(vm.retention) < durationSeconds(s.prometheus.retention)) {
      add("metrics.victoriametrics.retention", `is ${vm.retention}, shorter than prometheus.retention (${s.prometheus.retention}): the long-term store would forget first; make it at least that`);
    }
    if (longTermMode(s) === "cluster" && vm.storageReplicas !== undefined && vm.storageReplicas < minStorageReplicas(vm.replicationFactor)) {
      add(
        "metrics.victoriametrics.storageReplicas",
        `is ${vm.storageReplicas}; with replicationFactor ${vm.replicationFactor} it must be at least ${minStorageReplicas(vm.replicationFactor)} (2*replicationFactor-1) so every sample stays readable and writable with ${vm.replicationFactor - 1} vmstorage replica(s) down`,
      );
    }
  }
  return problems;
}
