import { ConfigFile, yamlFile } from "../files";
import {
  DISCOVERY_STRUCTURED_METADATA,
  type LogPlatform,
  type LogSource,
  PROMOTED_JSON_FIELDS,
  SERVICE_LABEL,
  LINE_STRUCTURED_METADATA,
  jsonLogExpressions,
  TIMESTAMP_FIELD,
} from "../logs/labels";
import { SYSLOG_JOB, SYSLOG_LABEL_RULES, syslogListenAddress, type SyslogInput } from "../logs/syslog";
import { DOCKER_API_URL, SERVICES } from "../topology";

/**
 * Promtail 3.x shipping container logs to Loki's push API.
 *
 * Promtail reached end of life on 2026-03-02 (Loki 3.7 release notes: "Promtail
 * is deprecated ... merged into Grafana Alloy"); prefer `configs/alloy/alloy.ts`.
 * Kept for users who still run it; both agents share `configs/logs/labels.ts`.
 */
export interface PromtailConfigOptions {
  /** Loki push endpoint, e.g. `http://loki:3100/loki/api/v1/push`. */
  lokiPushUrl: string;
  /**
   * The target's profile. Log source `docker-api`: tail containers through the Docker API, read through the
   * read-only proxy (DOCKER_API_URL). `pod-log-files`: run as a DaemonSet, read
   * `/var/log/pods` from the node (hostPath), discover pods through the API
   * (RBAC: get/list/watch pods) and keep only this node's pods: set the env var
   * `HOSTNAME` to the node name (`spec.nodeName` via the Downward API).
   */
  platform: LogPlatform;
  /** Syslog input (`syslog.*`); none when unset. */
  syslog?: SyslogInput;
}

/** Where Promtail records how far it has read (mount a volume here to survive restarts). */
export const PROMTAIL_POSITIONS_FILE = "/var/lib/promtail/positions.yaml";

/** In-container path of the rendered config (pass as `-config.file`). */
export const PROMTAIL_CONFIG_PATH = "/etc/promtail/promtail.yml";

/** Node directory holding pod logs on Kubernetes (hostPath mount, read-only). */
export const KUBERNETES_POD_LOG_DIR = "/var/log/pods";

function identity(fields: readonly string[]): Record<string, string> {
  return Object.fromEntries(fields.map((f) => [f, f]));
}

/** Parse the JSON line, promote the low-cardinality fields, keep IDs as structured metadata. */
function jsonStages(source: LogSource): unknown[] {
  const metadata = [...LINE_STRUCTURED_METADATA, ...DISCOVERY_STRUCTURED_METADATA[source]];
  const stages: unknown[] = [
    // Non-JSON lines pass through untouched: the json stage only fills the extracted map.
    { json: { expressions: jsonLogExpressions() } },
    { labels: identity(PROMOTED_JSON_FIELDS) },
    { structured_metadata: identity(metadata) },
    { timestamp: { source: TIMESTAMP_FIELD, format: "RFC3339Nano", action_on_failure: "skip" } },
  ];
  if (DISCOVERY_STRUCTURED_METADATA[source].length > 0) {
    // structured_metadata moves discovery labels out of the stream; make it explicit.
    stages.push({ labeldrop: [...DISCOVERY_STRUCTURED_METADATA[source]] });
  }
  return stages;
}

function dockerScrapeConfig() {
  return {
    job_name: "docker",
    docker_sd_configs: [{ host: DOCKER_API_URL, refresh_interval: "10s" }],
    relabel_configs: [
      // Container names come with a leading slash: "/project-backend-1".
      { source_labels: ["__meta_docker_container_name"], regex: "/?(.*)", target_label: "container" },
      // compose_service falls back to the container name for containers Compose did not start ...
      { source_labels: ["__meta_docker_container_name"], regex: "/?(.*)", target_label: SERVICE_LABEL },
      // ... and is the Compose service whenever the label is set.
      {
        source_labels: ["__meta_docker_container_label_com_docker_compose_service"],
        regex: "(.+)",
        target_label: SERVICE_LABEL,
      },
    ],
    pipeline_stages: jsonStages("docker-api"),
  };
}

