/**
 * node bin/scripts/grammar-facts.js   (run by `npm run build`, after tsc)
 *
 * Writes bin/grammar-facts.json: what the official grammars say about every
 * rule expression the stack ships, and which of its alerts' label and
 * annotation values the Go template checker accepts, (configs/prometheus/rules/grammars.ts says
 * why and how a start uses it). The expressions are those of the rule catalog
 * with the default thresholds (every pack, both platforms, CollectorStalled on
 * and off, the shipped evaluation intervals) and those of the committed stack
 * files (project and e2e fixtures), whose thresholds and SLOs differ, with
 * their Kubernetes rule selectors as settings/rules.ts checks them. An
 * expression seen nowhere here is simply parsed at run time.
 */
import * as fs from "fs";
import * as path from "path";
import { lokiRuleGroups } from "../configs/loki/rules";
import { DEFAULT_THRESHOLDS, RULE_PACKS, ruleCatalog, type RuleCatalogOptions } from "../configs/prometheus/rules";
import { selectedMetricNames } from "../configs/prometheus/rules/dependencies";
import { expressionKey, grammarDigest, GRAMMAR_FACTS_FILE, useGrammarFacts, type GrammarFacts } from "../configs/prometheus/rules/grammars";
import { logqlProblems, promqlProblems } from "../configs/prometheus/rules/validate";
import { readStackConfig, stackNames } from "../render/stack-config";
import { CONFIG_NAMESPACE, type Settings } from "../settings/schema";
import { ruleCatalogOptions, selectorProbe } from "../settings/rules";
import { validateSettings } from "../settings/validate";
import { PLATFORM_PROFILES } from "../targets";
import { PROMETHEUS_DIALECT, templateProblem } from "../configs/go-template";
import { BUILD_DIR, projectDir } from "./build";

/** Directories of the committed stack files whose expressions the facts cover. */
export const FACT_STACK_DIRS = [".", "e2e/stacks"] as const;

interface Corpus {
  readonly promql: Set<string>;
  readonly logql: Set<string>;
  /** Alert rules' label and annotation values: Go templates (configs/prometheus/rules/validate.ts). */
  readonly templates: Set<string>;
}

/** What validation checks of one rule: its expression, and an alert's labels and annotations as templates. */
function addRule(corpus: Corpus, lang: "promql" | "logql", r: { expr: string; alert?: string; labels?: Readonly<Record<string, unknown>>; annotations?: Readonly<Record<string, unknown>> }): void {
  corpus[lang].add(r.expr);
  if (r.alert === undefined) return;
  for (const v of [...Object.values(r.labels ?? {}), ...Object.values(r.annotations ?? {})]) corpus.templates.add(String(v));
}

function add(corpus: Corpus, o: RuleCatalogOptions, environments: readonly string[]): void {
  for (const f of ruleCatalog(o)) for (const g of f.groups) for (const r of g.rules) addRule(corpus, "promql", r);
  for (const environment of environments) {
    for (const g of lokiRuleGroups({ thresholds: o.thresholds, runbookBaseUrl: o.runbookBaseUrl, environment })) for (const r of g.rules) addRule(corpus, "logql", r);
  }
}

const PREFIX = `${CONFIG_NAMESPACE}:`;
const strip = (k: string) => (k.startsWith(PREFIX) ? k.slice(PREFIX.length) : k);

/** Our namespace's values of the stack file `Pulumi.<stack>.yaml` in `dir`, keys without namespace, structured values parsed, as the program receives them. */
export function stackValues(root: string, dir: string, stack: string): Record<string, unknown> {
  const { config } = readStackConfig(root, stack, dir);
  return Object.fromEntries(
    Object.entries(config)
      .filter(([k]) => k.startsWith(PREFIX))
      .map(([k, v]) => [strip(k), /^\s*[[{]/.test(v) ? (JSON.parse(v) as unknown) : v]),
  );
}

/** Settings of a committed stack file, or undefined when it does not validate (its expressions are then parsed at run time). */
export function stackSettings(root: string, dir: string, stack: string): Settings | undefined {
  const { secretKeys } = readStackConfig(root, stack, dir);
  try {
    return validateSettings({ values: stackValues(root, dir, stack), secretKeys: new Set(secretKeys.map(strip)) }, { stack, unsetSecret: () => "placeholder" });
  } catch {
    return undefined;
  }
}

/** Every expression the facts cover (see the file comment). */
export function shippedExpressions(root: string): Corpus {
  const corpus: Corpus = { promql: new Set(), logql: new Set(), templates: new Set() };
  for (const platform of ["docker", "kubernetes"] as const) {
    for (const collectorStalledEnabled of [true, false]) {
      for (const evaluationInterval of ["15s", "30s"]) {
        add(corpus, { packs: RULE_PACKS, thresholds: DEFAULT_THRESHOLDS, runbookBaseUrl: "runbooks", collectorStalledEnabled, evaluationInterval, platform: PLATFORM_PROFILES[platform] }, ["dev", "prod", "validation"]);
      }
    }
  }
  for (const rel of FACT_STACK_DIRS) {
    const dir = path.join(root, rel);
    // A production copy of the project may leave e2e/ out.
    if (!fs.existsSync(dir)) continue;
    for (const stack of stackNames(dir)) {
      const s = stackSettings(root, dir, stack);
      if (!s) continue;
      add(corpus, ruleCatalogOptions(s), [stack, "validation"]);
      for (const matchers of Object.values(s.kubernetes.ruleSelectors)) corpus.promql.add(selectorProbe(matchers));
    }
  }
  return corpus;
}

/** What the installed grammars say about `corpus`; only expressions without problems are recorded. */
export function computeGrammarFacts(corpus: Corpus): GrammarFacts {
  // Facts are computed by parsing, never from earlier facts.
  useGrammarFacts("none");
  try {
    const promql: Record<string, string[]> = {};
    for (const expr of [...corpus.promql].sort()) if (promqlProblems(expr).length === 0) promql[expressionKey(expr)] = selectedMetricNames(expr);
    const logql = [...corpus.logql].sort().filter((expr) => logqlProblems(expr).length === 0).map(expressionKey);
    const templates = [...corpus.templates].sort().filter((text) => templateProblem(text, PROMETHEUS_DIALECT) === undefined).map(expressionKey);
    return { grammars: { promql: grammarDigest("promql"), logql: grammarDigest("logql") }, promql, logql, templates };
  } finally {
    useGrammarFacts(undefined);
  }
}

if (require.main === module) {
  const root = projectDir(__dirname);
  const facts = computeGrammarFacts(shippedExpressions(root));
  fs.writeFileSync(path.join(root, BUILD_DIR, GRAMMAR_FACTS_FILE), `${JSON.stringify(facts)}\n`);
  process.stdout.write(`${GRAMMAR_FACTS_FILE}: ${Object.keys(facts.promql).length} PromQL and ${facts.logql.length} LogQL expressions, ${facts.templates?.length ?? 0} templates\n`);
}
