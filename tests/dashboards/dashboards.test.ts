/**
 * Grafana dashboards: every `dashboards/*.json` is provisioned (byte for byte
 * unless an exported `__inputs` placeholder needs resolving, see
 * configs/grafana/dashboards.ts) into the folder its tags choose, so every
 * file, shipped or dropped in by a user, must load in Grafana 13 with the
 * provisioned datasources and run queries that parse and read series that exist.
 *
 * Queries are checked with the grammars Prometheus' and Grafana's own editors
 * use (@prometheus-io/lezer-promql, @grafana/lezer-logql), after Grafana's
 * variable interpolation; metric names come from the PromQL syntax tree.
 */
import { spawnSync } from "child_process";
import * as fs from "fs";
import * as os from "os";
import * as path from "path";
import { parse, stringify } from "yaml";
import { grafanaDatasourcesFile } from "../../configs/grafana/provisioning";
import { LOG_LABELS, PROMOTED_JSON_FIELDS, SERVICE_LABEL } from "../../configs/logs/labels";
import {
  DEFAULT_THRESHOLDS,
  METRICS_CONTRACT,
  RULE_PACKS,
  recordingRuleNames,
  type MetricSpec,
} from "../../configs/prometheus/rules";
import { TUTORDEX_RECORDING_RULES } from "../../configs/prometheus/rules/packs/tutordex";
import { EXPORTER_METRIC_SET, exporterOf } from "../../configs/prometheus/exporter-metrics";
import {
  dashboardsForTarget,
  folderOf,
  KUBERNETES_DASHBOARD_CONSTANTS,
  KUBERNETES_DASHBOARD_TAG,
  kubernetesDashboardConstants,
  loadDashboards as loadProvisioned,
} from "../../configs/grafana/dashboards";
import { DEFAULT_KUBERNETES_RULE_OPTIONS } from "../../configs/prometheus/rules/packs/kubernetes";
import type { KubernetesRuleOptions } from "../../configs/prometheus/rules/types";
import { DATASOURCE_UIDS, JOBS } from "../../configs/topology";
import * as Q from "./queries";
import { PLATFORM_PROFILES } from "../../targets";

// ------------------------------------------------------------------------------------ fixtures

const DASHBOARDS = Q.loadDashboards();
const VALID = DASHBOARDS.filter((d) => d.json !== undefined);
const FILES = DASHBOARDS.map((d) => d.file);

/** uid -> plugin type of every datasource Grafana is provisioned with. */
const PROVISIONED: ReadonlyMap<string, string> = new Map(
  (parse(grafanaDatasourcesFile().content).datasources as { uid: string; type: string }[]).map((d) => [d.uid, d.type]),
);
/** Type of the datasource marked `isDefault` (what a panel without a datasource queries). */
const DEFAULT_TYPE: string = (parse(grafanaDatasourcesFile().content).datasources as { type: string; isDefault?: boolean }[]).find((d) => d.isDefault)?.type ?? "prometheus";

const QUERIES: Q.Query[] = VALID.flatMap((d) => Q.queriesOf(d, PROVISIONED, DEFAULT_TYPE));
const jsonOf = (file: string): Q.Json => VALID.find((d) => d.file === file)?.json;

/** Every recording rule the catalog can produce (all packs, SLOs on; the kubernetes pack's on the Kubernetes target). */
const RECORDING_RULES: ReadonlySet<string> = new Set(
  recordingRuleNames({
    platform: PLATFORM_PROFILES.kubernetes,
    packs: RULE_PACKS,
    thresholds: DEFAULT_THRESHOLDS,
    runbookBaseUrl: "https://runbooks.example/runbooks",
    collectorStalledEnabled: true,
    evaluationInterval: "30s",
    slos: [
      { name: "availability", objective: 99.9, window: "30d", sli: { kind: "availability", job: "api" } },
      { name: "latency", objective: 95, window: "30d", sli: { kind: "latency", job: "api", latencyThresholdSeconds: 1 } },
    ],
  }),
);

/**
 * The stack's own components' metrics (self-monitoring) and client-library
 * runtime metrics, by prefix. Exporter metrics are not matched by prefix: they
 * must be named in EXPORTER_METRICS (configs/prometheus/exporter-metrics.ts).
 */
const SYSTEM_PREFIXES: readonly string[] = ["prometheus_", "alertmanager_", "loki_", "otelcol_", "tempo_", "process_", "go_"];
const SYSTEM_NAMES: ReadonlySet<string> = EXPORTER_METRIC_SET;

/** Labels Prometheus attaches to every application series: `job`/`instance`, and `component` from prometheus.yml. */
const TARGET_LABELS = ["job", "instance", "component"];

/**
 * Dashboards whose metric names are checked against the contract, recording
 * rules and exporter lists: every shipped dashboard carries one of these tags.
 * A user's own dashboard (other tags) reads its own metrics and is only
 * checked for syntax, datasources and panel types.
 */
const CONTRACT_TAGS = ["tutordex", "api", "observability", "infra", "host", "containers", "worker", "queue", "database", "cache", "business", "slo"];
const isContractChecked = (d: Q.DashboardFile) => Array.isArray(d.json?.tags) && d.json.tags.some((t: unknown) => CONTRACT_TAGS.includes(String(t)));

/** Panel types Grafana 13 ships (React); anything else needs a plugin the stack does not install. */
const CORE_PANEL_TYPES = [
  "row", "timeseries", "stat", "gauge", "bargauge", "table", "logs", "text", "barchart", "piechart", "heatmap", "histogram",
  "state-timeline", "status-history", "nodeGraph", "traces", "flamegraph", "geomap", "canvas", "xychart", "candlestick",
  "trend", "datagrid", "news", "dashlist", "alertlist", "annolist",
];
/** Angular panels Grafana 12+ no longer renders, with their replacement. */
const ANGULAR_PANEL_TYPES: Readonly<Record<string, string>> = {
  graph: "timeseries",
  singlestat: "stat",
  "table-old": "table",
  "grafana-piechart-panel": "piechart",
  "grafana-worldmap-panel": "geomap",
  "natel-discrete-panel": "state-timeline",
  "grafana-polystat-panel": "stat",
};

function contractEntry(metric: string): { spec: MetricSpec; bucket: boolean } | undefined {
  const exact = METRICS_CONTRACT.find((m) => m.name === metric);
  if (exact) return { spec: exact, bucket: false };
  const m = /^(.*)_(bucket|sum|count)$/.exec(metric);
  const base = m ? METRICS_CONTRACT.find((s) => s.name === m[1] && s.type === "histogram") : undefined;
  return base ? { spec: base, bucket: m![2] === "bucket" } : undefined;
}

function isKnownMetric(metric: string): boolean {
  return (
    contractEntry(metric) !== undefined ||
    RECORDING_RULES.has(metric) ||
    SYSTEM_NAMES.has(metric) ||
    SYSTEM_PREFIXES.some((p) => metric.startsWith(p))
  );
}

function describeQuery(q: Q.Query): string {
  return `${q.file} › ${q.where} (refId ${q.refId})`;
}

interface ParsedQuery {
  readonly q: Q.Query;
  readonly substituted: string;
  readonly parsed: Q.Parsed;
}

const PARSED: ParsedQuery[] = QUERIES.map((q) => {
  const substituted = Q.substituteVariables(q.expr, jsonOf(q.file));
  return { q, substituted, parsed: q.language === "promql" ? Q.parsePromQL(substituted) : Q.parseLogQL(substituted) };
});
const PROMQL = PARSED.filter((p) => p.q.language === "promql");
const LOGQL = PARSED.filter((p) => p.q.language === "logql");