function kubernetesScrapeConfig() {
  return {
    job_name: "kubernetes-pods",
    kubernetes_sd_configs: [{ role: "pod" }],
    relabel_configs: [
      // Promtail keeps only targets whose __host__ equals its HOSTNAME (the node name).
      { source_labels: ["__meta_kubernetes_pod_node_name"], target_label: "__host__" },
      { source_labels: ["__meta_kubernetes_pod_phase"], regex: "Pending|Succeeded|Failed", action: "drop" },
      { source_labels: ["__meta_kubernetes_namespace"], target_label: "namespace" },
      { source_labels: ["__meta_kubernetes_pod_name"], target_label: "pod" },
      { source_labels: ["__meta_kubernetes_pod_container_name"], target_label: "container" },
      // app: app.kubernetes.io/name, else the plain `app` label, else the container name.
      { source_labels: ["__meta_kubernetes_pod_container_name"], target_label: "app" },
      { source_labels: ["__meta_kubernetes_pod_label_app"], regex: "(.+)", target_label: "app" },
      { source_labels: ["__meta_kubernetes_pod_label_app_kubernetes_io_name"], regex: "(.+)", target_label: "app" },
      { source_labels: ["app"], target_label: SERVICE_LABEL },
      // /var/log/pods/<namespace>_<pod>_<uid>/<container>/*.log
      {
        source_labels: ["__meta_kubernetes_pod_uid", "__meta_kubernetes_pod_container_name"],
        separator: "/",
        regex: "(.+)/(.+)",
        replacement: `${KUBERNETES_POD_LOG_DIR}/*$1/$2/*.log`,
        target_label: "__path__",
      },
    ],
    pipeline_stages: [{ cri: {} }, ...jsonStages("pod-log-files")],
  };
}

/**
 * Promtail's syslog target (scrapeconfig.go SyslogTargetConfig: `listen_address`, `listen_protocol`,
 * `idle_timeout`, `labels`, `syslog_format` rfc5424 (default) or rfc3164): one scrape config per transport,
 * since a target listens on one.
 */
function syslogScrapeConfigs(input: SyslogInput): unknown[] {
  return input.protocols.map((protocol) => ({
    job_name: `${SYSLOG_JOB}-${protocol}`,
    syslog: {
      listen_address: syslogListenAddress(input),
      listen_protocol: protocol,
      idle_timeout: "60s",
      // Said only when it differs from the default, as older 3.x releases have no such key.
      ...(input.format === "rfc3164" ? { syslog_format: input.format } : {}),
      labels: { job: SYSLOG_JOB },
    },
    relabel_configs: SYSLOG_LABEL_RULES.map((r) => ({ source_labels: [r.source], target_label: r.label })),
  }));
}

export function promtailConfigFiles(o: PromtailConfigOptions): ConfigFile[] {
  if (!/^https?:\/\/[^\s]+$/.test(o.lokiPushUrl)) {
    throw new Error(`promtail lokiPushUrl: "${o.lokiPushUrl}" is not an http(s) URL`);
  }
  const config = {
    server: {
      http_listen_address: "0.0.0.0",
      http_listen_port: SERVICES.promtail.ports.http,
      grpc_listen_port: 0,
      log_level: "info",
    },
    positions: { filename: PROMTAIL_POSITIONS_FILE },
    clients: [{ url: o.lokiPushUrl }],
    scrape_configs: [o.platform.logSource === "docker-api" ? dockerScrapeConfig() : kubernetesScrapeConfig(), ...(o.syslog ? syslogScrapeConfigs(o.syslog) : [])],
  };
  return [
    yamlFile(
      "promtail/promtail.yml",
      config,
      `Promtail 3.x (${o.platform.kind}). Generated by configs/promtail/promtail.ts; do not edit.\n` +
        "Promtail is end-of-life since 2026-03-02; Grafana Alloy (alloy/config.alloy) replaces it.",
    ),
  ];
}
