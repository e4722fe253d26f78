/**
 * Who gets paged for what: the routing matrix of a rendered alertmanager.yml
 * for every alert of the rendered rule catalog.
 *
 * Routing is transcribed from Alertmanager's dispatch/route.go:
 * - `Route.Match`: a route matches when all its matchers do; its children are
 *   tried in order, a matching child without `continue` stops the search, and
 *   a route none of whose children match is itself the result. The root
 *   matches everything.
 * - `NewRoute`: a child inherits `receiver`, `group_by`, `group_wait`,
 *   `group_interval`, `repeat_interval` from its parent when unset; it does
 *   NOT inherit `mute_time_intervals` / `active_time_intervals`.
 * - Matchers (pkg/labels): a missing label reads as ""; regexes are anchored.
 *   `match` / `match_re` (deprecated) are read too.
 * `amtool config routes test` resolves the same receivers (checked for every
 * alert of the catalog in tests/alertmanager/routing-matrix.test.ts).
 *
 * Labels known before an alert fires are the rule's static labels, its
 * `alertname` and Prometheus' `external_labels`; labels from the series
 * (job, instance, ...) are unknown. A matcher on an unknown label counts as
 * "may match" for inhibition, and as the empty value for routing (every
 * route here selects on alertname/severity, which are static).
 */
import { parseRendered } from "../configs/files";

export type Labels = Readonly<Record<string, string>>;

/** One alerting rule as rendered, with what routing can know about it. */
export interface CatalogAlert {
  readonly alert: string;
  /** Static labels plus `alertname` and the external labels. */
  readonly labels: Labels;
  /** Rendered rule file it comes from, e.g. `prometheus/rules/tutordex.rules.yml`. */
  readonly file: string;
}

export interface RouteResult {
  readonly receiver: string;
  readonly groupBy: readonly string[];
  readonly groupWait: string;
  readonly groupInterval: string;
  readonly repeatInterval: string;
  readonly muteTimeIntervals: readonly string[];
  readonly activeTimeIntervals: readonly string[];
}

/** A row of the matrix: one alert (name + severity) and where it goes. */
export interface MatrixRow {
  /** `HighErrorRate` or, when tiers share a name, `HighErrorRate [critical]`. */
  readonly key: string;
  readonly alert: string;
  readonly severity: string;
  readonly routes: readonly RouteResult[];
  /** Catalog alerts that can inhibit this one, with the labels they must share. */
  readonly inhibitedBy: readonly string[];
}

interface RawRoute {
  receiver?: string;
  group_by?: string[];
  group_wait?: string;
  group_interval?: string;
  repeat_interval?: string;
  continue?: boolean;
  matchers?: string[];
  match?: Record<string, string>;
  match_re?: Record<string, string>;
  mute_time_intervals?: string[];
  active_time_intervals?: string[];
  routes?: RawRoute[];
}

interface RawInhibitRule {
  source_matchers?: string[];
  target_matchers?: string[];
  source_match?: Record<string, string>;
  source_match_re?: Record<string, string>;
  target_match?: Record<string, string>;
  target_match_re?: Record<string, string>;
  equal?: string[];
}

interface Matcher {
  readonly name: string;
  readonly op: "=" | "!=" | "=~" | "!~";
  readonly value: string;
  readonly text: string;
}

const MATCHER = /^\s*([a-zA-Z_][a-zA-Z0-9_]*)\s*(=~|!~|!=|=)\s*(?:"((?:[^"\\]|\\.)*)"|([^"\s]*))\s*$/;

/** Parse one Alertmanager matcher (`severity=~"critical|warning"`). */
export function parseMatcher(text: string): Matcher {
  const m = MATCHER.exec(text);
  if (!m) throw new Error(`not an Alertmanager matcher: ${text}`);
  const value = m[3] !== undefined ? (JSON.parse(`"${m[3]}"`) as string) : m[4] ?? "";
  return { name: m[1]!, op: m[2] as Matcher["op"], value, text: text.trim() };
}

/** Does `m` match `labels` (a missing label is "")? */
export function matches(m: Matcher, labels: Labels): boolean {
  const v = labels[m.name] ?? "";
  const re = () => new RegExp(`^(?:${m.value})$`);
  switch (m.op) {
    case "=":
      return v === m.value;
    case "!=":
      return v !== m.value;
    case "=~":
      return re().test(v);
    case "!~":
      return !re().test(v);
  }
}

