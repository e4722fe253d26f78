/**
 * From validated settings to the rule files the stack ships, and the checks
 * that make a broken rule a config error before any resource exists:
 *
 * - SLOs (`alerting.slos`) against the targets and probes they name;
 * - the user's own rule files (`alerting.extraRuleFiles`): read from the
 *   project directory, structure and every PromQL expression checked;
 * - every shipped rule, Prometheus (PromQL) and Loki (LogQL), rendered from
 *   these settings and parsed with the official grammars, because thresholds
 *   and SLOs from config end up inside the expressions.
 *
 * Problems come back as `ConfigProblem`s keyed by config path, so
 * `validateSettings` lists them with every other problem at once.
 * The stack builds its files with the same functions, so what is validated is
 * what ships.
 */
import * as fs from "fs";
import * as path from "path";
import type { ConfigFile } from "../configs/files";
import { PLATFORM_PROFILES } from "../targets";
import { LOKI_RULE_FILE, lokiRuleGroups, validateLokiRuleOptions, type LokiRuleOptions } from "../configs/loki/rules";
import {
  DEFAULT_THRESHOLDS,
  durationMs,
  ruleCatalog,
  RULES_DIR,
  validateRuleCatalogOptions,
  type KubernetesRuleOptions,
  type RuleCatalogOptions,
  type RulePack,
  type RuleThresholds,
  type SloSpec,
} from "../configs/prometheus/rules";
import { formatRuleProblem, promqlProblems, ruleDocumentProblems, ruleFileProblems, type QueryLanguage } from "../configs/prometheus/rules/validate";
import { isThresholdKind, THRESHOLD_HISTOGRAMS } from "../configs/prometheus/rules/packs/slo";
import type { Settings } from "./schema";
import type { ConfigProblem } from "./problems";
import { projectDir } from "../scripts/build";
import { remoteWriteConfigured } from "./scaling";

/** Directory `alerting.extraRuleFiles` paths are relative to: the project (where Pulumi.yaml lives). */
export const PROJECT_DIR = projectDir(__dirname);

/** Render directory of the user's rule files; `rule_files` lists them relative to prometheus.yml. */
export const EXTRA_RULES_DIR = `${RULES_DIR}/user`;

/** Thresholds in effect: the catalog defaults with the stack's overrides. */
export function effectiveThresholds(s: Settings): RuleThresholds {
  return { ...DEFAULT_THRESHOLDS, ...(s.alerting.thresholds as Partial<RuleThresholds>) };
}

/** `alerting.slos` as the SLO pack takes them. */
export function sloSpecs(s: Settings): SloSpec[] {
  return s.alerting.slos.map((o) => ({
    name: o.name,
    objective: o.objective,
    window: o.window,
    sli: { kind: o.kind, job: o.target, ...(o.latencyThresholdSeconds !== undefined ? { latencyThresholdSeconds: o.latencyThresholdSeconds } : {}) },
    ...(o.criticalBurnRate !== undefined || o.warningBurnRate !== undefined
      ? { burnRates: { ...(o.criticalBurnRate !== undefined ? { critical: o.criticalBurnRate } : {}), ...(o.warningBurnRate !== undefined ? { warning: o.warningBurnRate } : {}) } }
      : {}),
  }));
}

/**
 * Options of the Prometheus rule catalog. Declaring SLOs switches the `slo`
 * pack on: SLOs nobody evaluates would be a silent trap.
 */
export function ruleCatalogOptions(s: Settings): RuleCatalogOptions {
  const slos = sloSpecs(s);
  const packs: RulePack[] = [...s.alerting.rulePacks];
  if (slos.length > 0 && !packs.includes("slo")) packs.push("slo");
  return {
    packs,
    thresholds: effectiveThresholds(s),
    runbookBaseUrl: s.alerting.runbookBaseUrl,
    collectorStalledEnabled: s.alerting.collectorStalledEnabled,
    evaluationInterval: s.prometheus.evaluationInterval,
    slos,
    platform: PLATFORM_PROFILES[s.target],
    severities: s.alerting.severities,
    // Docker always runs one Alertmanager (`alertmanager.replicas` is Kubernetes-only).
    alertmanagerReplicas: PLATFORM_PROFILES[s.target].replicas ? s.alertmanager.replicas : 1,
    remoteWrite: remoteWriteConfigured(s),
    kubernetes: kubernetesRuleOptions(s),
  };
}

