/**
 * The README's alert table, generated from the rule catalog (every pack,
 * the seeds' default thresholds, CollectorStalled and one example SLO on)
 * and the Loki log alerts, with the notification timings the routing matrix
 * (review/routing.ts) computes from the Alertmanager config the builders
 * ship. `npm run alert-table` prints it; tests/review/readme-alert-table.test.ts
 * fails when the README's copy drifts from it.
 */
import { alertmanagerConfig, DEFAULT_GROUP_BY } from "../configs/alertmanager/alertmanager";
import { lokiRuleFiles } from "../configs/loki/rules";
import { DEFAULT_THRESHOLDS, RULE_PACKS, ruleCatalog, ruleFiles, type RuleCatalogOptions } from "../configs/prometheus/rules";
import { renderedRules } from "./rules";
import { routingMatrix, rowCells } from "./routing";

export const ALERT_TABLE_START = "<!-- alert-table:start -->";
export const ALERT_TABLE_END = "<!-- alert-table:end -->";

/** Runbooks relative to the README. */
const RUNBOOKS = "docs/runbooks";

const CATALOG: RuleCatalogOptions = {
  packs: RULE_PACKS,
  thresholds: DEFAULT_THRESHOLDS,
  runbookBaseUrl: RUNBOOKS,
  collectorStalledEnabled: true,
  evaluationInterval: "30s",
  // The remote-storage alerts render only with remote write; the table lists them (their runbooks say when).
  remoteWrite: true,
  slos: [{ name: "backend-availability", objective: 99.9, window: "30d", sli: { kind: "availability", job: "tutordex_backend" } }],
};

/** The catalog's files as a render would hold them (path -> content). */
function catalogFiles(): Map<string, string> {
  const am = alertmanagerConfig({ receivers: [], groupBy: DEFAULT_GROUP_BY, maintenanceWindows: [], externalUrl: "http://localhost:9093", secretsDir: "/etc/alertmanager/secrets" });
  const files = [
    ...ruleFiles(CATALOG),
    ...lokiRuleFiles({ thresholds: DEFAULT_THRESHOLDS, runbookBaseUrl: RUNBOOKS, environment: "dev" }),
    ...am.files,
  ];
  return new Map(files.map((f) => [f.path, f.content]));
}

/**
 * The expression's threshold as a reader looks for it: the first comparison
 * with a non-zero number (`> 90`; `> 0` guards such as "has traffic" are
 * skipped), else the last comparison (`== 0`).
 */
function threshold(expr: string): string {
  const all = [...expr.matchAll(/(>=|<=|==|!=|>|<)\s*(?:bool\s+)?\(?\s*(-?\d+(?:\.\d+)?(?:e[+-]?\d+)?)(?![\w.])/gi)];
  const pick = all.find((m) => Number(m[2]) !== 0) ?? all[all.length - 1];
  return pick ? `${pick[1]} ${pick[2]}` : "";
}

const cell = (s: string) => s.replace(/\|/g, "\\|").replace(/\s+/g, " ").trim();

/** The Markdown table, between its markers. */
export function alertTableMarkdown(): string {
  const files = catalogFiles();
  const packOf = new Map<string, string>(ruleCatalog(CATALOG).map((f) => [f.path, f.pack === "watchdog" ? "always on" : f.pack]));
  const timing = new Map(routingMatrix(files).map((r) => [r.key, rowCells(r).timing]));
  const alerts = renderedRules(files).filter((r) => r.kind === "alert");
  const tiers = (name: string) => alerts.filter((a) => a.name === name).length > 1;
  const rows = alerts
    .map((a) => {
      const key = tiers(a.name) ? `${a.name} [${a.labels.severity}]` : a.name;
      const pack = packOf.get(a.file) ?? (a.file.startsWith("loki/") ? "Loki ruler, always on" : a.file);
      return { key, line: `| ${a.name} | ${pack} | ${a.labels.severity ?? ""} | ${cell(threshold(a.expr))} | ${a.for} | ${timing.get(key) ?? ""} | ${cell(a.annotations.summary ?? "")} | [runbook](${RUNBOOKS}/${a.name}.md) |` };
    })
    .sort((x, y) => x.key.localeCompare(y.key));
  return [
    ALERT_TABLE_START,
    "| alert | pack | severity | threshold | for | notification (group wait, interval, repeat) | summary | runbook |",
    "| --- | --- | --- | --- | --- | --- | --- | --- |",
    ...rows.map((r) => r.line),
    ALERT_TABLE_END,
  ].join("\n");
}

/** `readme` with its alert table replaced by the generated one. */
export function withAlertTable(readme: string): string {
  const start = readme.indexOf(ALERT_TABLE_START);
  const end = readme.indexOf(ALERT_TABLE_END);
  if (start < 0 || end < start) throw new Error(`README has no ${ALERT_TABLE_START} ... ${ALERT_TABLE_END} block`);
  return readme.slice(0, start) + alertTableMarkdown() + readme.slice(end + ALERT_TABLE_END.length);
}
