/**
 * The Prometheus rule catalog: recording and alerting rules as pure, typed
 * data, serialised at the edge into one YAML file per pack under
 * `prometheus/rules/`. No Pulumi imports: the prometheus component mounts the
 * files, render writes them, and tests feed them to `promtool`.
 *
 * Packs: `tutordex` (seeds 000/001: 9 recording rules, 16 alerts), the generic
 * `service`, `http`, `host`, `container`, `database`, `cache`, `queue` packs
 * (seeds 002-004), `slo` (seed 003) and `kubernetes` (kubernetes-mixin; renders
 * on Kubernetes only). Always on: the `Watchdog` deadman and the `stack` file
 * (the stack's own health, prometheus/alertmanager/loki/tempo mixins).
 */
import { yamlFile, type ConfigFile } from "../../files";
import { makeAlertBuilder, type PackContext } from "./builder";
import { cachePack } from "./packs/cache";
import { containerPack } from "./packs/container";
import { databasePack } from "./packs/database";
import { hostPack } from "./packs/host";
import { kubernetesPack } from "./packs/kubernetes";
import { stackFile } from "./packs/stack";
import { httpPack } from "./packs/http";
import { queuePack } from "./packs/queue";
import { servicePack } from "./packs/service";
import { sloPack, validateSlos } from "./packs/slo";
import { tutordexPack } from "./packs/tutordex";
import { watchdogFile } from "./packs/watchdog";
import { DEFAULT_THRESHOLDS, durationMs, isPromDuration, validateThresholds } from "./thresholds";
import type { AlertRule, RecordingRule, Rule, RuleCatalogOptions, RuleFileSpec, RulePack } from "./types";

export type { AlertRule, RecordingRule, Rule, RuleCatalogOptions, RuleFileSpec, RuleGroup, RulePack, Severity, SloSpec } from "./types";
export type { PromDuration, RuleThresholds } from "./thresholds";
export { DEFAULT_THRESHOLDS, durationMs, isPromDuration, validateThresholds } from "./thresholds";
export { validateSlos, leRegex, SLI_KINDS } from "./packs/slo";
export { DEFAULT_KUBERNETES_RULE_OPTIONS } from "./packs/kubernetes";
export type { KubernetesRuleOptions } from "./types";
export { formatRuleProblem, logqlProblems, promqlProblems, ruleDocumentProblems, ruleFileProblems, type QueryLanguage, type RuleProblem } from "./validate";
export { METRICS_CONTRACT, EXPORTER_METRIC_PREFIXES, EXPORTER_METRIC_NAMES, ALLOWED_LABELS, type MetricSpec, type MetricType } from "./metrics-contract";

/** Every pack, in render order. */
export const RULE_PACKS: readonly RulePack[] = ["tutordex", "service", "http", "host", "container", "database", "cache", "queue", "slo", "kubernetes"];

/** Directory (relative to the render root) every rule file is written to. */
export const RULES_DIR = "prometheus/rules";

const BUILDERS: Readonly<Record<RulePack, (ctx: PackContext) => RuleFileSpec[]>> = {
  tutordex: tutordexPack,
  service: servicePack,
  http: httpPack,
  host: hostPack,
  container: containerPack,
  database: databasePack,
  cache: cachePack,
  queue: queuePack,
  slo: sloPack,
  kubernetes: kubernetesPack,
};

/**
 * Problems with the options, each prefixed with its key path relative to the
 * options object (`thresholds.llmFailureFor: ...`, `slos[0].objective: ...`).
 * Empty when valid.
 */
export function validateRuleCatalogOptions(o: RuleCatalogOptions): string[] {
  const problems: string[] = [];
  o.packs.forEach((p, i) => {
    if (!RULE_PACKS.includes(p)) problems.push(`packs[${i}]: unknown pack ${JSON.stringify(p)}; valid: ${RULE_PACKS.join(", ")}`);
  });
  const dup = o.packs.filter((p, i) => o.packs.indexOf(p) !== i);
  if (dup.length > 0) problems.push(`packs: ${JSON.stringify(dup[0])} is listed twice`);
  problems.push(...validateThresholds(o.thresholds as unknown as Record<string, unknown>));
  if (!/^https?:\/\/\S+$/.test(o.runbookBaseUrl) && !/^[\w./-]+$/.test(o.runbookBaseUrl)) {
    problems.push(`runbookBaseUrl: ${JSON.stringify(o.runbookBaseUrl)} must be an http(s) URL or a relative path`);
  }
  if (!isPromDuration(o.evaluationInterval) || durationMs(o.evaluationInterval) === 0) {
    problems.push(`evaluationInterval: ${JSON.stringify(o.evaluationInterval)} must be a non-zero Prometheus duration such as "30s"`);
  }
  if (o.slos) problems.push(...validateSlos(o.slos));
  return problems;
}

/** The catalog as data (no YAML yet), Watchdog and the stack's own health first, then packs in `RULE_PACKS` order. Throws on invalid options. */
export function ruleCatalog(o: RuleCatalogOptions): RuleFileSpec[] {
  const problems = validateRuleCatalogOptions(o);
  if (problems.length > 0) throw new Error(`invalid rule catalog options:\n  ${problems.join("\n  ")}`);
  const ctx: PackContext = { t: o.thresholds, o, alert: makeAlertBuilder(o.runbookBaseUrl) };
  const files: RuleFileSpec[] = [watchdogFile(ctx), stackFile(ctx)];
  for (const pack of RULE_PACKS) if (o.packs.includes(pack)) files.push(...BUILDERS[pack](ctx));
  return files;
}

/** Rule files ready to write or mount: `prometheus/rules/<pack>.rules.yml`, deterministic bytes. */
export function ruleFiles(o: RuleCatalogOptions): ConfigFile[] {
  return ruleCatalog(o).map((f) =>
    yamlFile(f.path, { groups: f.groups }, `Generated by configs/prometheus/rules (pack: ${f.pack}). Do not edit; change the stack config.`),
  );
}

function allRules(o: RuleCatalogOptions): Rule[] {
  return ruleCatalog(o).flatMap((f) => f.groups.flatMap((g) => g.rules));
}

export function isAlertRule(r: Rule): r is AlertRule {
  return "alert" in r;
}

/** Alert names the options produce, unique, in catalog order (warning/critical tiers share a name). */
export function alertNames(o: RuleCatalogOptions): string[] {
  return [...new Set(allRules(o).filter(isAlertRule).map((r) => r.alert))];
}

/** Recording-rule names the options produce, unique, in catalog order. */
export function recordingRuleNames(o: RuleCatalogOptions): string[] {
  return [...new Set(allRules(o).filter((r): r is RecordingRule => !isAlertRule(r)).map((r) => r.record))];
}

/**
 * Names of the always-on stack-health alerts (the `stack` file, every optional
 * alert included): what `npm run doctor` reports on.
 */
export function stackAlertNames(): string[] {
  const o: RuleCatalogOptions = { packs: [], thresholds: DEFAULT_THRESHOLDS, runbookBaseUrl: "runbooks", collectorStalledEnabled: false, evaluationInterval: "30s", alertmanagerReplicas: 2 };
  return [...new Set(ruleCatalog(o).filter((f) => f.pack === "stack").flatMap((f) => f.groups.flatMap((g) => g.rules.filter(isAlertRule).map((r) => r.alert))))];
}
