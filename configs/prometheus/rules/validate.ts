/**
 * Rule files checked the way Prometheus and the Loki ruler load them, before
 * anything is deployed: the rule-file structure (groups / name / rules /
 * alert|record / expr / for / labels / annotations, durations, names) and
 * every expression parsed with the official grammars, `@prometheus-io/lezer-promql`
 * for PromQL and `@grafana/lezer-logql` for LogQL. Each problem names the
 * file, the group and the rule.
 *
 * Pure: takes text or parsed data, no I/O. The grammars check syntax only;
 * on top of them this module checks what a grammar cannot: that range
 * functions get a range (`rate(x)` parses but Prometheus rejects it) and that
 * a Loki rule is a metric query (the ruler cannot evaluate a log query).
 */
import { parse as parseYaml } from "yaml";
import { PROMETHEUS_DIALECT, templateProblem } from "../../go-template";
import { grammar, knownValid, knownValidTemplate, type Grammar, type QueryLanguage } from "./grammars";
import { isPromDuration } from "../../durations";

/** A lezer syntax node (typed through the grammar package, so @lezer/common need not be a direct dependency). */
type SyntaxNode = ReturnType<Grammar["parse"]>["topNode"];

export type { QueryLanguage };

/** One thing wrong with a rule file. */
export interface RuleProblem {
  /** File as the user or the catalog names it (`rules/team.yml`, `prometheus/rules/http.rules.yml`). */
  readonly file: string;
  /** Group name, or `groups[i]` when the group has no usable name. */
  readonly group?: string;
  /** Rule name (alert or record), or `rules[j]` when it has none. */
  readonly rule?: string;
  readonly message: string;
}

/** `file rules/x.yml, group "g", rule "R": message` */
export function formatRuleProblem(p: RuleProblem): string {
  return [`file ${p.file}`, ...(p.group !== undefined ? [`group ${JSON.stringify(p.group)}`] : []), ...(p.rule !== undefined ? [`rule ${JSON.stringify(p.rule)}`] : [])].join(", ") + `: ${p.message}`;
}

const METRIC_NAME = /^[a-zA-Z_:][a-zA-Z0-9_:]*$/;
const LABEL_NAME = /^[a-zA-Z_][a-zA-Z0-9_]*$/;

/** Functions whose argument at the given index must be a range vector (`x[5m]` or a subquery). */
const RANGE_ARGUMENT: Readonly<Record<string, number>> = {
  rate: 0,
  irate: 0,
  increase: 0,
  delta: 0,
  idelta: 0,
  deriv: 0,
  changes: 0,
  resets: 0,
  predict_linear: 0,
  holt_winters: 0,
  double_exponential_smoothing: 0,
  avg_over_time: 0,
  min_over_time: 0,
  max_over_time: 0,
  sum_over_time: 0,
  count_over_time: 0,
  stddev_over_time: 0,
  stdvar_over_time: 0,
  last_over_time: 0,
  present_over_time: 0,
  absent_over_time: 0,
  mad_over_time: 0,
  quantile_over_time: 1,
};

function near(expr: string, at: number): string {
  const snippet = expr.slice(Math.max(0, at - 15), at + 15).replace(/\s+/g, " ");
  return at >= expr.length ? "at the end of the expression (unclosed bracket or missing operand?)" : `at character ${at + 1}, near ${JSON.stringify(snippet)}`;
}

/** Problems with one PromQL expression; empty when Prometheus' grammar accepts it and range functions get ranges. */
export function promqlProblems(expr: string): string[] {
  // The build parsed this very expression with this very grammar and found nothing (./grammars).
  if (knownValid("promql", expr)) return [];
  const problems: string[] = [];
  const tree = grammar("promql").parse(expr);
  let firstError: number | undefined;
  tree.iterate({
    enter(n) {
      if (n.type.isError && firstError === undefined) firstError = n.from;
      if (n.name !== "FunctionCall") return;
      const id = n.node.getChild("FunctionIdentifier");
      const body = n.node.getChild("FunctionCallBody");
      if (!id || !body) return;
      const fn = expr.slice(id.from, id.to);
      const index = RANGE_ARGUMENT[fn];
      if (index === undefined) return;
      const args: SyntaxNode[] = [];
      for (let c = body.firstChild; c; c = c.nextSibling) if (!c.type.isError) args.push(c);
      let arg: SyntaxNode | null | undefined = args[index];
      // `x[1h] offset 1w` and `x[5m] @ t` are still ranges: the modifiers wrap the matrix selector.
      while (arg && (arg.name === "ParenExpr" || arg.name === "OffsetExpr" || arg.name === "StepInvariantExpr")) arg = arg.firstChild;
      if (arg && arg.name !== "MatrixSelector" && arg.name !== "SubqueryExpr") {
        problems.push(`${fn}() needs a range vector such as ${fn}(${expr.slice(arg.from, arg.to)}[5m]), got ${JSON.stringify(expr.slice(arg.from, arg.to))}`);
      }
    },
  });
  if (firstError !== undefined) problems.unshift(`PromQL syntax error ${near(expr, firstError)}`);
  return problems;
}