/** `kubernetes.clusterLabel` and `kubernetes.ruleSelectors` as the kubernetes pack takes them. */
export function kubernetesRuleOptions(s: Settings): KubernetesRuleOptions {
  const sel = s.kubernetes.ruleSelectors;
  return {
    clusterLabel: s.kubernetes.clusterLabel,
    kubeStateMetricsSelector: sel.kubeStateMetrics,
    kubeletSelector: sel.kubelet,
    cadvisorSelector: sel.cadvisor,
    apiserverSelector: sel.apiserver,
  };
}

/** The expression a `kubernetes.ruleSelectors` value is checked in: the matchers on a plain selector. */
export const selectorProbe = (matchers: string): string => `up{${matchers}}`;

/**
 * `kubernetes.ruleSelectors.*`: each must be a non-empty list of PromQL label
 * matchers (what goes between `{` and `}`), checked with Prometheus' grammar,
 * so a typo is reported at its key rather than as a broken shipped rule.
 */
export function ruleSelectorChecks(s: Settings): ConfigProblem[] {
  const problems: ConfigProblem[] = [];
  for (const [field, value] of Object.entries(s.kubernetes.ruleSelectors)) {
    if (value.trim() === "" || /[{}]/.test(value) || promqlProblems(selectorProbe(value)).length > 0) {
      problems.push({
        key: `kubernetes.ruleSelectors.${field}`,
        message: `${JSON.stringify(value)} is not a list of PromQL label matchers; write what goes between the braces, e.g. job="kube-state-metrics" or job=~"kubelet|kubelet-2", cluster="prod"`,
      });
    }
  }
  return problems;
}

export function lokiRuleOptions(s: Settings, environment: string): LokiRuleOptions {
  return { thresholds: effectiveThresholds(s), runbookBaseUrl: s.alerting.runbookBaseUrl, environment };
}

/** Render path of a user rule file: its project-relative path under `prometheus/rules/user/`. */
export function extraRuleRenderPath(relative: string): string {
  return path.posix.join(EXTRA_RULES_DIR, path.posix.normalize(relative.split(path.sep).join("/")));
}

/** The user's rule files, byte for byte, at their render paths. Call after validation. */
export function extraRuleFiles(s: Settings, projectDir: string = PROJECT_DIR): ConfigFile[] {
  return s.alerting.extraRuleFiles.map((rel) => ({ path: extraRuleRenderPath(rel), content: fs.readFileSync(path.resolve(projectDir, rel), "utf8") }));
}

/** Every rule problem in the settings, keyed by config path; `environment` is the `env` label the Loki rules carry. */
export function ruleChecks(s: Settings, projectDir: string = PROJECT_DIR, environment = "validation"): ConfigProblem[] {
  const problems: ConfigProblem[] = [];
  const add = (key: string, message: string) => problems.push({ key, message });

  problems.push(...sloChecks(s));
  const selectorProblems = ruleSelectorChecks(s);
  problems.push(...selectorProblems);

  // --- the user's rule files ------------------------------------------------------------
  const renderPaths = new Map<string, number>();
  s.alerting.extraRuleFiles.forEach((rel, i) => {
    const key = `alerting.extraRuleFiles[${i}]`;
    const abs = path.resolve(projectDir, rel);
    const inside = path.relative(projectDir, abs);
    if (path.isAbsolute(rel) || inside.startsWith("..") || path.isAbsolute(inside)) {
      return add(key, `${JSON.stringify(rel)} must be a path inside the project directory (${projectDir}), relative to it`);
    }
    const renderPath = extraRuleRenderPath(rel);
    const first = renderPaths.get(renderPath);
    if (first !== undefined) return add(key, `${JSON.stringify(rel)} is the same file as alerting.extraRuleFiles[${first}]`);
    renderPaths.set(renderPath, i);
    let text: string;
    try {
      text = fs.readFileSync(abs, "utf8");
    } catch (e) {
      const code = (e as NodeJS.ErrnoException).code;
      return add(key, `cannot read ${JSON.stringify(rel)} (${code === "ENOENT" ? "no such file" : code === "EISDIR" ? "it is a directory" : code ?? "error"}) under ${projectDir}`);
    }
    for (const p of ruleFileProblems(text, rel, "promql")) add(key, formatRuleProblem(p));
  });

  // --- the shipped rules, rendered from these settings ----------------------------------
  const options = ruleCatalogOptions(s);
  const lokiOptions = lokiRuleOptions(s, environment);
  // Threshold problems appear in both lists; report each once.
  const optionProblems = [...new Set([...validateRuleCatalogOptions(options), ...validateLokiRuleOptions(lokiOptions)])];
  for (const p of optionProblems) {
    const [k, ...rest] = p.split(": ");
    // SLO problems are mostly reported by sloChecks already; translate the builder's keys to the
    // ones the user wrote and skip keys that already have a problem.
    const key = configKey(k);
    if (!k.startsWith("slos") || !problems.some((q) => q.key === key)) add(key, rest.join(": "));
  }
  // A bad selector breaks the kubernetes pack's expressions: reported at its key above, once.
  if (optionProblems.length > 0 || selectorProblems.length > 0) return problems;
  // Checked as data, not re-parsed from the YAML the builders write (the YAML costs most of a
  // start): the JSON copy holds what the file holds (undefined fields dropped, as YAML drops them);
  // tests/rules/shipped-as-data.test.ts proves the rendered files parse back to exactly this.
  let shipped: [string, unknown, QueryLanguage][];
  try {
    shipped = [
      ...ruleCatalog(options).map((f): [string, unknown, QueryLanguage] => [f.path, { groups: f.groups }, "promql"]),
      [LOKI_RULE_FILE, { groups: lokiRuleGroups(lokiOptions) }, "logql"],
    ];
  } catch (e) {
    // A value the builders cannot render (e.g. a threshold too small to write without an exponent).
    add("alerting.thresholds", `the rules cannot be rendered with these values: ${(e as Error).message}`);
    return problems;
  }
  for (const [file, doc, lang] of shipped) {
    for (const p of ruleDocumentProblems(JSON.parse(JSON.stringify(doc)), file, lang)) {
      add("alerting", `shipped ${formatRuleProblem(p)} (check alerting.thresholds and alerting.slos)`);
    }
  }
  return problems;
}