/** Problems as one readable list, so a failure names every offender at once. */
function expectNone(problems: string[]): void {
  if (problems.length > 0) throw new Error(`${problems.length} problem(s):\n  ${problems.join("\n  ")}`);
}

// ------------------------------------------------------------------------------------ every file

describe("dashboards/*.json (every file, shipped or dropped in by a user)", () => {
  it("there is at least one dashboard to provision", () => {
    expect(FILES.length).toBeGreaterThan(0);
  });

  it.each(FILES)("%s is valid JSON holding a dashboard object", (file) => {
    const d = DASHBOARDS.find((x) => x.file === file)!;
    expect(d.parseError).toBeUndefined();
    expect(typeof d.json).toBe("object");
    expect(Array.isArray(d.json)).toBe(false);
    expect(Array.isArray(d.json.panels)).toBe(true);
  });

  it("every dashboard has a uid Grafana accepts (1-40 of [A-Za-z0-9_-]), unique across files", () => {
    const problems: string[] = [];
    const seen = new Map<string, string>();
    for (const d of VALID) {
      const uid = d.json.uid;
      if (typeof uid !== "string" || !/^[A-Za-z0-9_-]{1,40}$/.test(uid)) problems.push(`${d.file}: uid ${JSON.stringify(uid)} is missing or invalid`);
      else if (seen.has(uid)) problems.push(`${d.file}: uid "${uid}" is already used by ${seen.get(uid)}`);
      else seen.set(uid, d.file);
    }
    expectNone(problems);
  });

  it("every dashboard has a title, unique across files (Grafana refuses two equal titles in one folder)", () => {
    const problems: string[] = [];
    const seen = new Map<string, string>();
    for (const d of VALID) {
      const title = d.json.title;
      if (typeof title !== "string" || title.trim() === "") problems.push(`${d.file}: no title`);
      else if (seen.has(title.toLowerCase())) problems.push(`${d.file}: title "${title}" is already used by ${seen.get(title.toLowerCase())}`);
      else seen.set(title.toLowerCase(), d.file);
    }
    expectNone(problems);
  });

  it("no dashboard carries a database id (id must be null or absent for file provisioning)", () => {
    expectNone(VALID.filter((d) => d.json.id !== undefined && d.json.id !== null).map((d) => `${d.file}: id is ${JSON.stringify(d.json.id)}; set it to null`));
  });

  it("no panel uses an Angular or plugin panel type (Grafana 13 renders core React panels only)", () => {
    const problems: string[] = [];
    for (const d of VALID) {
      for (const { panel, title } of Q.panelsOf(d.json)) {
        const type = String(panel.type);
        if (type in ANGULAR_PANEL_TYPES) problems.push(`${d.file} › panel "${title}": type "${type}" is Angular (removed in Grafana 12); use "${ANGULAR_PANEL_TYPES[type]}"`);
        else if (!CORE_PANEL_TYPES.includes(type)) problems.push(`${d.file} › panel "${title}": type "${type}" is not a core panel and no plugin is installed`);
      }
    }
    expectNone(problems);
  });

  it("panel ids are unique within each dashboard", () => {
    const problems: string[] = [];
    for (const d of VALID) {
      const ids = Q.panelsOf(d.json).map((p) => p.panel.id).filter((id) => id !== undefined);
      const dup = ids.filter((id, i) => ids.indexOf(id) !== i);
      if (dup.length > 0) problems.push(`${d.file}: duplicate panel ids ${[...new Set(dup)].join(", ")}`);
    }
    expectNone(problems);
  });

  it("panels fit the 24-column grid and do not overlap", () => {
    const problems: string[] = [];
    for (const d of VALID) {
      for (const { panel, title } of Q.panelsOf(d.json)) {
        const g = panel.gridPos;
        if (!g) continue;
        const ok = [g.x, g.y, g.w, g.h].every((n) => Number.isInteger(n)) && g.x >= 0 && g.y >= 0 && g.w > 0 && g.h > 0 && g.x + g.w <= 24;
        if (!ok) problems.push(`${d.file} › panel "${title}": gridPos ${JSON.stringify(g)} is outside the 24-column grid`);
      }
      for (const [a, b] of Q.overlappingPanels(d.json)) problems.push(`${d.file}: panels "${a}" and "${b}" overlap`);
    }
    expectNone(problems);
  });

  it("every datasource is a provisioned uid, a Grafana built-in, or a datasource variable the dashboard defines", () => {
    const problems: string[] = [];
    const provisioned = [...PROVISIONED.keys()];
    for (const d of VALID) {
      const dsVariables = Q.templateVariables(d.json).filter((v) => v.type === "datasource").map((v) => String(v.name));
      for (const { where, ref } of Q.datasourceUses(d.json)) {
        const uid = ref.uid;
        const variable = uid !== undefined ? Q.variableReference(uid) : undefined;
        if (variable !== undefined) {
          if (!dsVariables.includes(variable)) {
            problems.push(
              `${d.file} › ${where}: datasource ${JSON.stringify(ref.raw)} names variable $${variable}, which is not a datasource variable of this dashboard ` +
                `(use uid ${provisioned.map((u) => `"${u}"`).join("/")}, or an "export for sharing externally" __inputs placeholder, which provisioning resolves)`,
            );
          }
        } else if (uid === undefined || !(provisioned.includes(uid) || (Q.BUILTIN_DATASOURCE_UIDS as readonly string[]).includes(uid))) {
          problems.push(`${d.file} › ${where}: datasource ${JSON.stringify(ref.raw)} is not provisioned; use uid ${provisioned.map((u) => `"${u}"`).join("/")}`);
        }
      }
    }
    expectNone(problems);
  });

  it("a datasource reference's type matches the provisioned datasource with that uid", () => {
    const problems: string[] = [];
    for (const d of VALID) {
      for (const { where, ref } of Q.datasourceUses(d.json)) {
        const type = ref.uid !== undefined ? PROVISIONED.get(ref.uid) : undefined;
        if (type !== undefined && ref.type !== undefined && ref.type !== type) problems.push(`${d.file} › ${where}: uid "${ref.uid}" is a ${type} datasource, not ${ref.type}`);
      }
    }
    expectNone(problems);
  });

  it("every variable a query references is defined by the dashboard or built into Grafana", () => {
    const problems: string[] = [];
    for (const q of QUERIES) {
      const defined = Q.templateVariables(jsonOf(q.file)).map((v) => String(v.name));
      for (const name of Q.variablesIn(q.expr)) {
        if (!defined.includes(name) && !Q.isBuiltinVariable(name)) problems.push(`${describeQuery(q)}: $${name} is not defined: ${q.expr}`);
      }
    }
    expectNone(problems);
  });

  it("every PromQL expression parses (lezer-promql, after variable interpolation)", () => {
    expect(PROMQL.length).toBeGreaterThan(0);
    expectNone(
      PROMQL.filter((p) => p.parsed.errors.length > 0).map(
        (p) => `${describeQuery(p.q)}: PromQL syntax error at ${p.parsed.errors[0].at}: ${p.q.expr}`,
      ),
    );
  });

  it("every PromQL expression type-checks in promtool (function argument and operand types)", () => {
    const promtool = ["/usr/bin/promtool", "/usr/local/bin/promtool"].find((p) => fs.existsSync(p));
    if (!promtool) throw new Error("promtool not found: install Debian's prometheus package (npm test does)");
    const checkable = PROMQL.filter((p) => p.parsed.errors.length === 0);
    const rules = checkable.map((p, i) => ({ record: `dashboard:query_${i}`, expr: p.substituted }));
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), "dashboards-promtool-"));
    try {
      const file = path.join(dir, "dashboards.rules.yml");
      fs.writeFileSync(file, stringify({ groups: [{ name: "dashboards", rules }] }, { lineWidth: 0 }));
      const r = spawnSync(promtool, ["check", "rules", file], { encoding: "utf8", timeout: 60_000 });
      const output = `${r.stdout}${r.stderr}`;
      const problems = [...output.matchAll(/"dashboard:query_(\d+)": (.*)/g)].map((m) => {
        const p = checkable[Number(m[1])];
        return `${describeQuery(p.q)}: ${m[2]}: ${p.q.expr}`;
      });
      if (problems.length === 0 && r.status !== 0) problems.push(`promtool check rules failed: ${output}`);
      expectNone(problems);
    } finally {
      fs.rmSync(dir, { recursive: true, force: true });
    }
  });

  it("histogram_quantile keeps the `le` label when it aggregates buckets", () => {
    const problems: string[] = [];
    for (const p of PROMQL) {
      for (const h of Q.histogramQuantiles(p.parsed)) {
        const agg = h.innerAggregation;
        if (!agg) continue;
        const keepsLe = agg.modifier === "by" ? agg.labels.includes("le") : agg.modifier === "without" ? !agg.labels.includes("le") : false;
        if (!keepsLe) problems.push(`${describeQuery(p.q)}: "${agg.op} ${agg.modifier ?? ""}${agg.modifier ? ` (${agg.labels.join(", ")})` : ""}" drops le, so histogram_quantile gets no buckets: ${p.q.expr}`);
      }
    }
    expectNone(problems);
  });

  it("no query selects a histogram bucket by a literal le (Prometheus 3 rewrites le=\"1\" as \"1.0\")", () => {
    const problems: string[] = [];
    for (const p of PROMQL) {
      for (const s of Q.promqlSelectors(p.parsed)) {
        if (s.matchers.some((m) => m.label === "le" && m.op === "=")) problems.push(`${describeQuery(p.q)}: ${s.metric} is matched with le="..."; use le=~"1(\\.0)?" or aggregate by le: ${p.q.expr}`);
      }
    }
    expectNone(problems);
  });

  it("every LogQL expression parses (lezer-logql, after variable interpolation)", () => {
    expectNone(
      LOGQL.filter((p) => p.parsed.errors.length > 0).map((p) => `${describeQuery(p.q)}: LogQL syntax error at ${p.parsed.errors[0].at}: ${p.q.expr}`),
    );
  });

  it("Loki stream selectors use only the labels the log agents attach (low-cardinality labels)", () => {
    const problems: string[] = [];
    for (const p of LOGQL) {
      for (const m of Q.logqlStreamMatchers(p.parsed)) {
        if (!LOG_LABELS.includes(m.label)) problems.push(`${describeQuery(p.q)}: stream label "${m.label}" is never attached (labels: ${LOG_LABELS.join(", ")}): ${p.q.expr}`);
      }
    }
    expectNone(problems);
  });
});