/**
 * Problems with one LogQL expression. `asRule`: the Loki ruler only evaluates
 * metric queries (`sum(rate({app="x"}[5m]))`), not log queries (`{app="x"}`).
 */
export function logqlProblems(expr: string, asRule = true): string[] {
  // Known valid as a rule (a metric query), so valid as a query too (./grammars).
  if (knownValid("logql", expr)) return [];
  const tree = grammar("logql").parse(expr);
  let firstError: number | undefined;
  tree.iterate({
    enter(n) {
      if (n.type.isError && firstError === undefined) firstError = n.from;
    },
  });
  if (firstError !== undefined) return [`LogQL syntax error ${near(expr, firstError)}`];
  const top = tree.topNode.firstChild?.firstChild; // LogQL > Expr > (LogExpr | MetricExpr)
  if (asRule && top && top.name !== "MetricExpr") {
    return ["is a log query; a Loki rule needs a metric query such as sum by (compose_service) (count_over_time({...} [5m])) > 0"];
  }
  return [];
}

function isRecord(v: unknown): v is Record<string, unknown> {
  return typeof v === "object" && v !== null && !Array.isArray(v);
}

const GROUP_KEYS = ["name", "interval", "limit", "query_offset", "labels", "rules"];
const ALERT_KEYS = ["alert", "expr", "for", "keep_firing_for", "labels", "annotations"];
const RECORD_KEYS = ["record", "expr", "labels"];

/**
 * Problems with a parsed rule file (Prometheus rule-file format; `lang`
 * decides the expression grammar). Every problem is reported, not just the first.
 */
export function ruleDocumentProblems(doc: unknown, file: string, lang: QueryLanguage): RuleProblem[] {
  const problems: RuleProblem[] = [];
  const add = (message: string, group?: string, rule?: string) => problems.push({ file, group, rule, message });
  if (!isRecord(doc)) {
    add(`must be a YAML mapping with a top-level 'groups' list; got ${doc === null || doc === undefined ? "an empty document" : Array.isArray(doc) ? "a list" : typeof doc}`);
    return problems;
  }
  for (const k of Object.keys(doc)) if (k !== "groups") add(`unknown top-level key '${k}'; a rule file has only 'groups'`);
  if (!Array.isArray(doc.groups)) {
    add(`'groups' must be a list of rule groups; got ${doc.groups === undefined ? "nothing" : typeof doc.groups}`);
    return problems;
  }
  const groupNames = new Set<string>();
  doc.groups.forEach((g: unknown, i: number) => {
    if (!isRecord(g)) return add(`groups[${i}] must be a mapping with 'name' and 'rules'`);
    const gname = typeof g.name === "string" && g.name !== "" ? g.name : `groups[${i}]`;
    if (typeof g.name !== "string" || g.name === "") add("'name' is required and must be a non-empty string", gname);
    else if (groupNames.has(g.name)) add("group name is repeated in the same file; Prometheus rejects duplicates", gname);
    else groupNames.add(g.name);
    for (const k of Object.keys(g)) if (!GROUP_KEYS.includes(k)) add(`unknown key '${k}'; valid group keys: ${GROUP_KEYS.join(", ")}`, gname);
    for (const k of ["interval", "query_offset"]) {
      if (g[k] !== undefined && (typeof g[k] !== "string" || !isPromDuration(g[k] as string))) add(`'${k}' ${JSON.stringify(g[k])} is not a duration such as 30s, 5m, 1h`, gname);
    }
    if (g.limit !== undefined && !(typeof g.limit === "number" && Number.isInteger(g.limit) && g.limit >= 0)) add(`'limit' must be a non-negative integer`, gname);
    if (g.labels !== undefined) problems.push(...labelProblems(g.labels, "labels", file, gname));
    if (!Array.isArray(g.rules)) return add("'rules' must be a list of rules", gname);
    g.rules.forEach((r: unknown, j: number) => problems.push(...ruleProblems(r, j, file, gname, lang)));
  });
  return problems;
}