function matchersOf(list?: string[], eq?: Record<string, string>, re?: Record<string, string>): Matcher[] {
  return [
    ...(list ?? []).map(parseMatcher),
    ...Object.entries(eq ?? {}).map(([name, value]) => ({ name, op: "=" as const, value, text: `${name}="${value}"` })),
    ...Object.entries(re ?? {}).map(([name, value]) => ({ name, op: "=~" as const, value, text: `${name}=~"${value}"` })),
  ];
}

/** The receivers and timings Alertmanager resolves for `labels`, in order (dispatch/route.go `Match`). */
export function routeAlert(config: { route: RawRoute }, labels: Labels): RouteResult[] {
  const root = config.route;
  const rootOpts: RouteResult = {
    receiver: root.receiver ?? "",
    groupBy: root.group_by ?? [],
    // Alertmanager's DefaultRouteOpts.
    groupWait: root.group_wait ?? "30s",
    groupInterval: root.group_interval ?? "5m",
    repeatInterval: root.repeat_interval ?? "4h",
    muteTimeIntervals: root.mute_time_intervals ?? [],
    activeTimeIntervals: root.active_time_intervals ?? [],
  };
  const walk = (r: RawRoute, opts: RouteResult): RouteResult[] => {
    const all: RouteResult[] = [];
    for (const child of r.routes ?? []) {
      if (!matchersOf(child.matchers, child.match, child.match_re).every((m) => matches(m, labels))) continue;
      const childOpts: RouteResult = {
        receiver: child.receiver ?? opts.receiver,
        groupBy: child.group_by ?? opts.groupBy,
        groupWait: child.group_wait ?? opts.groupWait,
        groupInterval: child.group_interval ?? opts.groupInterval,
        repeatInterval: child.repeat_interval ?? opts.repeatInterval,
        muteTimeIntervals: child.mute_time_intervals ?? [],
        activeTimeIntervals: child.active_time_intervals ?? [],
      };
      const found = walk(child, childOpts);
      all.push(...found);
      if (found.length > 0 && !child.continue) break;
    }
    return all.length > 0 ? all : [opts];
  };
  return walk(root, rootOpts);
}

/** Every alerting rule of the rendered rule files (Prometheus and Loki), with routable labels. */
export function catalogAlerts(files: ReadonlyMap<string, string>): CatalogAlert[] {
  const external = externalLabels(files);
  const out: CatalogAlert[] = [];
  for (const [file, content] of [...files].sort(([a], [b]) => a.localeCompare(b))) {
    if (!isRuleFile(file)) continue;
    const doc = parseRendered(content) as { groups?: { rules?: { alert?: string; labels?: Record<string, unknown> }[] }[] } | null;
    for (const g of doc?.groups ?? []) {
      for (const r of g.rules ?? []) {
        if (!r.alert) continue;
        const labels: Record<string, string> = { ...external };
        // A templated value (`{{ $labels.component }}`) is only known when the alert fires.
        for (const [k, v] of Object.entries(r.labels ?? {})) if (!String(v).includes("{{")) labels[k] = String(v);
        labels.alertname = r.alert;
        out.push({ alert: r.alert, labels, file });
      }
    }
  }
  return out;
}

/** Rule files of a render: Prometheus' (shipped and users') and the Loki ruler's. */
export function isRuleFile(file: string): boolean {
  return /^prometheus\/rules\/.+\.ya?ml$/.test(file) || /^loki\/rules\/.+\.ya?ml$/.test(file);
}

/** Prometheus' `external_labels` (added to every alert it sends). */
function externalLabels(files: ReadonlyMap<string, string>): Record<string, string> {
  const prom = files.get("prometheus/prometheus.yml");
  if (!prom) return {};
  const cfg = parseRendered(prom) as { global?: { external_labels?: Record<string, unknown> } } | null;
  return Object.fromEntries(Object.entries(cfg?.global?.external_labels ?? {}).map(([k, v]) => [k, String(v)]));
}

/** A matcher whose label the alert does not carry statically may match at run time. */
function mayMatch(m: Matcher, a: CatalogAlert): boolean {
  return m.name in a.labels ? matches(m, a.labels) : true;
}

