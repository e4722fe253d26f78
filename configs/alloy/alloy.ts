import { ConfigFile } from "../files";
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
import { KUBERNETES_POD_LOG_DIR } from "../promtail/promtail";
import { DOCKER_API_URL } from "../topology";

/**
 * Grafana Alloy 1.18 shipping container logs to Loki's push API, with the
 * same labels as the Promtail config (`configs/logs/labels.ts`).
 *
 * Alloy's configuration language is text, not YAML: it is generated from a
 * small typed syntax tree below, with every string escaped by `alloyString`.
 */
export interface AlloyConfigOptions {
  /** Loki push endpoint, e.g. `http://loki:3100/loki/api/v1/push`. */
  lokiPushUrl: string;
  /**
   * The target's profile. Log source `docker-api`: tail containers through the Docker API, read through the
   * read-only proxy (DOCKER_API_URL). `pod-log-files`: tail pods through the Kubernetes API
   * (`loki.source.kubernetes`: no hostPath, no root; RBAC get/list/watch on
   * pods and get on pods/log).
   */
  platform: LogPlatform;
  /**
   * Pod logs only. Name of an environment variable holding this node's name
   * (set it from `spec.nodeName` with the Downward API). When given, each
   * Alloy tails only the pods of its own node, so Alloy can run as a
   * DaemonSet. Omit it when a single Alloy replica tails every pod.
   */
  nodeNameEnvVar?: string;
  /** Syslog input (`syslog.*`); none when unset. */
  syslog?: SyslogInput;
}

/** In-container path of the rendered config (pass as the `run` argument). */
export const ALLOY_CONFIG_PATH = "/etc/alloy/config.alloy";

/** Alloy's data directory (positions of every tailed stream); mount a volume here. Pass as `--storage.path`. */
export const ALLOY_STORAGE_PATH = "/var/lib/alloy/data";

// ---------------------------------------------------------------------------
// Alloy syntax: a tiny typed tree and its printer.
// ---------------------------------------------------------------------------

/** A non-literal Alloy expression (component reference, function call, concatenation). */
export class AlloyExpr {
  private constructor(readonly text: string) {}

  /** A reference to a component export, e.g. `discovery.docker.containers.targets`. */
  static ref(path: string): AlloyExpr {
    if (!/^[A-Za-z_][A-Za-z0-9_]*(\.[A-Za-z_][A-Za-z0-9_]*)+$/.test(path)) {
      throw new Error(`alloy: "${path}" is not a component reference`);
    }
    return new AlloyExpr(path);
  }

  /** `sys.env("NAME")`: the value of an environment variable at run time. */
  static env(name: string): AlloyExpr {
    if (!/^[A-Za-z_][A-Za-z0-9_]*$/.test(name)) {
      throw new Error(`alloy: "${name}" is not an environment variable name`);
    }
    return new AlloyExpr(`sys.env(${alloyString(name)})`);
  }

  /** String concatenation of literals and expressions: `"a" + sys.env("B")`. */
  static concat(...parts: (string | AlloyExpr)[]): AlloyExpr {
    return new AlloyExpr(parts.map((p) => (typeof p === "string" ? alloyString(p) : p.text)).join(" + "));
  }
}

export type AlloyValue =
  | string
  | number
  | boolean
  | AlloyExpr
  | readonly AlloyValue[]
  | { readonly [key: string]: AlloyValue };

export interface AlloyAttribute {
  readonly kind: "attr";
  readonly name: string;
  readonly value: AlloyValue;
}

export interface AlloyBlock {
  readonly kind: "block";
  /** Block name, e.g. `loki.process` or `stage.json`. */
  readonly name: string;
  /** Component label, e.g. `"containers"`; absent for nested blocks. */
  readonly label?: string;
  readonly body: readonly AlloyStatement[];
}

export type AlloyStatement = AlloyAttribute | AlloyBlock;

export function attr(name: string, value: AlloyValue): AlloyAttribute {
  return { kind: "attr", name, value };
}

export function block(name: string, label: string | undefined, body: readonly AlloyStatement[]): AlloyBlock {
  return { kind: "block", name, label, body };
}

