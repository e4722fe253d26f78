/**
 * Reading Grafana dashboards the way Grafana does, for the dashboard tests:
 * every panel (rows included), every query with the datasource and language
 * it runs against, Grafana's variable interpolation, and PromQL/LogQL syntax
 * trees from the same lezer grammars the Prometheus and Grafana UIs use.
 *
 * Everything is derived from the JSON, so a dashboard exported from the UI and
 * dropped into `dashboards/` is read exactly like the shipped ones.
 */
import * as fs from "fs";
import * as path from "path";
import { parser as logqlParser } from "@grafana/lezer-logql";
import { parser as promqlParser } from "@prometheus-io/lezer-promql";
import { KUBERNETES_DASHBOARD_TAG, normaliseDashboard } from "../../configs/grafana/dashboards";

export const DASHBOARDS_DIR = path.join(__dirname, "..", "..", "dashboards");

/* eslint-disable @typescript-eslint/no-explicit-any -- dashboards are untyped JSON */
export type Json = any;

export interface DashboardFile {
  /** File name inside `dashboards/`, e.g. `tutordex-overview.json`. */
  readonly file: string;
  readonly text: string;
  /** Parsed JSON, or undefined when the file does not parse. */
  readonly json: Json | undefined;
  readonly parseError: string | undefined;
}

/**
 * The dashboards a single host (the Docker target, the live suites' loopback stacks) ships: the Kubernetes ones
 * need a cluster's metrics and their selector constants, and are checked by grammar, promtool and metric lists.
 */
export function loadSingleHostDashboards(dir: string = DASHBOARDS_DIR): DashboardFile[] {
  return loadDashboards(dir).filter((d) => d.json !== undefined && !(Array.isArray(d.json.tags) && d.json.tags.includes(KUBERNETES_DASHBOARD_TAG)));
}

export function loadDashboards(dir: string = DASHBOARDS_DIR): DashboardFile[] {
  return fs
    .readdirSync(dir)
    .filter((f) => f.endsWith(".json"))
    .sort()
    .map((file) => {
      const text = fs.readFileSync(path.join(dir, file), "utf8");
      // As Grafana gets it: an exported `__inputs` placeholder resolved, a missing uid derived (configs/grafana/dashboards.ts).
      try {
        return { file, text, json: normaliseDashboard(file, text).json as Json, parseError: undefined };
      } catch (e) {
        return { file, text, json: undefined, parseError: (e as Error).message };
      }
    });
}

// ------------------------------------------------------------------------------------ panels

export interface PanelRef {
  readonly panel: Json;
  /** Title of the panel, or `(untitled <type> #<id>)`. */
  readonly title: string;
  /** Set for panels inside a collapsed row. */
  readonly row: string | undefined;
}

/** Every panel, including the ones nested in (collapsed) rows, in document order. */
export function panelsOf(dashboard: Json): PanelRef[] {
  const out: PanelRef[] = [];
  const visit = (panels: Json, row: string | undefined) => {
    if (!Array.isArray(panels)) return;
    for (const p of panels) {
      if (p === null || typeof p !== "object") continue;
      out.push({ panel: p, title: panelTitle(p), row });
      if (Array.isArray(p.panels)) visit(p.panels, typeof p.title === "string" ? p.title : undefined);
    }
  };
  visit(dashboard?.panels, undefined);
  return out;
}

export function panelTitle(p: Json): string {
  return typeof p?.title === "string" && p.title.trim() !== "" ? p.title : `(untitled ${p?.type ?? "panel"} #${p?.id ?? "?"})`;
}

// ------------------------------------------------------------------------------------ datasources

/** A datasource as a panel, target, variable or annotation names it. */
export interface DatasourceRef {
  readonly uid: string | undefined;
  readonly type: string | undefined;
  /** The raw value, for messages. */
  readonly raw: Json;
}

export function datasourceRef(raw: Json): DatasourceRef | undefined {
  if (raw === undefined || raw === null) return undefined;
  if (typeof raw === "string") return { uid: raw, type: undefined, raw };
  if (typeof raw === "object") {
    return { uid: typeof raw.uid === "string" ? raw.uid : undefined, type: typeof raw.type === "string" ? raw.type : undefined, raw };
  }
  return { uid: undefined, type: undefined, raw };
}