/**
 * A rule builder's option key as the stack config spells it: `packs[1]` is
 * `alerting.rulePacks[1]`, `evaluationInterval` is `prometheus.evaluationInterval`,
 * `slos[0].sli.job` is `alerting.slos[0].target`.
 */
function configKey(k: string): string {
  if (k === "evaluationInterval") return "prometheus.evaluationInterval";
  if (k === "environment") return "environment";
  if (k === "packs" || k.startsWith("packs[")) return `alerting.rulePacks${k.slice("packs".length)}`;
  return `alerting.${sloKey(k)}`;
}

/** The builder's SLO key (`slos[0].sli.job`) as the stack config spells it (`slos[0].target`). */
function sloKey(k: string): string {
  return k
    .replace(/^(slos\[\d+\])\.sli\.job$/, "$1.target")
    .replace(/^(slos\[\d+\])\.sli\.(kind|latencyThresholdSeconds)$/, "$1.$2")
    .replace(/^(slos\[\d+\])\.burnRates\.critical$/, "$1.criticalBurnRate")
    .replace(/^(slos\[\d+\])\.burnRates\.warning$/, "$1.warningBurnRate");
}

/** Cross-field SLO checks: objective, window, latency threshold, burn rates, and what the SLO measures exists. */
function sloChecks(s: Settings): ConfigProblem[] {
  const problems: ConfigProblem[] = [];
  const t = effectiveThresholds(s);
  const targets = new Map(s.targets.map((x) => [x.name, x]));
  const probes = new Set(s.probes.map((p) => p.name));
  const longest = Math.max(durationMs(t.sloFastBurnLongWindow), durationMs(t.sloSlowBurnLongWindow));

  s.alerting.slos.forEach((o, i) => {
    const key = `alerting.slos[${i}]`;
    const add = (field: string, message: string) => problems.push({ key: `${key}.${field}`, message });
    if (!(o.objective > 0 && o.objective < 100)) add("objective", `${o.objective} must be a percentage strictly between 0 and 100, e.g. 99.9`);
    if (durationMs(o.window) < longest) {
      add("window", `${o.window} is shorter than the longest burn-rate window (${durationMs(t.sloSlowBurnLongWindow) >= durationMs(t.sloFastBurnLongWindow) ? t.sloSlowBurnLongWindow : t.sloFastBurnLongWindow}); use a compliance window such as 7d, 28d or 30d`);
    }
    if (isThresholdKind(o.kind) && o.latencyThresholdSeconds === undefined) {
      add(
        "latencyThresholdSeconds",
        `is required for a ${o.kind} SLO: the threshold in seconds, equal to a bucket boundary of ${THRESHOLD_HISTOGRAMS[o.kind].metric} (e.g. ${o.kind === "latency" ? "0.5, 1, 2.5" : "60, 300"})`,
      );
    }
    if (!isThresholdKind(o.kind) && o.latencyThresholdSeconds !== undefined) {
      add("latencyThresholdSeconds", `only applies to ${Object.keys(THRESHOLD_HISTOGRAMS).join(", ")} SLOs; this one is ${o.kind}`);
    }
    if (o.latencyThresholdSeconds !== undefined && !(o.latencyThresholdSeconds > 0)) add("latencyThresholdSeconds", `${o.latencyThresholdSeconds} must be above 0`);

    if (o.kind === "availability") {
      const target = targets.get(o.target);
      if (target && target.healthPaths.length === 0) {
        add("target", `targets entry '${o.target}' has no healthPaths, so no probe measures its availability; add healthPaths or use kind errorRate`);
      } else if (!target && !probes.has(o.target)) {
        add("target", `'${o.target}' is neither a targets[] nor a probes[] name; availability is measured by their blackbox probes (known: ${[...targets.keys(), ...probes].join(", ") || "(none)"})`);
      }
    } else if (!targets.has(o.target)) {
      const reads = o.kind === "errorRate" || o.kind === "latency" ? "HTTP metrics" : `${THRESHOLD_HISTOGRAMS[o.kind].metric} (a worker)`;
      add("target", `'${o.target}' is not a targets[] name; ${o.kind} SLOs read that job's ${reads} (known: ${[...targets.keys()].join(", ") || "(none)"})`);
    }

    const fast = o.criticalBurnRate ?? t.sloFastBurnRate;
    const slow = o.warningBurnRate ?? t.sloSlowBurnRate;
    if (fast <= slow) add(o.criticalBurnRate !== undefined ? "criticalBurnRate" : "warningBurnRate", `critical burn rate ${fast} must be above the warning burn rate ${slow} (fast burn pages, slow burn opens a ticket)`);
    const budget = (100 - o.objective) / 100;
    for (const [field, rate] of [["criticalBurnRate", fast], ["warningBurnRate", slow]] as const) {
      if (budget > 0 && budget < 1 && rate * budget >= 1) {
        add(field, `${rate}x a ${+(budget * 100).toPrecision(6)}% error budget needs more than 100% errors, so the alert could never fire; use less than ${+(1 / budget).toPrecision(6)}`);
      }
    }
  });
  return problems;
}