const IDENTIFIER = /^[A-Za-z_][A-Za-z0-9_]*$/;
const BLOCK_NAME = /^[A-Za-z_][A-Za-z0-9_]*(\.[A-Za-z_][A-Za-z0-9_]*)*$/;
const INDENT = "  ";

/**
 * An Alloy string literal: double-quoted, with `\` and `"` escaped, common
 * control characters as `\n`/`\r`/`\t`, any other control character as
 * `\uXXXX`. Everything else (including non-ASCII) is written as UTF-8.
 */
export function alloyString(value: string): string {
  let out = '"';
  for (const ch of value) {
    const code = ch.codePointAt(0) as number;
    if (ch === "\\") out += "\\\\";
    else if (ch === '"') out += '\\"';
    else if (ch === "\n") out += "\\n";
    else if (ch === "\r") out += "\\r";
    else if (ch === "\t") out += "\\t";
    else if (code < 0x20 || code === 0x7f) out += `\\u${code.toString(16).padStart(4, "0")}`;
    else out += ch;
  }
  return out + '"';
}

function isPlainObject(v: AlloyValue): v is { readonly [key: string]: AlloyValue } {
  return typeof v === "object" && v !== null && !(v instanceof AlloyExpr) && !Array.isArray(v);
}

function renderValue(value: AlloyValue, depth: number): string {
  if (typeof value === "string") return alloyString(value);
  if (typeof value === "boolean") return value ? "true" : "false";
  if (typeof value === "number") {
    if (!Number.isFinite(value)) throw new Error(`alloy: ${value} is not a finite number`);
    return String(value);
  }
  if (value instanceof AlloyExpr) return value.text;
  const pad = INDENT.repeat(depth + 1);
  const close = INDENT.repeat(depth);
  if (Array.isArray(value)) {
    const items = (value as readonly AlloyValue[]).map((v) => renderValue(v, depth + 1));
    if (items.length === 0) return "[]";
    const oneLine = `[${items.join(", ")}]`;
    if (oneLine.length <= 80 && !oneLine.includes("\n")) return oneLine;
    return `[\n${items.map((i) => `${pad}${i},`).join("\n")}\n${close}]`;
  }
  if (isPlainObject(value)) {
    const entries = Object.entries(value);
    if (entries.length === 0) return "{}";
    const keys = entries.map(([k]) => alloyString(k));
    const width = Math.max(...keys.map((k) => k.length));
    const lines = entries.map(([, v], i) => `${pad}${keys[i].padEnd(width)} = ${renderValue(v, depth + 1)},`);
    return `{\n${lines.join("\n")}\n${close}}`;
  }
  throw new Error("alloy: unsupported value");
}

function renderStatements(statements: readonly AlloyStatement[], depth: number): string[] {
  const pad = INDENT.repeat(depth);
  const lines: string[] = [];
  let i = 0;
  while (i < statements.length) {
    // A blank line separates a block from whatever precedes it, and attributes from a preceding block.
    if (i > 0 && (statements[i].kind === "block" || statements[i - 1].kind === "block")) lines.push("");
    const s = statements[i];
    if (s.kind === "attr") {
      // Align `=` across each run of consecutive attributes, as `alloy fmt` does.
      const run: AlloyAttribute[] = [];
      while (i < statements.length && statements[i].kind === "attr") run.push(statements[i++] as AlloyAttribute);
      const width = Math.max(...run.map((a) => a.name.length));
      for (const a of run) {
        if (!IDENTIFIER.test(a.name)) throw new Error(`alloy: "${a.name}" is not an attribute name`);
        lines.push(`${pad}${a.name.padEnd(width)} = ${renderValue(a.value, depth)}`);
      }
      continue;
    }
    if (!BLOCK_NAME.test(s.name)) throw new Error(`alloy: "${s.name}" is not a block name`);
    if (s.label !== undefined && !IDENTIFIER.test(s.label)) throw new Error(`alloy: "${s.label}" is not a block label`);
    const head = s.label === undefined ? s.name : `${s.name} ${alloyString(s.label)}`;
    if (s.body.length === 0) lines.push(`${pad}${head} { }`);
    else lines.push(`${pad}${head} {`, ...renderStatements(s.body, depth + 1), `${pad}}`);
    i++;
  }
  return lines;
}