/** Grafana's own pseudo-datasources, valid everywhere. */
export const BUILTIN_DATASOURCE_UIDS = ["-- Grafana --", "grafana", "-- Mixed --", "-- Dashboard --"] as const;

/** `$ds` / `${ds}` / `[[ds]]` -> `ds`; undefined when the string is not a variable reference. */
export function variableReference(s: string): string | undefined {
  const m = /^\$\{(\w+)(?::[^}]*)?\}$|^\$(\w+)$|^\[\[(\w+)\]\]$/.exec(s.trim());
  return m ? (m[1] ?? m[2] ?? m[3]) : undefined;
}

export function templateVariables(dashboard: Json): Json[] {
  const list = dashboard?.templating?.list;
  return Array.isArray(list) ? list.filter((v: Json) => v && typeof v === "object") : [];
}

/**
 * Every datasource reference a dashboard makes, with where it is made:
 * panels, their targets, template variables and annotations.
 */
export function datasourceUses(dashboard: Json): { where: string; ref: DatasourceRef }[] {
  const uses: { where: string; ref: DatasourceRef }[] = [];
  const add = (where: string, raw: Json) => {
    const ref = datasourceRef(raw);
    if (ref) uses.push({ where, ref });
  };
  for (const { panel, title } of panelsOf(dashboard)) {
    add(`panel "${title}"`, panel.datasource);
    (Array.isArray(panel.targets) ? panel.targets : []).forEach((t: Json, i: number) =>
      add(`panel "${title}" target ${t?.refId ?? i}`, t?.datasource),
    );
  }
  for (const v of templateVariables(dashboard)) if (v.type !== "datasource") add(`variable $${v.name}`, v.datasource);
  const annotations = dashboard?.annotations?.list;
  if (Array.isArray(annotations)) for (const a of annotations) add(`annotation "${a?.name}"`, a?.datasource);
  return uses;
}

// ------------------------------------------------------------------------------------ queries

export type QueryLanguage = "promql" | "logql" | "other";

export interface Query {
  readonly file: string;
  /** `panel "<title>"` or `variable $<name>`. */
  readonly where: string;
  readonly refId: string;
  readonly language: QueryLanguage;
  /** The expression as written in the dashboard (variables not yet substituted). */
  readonly expr: string;
}

/**
 * Plugin type a datasource reference resolves to: its explicit `type`, the
 * type of the provisioned datasource with that uid, the plugin of the
 * datasource variable it names, or the default datasource when absent.
 */
export function resolveDatasourceType(
  raw: Json,
  dashboard: Json,
  provisioned: ReadonlyMap<string, string>,
  defaultType: string,
): string | undefined {
  const ref = datasourceRef(raw);
  if (!ref) return defaultType;
  const variable = ref.uid !== undefined ? variableReference(ref.uid) : undefined;
  if (variable !== undefined) {
    const v = templateVariables(dashboard).find((x) => x.name === variable && x.type === "datasource");
    if (v && typeof v.query === "string") return v.query;
    return ref.type;
  }
  if (ref.type) return ref.type;
  if (ref.uid !== undefined) return provisioned.get(ref.uid);
  return defaultType;
}

function languageOf(type: string | undefined): QueryLanguage {
  if (type === "prometheus") return "promql";
  if (type === "loki") return "logql";
  return "other";
}

/**
 * Every PromQL/LogQL expression a dashboard runs: panel targets (hidden ones
 * too) and the selectors inside query variables (`label_values(<selector>, label)`,
 * `query_result(<expr>)`).
 */
