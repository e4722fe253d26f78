/**
 * Small helpers the packs share: alert/record constructors that enforce the
 * catalog's label and annotation conventions, and number formatting for
 * thresholds embedded in PromQL.
 */
import type { AlertRule, RecordingRule, RuleCatalogOptions, Severity } from "./types";
import type { RuleThresholds } from "./thresholds";
import { durationMs } from "../../durations";

/** Directory (relative to the render root) every rule file is written to. */
export const RULES_DIR = "prometheus/rules";

/** Render path of the rule file `<name>.rules.yml` under RULES_DIR. */
export function rulesPath(name: string): string {
  return `${RULES_DIR}/${name}.rules.yml`;
}

/** Labels TutorDex metrics carry and aggregations keep, so Alertmanager can group by `pipeline_version` (seed 001). */
export const VERSION_LABELS = "pipeline_version, schema_version";

/** What a pack builder receives. */
export interface PackContext {
  readonly t: RuleThresholds;
  readonly o: RuleCatalogOptions;
  /** Build an alert with the catalog's conventions (runbook link, severity and component labels). */
  readonly alert: (spec: AlertSpec) => AlertRule;
}

export interface AlertSpec {
  readonly name: string;
  readonly expr: string;
  /** Pending duration; `0`/`0m`/`0s` or absent renders no `for`. */
  readonly for?: string;
  readonly severity: Severity;
  readonly component: string;
  readonly summary: string;
  readonly description: string;
  /** Extra static labels (rare: the expression should carry dynamic ones). */
  readonly labels?: Readonly<Record<string, string>>;
}

export function makeAlertBuilder(runbookBaseUrl: string): (spec: AlertSpec) => AlertRule {
  const base = runbookBaseUrl.replace(/\/+$/, "");
  return (s) => {
    const rule: AlertRule = {
      alert: s.name,
      expr: s.expr,
      ...(s.for !== undefined && durationMs(s.for) > 0 ? { for: s.for } : {}),
      labels: { severity: s.severity, component: s.component, ...(s.labels ?? {}) },
      annotations: { summary: s.summary, description: s.description, runbook_url: `${base}/${s.name}.md` },
    };
    return rule;
  };
}

export function record(name: string, expr: string, labels?: Readonly<Record<string, string>>): RecordingRule {
  return labels ? { record: name, expr, labels } : { record: name, expr };
}

/**
 * A number as PromQL and humans read it: no float noise (`0.1 + 0.2` renders
 * `0.3`), no exponent for the magnitudes thresholds have.
 */
export function num(x: number): string {
  if (!Number.isFinite(x)) throw new Error(`threshold must be finite, got ${x}`);
  const s = String(Number(x.toPrecision(12)));
  if (/e/i.test(s)) throw new Error(`threshold ${x} is out of the range the catalog renders (no exponent notation)`);
  return s;
}

/** PromQL string literal (double-quoted, escaped). */
export function str(s: string): string {
  return JSON.stringify(s);
}

/** Go-template snippets used in annotations (valid in Prometheus 2.x and 3.x). */
export const V = {
  /** `$value` with two decimals, for rates. */
  f2: '{{ $value | printf "%.2f" }}',
  /** `$value` with one decimal, for percentages already multiplied by 100. */
  f1: '{{ $value | printf "%.1f" }}',
  /** `$value` as an integer count. */
  int: '{{ $value | printf "%.0f" }}',
  /** `$value` seconds as a human duration (`1h 2m 3s`). */
  dur: "{{ $value | humanizeDuration }}",
  /** `$value` ratio (0-1) as a percentage. */
  pct: "{{ $value | humanizePercentage }}",
  /** `$value` with SI prefixes. */
  si: "{{ $value | humanize }}",
} as const;

/** `{{ $labels.<name> }}` */
export function L(name: string): string {
  return `{{ $labels.${name} }}`;
}

/** Version suffix every TutorDex description ends with. */
export const VERSIONS_TEXT = `(pipeline_version=${L("pipeline_version")}, schema_version=${L("schema_version")})`;

/**
 * Kubernetes container alerts keep the `name` label Docker's cAdvisor gives
 * them, so silences (`name="<container>"`), notification templates and
 * runbooks read the same on both platforms: `name` is copied from the
 * container's name in its pod spec (`container`), next to `namespace`/`pod`.
 * `inner` must keep `container` (aggregate `by (..., container)`).
 */
export function withContainerName(inner: string): string {
  return [`label_replace(`, `  ${inner},`, `  "name", "$1", "container", "(.+)"`, `)`].join("\n");
}

/**
 * Matchers for the kubelet's cAdvisor series of real containers. The kubelet
 * also exports pod-level cgroup series (`container=""`, whose limit is the sum
 * of the pod's limits) and, with dockershim/cri-dockerd, the sandbox ("pause")
 * container as `container="POD"`; neither is a container anyone configured.
 */
export const K8S_CONTAINER_MATCHERS = 'container!="", container!="POD"';