/**
 * `templated`: an alerting rule's labels and annotations, which Prometheus
 * (and the Loki ruler, which uses its rule engine) expands as Go templates;
 * promtool rejects a template that does not parse, and one that invokes an
 * undefined template would fail at every evaluation.
 */
function labelProblems(v: unknown, what: "labels" | "annotations", file: string, group: string, rule?: string, templated = false): RuleProblem[] {
  if (!isRecord(v)) return [{ file, group, rule, message: `'${what}' must be a mapping of name: value` }];
  const out: RuleProblem[] = [];
  for (const [k, val] of Object.entries(v)) {
    if (!LABEL_NAME.test(k)) out.push({ file, group, rule, message: `${what} name '${k}' is invalid; names match ${LABEL_NAME.source}` });
    if (typeof val !== "string" && typeof val !== "number" && typeof val !== "boolean") out.push({ file, group, rule, message: `${what}.${k} must be a string` });
    // The build checked this very text with this very checker and found nothing (./grammars).
    else if (templated && !knownValidTemplate(String(val))) {
      const why = templateProblem(String(val), PROMETHEUS_DIALECT);
      if (why !== undefined) out.push({ file, group, rule, message: `${what}.${k}: ${why}` });
    }
  }
  return out;
}

function ruleProblems(r: unknown, j: number, file: string, group: string, lang: QueryLanguage): RuleProblem[] {
  const out: RuleProblem[] = [];
  if (!isRecord(r)) return [{ file, group, rule: `rules[${j}]`, message: "must be a mapping with 'alert' or 'record' and 'expr'" }];
  const isAlert = r.alert !== undefined;
  const isRecordRule = r.record !== undefined;
  const nameValue = isAlert ? r.alert : r.record;
  const rule = typeof nameValue === "string" && nameValue !== "" ? nameValue : `rules[${j}]`;
  const add = (message: string) => out.push({ file, group, rule, message });
  if (isAlert === isRecordRule) add(isAlert ? "has both 'alert' and 'record'; a rule is one or the other" : "needs 'alert: <name>' or 'record: <metric name>'");
  if (isAlert && (typeof r.alert !== "string" || r.alert === "")) add("'alert' must be a non-empty string");
  if (isRecordRule && (typeof r.record !== "string" || !METRIC_NAME.test(r.record))) add(`'record' ${JSON.stringify(r.record)} is not a valid metric name (${METRIC_NAME.source})`);
  const allowed = isRecordRule && !isAlert ? RECORD_KEYS : ALERT_KEYS;
  for (const k of Object.keys(r)) if (!allowed.includes(k) && !(isAlert && isRecordRule)) add(`unknown key '${k}' for ${isRecordRule ? "a recording" : "an alerting"} rule; valid keys: ${allowed.join(", ")}`);
  for (const k of ["for", "keep_firing_for"]) {
    if (r[k] !== undefined && (typeof r[k] !== "string" || !isPromDuration(r[k] as string))) add(`'${k}' ${JSON.stringify(r[k])} is not a duration such as 30s, 5m, 1h`);
  }
  if (r.labels !== undefined) out.push(...labelProblems(r.labels, "labels", file, group, rule, isAlert));
  if (r.annotations !== undefined) out.push(...labelProblems(r.annotations, "annotations", file, group, rule, isAlert));
  const expr = typeof r.expr === "number" ? String(r.expr) : r.expr;
  if (typeof expr !== "string" || expr.trim() === "") {
    add("'expr' is required and must be a non-empty expression");
  } else {
    for (const m of lang === "promql" ? promqlProblems(expr) : logqlProblems(expr)) add(m);
  }
  return out;
}

/** Parse YAML text and check it as a rule file. YAML errors are reported with their line. */
export function ruleFileProblems(text: string, file: string, lang: QueryLanguage): RuleProblem[] {
  let doc: unknown;
  try {
    doc = parseYaml(text, { uniqueKeys: true });
  } catch (e) {
    const msg = (e as Error).message.split("\n")[0];
    return [{ file, message: `is not valid YAML: ${msg}` }];
  }
  return ruleDocumentProblems(doc, file, lang);
}