// ------------------------------------------------------------------------------------ metric contract

describe(`metric names of the shipped dashboards (tags: ${CONTRACT_TAGS.join(", ")})`, () => {
  const checked = PROMQL.filter((p) => isContractChecked(VALID.find((d) => d.file === p.q.file)!));

  it("the contract-checked dashboards run PromQL", () => {
    expect(checked.length).toBeGreaterThan(0);
  });

  it("every metric read is in METRICS_CONTRACT, a recording rule, an exporter's metric list (EXPORTER_METRICS), or the stack's own (prometheus_, alertmanager_, loki_, otelcol_, tempo_, process_, go_)", () => {
    const problems: string[] = [];
    for (const p of checked) {
      for (const metric of Q.promqlMetricNames(p.parsed)) {
        if (!isKnownMetric(metric)) problems.push(`${describeQuery(p.q)}: metric "${metric}" is in no contract, rule or exporter: ${p.q.expr}`);
      }
      for (const s of Q.promqlSelectors(p.parsed)) {
        if (s.metric === undefined) problems.push(`${describeQuery(p.q)}: a selector without a metric name cannot be checked: ${p.q.expr}`);
      }
    }
    expectNone(problems);
  });

  it("label matchers on contract metrics use labels the contract declares for that metric", () => {
    const problems: string[] = [];
    for (const p of checked) {
      for (const s of Q.promqlSelectors(p.parsed)) {
        const entry = s.metric ? contractEntry(s.metric) : undefined;
        if (!entry) continue;
        const allowed = [...entry.spec.labels, ...TARGET_LABELS, "__name__", ...(entry.bucket ? ["le"] : [])];
        for (const m of s.matchers) {
          if (!allowed.includes(m.label)) problems.push(`${describeQuery(p.q)}: ${s.metric} has no label "${m.label}" (contract: ${entry.spec.labels.join(", ") || "none"}): ${p.q.expr}`);
        }
      }
    }
    expectNone(problems);
  });

  it("aggregations over contract metrics group by labels those metrics carry", () => {
    const problems: string[] = [];
    for (const p of checked) {
      for (const agg of Q.promqlAggregations(p.parsed)) {
        if (agg.modifier !== "by" || agg.selectors.length === 0) continue;
        if (agg.functions.some((f) => f === "label_replace" || f === "label_join")) continue;
        const entries = agg.selectors.map((s) => (s.metric ? contractEntry(s.metric) : undefined));
        if (entries.some((e) => e === undefined)) continue;
        const carried = new Set([...TARGET_LABELS, ...entries.flatMap((e) => [...e!.spec.labels, ...(e!.bucket ? ["le"] : [])])]);
        for (const label of agg.labels) {
          if (!carried.has(label)) problems.push(`${describeQuery(p.q)}: "${agg.op} by (${agg.labels.join(", ")})" groups by "${label}", which ${agg.selectors.map((s) => s.metric).join(", ")} do not carry`);
        }
      }
    }
    expectNone(problems);
  });

  it("label_values variables list a label their contract metric carries", () => {
    const problems: string[] = [];
    for (const d of VALID.filter(isContractChecked)) {
      for (const v of Q.templateVariables(d.json)) {
        const q = typeof v.query === "string" ? v.query : v.query?.query;
        const lv = typeof q === "string" ? Q.labelOfVariableQuery(q) : undefined;
        if (!lv) continue;
        const metrics = Q.promqlMetricNames(Q.parsePromQL(Q.substituteVariables(lv.selector, d.json)));
        for (const metric of metrics) {
          const entry = contractEntry(metric);
          if (entry && !entry.spec.labels.includes(lv.label) && !TARGET_LABELS.includes(lv.label)) {
            problems.push(`${d.file} › variable $${v.name}: ${metric} has no label "${lv.label}"`);
          }
        }
      }
    }
    expectNone(problems);
  });
});

// ------------------------------------------------------------------------------------ shipped dashboards