/** Catalog alerts that can inhibit `target` under `rules` (inhibit/inhibit.go), as `Source (equal a, b)`. */
function inhibitors(rules: readonly RawInhibitRule[], target: CatalogAlert, catalog: readonly CatalogAlert[]): string[] {
  const found = new Set<string>();
  for (const r of rules) {
    const tm = matchersOf(r.target_matchers, r.target_match, r.target_match_re);
    const sm = matchersOf(r.source_matchers, r.source_match, r.source_match_re);
    if (!tm.every((m) => mayMatch(m, target))) continue;
    const equal = r.equal ?? [];
    for (const s of catalog) {
      if (s === target || s.alert === target.alert && s.labels.severity === target.labels.severity) continue;
      if (!sm.every((m) => mayMatch(m, s))) continue;
      // Labels both sides carry statically must be equal; others are compared at run time.
      if (equal.some((l) => l in s.labels && l in target.labels && s.labels[l] !== target.labels[l])) continue;
      // Conditions only the firing alerts can settle: the source's runtime label values, the shared labels.
      const when = [
        ...sm.filter((m) => m.op === "=" && !(m.name in s.labels)).map((m) => m.text),
        ...(() => {
          const runtime = equal.filter((l) => !(l in s.labels && l in target.labels));
          return runtime.length ? [`same ${runtime.join(", ")}`] : [];
        })(),
      ];
      found.add(`${rowKey(s.alert, s.labels.severity ?? "", catalog)}${when.length ? ` (${when.join("; ")})` : ""}`);
    }
  }
  return [...found].sort();
}

function rowKey(alert: string, severity: string, catalog: readonly CatalogAlert[]): string {
  const tiers = new Set(catalog.filter((a) => a.alert === alert).map((a) => a.labels.severity ?? ""));
  return tiers.size > 1 ? `${alert} [${severity}]` : alert;
}

/** The routing matrix: one row per alert name and severity, in alert-name order. */
export function routingMatrix(files: ReadonlyMap<string, string>): MatrixRow[] {
  const am = files.get("alertmanager/alertmanager.yml");
  if (!am) return [];
  const config = parseRendered(am) as { route: RawRoute; inhibit_rules?: RawInhibitRule[] };
  const catalog = catalogAlerts(files);
  const rows = new Map<string, MatrixRow>();
  for (const a of catalog) {
    const severity = a.labels.severity ?? "";
    const key = rowKey(a.alert, severity, catalog);
    if (rows.has(key)) continue;
    rows.set(key, { key, alert: a.alert, severity, routes: routeAlert(config, a.labels), inhibitedBy: inhibitors(config.inhibit_rules ?? [], a, catalog) });
  }
  return [...rows.values()].sort((x, y) => x.key.localeCompare(y.key));
}

/** The cells of a row as the Markdown tables print them. */
export function rowCells(r: MatrixRow): { receivers: string; timing: string; muted: string; inhibited: string } {
  const receivers = r.routes.map((x) => x.receiver).join(", ");
  const timings = [...new Set(r.routes.map((x) => `wait ${x.groupWait}, interval ${x.groupInterval}, repeat ${x.repeatInterval}`))];
  const mute = [...new Set(r.routes.flatMap((x) => x.muteTimeIntervals))];
  const active = [...new Set(r.routes.flatMap((x) => x.activeTimeIntervals))];
  const muted = [...mute.map((m) => `during ${m}`), ...active.map((m) => `outside ${m}`)].join("; ") || "never";
  return { receivers, timing: timings.join(" / "), muted, inhibited: r.inhibitedBy.join(", ") || "nothing" };
}

function cell(s: string): string {
  return s.replace(/\|/g, "\\|");
}

/** Markdown table of the matrix. */
export function matrixTable(rows: readonly MatrixRow[]): string {
  const lines = ["| alert | severity | receivers | group wait / interval / repeat | muted | inhibited by |", "| --- | --- | --- | --- | --- | --- |"];
  for (const r of rows) {
    const c = rowCells(r);
    lines.push(`| ${cell(r.key)} | ${r.severity || "(none)"} | ${cell(c.receivers)} | ${c.timing} | ${cell(c.muted)} | ${cell(c.inhibited)} |`);
  }
  return lines.join("\n") + "\n";
}

/** `alertmanager/routing.md` of a render: the matrix with how to read it. */
export function routingMarkdown(files: ReadonlyMap<string, string>, stackName: string): string {
  const rows = routingMatrix(files);
  return [
    `# Alert routing of stack \`${stackName}\``,
    "",
    "Generated by render from `alertmanager.yml` and the rule files beside it (review/routing.ts), with",
    "Alertmanager's own routing semantics; not read by any service. A receiver named `null` or",
    "`deadmans-switch` without integrations notifies nobody. \"Inhibited by\" lists the alerts of this",
    "catalog that mute the row's alert while they fire, and the labels both must share.",
    "",
    matrixTable(rows),
  ].join("\n");
}