/** Labels a rename may neither take from nor give to: set by Prometheus or the stack, or part of histogram/summary semantics. */
const RESERVED_LABELS = ["job", "instance", "component", "env", "le", "quantile"];
const METRIC_NAME_RE = /^[a-zA-Z_:][a-zA-Z0-9_:]*$/;
const LABEL_NAME_RE = /^[a-zA-Z_][a-zA-Z0-9_]*$/;

/** `targets[].metricRenames` / `labelRenames`: names valid, no chains, no two names merged into one, nothing reserved. */
export function renameChecks(s: Settings): ConfigProblem[] {
  const problems: ConfigProblem[] = [];
  s.targets.forEach((t, i) => {
    const check = (field: "metricRenames" | "labelRenames", renames: Readonly<Record<string, string>>, nameRe: RegExp, what: string) => {
      const key = `targets[${i}].${field}`;
      const targetsSeen = new Map<string, string>();
      for (const [from, to] of Object.entries(renames)) {
        const add = (message: string) => problems.push({ key: `${key}.${from}`, message });
        if (!nameRe.test(from) || from.startsWith("__")) add(`'${from}' is not a valid ${what} to rename (${nameRe.source}, not starting with __)`);
        if (to.startsWith("__")) add(`'${to}' starts with __, which Prometheus reserves`);
        if (from === to) add(`renames '${from}' to itself; remove the entry`);
        if (field === "labelRenames" && RESERVED_LABELS.includes(from)) add(`'${from}' is set by Prometheus or the stack (reserved: ${RESERVED_LABELS.join(", ")}); it cannot be renamed`);
        if (field === "labelRenames" && RESERVED_LABELS.includes(to)) add(`'${to}' is set by Prometheus or the stack (reserved: ${RESERVED_LABELS.join(", ")}); choose another name`);
        if (to in renames && to !== from) add(`'${to}' is itself renamed; chains are ambiguous, rename '${from}' straight to the final name`);
        const other = targetsSeen.get(to);
        if (other !== undefined) add(`'${from}' and '${other}' would both become '${to}' and their series would collide`);
        else targetsSeen.set(to, from);
      }
    };
    check("metricRenames", t.metricRenames, METRIC_NAME_RE, "metric name");
    check("labelRenames", t.labelRenames, LABEL_NAME_RE, "label name");
  });
  return problems;
}
