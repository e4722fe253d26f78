/**
 * The Prometheus rule catalog: recording and alerting rules as pure, typed
 * data, serialised at the edge into one YAML file per pack under
 * `prometheus/rules/`. No Pulumi imports: the prometheus component mounts the
 * files, render writes them, and tests feed them to `promtool`.
 *
 * Packs: `tutordex` (seeds 000/001: 9 recording rules, 16 alerts), the generic
 * `service`, `http`, `host`, `container`, `database`, `cache`, `queue` packs
 * (seeds 002-004), `slo` (seed 003), `probes` (certificate expiry of TLS
 * probes), `scheduler` (seed 003), `kubernetes` (kubernetes-mixin; renders
 * on Kubernetes only) and the opt-in `api`, `ai`, `business` packs (seeds
 * 003/004's named application alerts). Always on: the `Watchdog` deadman and the `stack` file
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
import { probesPack } from "./packs/probes";
import { queuePack } from "./packs/queue";
import { schedulerPack } from "./packs/scheduler";
import { apiPack } from "./packs/api";
import { aiPack } from "./packs/ai";
import { businessPack } from "./packs/business";
import { servicePack } from "./packs/service";
import { sloPack, validateSlos } from "./packs/slo";
import { tutordexPack } from "./packs/tutordex";
import { watchdogFile } from "./packs/watchdog";
import { DEFAULT_THRESHOLDS, validateThresholds } from "./thresholds";
import { durationMs, isPromDuration } from "../../durations";
import type { AlertRule, RecordingRule, Rule, RuleCatalogOptions, RuleFileSpec, RulePack } from "./types";

export type { AlertRule, RecordingRule, Rule, RuleCatalogOptions, RuleFileSpec, RulePack, SloSpec } from "./types";
export type { RuleThresholds } from "./thresholds";
export { DEFAULT_THRESHOLDS, validateThresholds } from "./thresholds";
export { durationMs, isPromDuration } from "../../durations";
export { validateSlos, leRegex } from "./packs/slo";
export type { KubernetesRuleOptions } from "./types";
export { ruleFileProblems } from "./validate";
export { METRICS_CONTRACT, EXPORTER_METRIC_PREFIXES, EXPORTER_METRIC_NAMES, ALLOWED_LABELS, type MetricSpec } from "./metrics-contract";

/** Every pack, in render order. */
export const RULE_PACKS: readonly RulePack[] = ["tutordex", "service", "http", "host", "container", "database", "cache", "queue", "slo", "probes", "scheduler", "kubernetes", "api", "ai", "business"];

export { RULES_DIR } from "./builder";

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
  probes: probesPack,
  scheduler: schedulerPack,
  kubernetes: kubernetesPack,
  api: apiPack,
  ai: aiPack,
  business: businessPack,
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
  problems.push(...validateSeverities(o.severities ?? {}));
  return problems;
}

/** Severities each alert of the catalog can have, over every pack (SLO alerts included). */
function alertTiers(): Map<string, Set<string>> {
  const every: RuleCatalogOptions = {
    packs: RULE_PACKS,
    thresholds: DEFAULT_THRESHOLDS,
    runbookBaseUrl: "runbooks",
    collectorStalledEnabled: true,
    evaluationInterval: "30s",
    slos: [{ name: "any", objective: 99, window: "30d", sli: { kind: "errorRate", job: "any" } }],
  };
  const tiers = new Map<string, Set<string>>();
  for (const r of buildCatalog(every).flatMap((f) => f.groups.flatMap((g) => g.rules))) {
    if (isAlertRule(r)) tiers.set(r.alert, new Set([...(tiers.get(r.alert) ?? []), r.labels.severity]));
  }
  return tiers;
}

function validateSeverities(severities: Readonly<Record<string, string>>): string[] {
  const problems: string[] = [];
  const entries = Object.entries(severities);
  if (entries.length === 0) return problems;
  const tiers = alertTiers();
  const known = [...tiers.keys()].filter((n) => n !== "Watchdog" && (tiers.get(n)?.size ?? 0) === 1);
  for (const [name, severity] of entries) {
    const at = `severities.${name}`;
    const own = tiers.get(name);
    if (!own) problems.push(`${at}: no Prometheus alert of that name; alerts whose severity can be set: ${known.join(", ")}`);
    else if (name === "Watchdog") problems.push(`${at}: the Watchdog has no severity to set (it is the dead man's switch, routed on its own)`);
    else if (own.size > 1) problems.push(`${at}: ${name} has warning and critical tiers; move them with their thresholds in alerting.thresholds instead`);
    else if (severity !== "critical" && severity !== "warning") problems.push(`${at}: ${JSON.stringify(severity)} must be critical or warning`);
  }
  return problems;
}

/** The catalog without validation or severity overrides. */
function buildCatalog(o: RuleCatalogOptions): RuleFileSpec[] {
  const ctx: PackContext = { t: o.thresholds, o, alert: makeAlertBuilder(o.runbookBaseUrl) };
  const files: RuleFileSpec[] = [watchdogFile(ctx), stackFile(ctx)];
  for (const pack of RULE_PACKS) if (o.packs.includes(pack)) files.push(...BUILDERS[pack](ctx));
  return files;
}

/**
 * The catalog as data (no YAML yet), Watchdog first, then packs in
 * `RULE_PACKS` order, with `severities` overrides applied. Takes valid options:
 * the stack checks them with `validateRuleCatalogOptions` up front (settings/rules.ts).
 */
export function ruleCatalog(o: RuleCatalogOptions): RuleFileSpec[] {
  const severities = o.severities ?? {};
  return buildCatalog(o).map((f) => ({
    ...f,
    groups: f.groups.map((g) => ({
      ...g,
      rules: g.rules.map((r) => {
        const severity = isAlertRule(r) ? severities[r.alert] : undefined;
        return severity && isAlertRule(r) ? { ...r, labels: { ...r.labels, severity } } : r;
      }),
    })),
  }));
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
  const o: RuleCatalogOptions = { packs: [], thresholds: DEFAULT_THRESHOLDS, runbookBaseUrl: "runbooks", collectorStalledEnabled: false, evaluationInterval: "30s", alertmanagerReplicas: 2, remoteWrite: true };
  return [...new Set(ruleCatalog(o).filter((f) => f.pack === "stack").flatMap((f) => f.groups.flatMap((g) => g.rules.filter(isAlertRule).map((r) => r.alert))))];
}
