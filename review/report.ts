/**
 * The review report of a change to one stack: two renders in, Markdown out.
 * Sections: alerts, recording rules, paging (routing matrix rows that changed,
 * both matrices folded), dashboards, resources (data at risk first), secrets.
 */
import { dashboardChanges } from "./dashboards";
import { resourceChanges } from "./resources";
import { ruleChanges } from "./rules";
import { MatrixRow, matrixTable, routingMatrix, rowCells } from "./routing";
import { secretChanges } from "./secrets";
import { parse } from "yaml";

export interface ReportInput {
  readonly stack: string;
  /** How the two sides are named in the title, e.g. `origin/main` and `working tree`. */
  readonly baseLabel: string;
  readonly headLabel: string;
  /** Rendered files (path -> content) of each side. */
  readonly before: ReadonlyMap<string, string>;
  readonly after: ReadonlyMap<string, string>;
  /** `Pulumi.<stack>.yaml` of each side, for secrets (compared as ciphertext only). */
  readonly stackConfigBefore?: string;
  readonly stackConfigAfter?: string;
}

/** Marker of the pull-request comment the workflow updates in place. */
export const reportMarker = (stack: string) => `<!-- observability-review:${stack} -->`;

const NONE = "No change.";

/** What changed in one row of the matrix, aspect by aspect. */
function rowChange(a: MatrixRow | undefined, b: MatrixRow | undefined): string | undefined {
  if (!a && b) {
    const c = rowCells(b);
    return `new alert: ${c.receivers}; ${c.timing}; muted ${c.muted}`;
  }
  if (a && !b) return `alert removed (was routed to ${rowCells(a).receivers})`;
  if (!a || !b) return undefined;
  const x = rowCells(a);
  const y = rowCells(b);
  const out: string[] = [];
  if (x.receivers !== y.receivers) out.push(`receivers ${x.receivers} -> ${y.receivers}`);
  if (x.timing !== y.timing) out.push(`${x.timing} -> ${y.timing}`);
  if (x.muted !== y.muted) out.push(`muted ${x.muted} -> ${y.muted}`);
  const gained = b.inhibitedBy.filter((s) => !a.inhibitedBy.includes(s));
  const lost = a.inhibitedBy.filter((s) => !b.inhibitedBy.includes(s));
  if (gained.length) out.push(`now inhibited by ${gained.join(", ")}`);
  if (lost.length) out.push(`no longer inhibited by ${lost.join(", ")}`);
  return out.length ? out.join("; ") : undefined;
}

/** Rows of the matrix whose routing differs, as a Markdown table. */
export function pagingChanges(before: readonly MatrixRow[], after: readonly MatrixRow[]): string[] {
  const a = new Map(before.map((r) => [r.key, r]));
  const b = new Map(after.map((r) => [r.key, r]));
  const keys = [...new Set([...a.keys(), ...b.keys()])].sort((x, y) => x.localeCompare(y));
  const rows = keys.flatMap((k) => {
    const change = rowChange(a.get(k), b.get(k));
    return change ? [`| ${k} | ${change.replace(/\|/g, "\\|")} |`] : [];
  });
  return rows.length ? ["| alert | change |", "| --- | --- |", ...rows] : [];
}

/** Changes the matrix rows cannot show: root grouping and the definitions of the named time intervals. */
export function pagingSettingChanges(before: ReadonlyMap<string, string>, after: ReadonlyMap<string, string>): string[] {
  type Am = { route?: { group_by?: string[] }; time_intervals?: { name: string; time_intervals: unknown }[] };
  const read = (files: ReadonlyMap<string, string>): Am => (parse(files.get("alertmanager/alertmanager.yml") ?? "{}") as Am | null) ?? {};
  const a = read(before);
  const b = read(after);
  const out: string[] = [];
  const groupA = (a.route?.group_by ?? []).join(", ");
  const groupB = (b.route?.group_by ?? []).join(", ");
  if (groupA !== groupB) out.push(`- notifications grouped by ${groupA || "(nothing)"} -> ${groupB || "(nothing)"}`);
  const ia = new Map((a.time_intervals ?? []).map((t) => [t.name, JSON.stringify(t.time_intervals)]));
  const ib = new Map((b.time_intervals ?? []).map((t) => [t.name, JSON.stringify(t.time_intervals)]));
  for (const [name, spec] of ib) {
    if (!ia.has(name)) out.push(`- time interval \`${name}\` added: ${spec}`);
    else if (ia.get(name) !== spec) out.push(`- time interval \`${name}\`: ${ia.get(name)} -> ${spec}`);
  }
  for (const [name, spec] of ia) if (!ib.has(name)) out.push(`- time interval \`${name}\` removed (was ${spec})`);
  return out;
}

function section(title: string, lines: readonly string[]): string[] {
  return [`### ${title}`, "", ...(lines.length ? lines : [NONE]), ""];
}

function details(summary: string, body: string): string[] {
  return ["<details>", `<summary>${summary}</summary>`, "", body, "</details>", ""];
}

/** The whole report. Deterministic: the same two renders give the same bytes. */
export function reviewReport(i: ReportInput): string {
  const alerts = ruleChanges(i.before, i.after, "alert");
  const records = ruleChanges(i.before, i.after, "record");
  const matrixBefore = routingMatrix(i.before);
  const matrixAfter = routingMatrix(i.after);
  const paging = pagingChanges(matrixBefore, matrixAfter);
  const pagingSettings = pagingSettingChanges(i.before, i.after);
  const dashboards = dashboardChanges(i.before, i.after);
  const resources = resourceChanges(i.before, i.after);
  const secrets = secretChanges(i.stackConfigBefore, i.stackConfigAfter);
  const count = (c: { added: string[]; removed: string[]; changed: string[] }) => `${c.added.length} added, ${c.removed.length} removed, ${c.changed.length} changed`;

  return [
    reportMarker(i.stack),
    `## Observability review: stack \`${i.stack}\` (${i.baseLabel} -> ${i.headLabel})`,
    "",
    `Alerts: ${count(alerts)}. Recording rules: ${count(records)}. Paging rows changed: ${Math.max(0, paging.length - 2)}${pagingSettings.length ? ` (and ${pagingSettings.length} grouping/time-interval changes)` : ""}. ` +
      `Dashboards changed: ${dashboards.filter((l) => l.startsWith("- ")).length}. Resources: ${resources.summary}` +
      `${resources.atRisk.length ? `, **${resources.atRisk.length} with data at risk**` : ""}. Secrets changed: ${secrets.length}.`,
    "",
    ...section("Alerts", [...alerts.changed, ...alerts.added, ...alerts.removed]),
    ...section("Recording rules", [...records.changed, ...records.added, ...records.removed]),
    ...section("Paging", [...paging, ...(paging.length && pagingSettings.length ? [""] : []), ...pagingSettings]),
    ...(matrixTable(matrixBefore) === matrixTable(matrixAfter)
      ? details("Routing matrix (unchanged)", matrixTable(matrixAfter))
      : [...details("Routing matrix before", matrixTable(matrixBefore)), ...details("Routing matrix after", matrixTable(matrixAfter))]),
    ...section("Dashboards", dashboards),
    ...section("Resources", [...resources.atRisk, ...resources.lines]),
    ...section("Secrets (values never shown)", secrets),
  ].join("\n");
}