/** Print a whole Alloy file; `header` lines become `//` comments. */
export function renderAlloy(statements: readonly AlloyStatement[], header?: string): string {
  const comment = header ? header.split("\n").map((l) => `// ${l}`).join("\n") + "\n\n" : "";
  return comment + renderStatements(statements, 0).join("\n") + "\n";
}

// ---------------------------------------------------------------------------
// The log pipeline.
// ---------------------------------------------------------------------------

function identityMap(fields: readonly string[]): Record<string, string> {
  return Object.fromEntries(fields.map((f) => [f, f]));
}

interface Rule {
  source_labels: readonly string[];
  target_label?: string;
  regex?: string;
  action?: string;
  separator?: string;
  replacement?: string;
}

function rule(r: Rule): AlloyBlock {
  const body: AlloyStatement[] = [attr("source_labels", r.source_labels)];
  if (r.separator !== undefined) body.push(attr("separator", r.separator));
  if (r.regex !== undefined) body.push(attr("regex", r.regex));
  if (r.action !== undefined) body.push(attr("action", r.action));
  if (r.replacement !== undefined) body.push(attr("replacement", r.replacement));
  if (r.target_label !== undefined) body.push(attr("target_label", r.target_label));
  return block("rule", undefined, body);
}

const PROCESS = "json_logs";
const WRITE = "loki";

function processStages(source: LogSource): AlloyStatement[] {
  const metadata = [...LINE_STRUCTURED_METADATA, ...DISCOVERY_STRUCTURED_METADATA[source]];
  const stages: AlloyStatement[] = [
    attr("forward_to", [AlloyExpr.ref(`loki.write.${WRITE}.receiver`)]),
    // Lines that are not JSON pass through unchanged.
    block("stage.json", undefined, [attr("expressions", jsonLogExpressions())]),
    block("stage.labels", undefined, [attr("values", identityMap(PROMOTED_JSON_FIELDS))]),
    block("stage.structured_metadata", undefined, [attr("values", identityMap(metadata))]),
  ];
  if (DISCOVERY_STRUCTURED_METADATA[source].length > 0) {
    stages.push(block("stage.label_drop", undefined, [attr("values", [...DISCOVERY_STRUCTURED_METADATA[source]])]));
  }
  stages.push(
    block("stage.timestamp", undefined, [
      attr("source", TIMESTAMP_FIELD),
      attr("format", "RFC3339Nano"),
      attr("action_on_failure", "skip"),
    ]),
  );
  return stages;
}

function dockerSources(): AlloyBlock[] {
  return [
    block("discovery.docker", "containers", [attr("host", DOCKER_API_URL), attr("refresh_interval", "10s")]),
    block("discovery.relabel", "containers", [
      attr("targets", []),
      // Container names come with a leading slash: "/project-backend-1".
      rule({ source_labels: ["__meta_docker_container_name"], regex: "/?(.*)", target_label: "container" }),
      // compose_service falls back to the container name ...
      rule({ source_labels: ["__meta_docker_container_name"], regex: "/?(.*)", target_label: SERVICE_LABEL }),
      // ... and is the Compose service whenever the label is set.
      rule({
        source_labels: ["__meta_docker_container_label_com_docker_compose_service"],
        regex: "(.+)",
        target_label: SERVICE_LABEL,
      }),
    ]),
    block("loki.source.docker", "containers", [
      attr("host", DOCKER_API_URL),
      attr("targets", AlloyExpr.ref("discovery.docker.containers.targets")),
      attr("relabel_rules", AlloyExpr.ref("discovery.relabel.containers.rules")),
      attr("refresh_interval", "10s"),
      attr("forward_to", [AlloyExpr.ref(`loki.process.${PROCESS}.receiver`)]),
    ]),
  ];
}