/** What the seeds ask for: file -> uid and title. */
const SHIPPED: Readonly<Record<string, { uid: string; title: string }>> = {
  "tutordex-overview.json": { uid: "tutordex-overview", title: "TutorDex Overview" },
  "tutordex-infra.json": { uid: "tutordex-infra", title: "TutorDex Infra" },
  "tutordex-llm-supabase.json": { uid: "tutordex-llm-supabase", title: "TutorDex LLM + Supabase" },
  "tutordex-quality.json": { uid: "tutordex-quality", title: "TutorDex Quality" },
  "observability-self.json": { uid: "observability-self", title: "Observability Stack" },
  "api-performance.json": { uid: "api-performance", title: "API Performance" },
  "system-health.json": { uid: "system-health", title: "System Health" },
  "worker-health.json": { uid: "worker-health", title: "Worker & Queue Health" },
  "database-performance.json": { uid: "database-performance", title: "Database Performance" },
  "cache-performance.json": { uid: "cache-performance", title: "Cache Performance" },
  "business-metrics.json": { uid: "business-metrics", title: "TutorDex Business Metrics" },
  "slo-error-budget.json": { uid: "slo-error-budget", title: "SLO & Error Budget" },
  "scheduler-performance.json": { uid: "scheduler-performance", title: "Scheduler Performance" },
  // issue 15: the cluster (Kubernetes target only, kubernetes-mixin's dashboards) ...
  "kubernetes-cluster.json": { uid: "kubernetes-cluster", title: "Kubernetes Cluster" },
  "kubernetes-namespace.json": { uid: "kubernetes-namespace", title: "Kubernetes / Namespace (Workloads)" },
  "kubernetes-pod.json": { uid: "kubernetes-pod", title: "Kubernetes / Pod" },
  "kubernetes-node.json": { uid: "kubernetes-node", title: "Kubernetes / Node" },
  "kubernetes-persistent-volumes.json": { uid: "kubernetes-persistent-volumes", title: "Kubernetes / Persistent Volumes" },
  // ... and the stack itself in depth (prometheus and alertmanager mixins, Loki/Tempo/collector ingest)
  "prometheus-overview.json": { uid: "prometheus-overview", title: "Prometheus Overview" },
  "alertmanager-overview.json": { uid: "alertmanager-overview", title: "Alertmanager Overview" },
  "stack-ingest.json": { uid: "stack-ingest", title: "Logs & Traces Ingest" },
};
const SHIPPED_FILES = Object.keys(SHIPPED);
const SHIPPED_PANEL_TYPES = ["row", "timeseries", "stat", "gauge", "table", "logs", "bargauge", "text"];

/** PromQL queries of one shipped dashboard. */
const promqlOf = (file: string) => PROMQL.filter((p) => p.q.file === file);
const metricsOf = (file: string) => new Set(promqlOf(file).flatMap((p) => Q.promqlMetricNames(p.parsed)));
const panelQueries = (file: string, title: string) => PARSED.filter((p) => p.q.file === file && p.q.where === `panel "${title}"`);

describe("the shipped dashboards", () => {
  it("are the thirteen dashboards the seeds describe, the five Kubernetes ones and the three of the stack, with stable uids and titles", () => {
    for (const [file, { uid, title }] of Object.entries(SHIPPED)) {
      expect({ file, uid: jsonOf(file)?.uid, title: jsonOf(file)?.title }).toEqual({ file, uid, title });
    }
  });

  it("are provisioned byte for byte as grafana/dashboards/<file>", () => {
    const files = loadProvisioned(Q.DASHBOARDS_DIR).map((d) => d.file);
    for (const file of SHIPPED_FILES) {
      expect(files.find((f) => f.path === `grafana/dashboards/${file}`)?.content).toBe(fs.readFileSync(path.join(Q.DASHBOARDS_DIR, file), "utf8"));
    }
  });

  describe.each(SHIPPED_FILES)("%s", (file) => {
    const d = () => jsonOf(file);

    it("is deterministic, readable JSON (2-space indent, trailing newline)", () => {
      const text = fs.readFileSync(path.join(Q.DASHBOARDS_DIR, file), "utf8");
      expect(text).toBe(JSON.stringify(JSON.parse(text), null, 2) + "\n");
    });

    it("uses schemaVersion 39 or later, shows the last 6 hours, refreshes itself and is tagged", () => {
      expect(d().schemaVersion).toBeGreaterThanOrEqual(39);
      expect(d().time).toEqual({ from: "now-6h", to: "now" });
      expect(d().refresh).toMatch(/^\d+[smh]$/);
      expect(d().tags.length).toBeGreaterThan(0);
      expect(d().id).toBeNull();
    });

    it("uses only timeseries, stat, gauge, table, logs, bargauge and text panels (plus rows)", () => {
      const types = Q.panelsOf(d()).map((p) => String(p.panel.type));
      expect(types.filter((t) => !SHIPPED_PANEL_TYPES.includes(t))).toEqual([]);
    });

    it("gives every panel a title and a description", () => {
      const missing = Q.panelsOf(d())
        .filter((p) => p.panel.type !== "row" && p.panel.type !== "text")
        .filter((p) => typeof p.panel.title !== "string" || p.panel.title === "" || typeof p.panel.description !== "string" || p.panel.description === "")
        .map((p) => p.title);
      expect(missing).toEqual([]);
    });

    it("names the provisioned datasource on every querying panel and target", () => {
      const problems: string[] = [];
      const uids = Object.values(DATASOURCE_UIDS) as string[];
      for (const { panel, title } of Q.panelsOf(d())) {
        if (!Array.isArray(panel.targets)) continue;
        const refs = [panel.datasource, ...panel.targets.map((t: Q.Json) => t.datasource)];
        for (const ref of refs) {
          if (!ref || !uids.includes(ref.uid) || PROVISIONED.get(ref.uid) !== ref.type) problems.push(`panel "${title}": ${JSON.stringify(ref)}`);
        }
      }
      expectNone(problems);
    });

    it("lists panels in reading order, starting at the top-left corner", () => {
      const panels = (d().panels as Q.Json[]).map((p) => p.gridPos as Q.GridPos);
      const ys = panels.map((g) => g.y);
      expect([...ys].sort((a, b) => a - b)).toEqual(ys);
      expect(panels[0]).toMatchObject({ x: 0, y: 0 });
    });
  });

  it("the TutorDex dashboards show all nine recording rules of seed 000 between them", () => {
    const used = new Set(SHIPPED_FILES.filter((f) => f.startsWith("tutordex-")).flatMap((f) => [...metricsOf(f)]));
    expect(TUTORDEX_RECORDING_RULES.filter((r) => !used.has(r))).toEqual([]);
  });
});

describe("TutorDex Overview (seed 000: health, ingestion, queue, uptime, logs)", () => {
  const file = "tutordex-overview.json";
  const d = () => jsonOf(file);
  const variable = (name: string) => Q.templateVariables(d()).find((v) => v.name === name);

  it.each(["pipeline_version", "channel"])("has a $%s query variable over label_values of a contract metric, with All", (name) => {
    const v = variable(name);
    expect(v).toBeDefined();
    expect(v.type).toBe("query");
    expect(v.includeAll).toBe(true);
    expect(v.datasource).toEqual({ type: "prometheus", uid: DATASOURCE_UIDS.prometheus });
    const lv = Q.labelOfVariableQuery(v.query.query);
    expect(lv?.label).toBe(name);
    const metrics = Q.promqlMetricNames(Q.parsePromQL(Q.substituteVariables(lv!.selector, d())));
    expect(metrics.map((m) => contractEntry(m)?.spec.labels.includes(name))).toEqual([true]);
  });

  it("filters every TutorDex application query by $pipeline_version", () => {
    const unfiltered = promqlOf(file).filter((p) => p.q.where.startsWith("panel ")).filter((p) => {
      // the expression as written: `$pipeline_version` sits inside a string literal, so it parses as is
      const written = Q.promqlSelectors(Q.parsePromQL(p.q.expr));
      const tutordex = written.filter((s) => s.metric && (contractEntry(s.metric) || s.metric.startsWith("tutordex:")));
      return tutordex.some((s) => !s.matchers.some((m) => m.label === "pipeline_version" && m.op === "=~" && m.value === "$pipeline_version"));
    });
    expect(unfiltered.map((p) => `${p.q.where}: ${p.q.expr}`)).toEqual([]);
  });

  it("shows message ingestion, queue state, throughput, component uptime and probe success", () => {
    const m = metricsOf(file);
    for (const metric of [
      "collector_messages_seen_total",
      "collector_messages_upserted_total",
      "tutordex:collector:seconds_since_last_message",
      "queue_pending",
      "queue_processing",
      "queue_failed",
      "queue_oldest_pending_age_seconds",
      "queue_oldest_processing_age_seconds",
      "tutordex:worker:throughput_jobs_per_s",
      "up",
      "probe_success",
    ]) {
      expect([metric, m.has(metric)]).toEqual([metric, true]);
    }
  });

  it("has a Loki logs panel of ERROR/CRITICAL lines selected only by compose_service, component, channel, pipeline_version and level", () => {
    const logsPanels = Q.panelsOf(d()).filter((p) => p.panel.type === "logs");
    expect(logsPanels.length).toBeGreaterThan(0);
    const lowCardinality: string[] = [SERVICE_LABEL, ...PROMOTED_JSON_FIELDS];
    for (const { panel, title } of logsPanels) {
      expect(panel.datasource).toEqual({ type: "loki", uid: DATASOURCE_UIDS.loki });
      for (const p of panelQueries(file, title)) {
        const matchers = Q.logqlStreamMatchers(p.parsed);
        expect(matchers.map((m) => m.label).filter((l) => !lowCardinality.includes(l))).toEqual([]);
        const level = matchers.find((m) => m.label === "level");
        expect(level?.op).toBe("=~");
        const re = new RegExp(`^(?:${level!.value.replace("(?i)", "")})$`, level!.value.startsWith("(?i)") ? "i" : "");
        expect(["ERROR", "CRITICAL"].map((l) => re.test(l))).toEqual([true, true]);
        expect(["INFO", "WARNING", "DEBUG"].map((l) => re.test(l))).toEqual([false, false, false]);
      }
    }
  });
});