export function queriesOf(d: DashboardFile, provisioned: ReadonlyMap<string, string>, defaultType = "prometheus"): Query[] {
  const out: Query[] = [];
  for (const { panel, title } of panelsOf(d.json)) {
    const targets = Array.isArray(panel.targets) ? panel.targets : [];
    targets.forEach((t: Json, i: number) => {
      if (!t || typeof t !== "object") return;
      const panelDs = panel.datasource;
      const mixed = datasourceRef(panelDs)?.uid === "-- Mixed --";
      const type = resolveDatasourceType(t.datasource ?? (mixed ? undefined : panelDs), d.json, provisioned, defaultType);
      const language = languageOf(type);
      const expr = typeof t.expr === "string" ? t.expr : undefined;
      if (expr === undefined || expr.trim() === "" || language === "other") return;
      out.push({ file: d.file, where: `panel "${title}"`, refId: String(t.refId ?? i), language, expr });
    });
  }
  for (const v of templateVariables(d.json)) {
    if (v.type !== "query") continue;
    const language = languageOf(resolveDatasourceType(v.datasource, d.json, provisioned, defaultType));
    const q = typeof v.query === "string" ? v.query : typeof v.query?.query === "string" ? v.query.query : undefined;
    if (language === "promql" && q !== undefined) {
      const expr = promqlOfVariableQuery(q);
      if (expr !== undefined) out.push({ file: d.file, where: `variable $${v.name}`, refId: "query", language, expr });
    } else if (language === "logql" && typeof v.query?.stream === "string" && v.query.stream.trim() !== "") {
      out.push({ file: d.file, where: `variable $${v.name}`, refId: "stream", language, expr: v.query.stream });
    }
  }
  return out;
}

/**
 * `label_values(<selector>, <label>)`; the label may be a variable (`$cluster_label`,
 * a constant the Kubernetes dashboards set from `kubernetes.clusterLabel`).
 */
const LABEL_VALUES_RE = /^label_values\(\s*([\s\S]*?)\s*,\s*(\$?[a-zA-Z_][a-zA-Z0-9_]*)\s*\)$/;

/**
 * The PromQL inside a Prometheus variable query: `label_values(sel, label)` ->
 * `sel`, `query_result(expr)` -> `expr`; `label_values(label)`, `label_names()`
 * and `metrics(re)` hold none (undefined). Anything else is a plain query.
 */
export function promqlOfVariableQuery(q: string): string | undefined {
  const s = q.trim();
  const lv = LABEL_VALUES_RE.exec(s);
  if (lv) return lv[1];
  if (/^label_values\(\s*[a-zA-Z_][a-zA-Z0-9_]*\s*\)$/.test(s)) return undefined;
  if (/^(label_names|metrics)\(/.test(s)) return undefined;
  const qr = /^query_result\(([\s\S]*)\)$/.exec(s);
  if (qr) return qr[1];
  return s;
}

/** Label a `label_values(sel, label)` variable lists, or undefined. */
export function labelOfVariableQuery(q: string): { selector: string; label: string } | undefined {
  const m = LABEL_VALUES_RE.exec(q.trim());
  return m ? { selector: m[1], label: m[2] } : undefined;
}

// ------------------------------------------------------------------------------------ variables

/** Grafana's variable syntax: `$var`, `[[var:fmt]]`, `${var.field:fmt}`. */
const VARIABLE_RE = /\$(\w+)|\[\[(\w+?)(?::(\w+))?\]\]|\$\{(\w+)(?:\.([^:^}]+))?(?::([^}]+))?\}/g;

/** Values Grafana's built-in variables take; durations where a duration goes, numbers where a number goes. */
const BUILTIN_VALUES: Readonly<Record<string, string>> = {
  __rate_interval: "1m",
  __interval: "30s",
  __range: "6h",
  __auto: "1m",
  __rate_interval_ms: "60000",
  __interval_ms: "30000",
  __range_ms: "21600000",
  __range_s: "21600",
  __from: "1700000000000",
  __to: "1700021600000",
  __dashboard: "dashboard",
  __name: "name",
  __org: "1",
  __user: "user",
  __timeFilter: "",
};

/** Every variable an expression references (`$1` capture references of label_replace are not variables). */
export function variablesIn(expr: string): string[] {
  const names: string[] = [];
  for (const m of expr.matchAll(VARIABLE_RE)) {
    const name = m[1] ?? m[2] ?? m[4];
    if (name !== undefined && !/^\d+$/.test(name)) names.push(name);
  }
  return [...new Set(names)];
}

export function isBuiltinVariable(name: string): boolean {
  return name in BUILTIN_VALUES;
}

/**
 * The value a variable stands for while checking syntax. Interval variables
 * become a duration, custom/constant variables their current (or first) value,
 * everything else a plain word: label-value variables sit inside string
 * literals, where any text is valid.
 */
