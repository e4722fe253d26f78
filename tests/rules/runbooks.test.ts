/**
 * docs/runbooks: one page per alert, with the sections on-call needs, the
 * alert's severity and component, an amtool silence for that alert, and
 * queries that parse (PromQL with Prometheus' grammar, LogQL with Loki's) and
 * select only metrics the stack has. Covers the Loki ruler's log alerts too.
 */
import { parser as logqlParser } from "@grafana/lezer-logql";
import * as fs from "fs";
import * as path from "path";
import {
  EXPORTER_METRIC_NAMES,
  EXPORTER_METRIC_PREFIXES,
  isAlertRule,
  METRICS_CONTRACT,
  recordingRuleNames,
  ruleCatalog,
  type AlertRule,
} from "../../configs/prometheus/rules";
import { LEVEL_LABEL, lokiRuleGroups } from "../../configs/loki/rules";
import { PROMOTED_JSON_FIELDS } from "../../configs/logs/labels";
import { RULE_PACKS } from "../../configs/prometheus/rules";
import { SERVICE_DOWN_COMPONENT, SERVICE_DOWN_FALLBACK_COMPONENT } from "../../configs/prometheus/rules/packs/service";
import { FULL_OPTIONS, promqlErrors, RUNBOOKS_DIR, selectedMetrics } from "./fixtures";
import { PLATFORM_PROFILES } from "../../targets";

// Prometheus alerts and the Loki ruler's log alerts: both link a runbook here.
// The Kubernetes catalog adds the kubernetes pack (Docker renders none of it).
const alerts: AlertRule[] = [
  ...ruleCatalog(FULL_OPTIONS).flatMap((f) => f.groups.flatMap((g) => g.rules.filter(isAlertRule))),
  ...ruleCatalog({ ...FULL_OPTIONS, platform: PLATFORM_PROFILES.kubernetes })
    .filter((f) => f.pack === "kubernetes")
    .flatMap((f) => f.groups.flatMap((g) => g.rules.filter(isAlertRule))),
  ...lokiRuleGroups({ thresholds: FULL_OPTIONS.thresholds, runbookBaseUrl: FULL_OPTIONS.runbookBaseUrl, environment: "test" }).flatMap((g) =>
    g.rules.filter(isAlertRule),
  ),
];
const names = [...new Set(alerts.map((a) => a.alert))];
const recordings = new Set([...recordingRuleNames(FULL_OPTIONS), ...recordingRuleNames({ ...FULL_OPTIONS, platform: PLATFORM_PROFILES.kubernetes })]);

function page(name: string): string {
  return fs.readFileSync(path.join(RUNBOOKS_DIR, `${name}.md`), "utf8");
}
function blocks(md: string, lang: string): string[] {
  return [...md.matchAll(new RegExp("```" + lang + "\\n([\\s\\S]*?)```", "g"))].map((m) => (m[1] as string).trim());
}
function logqlErrors(q: string): number[] {
  const errors: number[] = [];
  logqlParser.parse(q).iterate({
    enter(n) {
      if (n.type.isError) errors.push(n.from);
    },
  });
  return errors;
}
function knownMetric(m: string): boolean {
  const base = m.replace(/_(bucket|count|sum)$/, "");
  return (
    METRICS_CONTRACT.some((c) => c.name === m || (c.type === "histogram" && c.name === base)) ||
    recordings.has(m) ||
    EXPORTER_METRIC_NAMES.includes(m) ||
    EXPORTER_METRIC_PREFIXES.some((p) => m.startsWith(p))
  );
}