describe("TutorDex Infra (seed 000: containers, host, network, availability)", () => {
  const file = "tutordex-infra.json";

  it("shows container CPU and memory from cAdvisor per container name", () => {
    const exprs = promqlOf(file).map((p) => p.q.expr);
    expect(exprs.some((e) => /sum by \(name\)/.test(e) && e.includes("container_cpu_usage_seconds_total"))).toBe(true);
    expect(exprs.some((e) => /sum by \(name\)/.test(e) && e.includes("container_memory_working_set_bytes"))).toBe(true);
  });

  it("shows host CPU, memory, disk and network from node-exporter", () => {
    const m = metricsOf(file);
    for (const metric of ["node_cpu_seconds_total", "node_memory_MemAvailable_bytes", "node_filesystem_avail_bytes", "node_network_receive_bytes_total", "node_network_transmit_bytes_total"]) {
      expect([metric, m.has(metric)]).toEqual([metric, true]);
    }
  });

  it("shows service availability as probe_success by instance", () => {
    const byInstance = promqlOf(file).filter((p) => Q.promqlAggregations(p.parsed).some((a) => a.modifier === "by" && a.labels.join() === "instance" && a.selectors.some((s) => s.metric === "probe_success")));
    expect(byInstance.length).toBeGreaterThan(0);
  });
});