function sampleValue(name: string, dashboard: Json): string {
  if (name in BUILTIN_VALUES) return BUILTIN_VALUES[name];
  const v = templateVariables(dashboard).find((x) => x.name === name);
  if (!v) return "undefined_variable";
  if (v.type === "interval") return "5m";
  if (v.type === "custom" || v.type === "constant" || v.type === "textbox") {
    const candidates = [v.current?.value, v.query, ...(Array.isArray(v.options) ? v.options.map((o: Json) => o?.value) : [])];
    for (const c of candidates) {
      const value = Array.isArray(c) ? c[0] : c;
      if (typeof value === "string" && value !== "" && value !== "$__all" && !value.includes(",")) return value;
    }
  }
  return "x";
}

/** The expression as Grafana would send it, every variable replaced by a valid sample value. */
export function substituteVariables(expr: string, dashboard: Json): string {
  return expr.replace(VARIABLE_RE, (match, a?: string, b?: string, _fmt?: string, c?: string) => {
    const name = a ?? b ?? c;
    if (name === undefined || /^\d+$/.test(name)) return match;
    return sampleValue(name, dashboard);
  });
}

// ------------------------------------------------------------------------------------ syntax trees

type Tree = ReturnType<typeof promqlParser.parse>;
export type SyntaxNode = Tree["topNode"];

export interface SyntaxError {
  readonly from: number;
  readonly to: number;
  /** `col N near "..."`, for messages. */
  readonly at: string;
}

export interface Parsed {
  readonly source: string;
  readonly tree: Tree;
  readonly errors: SyntaxError[];
}

function parseWith(p: typeof promqlParser, source: string): Parsed {
  const tree = p.parse(source);
  const errors: SyntaxError[] = [];
  tree.iterate({
    enter: (n) => {
      if (n.type.isError) {
        const near = source.slice(Math.max(0, n.from - 10), n.to + 10).replace(/\s+/g, " ");
        errors.push({ from: n.from, to: n.to, at: `col ${n.from + 1} near "${near}"` });
      }
    },
  });
  return { source, tree, errors };
}

export function parsePromQL(source: string): Parsed {
  return parseWith(promqlParser, source);
}

export function parseLogQL(source: string): Parsed {
  return parseWith(logqlParser as unknown as typeof promqlParser, source);
}

function text(p: Parsed, n: SyntaxNode): string {
  return p.source.slice(n.from, n.to);
}

function children(n: SyntaxNode): SyntaxNode[] {
  const out: SyntaxNode[] = [];
  for (let c = n.firstChild; c; c = c.nextSibling) out.push(c);
  return out;
}

function descendants(n: SyntaxNode, name: string): SyntaxNode[] {
  const out: SyntaxNode[] = [];
  const walk = (x: SyntaxNode) => {
    for (const c of children(x)) {
      if (c.name === name) out.push(c);
      walk(c);
    }
  };
  walk(n);
  return out;
}

function unquote(literal: string): string {
  if (literal.startsWith("`")) return literal.slice(1, -1);
  try {
    return JSON.parse(literal.startsWith("'") ? `"${literal.slice(1, -1).replace(/"/g, '\\"')}"` : literal) as string;
  } catch {
    return literal.slice(1, -1);
  }
}

/** One PromQL vector selector: its metric name (from `Identifier` or `{__name__="..."}`) and label matchers. */
export interface Selector {
  readonly metric: string | undefined;
  readonly matchers: { label: string; op: string; value: string }[];
}

function matchersOf(p: Parsed, n: SyntaxNode): { label: string; op: string; value: string }[] {
  return [...descendants(n, "UnquotedLabelMatcher"), ...descendants(n, "QuotedLabelMatcher")].map((m) => {
    const label = m.getChild("LabelName") ?? m.getChild("QuotedLabelName");
    const op = m.getChild("MatchOp");
    const value = m.getChild("StringLiteral");
    return {
      label: label ? (label.name === "QuotedLabelName" ? unquote(text(p, label)) : text(p, label)) : "",
      op: op ? text(p, op) : "",
      value: value ? unquote(text(p, value)) : "",
    };
  });
}

function selectorOf(p: Parsed, vs: SyntaxNode): Selector {
  const matchers = matchersOf(p, vs);
  const id = vs.getChild("Identifier");
  const byName = matchers.find((m) => m.label === "__name__" && m.op === "=");
  return { metric: id ? text(p, id) : byName?.value, matchers };
}