describe.each(names.map((n) => [n]))("runbook %s", (name) => {
  const tiers = alerts.filter((a) => a.alert === name);

  it("exists with the standard sections", () => {
    expect(fs.existsSync(path.join(RUNBOOKS_DIR, `${name}.md`))).toBe(true);
    const md = page(name);
    expect(md.startsWith(`# ${name}\n`)).toBe(true);
    for (const h of ["## Meaning", "## Impact", "## Triage", "## Remediation", "## Silence"]) expect(md).toContain(`\n${h}\n`);
  });

  it("states the alert's severity and component", () => {
    const md = page(name);
    const severities = [...new Set(tiers.map((a) => a.labels.severity))].sort((a, b) => (a === "warning" ? -1 : b === "warning" ? 1 : 0));
    expect(md).toContain(`| Severity | \`${severities.join(" / ")}\` |`);
    const component = tiers[0]?.labels.component;
    expect(md).toContain(
      component === SERVICE_DOWN_COMPONENT
        ? `| Component | the down job's own \`component\` (\`${SERVICE_DOWN_FALLBACK_COMPONENT}\` when its targets carry none) |`
        : `| Component | \`${component}\` |`,
    );
  });

  it("shows how to silence it with amtool", () => {
    expect(page(name)).toContain(`amtool --alertmanager.url=http://localhost:9093 \\\n  silence add alertname="${name}"`);
  });

  it("has a Loki query, and every query parses and selects known metrics", () => {
    const md = page(name);
    const logql = blocks(md, "logql");
    expect(logql.length).toBeGreaterThan(0);
    for (const q of logql) expect({ q, errors: logqlErrors(q) }).toEqual({ q, errors: [] });
    for (const q of blocks(md, "promql")) {
      expect({ q, errors: promqlErrors(q) }).toEqual({ q, errors: [] });
      for (const m of selectedMetrics(q)) expect({ q, metric: m, known: knownMetric(m) }).toEqual({ q, metric: m, known: true });
    }
  });
});

/** Every panel title of a dashboard, rows and panels nested in (collapsed) rows included. */
interface DashboardPanel {
  title?: string;
  panels?: DashboardPanel[];
}
const DASHBOARDS_DIR = path.join(__dirname, "..", "..", "dashboards");
const dashboards = new Map<string, Set<string>>(
  fs
    .readdirSync(DASHBOARDS_DIR)
    .filter((f) => f.endsWith(".json"))
    .map((f) => {
      const d = JSON.parse(fs.readFileSync(path.join(DASHBOARDS_DIR, f), "utf8")) as { title: string; panels?: DashboardPanel[] };
      const titles = new Set<string>();
      const walk = (ps: DashboardPanel[] = []): void => {
        for (const p of ps) {
          if (p.title) titles.add(p.title);
          walk(p.panels);
        }
      };
      walk(d.panels);
      return [d.title, titles];
    }),
);

/**
 * Dashboard references a page makes, written `Dashboard **<title>**`,
 * optionally followed by `→ *<panel>*` and more panels joined by ", " or
 * " and " (list-item continuation lines are joined first, so a reference may
 * wrap). A reference whose `→` is not followed by an italic panel title is
 * reported with panel `null`: it names something a reader cannot find.
 */
function dashboardRefs(md: string): { dashboard: string; panels: (string | null)[] }[] {
  const text = md.replace(/\n[ \t]+(?=\S)/g, " ");
  return [...text.matchAll(/Dashboard \*\*([^*]+)\*\*( → )?(.*)/g)].map((m) => {
    const panels: (string | null)[] = [];
    if (m[2]) {
      let rest = m[3] as string;
      for (let first = true; ; first = false) {
        const p = (first ? /^\*([^*]+)\*/ : /^(?:, | and )\*([^*]+)\*/).exec(rest);
        if (!p) {
          if (first) panels.push(null);
          break;
        }
        panels.push(p[1] as string);
        rest = rest.slice(p[0].length);
      }
    }
    return { dashboard: m[1] as string, panels };
  });
}

describe("runbook dashboard references", () => {
  const files = fs.readdirSync(RUNBOOKS_DIR).filter((f) => f.endsWith(".md"));

  it("finds the dashboards the references are checked against", () => {
    expect(dashboards.get("TutorDex Infra")?.has("Container restarts in range")).toBe(true);
    expect(dashboardRefs("1. Dashboard **A** → *B* and *C*, then Explore.")).toEqual([{ dashboard: "A", panels: ["B", "C"] }]);
    expect(dashboardRefs("1. Dashboard **A** → DM rates.")).toEqual([{ dashboard: "A", panels: [null] }]);
  });

  it.each(files.map((f) => [f]))("%s names only dashboards and panels that exist", (f) => {
    for (const ref of dashboardRefs(fs.readFileSync(path.join(RUNBOOKS_DIR, f), "utf8"))) {
      const panels = dashboards.get(ref.dashboard);
      expect({ dashboard: ref.dashboard, exists: panels !== undefined }).toEqual({ dashboard: ref.dashboard, exists: true });
      for (const p of ref.panels) {
        expect({ dashboard: ref.dashboard, panel: p, exists: p !== null && !!panels?.has(p) }).toEqual({
          dashboard: ref.dashboard,
          panel: p,
          exists: true,
        });
      }
    }
  });
});