function kubernetesSources(nodeNameEnvVar: string | undefined): AlloyBlock[] {
  const discovery: AlloyStatement[] = [attr("role", "pod")];
  if (nodeNameEnvVar !== undefined) {
    discovery.push(
      block("selectors", undefined, [
        attr("role", "pod"),
        attr("field", AlloyExpr.concat("spec.nodeName=", AlloyExpr.env(nodeNameEnvVar))),
      ]),
    );
  }
  return [
    block("discovery.kubernetes", "pods", discovery),
    block("discovery.relabel", "pods", [
      attr("targets", AlloyExpr.ref("discovery.kubernetes.pods.targets")),
      rule({ source_labels: ["__meta_kubernetes_pod_phase"], regex: "Pending|Succeeded|Failed", action: "drop" }),
      rule({ source_labels: ["__meta_kubernetes_namespace"], target_label: "namespace" }),
      rule({ source_labels: ["__meta_kubernetes_pod_name"], target_label: "pod" }),
      rule({ source_labels: ["__meta_kubernetes_pod_container_name"], target_label: "container" }),
      // app: app.kubernetes.io/name, else the plain `app` label, else the container name.
      rule({ source_labels: ["__meta_kubernetes_pod_container_name"], target_label: "app" }),
      rule({ source_labels: ["__meta_kubernetes_pod_label_app"], regex: "(.+)", target_label: "app" }),
      rule({ source_labels: ["__meta_kubernetes_pod_label_app_kubernetes_io_name"], regex: "(.+)", target_label: "app" }),
      rule({ source_labels: ["app"], target_label: SERVICE_LABEL }),
    ]),
    block("loki.source.kubernetes", "pods", [
      attr("targets", AlloyExpr.ref("discovery.relabel.pods.output")),
      attr("forward_to", [AlloyExpr.ref(`loki.process.${PROCESS}.receiver`)]),
    ]),
  ];
}

/**
 * loki.source.syslog (Alloy 1.18 reference): one `listener` per transport (`address`, `protocol`,
 * `syslog_format`, `labels`), the stream labels from `loki.relabel` rules over the `__syslog_message_*`
 * labels, lines straight to Loki (syslog messages are not the applications' JSON).
 */
function syslogSource(input: SyslogInput): AlloyBlock[] {
  if (input.protocols.length === 0) throw new Error("alloy syslog: listen on at least one of tcp, udp");
  return [
    block("loki.relabel", "syslog", [
      attr("forward_to", []),
      ...SYSLOG_LABEL_RULES.map((r) => rule({ source_labels: [r.source], target_label: r.label })),
    ]),
    block("loki.source.syslog", "syslog", [
      ...input.protocols.map((protocol) =>
        block("listener", undefined, [
          attr("address", syslogListenAddress(input)),
          attr("protocol", protocol),
          attr("syslog_format", input.format),
          attr("labels", { job: SYSLOG_JOB }),
        ]),
      ),
      attr("relabel_rules", AlloyExpr.ref("loki.relabel.syslog.rules")),
      attr("forward_to", [AlloyExpr.ref(`loki.write.${WRITE}.receiver`)]),
    ]),
  ];
}

export function alloyConfigFiles(o: AlloyConfigOptions): ConfigFile[] {
  if (!/^https?:\/\/[^\s]+$/.test(o.lokiPushUrl)) {
    throw new Error(`alloy lokiPushUrl: "${o.lokiPushUrl}" is not an http(s) URL`);
  }
  const docker = o.platform.logSource === "docker-api";
  if (docker && o.nodeNameEnvVar !== undefined) {
    throw new Error("alloy nodeNameEnvVar: only applies to the kubernetes platform");
  }
  const statements: AlloyStatement[] = [
    block("logging", undefined, [attr("level", "info"), attr("format", "logfmt")]),
    ...(docker ? dockerSources() : kubernetesSources(o.nodeNameEnvVar)),
    block("loki.process", PROCESS, processStages(o.platform.logSource)),
    ...(o.syslog ? syslogSource(o.syslog) : []),
    block("loki.write", WRITE, [block("endpoint", undefined, [attr("url", o.lokiPushUrl)])]),
  ];
  const header =
    `Grafana Alloy 1.18 log agent (${o.platform.kind}). Generated by configs/alloy/alloy.ts; do not edit.\n` +
    (docker
      ? `Reads the Docker API through the read-only proxy at ${DOCKER_API_URL}; no socket is mounted.`
      : `Pods are tailed through the Kubernetes API; no hostPath (${KUBERNETES_POD_LOG_DIR}) is needed.`);
  return [{ path: "alloy/config.alloy", content: renderAlloy(statements, header) }];
}