export function promqlSelectors(p: Parsed): Selector[] {
  return descendants(p.tree.topNode, "VectorSelector").map((vs) => selectorOf(p, vs));
}

/** Metric names an expression reads, from the syntax tree (`Identifier` inside `VectorSelector`). */
export function promqlMetricNames(p: Parsed): string[] {
  return [...new Set(promqlSelectors(p).flatMap((s) => (s.metric ? [s.metric] : [])))];
}

/** An aggregation (`sum by (a, b) (...)`) with its grouping and the selectors it aggregates. */
export interface Aggregation {
  readonly text: string;
  readonly op: string;
  readonly modifier: "by" | "without" | undefined;
  readonly labels: string[];
  readonly selectors: Selector[];
  /** Functions called inside the aggregated expression (e.g. `label_replace`). */
  readonly functions: string[];
}

function aggregationOf(p: Parsed, agg: SyntaxNode): Aggregation {
  const op = agg.getChild("AggregateOp");
  const modifier = agg.getChild("AggregateModifier");
  const mode = modifier?.getChild("By") ? "by" : modifier?.getChild("Without") ? "without" : undefined;
  const labels = modifier ? descendants(modifier, "LabelName").map((l) => text(p, l)) : [];
  const body = agg.getChild("FunctionCallBody");
  return {
    text: text(p, agg),
    op: op ? text(p, op) : "",
    modifier: mode,
    labels,
    selectors: body ? descendants(body, "VectorSelector").map((vs) => selectorOf(p, vs)) : [],
    functions: body ? descendants(body, "FunctionIdentifier").map((f) => text(p, f)) : [],
  };
}

export function promqlAggregations(p: Parsed): Aggregation[] {
  return descendants(p.tree.topNode, "AggregateExpr").map((agg) => aggregationOf(p, agg));
}

/**
 * `histogram_quantile(φ, <inner>)` calls with the outermost aggregation of
 * their inner expression (undefined when the buckets are not aggregated).
 */
export function histogramQuantiles(p: Parsed): { text: string; innerAggregation: Aggregation | undefined }[] {
  return descendants(p.tree.topNode, "FunctionCall")
    .filter((fc) => fc.getChild("FunctionIdentifier")?.getChild("HistogramQuantile"))
    .map((fc) => {
      const body = fc.getChild("FunctionCallBody");
      const args = body ? children(body).filter((c) => !c.type.isError && !["(", ")", ","].includes(c.name)) : [];
      const inner = args[1];
      const outer = inner === undefined ? undefined : inner.name === "AggregateExpr" ? inner : descendants(inner, "AggregateExpr")[0];
      return { text: text(p, fc), innerAggregation: outer ? aggregationOf(p, outer) : undefined };
    });
}

/** Stream-selector matchers of a LogQL expression (`{a="x", b=~"y"}`), every selector in it. */
export function logqlStreamMatchers(p: Parsed): { label: string; op: string; value: string }[] {
  return descendants(p.tree.topNode, "Selector").flatMap((sel) =>
    descendants(sel, "Matcher").map((m) => {
      const id = m.getChild("Identifier");
      const str = m.getChild("String");
      const op = children(m).find((c) => c.name !== "Identifier" && c.name !== "String");
      return { label: id ? text(p, id) : "", op: op ? text(p, op) : "", value: str ? unquote(text(p, str)) : "" };
    }),
  );
}

// ------------------------------------------------------------------------------------ layout

export interface GridPos {
  readonly x: number;
  readonly y: number;
  readonly w: number;
  readonly h: number;
}

/** Pairs of top-level panels whose grid rectangles intersect. */
export function overlappingPanels(dashboard: Json): [string, string][] {
  const placed = (Array.isArray(dashboard?.panels) ? dashboard.panels : [])
    .filter((p: Json) => p?.gridPos)
    .map((p: Json) => ({ title: panelTitle(p), g: p.gridPos as GridPos }));
  const out: [string, string][] = [];
  for (let i = 0; i < placed.length; i++) {
    for (let j = i + 1; j < placed.length; j++) {
      const a = placed[i].g;
      const b = placed[j].g;
      if (a.x < b.x + b.w && b.x < a.x + a.w && a.y < b.y + b.h && b.y < a.y + a.h) out.push([placed[i].title, placed[j].title]);
    }
  }
  return out;
}