/**
 * Problems of a LogQL query with the stream labels the agents promote from
 * the JSON line (`level`, `channel`, ...): a filter on one after the parser
 * (`| json | level="ERROR"`) compares case-sensitively against whatever the
 * application wrote, and a level matcher in the selector must be
 * case-insensitive (`(?i)`), as the Loki rules' own matchers are.
 */
function promotedLabelProblems(q: string): string[] {
  const problems: string[] = [];
  const selectors = [...q.matchAll(/\{[^{}]*\}/g)].map((m) => m[0]);
  for (const sel of selectors) {
    for (const m of sel.matchAll(new RegExp(`\\b${LEVEL_LABEL}\\s*(=~|!~|!=|=)\\s*"([^"]*)"`, "g"))) {
      if (!/^[=!]~$/.test(m[1] as string) || !(m[2] as string).startsWith("(?i)")) problems.push(`case-sensitive level matcher ${m[0]}`);
    }
  }
  const pipeline = q.replace(/\{[^{}]*\}/g, "{}").replace(/"(?:[^"\\]|\\.)*"/g, '""').replace(/`[^`]*`/g, "``");
  for (const label of PROMOTED_JSON_FIELDS) {
    if (new RegExp(`\\b${label}\\s*(=~|!~|!=|=)`).test(pipeline)) problems.push(`${label} filtered after the stream selector`);
  }
  return problems;
}

describe("runbook LogQL and the promoted stream labels", () => {
  const files = fs.readdirSync(RUNBOOKS_DIR).filter((f) => f.endsWith(".md"));

  it("detects the mistakes it guards against", () => {
    expect(promotedLabelProblems('{compose_service="x"} | json | level=~"ERROR|CRITICAL"')).toEqual(["level filtered after the stream selector"]);
    expect(promotedLabelProblems('{compose_service="x", level="ERROR"} | json')).toEqual(['case-sensitive level matcher level="ERROR"']);
    expect(promotedLabelProblems('{compose_service="x", level=~"(?i)(err|error)"} |= "level=error" | json')).toEqual([]);
  });

  it.each(files.map((f) => [f]))("%s matches promoted labels in the selector, levels case-insensitively", (f) => {
    for (const q of blocks(fs.readFileSync(path.join(RUNBOOKS_DIR, f), "utf8"), "logql")) {
      expect({ q, problems: promotedLabelProblems(q) }).toEqual({ q, problems: [] });
    }
  });
});

describe("runbook rule pack", () => {
  const lokiAlerts = new Set(
    lokiRuleGroups({ thresholds: FULL_OPTIONS.thresholds, runbookBaseUrl: FULL_OPTIONS.runbookBaseUrl, environment: "test" }).flatMap((g) =>
      g.rules.filter(isAlertRule).map((r) => r.alert),
    ),
  );

  it.each(names.map((n) => [n]))("%s names a pack alerting.rulePacks accepts, or says it always ships", (name) => {
    const row = /^\| Rule pack \| `([^`]+)`/m.exec(page(name));
    expect(row).not.toBeNull();
    const pack = (row as RegExpExecArray)[1] as string;
    // The Loki ruler's rules are not a pack: the stack always ships them with Loki.
    if (lokiAlerts.has(name)) expect(pack).toBe("always on");
    else expect({ name, pack, valid: pack === "always on" || (RULE_PACKS as readonly string[]).includes(pack) }).toEqual({ name, pack, valid: true });
  });
});

describe("runbook index", () => {
  const files = fs.readdirSync(RUNBOOKS_DIR).filter((f) => f.endsWith(".md") && f !== "README.md");

  it("has no page without an alert", () => {
    for (const f of files) expect({ page: f, alert: names.includes(f.replace(/\.md$/, "")) }).toEqual({ page: f, alert: true });
  });

  it("links every page from README.md, and its queries parse", () => {
    const readme = fs.readFileSync(path.join(RUNBOOKS_DIR, "README.md"), "utf8");
    for (const n of names) expect(readme).toContain(`[${n}](${n}.md)`);
    for (const q of blocks(readme, "logql")) expect({ q, errors: logqlErrors(q) }).toEqual({ q, errors: [] });
  });
});