describe("TutorDex LLM + Supabase (seed 000: rates, failures, latency)", () => {
  const file = "tutordex-llm-supabase.json";
  const quantiles = (bucket: string, by: string) =>
    promqlOf(file).flatMap((p) =>
      Q.histogramQuantiles(p.parsed)
        .filter((h) => h.innerAggregation?.selectors.some((s) => s.metric === bucket) && [...h.innerAggregation.labels].sort().join(",") === by)
        .map((h) => /^histogram_quantile\(\s*([0-9.]+)/.exec(h.text)?.[1]),
    );

  it("shows LLM latency p50 and p95 per model (histogram_quantile over sum by (le, model))", () => {
    expect(new Set(quantiles("worker_llm_call_latency_seconds_bucket", "le,model"))).toEqual(new Set(["0.5", "0.95"]));
  });

  it("shows Supabase latency p50 and p95 per operation (histogram_quantile over sum by (le, operation))", () => {
    expect(quantiles("worker_supabase_latency_seconds_bucket", "le,operation")).toEqual(expect.arrayContaining(["0.5", "0.95"]));
  });

  it("shows LLM and Supabase request rates and the failure recording rules the alerts use", () => {
    const m = metricsOf(file);
    for (const metric of ["worker_llm_requests_total", "worker_llm_fail_total", "tutordex:worker:llm_fail_rate_per_s", "worker_supabase_requests_total", "tutordex:worker:supabase_fail_rate_per_s"]) {
      expect([metric, m.has(metric)]).toEqual([metric, true]);
    }
  });
});

describe("TutorDex Quality (seed 000: parse rates, failure reasons, missing fields, inconsistencies)", () => {
  it("is built on the quality recording rules", () => {
    const m = metricsOf("tutordex-quality.json");
    for (const metric of [
      "tutordex:worker:parse_success_rate_per_s",
      "tutordex:worker:parse_failure_rate_per_s",
      "tutordex:worker:parse_error_fraction",
      "tutordex:quality:missing_field_rate_per_s",
      "tutordex:quality:inconsistency_rate_per_s",
    ]) {
      expect([metric, m.has(metric)]).toEqual([metric, true]);
    }
  });

  it("breaks parse failures down by reason", () => {
    const byReason = promqlOf("tutordex-quality.json").filter((p) => Q.promqlAggregations(p.parsed).some((a) => a.modifier === "by" && a.labels.includes("reason")));
    expect(byReason.length).toBeGreaterThan(0);
  });
});

describe("Observability Stack (the stack watching itself)", () => {
  it("shows targets, rule evaluation, TSDB, Alertmanager notifications, Loki ingestion, collector spans and Tempo", () => {
    const m = metricsOf("observability-self.json");
    for (const metric of [
      "up",
      "prometheus_rule_evaluation_failures_total",
      "prometheus_rule_group_last_duration_seconds",
      "prometheus_tsdb_head_series",
      "alertmanager_notifications_total",
      "alertmanager_notifications_failed_total",
      "loki_distributor_lines_received_total",
      "otelcol_receiver_accepted_spans_total",
      "otelcol_receiver_refused_spans_total",
      "tempo_distributor_spans_received_total",
    ]) {
      expect([metric, m.has(metric)]).toEqual([metric, true]);
    }
  });
});

describe("API Performance (seeds 002/003)", () => {
  const file = "api-performance.json";

  it("has a $job variable over http_requests_total", () => {
    const v = Q.templateVariables(jsonOf(file)).find((x) => x.name === "job");
    expect(Q.labelOfVariableQuery(v.query.query)).toEqual({ selector: "http_requests_total", label: "job" });
    expect(v.includeAll).toBe(true);
  });

  it("shows p50, p90, p95 and p99 from http_request_duration_seconds_bucket", () => {
    const qs = promqlOf(file).flatMap((p) =>
      Q.histogramQuantiles(p.parsed)
        .filter((h) => h.innerAggregation?.selectors.some((s) => s.metric === "http_request_duration_seconds_bucket"))
        .map((h) => /^histogram_quantile\(\s*([0-9.]+)/.exec(h.text)?.[1]),
    );
    expect(qs).toEqual(expect.arrayContaining(["0.5", "0.9", "0.95", "0.99"]));
  });

  it("shows the error rate as 5xx over all requests", () => {
    const ratio = promqlOf(file).filter((p) => {
      const sels = Q.promqlSelectors(p.parsed).filter((s) => s.metric === "http_requests_total");
      return sels.some((s) => s.matchers.some((m) => m.label === "status" && m.value === "5..")) && sels.some((s) => !s.matchers.some((m) => m.label === "status"));
    });
    expect(ratio.length).toBeGreaterThan(0);
  });

  it("has top-10 tables of the slowest and the busiest endpoints", () => {
    const tables = Q.panelsOf(jsonOf(file)).filter((p) => p.panel.type === "table");
    const topk = tables.filter((t) => panelQueries(file, t.title).some((p) => /^\s*topk\(\s*10\s*,/.test(p.q.expr)));
    const metrics = topk.map((t) => panelQueries(file, t.title).flatMap((p) => Q.promqlMetricNames(p.parsed)).join());
    expect(metrics).toEqual(expect.arrayContaining(["http_request_duration_seconds_bucket", "http_requests_total"]));
  });
});

describe("exporter metric lists (no prefix wildcard)", () => {
  it("accept the exporters' real names and reject a misspelt or invented one", () => {
    expect(["node_cpu_seconds_total", "container_memory_working_set_bytes", "pg_up", "redis_keyspace_hits_total", "probe_success"].map(isKnownMetric)).toEqual([true, true, true, true, true]);
    expect(["node_cpu_seconds", "container_memory_bytes", "pg_connections", "redis_hits_total"].map(isKnownMetric)).toEqual([false, false, false, false]);
  });
});

describe("System Health (seed 002: hosts from node-exporter, containers from cAdvisor)", () => {
  const file = "system-health.json";
  it("shows host CPU, memory, disk, network and load, and per-container CPU, memory, network and restarts", () => {
    const m = metricsOf(file);
    for (const metric of [
      "node_cpu_seconds_total", "node_memory_MemAvailable_bytes", "node_filesystem_avail_bytes", "node_network_receive_bytes_total", "node_network_transmit_bytes_total", "node_load1",
      "container_cpu_usage_seconds_total", "container_memory_working_set_bytes", "container_network_receive_bytes_total", "container_start_time_seconds", "up",
    ]) {
      expect([metric, m.has(metric)]).toEqual([metric, true]);
    }
  });
  it("reads only node-exporter, cAdvisor, kube-state-metrics (restarts on Kubernetes) and Prometheus metrics", () => {
    expect([...new Set([...metricsOf(file)].map((x) => exporterOf(x)))].sort()).toEqual(["cadvisor", "kubeStateMetrics", "nodeExporter", "prometheus"]);
  });
});

describe("Worker & Queue Health (seed 003 Worker Health)", () => {
  const file = "worker-health.json";
  it("shows queue depth, throughput by status, failure rate, job and stage latency, heartbeats and requeues", () => {
    const m = metricsOf(file);
    for (const metric of ["queue_pending", "queue_processing", "queue_failed", "queue_oldest_pending_age_seconds", "worker_jobs_processed_total", "worker_job_latency_seconds_bucket", "worker_job_stage_latency_seconds_bucket", "worker_last_heartbeat_timestamp_seconds", "worker_requeued_stale_jobs_total"]) {
      expect([metric, m.has(metric)]).toEqual([metric, true]);
    }
  });
  it("filters every contract query by $pipeline_version", () => {
    const unfiltered = promqlOf(file).filter((p) => p.q.where.startsWith("panel ")).filter((p) =>
      Q.promqlSelectors(Q.parsePromQL(p.q.expr)).some((s) => s.metric && contractEntry(s.metric) && !s.matchers.some((x) => x.label === "pipeline_version" && x.value === "$pipeline_version")),
    );
    expect(unfiltered.map((p) => p.q.expr)).toEqual([]);
  });
});

describe("Database Performance and Cache Performance (postgres-exporter, redis-exporter)", () => {
  it("database: availability, connections against max_connections, transactions, cache hit ratio, locks and size", () => {
    const m = metricsOf("database-performance.json");
    for (const metric of ["pg_up", "pg_stat_activity_count", "pg_settings_max_connections", "pg_stat_database_xact_commit", "pg_stat_database_blks_hit", "pg_locks_count", "pg_database_size_bytes"]) {
      expect([metric, m.has(metric)]).toEqual([metric, true]);
    }
    expect([...new Set([...m].map((x) => exporterOf(x)))]).toEqual(["postgresExporter"]);
  });
  it("cache: availability, keyspace hit rate, memory, clients, commands and evictions", () => {
    const m = metricsOf("cache-performance.json");
    for (const metric of ["redis_up", "redis_keyspace_hits_total", "redis_keyspace_misses_total", "redis_memory_used_bytes", "redis_connected_clients", "redis_commands_processed_total", "redis_evicted_keys_total"]) {
      expect([metric, m.has(metric)]).toEqual([metric, true]);
    }
    expect([...new Set([...m].map((x) => exporterOf(x)))]).toEqual(["redisExporter"]);
  });
});

describe("TutorDex Business Metrics (seeds 000/003)", () => {
  it("reads only contract metrics: messages, assignments, broadcasts, DMs and LLM usage", () => {
    const m = [...metricsOf("business-metrics.json")];
    expect(m.filter((x) => !contractEntry(x))).toEqual([]);
    expect(m).toEqual(expect.arrayContaining(["collector_messages_seen_total", "worker_parse_success_total", "broadcast_sent_total", "dm_sent_total", "worker_llm_requests_total"]));
  });
});

describe("SLO & Error Budget (seed 003, slo rule pack)", () => {
  const file = "slo-error-budget.json";
  it("is built on the slo pack's recording rules and the burn alerts", () => {
    const m = [...metricsOf(file)];
    expect(m.filter((x) => x !== "ALERTS" && !RECORDING_RULES.has(x))).toEqual([]);
    expect(m).toEqual(expect.arrayContaining(["slo:objective:ratio", "slo:error_budget:remaining_ratio", "slo:sli_error:ratio_rate5m", "slo:sli_error:ratio_rate1h", "slo:sli_error:ratio_rate6h", "slo:sli_error:ratio_rate30m"]));
  });
  it("has a $slo variable over the slo label of the objective rule", () => {
    const v = Q.templateVariables(jsonOf(file)).find((x) => x.name === "slo");
    expect(Q.labelOfVariableQuery(v.query.query)).toEqual({ selector: "slo:objective:ratio", label: "slo" });
  });
});

describe("folders", () => {
  it("files the shipped dashboards in TutorDex, Services, Infrastructure and Observability", () => {
    const byFolder = Object.fromEntries(SHIPPED_FILES.map((f) => [f, folderOf(jsonOf(f).tags)?.title]));
    expect(byFolder).toEqual({
      "tutordex-overview.json": "TutorDex",
      "tutordex-infra.json": "TutorDex",
      "tutordex-llm-supabase.json": "TutorDex",
      "tutordex-quality.json": "TutorDex",
      "business-metrics.json": "TutorDex",
      "observability-self.json": "Observability",
      "api-performance.json": "Services",
      "worker-health.json": "Services",
      "slo-error-budget.json": "Services",
      "scheduler-performance.json": "Services",
      "system-health.json": "Infrastructure",
      "database-performance.json": "Infrastructure",
      "kubernetes-cluster.json": "Infrastructure",
      "kubernetes-namespace.json": "Infrastructure",
      "kubernetes-pod.json": "Infrastructure",
      "kubernetes-node.json": "Infrastructure",
      "kubernetes-persistent-volumes.json": "Infrastructure",
      "cache-performance.json": "Infrastructure",
      "prometheus-overview.json": "Observability",
      "alertmanager-overview.json": "Observability",
      "stack-ingest.json": "Observability",
    });
  });
});

describe("Scheduler Performance (seed 003)", () => {
  const file = "scheduler-performance.json";
  const exprs = (title: string) => panelQueries(file, title).map((p) => p.q.expr);

  it("has the panels seed 003 lists: scheduled jobs, execution lag distribution, success rate, failed job reasons, memory", () => {
    expect(exprs("Scheduled jobs by operation").join()).toContain("scheduler_jobs_scheduled_total");
    expect(exprs("Execution lag distribution")).toEqual([0.5, 0.95, 0.99].map((q) => expect.stringContaining(`histogram_quantile(${q}, sum by (le) (rate(scheduler_execution_lag_seconds_bucket`)));
    expect(exprs("Success rate over time").join()).toMatch(/scheduler_job_runs_total\{[^}]*status="success"/);
    expect(exprs("Failed job reasons").join()).toContain("sum by (reason) (increase(scheduler_job_failures_total");
    expect(exprs("Scheduler memory").join()).toContain("process_resident_memory_bytes");
  });

  it("colours the headline stats at the alerts' default thresholds", () => {
    const steps = (title: string) => (Q.panelsOf(jsonOf(file)).find((p) => p.title === title)?.panel.fieldConfig.defaults.thresholds.steps as { value: number | null }[]).map((s) => s.value);
    expect(steps("p95 execution lag")).toEqual([null, DEFAULT_THRESHOLDS.schedulerExecutionLagSeconds]);
    expect(steps("Success rate (30m)")).toEqual([null, DEFAULT_THRESHOLDS.schedulerSuccessRatePercent]);
    expect(steps("Seconds since last tick")).toEqual([null, DEFAULT_THRESHOLDS.schedulerHeartbeatMaxAgeSeconds]);
  });
});

// ------------------------------------------------------------------------------------ issue 15: the cluster and the stack

const KUBERNETES_FILES = ["kubernetes-cluster.json", "kubernetes-namespace.json", "kubernetes-pod.json", "kubernetes-node.json", "kubernetes-persistent-volumes.json"];
const STACK_FILES = ["prometheus-overview.json", "alertmanager-overview.json", "stack-ingest.json"];

/** Which constant selector each exporter's series must carry in a Kubernetes dashboard. */
const SELECTOR_OF_EXPORTER: Partial<Record<ReturnType<typeof exporterOf> & string, keyof KubernetesRuleOptions>> = {
  kubeStateMetrics: "kubeStateMetricsSelector",
  kubelet: "kubeletSelector",
  cadvisor: "cadvisorSelector",
  apiserver: "apiserverSelector",
};

/** Options no default equals, so a selector the dashboard spells literally instead of through its constant shows. */
const PROBE_OPTIONS: KubernetesRuleOptions = {
  clusterLabel: "probe_cluster",
  kubeStateMetricsSelector: 'probe_ksm="1"',
  kubeletSelector: 'probe_kubelet="1"',
  cadvisorSelector: 'probe_cadvisor="1"',
  apiserverSelector: 'probe_apiserver="1"',
};

/** A shipped dashboard as provisioning hands it to Grafana on Kubernetes with `o`'s selectors. */
function provisionedWith(file: string, o: KubernetesRuleOptions): Q.DashboardFile {
  const [d] = dashboardsForTarget(loadProvisioned(Q.DASHBOARDS_DIR).filter((x) => x.file.path.endsWith(`/${file}`)), PLATFORM_PROFILES.kubernetes, o);
  return { file, text: d.file.content, json: JSON.parse(d.file.content), parseError: undefined };
}

/** Every PromQL query of a dashboard, Grafana's interpolation applied, parsed. */
function parsedQueries(d: Q.DashboardFile): { q: Q.Query; parsed: Q.Parsed }[] {
  return Q.queriesOf(d, PROVISIONED, DEFAULT_TYPE)
    .filter((q) => q.language === "promql")
    .map((q) => ({ q, parsed: Q.parsePromQL(Q.substituteVariables(q.expr, d.json)) }));
}

describe("Kubernetes dashboards (issue 15: kubernetes-mixin's cluster, namespace, pod, node and persistent volume dashboards)", () => {
  it.each(KUBERNETES_FILES)("%s is tagged kubernetes, so it ships on the Kubernetes target only", (file) => {
    expect(jsonOf(file).tags).toContain(KUBERNETES_DASHBOARD_TAG);
  });

  it("no other shipped dashboard is tagged kubernetes", () => {
    expect(SHIPPED_FILES.filter((f) => jsonOf(f).tags.includes(KUBERNETES_DASHBOARD_TAG)).sort()).toEqual([...KUBERNETES_FILES].sort());
  });

  it.each(KUBERNETES_FILES)("%s defines the pack's selectors and cluster label as hidden constants holding the defaults", (file) => {
    const constants = Object.fromEntries(
      Q.templateVariables(jsonOf(file))
        .filter((v) => v.type === "constant")
        .map((v) => [v.name, { value: v.query, hidden: v.hide === 2 }]),
    );
    const expected = Object.fromEntries([...kubernetesDashboardConstants(DEFAULT_KUBERNETES_RULE_OPTIONS)].map(([name, value]) => [name, { value, hidden: true }]));
    expect(constants).toEqual(expected);
  });

  it.each(KUBERNETES_FILES)("%s finds every cluster series through the constant of its exporter and the cluster variable", (file) => {
    const problems: string[] = [];
    const d = provisionedWith(file, PROBE_OPTIONS);
    for (const { q, parsed } of parsedQueries(d)) {
      expect(parsed.errors).toEqual([]);
      for (const s of Q.promqlSelectors(parsed)) {
        const exporter = s.metric ? exporterOf(s.metric) : undefined;
        const option = exporter ? SELECTOR_OF_EXPORTER[exporter] : undefined;
        const labels = s.matchers.map((m) => m.label);
        if (option && !labels.includes(PROBE_OPTIONS[option].split("=")[0])) problems.push(`${q.where}: ${s.metric} is not selected by $${KUBERNETES_DASHBOARD_CONSTANTS[option]}: ${q.expr}`);
        // every query but the one listing the clusters
        const isClusterSeries = q.where !== "variable $cluster" && (option !== undefined || (s.metric !== undefined && RECORDING_RULES.has(s.metric)));
        if (isClusterSeries && !labels.includes(PROBE_OPTIONS.clusterLabel)) problems.push(`${q.where}: ${s.metric} is not filtered by $cluster_label="$cluster": ${q.expr}`);
      }
    }
    expectNone(problems);
  });

  it.each(KUBERNETES_FILES)("%s has a $cluster variable listing the configured cluster label's values", (file) => {
    const v = Q.templateVariables(jsonOf(file)).find((x) => x.name === "cluster");
    expect(Q.labelOfVariableQuery(v.query.query)?.label).toBe("$cluster_label");
  });

  it("each dashboard has the template variables kubernetes-mixin's has (cluster, namespace, pod, node, claim)", () => {
    const variables = Object.fromEntries(
      KUBERNETES_FILES.map((f) => [f, Q.templateVariables(jsonOf(f)).filter((v) => v.type === "query").map((v) => v.name)]),
    );
    expect(variables).toEqual({
      "kubernetes-cluster.json": ["cluster", "namespace"],
      "kubernetes-namespace.json": ["cluster", "namespace"],
      "kubernetes-pod.json": ["cluster", "namespace", "pod"],
      "kubernetes-node.json": ["cluster", "node"],
      "kubernetes-persistent-volumes.json": ["cluster", "namespace", "persistentvolumeclaim"],
    });
  });

  it("reads node-exporter through the stack's own job, whose targets carry their node", () => {
    // as written: `$node` sits inside a string literal
    const selectors = KUBERNETES_FILES.flatMap((f) => promqlOf(f).flatMap((p) => Q.promqlSelectors(Q.parsePromQL(p.q.expr)))).filter((s) => s.metric && exporterOf(s.metric) === "nodeExporter");
    expect(selectors.length).toBeGreaterThan(0);
    for (const s of selectors) expect(s.matchers.filter((m) => m.label === "job" || m.label === "node").map((m) => `${m.label}=${m.value}`)).toEqual([`job=${JOBS.nodeExporter}`, "node=$node"]);
  });

  it("the cluster overview shows capacity and commitments, namespaces, workloads, nodes, volumes and the API server", () => {
    const m = metricsOf("kubernetes-cluster.json");
    for (const metric of [
      "kube_node_status_condition", "kube_pod_status_phase", "container_cpu_usage_seconds_total", "container_memory_working_set_bytes",
      "namespace_cpu:kube_pod_container_resource_requests:sum", "namespace_memory:kube_pod_container_resource_requests:sum", "kube_pod_container_resource_limits",
      "kube_node_status_allocatable", "kube_pod_container_status_restarts_total", "kube_deployment_status_replicas_available", "kubelet_running_pods",
      "kubelet_volume_stats_available_bytes", "apiserver_request_total", "apiserver_request:burnrate1h", "container_network_receive_bytes_total",
    ]) {
      expect([metric, m.has(metric)]).toEqual([metric, true]);
    }
  });

  it("the namespace dashboard shows deployments, statefulsets, daemonsets, pods against requests and limits, waiting containers and network", () => {
    const m = metricsOf("kubernetes-namespace.json");
    for (const metric of [
      "kube_deployment_spec_replicas", "kube_statefulset_status_replicas_ready", "kube_daemonset_status_number_available", "kube_pod_owner",
      "kube_pod_container_resource_requests", "kube_pod_container_resource_limits", "kube_pod_container_status_waiting_reason", "container_network_transmit_bytes_total",
    ]) {
      expect([metric, m.has(metric)]).toEqual([metric, true]);
    }
    expect(promqlOf("kubernetes-namespace.json").every((p) => !/namespace=~/.test(p.q.expr))).toBe(true);
  });

  it("the pod dashboard shows each container's CPU with throttling, memory against requests and limits, network and termination reasons", () => {
    const exprs = (title: string) => panelQueries("kubernetes-pod.json", title).map((p) => p.q.expr).join("\n");
    expect(exprs("CPU usage by container")).toMatch(/sum by \(container\)[\s\S]*resource="cpu"[\s\S]*resource_limits/);
    expect(exprs("CPU throttling by container")).toContain("container_cpu_cfs_throttled_periods_total");
    expect(exprs("Memory working set by container")).toMatch(/container_memory_working_set_bytes[\s\S]*resource="memory"/);
    expect(exprs("Network packets dropped")).toContain("container_network_receive_packets_dropped_total");
    expect(exprs("Container state")).toContain("kube_pod_container_status_last_terminated_reason");
  });

  it("the node dashboard places cAdvisor's pods on the node through kube_pod_info, per cluster", () => {
    const expr = panelQueries("kubernetes-node.json", "CPU usage by pod")[0].q.expr;
    expect(expr).toContain('* on ($cluster_label, namespace, pod) group_left () topk by ($cluster_label, namespace, pod) (1, max by ($cluster_label, namespace, pod) (kube_pod_info{');
    expect(expr).toContain('node="$node"');
  });

  it("the persistent volume dashboard predicts the fill the way KubePersistentVolumeFillingUp does (6h of history, 4 days ahead)", () => {
    const expr = panelQueries("kubernetes-persistent-volumes.json", "Free in 4 days (predicted)")[0].q.expr;
    expect(expr).toMatch(/predict_linear\(kubelet_volume_stats_available_bytes\{[^}]*\}\[6h\], 4 \* 24 \* 3600\)/);
    const m = metricsOf("kubernetes-persistent-volumes.json");
    for (const metric of ["kubelet_volume_stats_inodes_used", "kube_persistentvolumeclaim_status_phase", "kube_persistentvolume_status_phase", "kube_persistentvolumeclaim_info"]) {
      expect([metric, m.has(metric)]).toEqual([metric, true]);
    }
  });

  it.each(KUBERNETES_FILES)("%s links to the other Kubernetes dashboards by tag", (file) => {
    expect(jsonOf(file).links).toEqual([expect.objectContaining({ type: "dashboards", tags: [KUBERNETES_DASHBOARD_TAG] })]);
  });
});

describe("stack dashboards (issue 15: Prometheus and Alertmanager mixins' overviews, logs and traces ingest)", () => {
  /** A query with label matchers and whitespace removed: the same panel filtered differently is still the same panel. */
  const shape = (expr: string) => expr.replace(/\{[^}]*\}/g, "").replace(/\s+/g, "");
  const selfShapes = new Set(promqlOf("observability-self.json").map((p) => shape(p.q.expr)));

  it.each(STACK_FILES)("%s repeats no query of Observability Stack (it goes deeper, the summary stays there)", (file) => {
    expect(promqlOf(file).filter((p) => selfShapes.has(shape(p.q.expr))).map((p) => `${p.q.where}: ${p.q.expr}`)).toEqual([]);
  });

  it("no query is shown twice across the stack dashboards", () => {
    const all = STACK_FILES.flatMap((f) => promqlOf(f).filter((p) => p.q.where.startsWith("panel ")).map((p) => ({ at: `${f} › ${p.q.where}`, shape: shape(p.q.expr) })));
    const twice = all.filter((x, i) => all.findIndex((y) => y.shape === x.shape) !== i);
    expect(twice.map((x) => x.at)).toEqual([]);
  });

  it.each(STACK_FILES)("%s is listed in Observability Stack's dashboard links (tag observability-stack)", (file) => {
    const tag = jsonOf("observability-self.json").links[0].tags[0];
    expect(jsonOf(file).tags).toContain(tag);
  });

  it("Prometheus Overview: servers, discovery, scrape failures, storage, queries, rules and alert delivery, per $job and $instance", () => {
    const m = metricsOf("prometheus-overview.json");
    for (const metric of [
      "prometheus_build_info", "prometheus_config_last_reload_successful", "prometheus_sd_discovered_targets", "prometheus_target_sync_failed_total",
      "prometheus_target_scrapes_exceeded_sample_limit_total", "prometheus_tsdb_compactions_failed_total", "prometheus_engine_query_duration_seconds_count",
      "prometheus_rule_group_iterations_missed_total", "prometheus_notifications_queue_length", "prometheus_notifications_errors_total",
    ]) {
      expect([metric, m.has(metric)]).toEqual([metric, true]);
    }
    // as written: `$job` sits inside a string literal, so every selector shows its filter
    const unfiltered = promqlOf("prometheus-overview.json").filter((p) => p.q.where.startsWith("panel ")).filter((p) =>
      Q.promqlSelectors(Q.parsePromQL(p.q.expr)).some((s) => !(s.matchers.some((x) => x.label === "job" && x.value === "$job") && s.matchers.some((x) => x.label === "instance" && x.value === "$instance"))),
    );
    expect(unfiltered.map((p) => p.q.expr)).toEqual([]);
  });

  it("Alertmanager Overview: reloads, alerts received, notification failures, latency and retries by integration, silences and the cluster", () => {
    const m = metricsOf("alertmanager-overview.json");
    for (const metric of [
      "alertmanager_config_last_reload_successful", "alertmanager_alerts_received_total", "alertmanager_notifications_failed_total",
      "alertmanager_notification_latency_seconds_bucket", "alertmanager_notification_requests_failed_total", "alertmanager_silences", "alertmanager_cluster_members",
    ]) {
      expect([metric, m.has(metric)]).toEqual([metric, true]);
    }
  });

  it("Logs & Traces Ingest: Loki push and query paths, Tempo intake and generator, the collector's logs and metrics and its queues", () => {
    const m = metricsOf("stack-ingest.json");
    for (const metric of [
      "loki_distributor_lines_received_total", "loki_request_duration_seconds_bucket", "loki_ingester_memory_streams",
      "tempo_distributor_bytes_received_total", "tempo_request_duration_seconds_bucket", "tempo_metrics_generator_spans_received_total",
      "otelcol_receiver_accepted_log_records_total", "otelcol_exporter_send_failed_metric_points_total", "otelcol_exporter_queue_size",
    ]) {
      expect([metric, m.has(metric)]).toEqual([metric, true]);
    }
  });
});
