/**
 * Shared fixtures of the rule-catalog tests: the option sets the promtool unit
 * tests are written against, rendering to a temp dir, and finding promtool.
 */
import { execFileSync, spawnSync } from "child_process";
import * as fs from "fs";
import * as os from "os";
import * as path from "path";
import { parser } from "@prometheus-io/lezer-promql";
import { parse } from "yaml";
import { DEFAULT_THRESHOLDS, RULE_PACKS, ruleFiles, type RuleCatalogOptions, type SloSpec } from "../../configs/prometheus/rules";

/** Runbook base the promtool tests expect in `runbook_url`. */
export const TEST_RUNBOOK_BASE = "https://runbooks.example/runbooks";

/** SLOs of the full catalog; tests/rules/promtool/slo*.test.yml are written against these. */
export const TEST_SLOS: readonly SloSpec[] = [
  { name: "api-errors", objective: 99, window: "30d", sli: { kind: "errorRate", job: "api" } },
  { name: "api-latency", objective: 95, window: "30d", sli: { kind: "latency", job: "api", latencyThresholdSeconds: 1 } },
  // Probe-based availability with its own burn rates (tests/rules/promtool/slo_availability.test.yml).
  { name: "web-availability", objective: 99.9, window: "30d", sli: { kind: "availability", job: "website" }, burnRates: { critical: 14.4, warning: 3 } },
  // Seed 003's worker SLOs (tests/rules/promtool/slo_worker.test.yml).
  { name: "worker-processing-time", objective: 95, window: "30d", sli: { kind: "processingTime", job: "worker", latencyThresholdSeconds: 300 } },
  { name: "worker-queue-lag", objective: 99, window: "30d", sli: { kind: "queueLag", job: "worker", latencyThresholdSeconds: 300 } },
];

/** Stack defaults: every pack, seed thresholds, CollectorStalled off (as seed 000 ships it), no SLOs. */
export const DEFAULT_OPTIONS: RuleCatalogOptions = {
  packs: RULE_PACKS,
  thresholds: DEFAULT_THRESHOLDS,
  runbookBaseUrl: TEST_RUNBOOK_BASE,
  collectorStalledEnabled: false,
  evaluationInterval: "30s",
};

/**
 * Everything on: the catalog the promtool unit tests run against (two Alertmanagers: AlertmanagerMembersInconsistent
 * renders; remote write: the remote-storage alerts render).
 */
export const FULL_OPTIONS: RuleCatalogOptions = { ...DEFAULT_OPTIONS, collectorStalledEnabled: true, slos: TEST_SLOS, alertmanagerReplicas: 2, remoteWrite: true };

export const PROMTOOL_TESTS_DIR = path.join(__dirname, "promtool");
/** promtool tests of the Kubernetes variants, run against the catalog rendered with the Kubernetes profile (`platform: PLATFORM_PROFILES.kubernetes`). */
export const PROMTOOL_K8S_TESTS_DIR = path.join(__dirname, "promtool-kubernetes");
export const RUNBOOKS_DIR = path.join(__dirname, "..", "..", "docs", "runbooks");

/** Render the catalog into a fresh temp dir; returns the render root. */
export function renderToTemp(o: RuleCatalogOptions, label: string): string {
  const root = fs.mkdtempSync(path.join(os.tmpdir(), `rules-${label}-`));
  for (const f of ruleFiles(o)) {
    const p = path.join(root, f.path);
    fs.mkdirSync(path.dirname(p), { recursive: true });
    fs.writeFileSync(p, f.content);
  }
  return root;
}

/** Absolute path of promtool, or an Error explaining how to get it. */
export function findPromtool(): string {
  const candidates = [process.env.PROMTOOL, "/usr/bin/promtool", "/usr/local/bin/promtool"].filter((c): c is string => !!c);
  for (const c of candidates) if (fs.existsSync(c)) return c;
  const which = spawnSync("sh", ["-c", "command -v promtool"], { encoding: "utf8" });
  if (which.status === 0 && which.stdout.trim()) return which.stdout.trim();
  throw new Error(
    "promtool not found: the rule tests need Prometheus' promtool (Debian: `apt-get install prometheus`, " +
      "which `npm test` / scripts/test.sh installs), or set PROMTOOL=/path/to/promtool.",
  );
}

export function run(cmd: string, args: string[], cwd: string): { code: number; out: string } {
  try {
    const out = execFileSync(cmd, args, { cwd, encoding: "utf8", stdio: ["ignore", "pipe", "pipe"] });
    return { code: 0, out };
  } catch (e) {
    const err = e as { status?: number; stdout?: string; stderr?: string };
    return { code: err.status ?? 1, out: `${err.stdout ?? ""}${err.stderr ?? ""}` };
  }
}

export interface PromtoolTestFile {
  readonly file: string;
  readonly ruleFiles: string[];
  readonly tests: {
    readonly alert_rule_test?: { alertname: string; eval_time: string; exp_alerts?: { exp_labels?: Record<string, string> }[] }[];
    readonly promql_expr_test?: { expr: string; eval_time: string }[];
  }[];
}

/** The promtool test files of `dir` (default: the Docker/platform-neutral tests), parsed. */
export function promtoolTestFiles(dir: string = PROMTOOL_TESTS_DIR): PromtoolTestFile[] {
  return fs
    .readdirSync(dir)
    .filter((f) => f.endsWith(".test.yml"))
    .sort()
    .map((f) => {
      const doc = parse(fs.readFileSync(path.join(dir, f), "utf8")) as { rule_files: string[]; tests: PromtoolTestFile["tests"] };
      return { file: f, ruleFiles: doc.rule_files, tests: doc.tests };
    });
}

/** Metric names a PromQL expression selects (vector selectors), parsed with Prometheus' own lezer grammar. */
export function selectedMetrics(expr: string): string[] {
  const names = new Set<string>();
  const tree = parser.parse(expr);
  tree.iterate({
    enter(node) {
      if (node.name === "VectorSelector") {
        const id = node.node.getChild("Identifier");
        if (id) names.add(expr.slice(id.from, id.to));
      }
    },
  });
  return [...names];
}

/** Syntax errors lezer-promql finds in `expr` (as offsets), empty when it parses. */
export function promqlErrors(expr: string): number[] {
  const errors: number[] = [];
  parser.parse(expr).iterate({
    enter(node) {
      if (node.type.isError) errors.push(node.from);
    },
  });
  return errors;
}

/** Every aggregation in `expr`: its operator and its `by (...)` labels (null when it has no `by`). */
export function aggregations(expr: string): { op: string; by: string[] | null }[] {
  const out: { op: string; by: string[] | null }[] = [];
  parser.parse(expr).iterate({
    enter(node) {
      if (node.name !== "AggregateExpr") return;
      const n = node.node;
      const op = n.getChild("AggregateOp");
      const mod = n.getChild("AggregateModifier");
      let by: string[] | null = null;
      if (mod && mod.getChild("By")) {
        const grouping = mod.getChild("GroupingLabels");
        by = grouping ? grouping.getChildren("LabelName").map((l) => expr.slice(l.from, l.to)) : [];
      }
      out.push({ op: op ? expr.slice(op.from, op.to) : "?", by });
    },
  });
  return out;
}

/**
 * Every alert label set the promtool unit tests expect (alertname added), from
 * both test directories, deduplicated. These are real: `promtool test rules`
 * (tests/rules/promtool.test.ts) fails unless Prometheus' own rule engine
 * produces exactly these labels, static labels, `by (...)` grouping and
 * label_replace included. Other suites (Alertmanager inhibition) use them as
 * the alerts production actually emits.
 */
export function promtoolAlertLabelSets(): Record<string, string>[] {
  const seen = new Map<string, Record<string, string>>();
  for (const f of [...promtoolTestFiles(), ...promtoolTestFiles(PROMTOOL_K8S_TESTS_DIR)]) {
    for (const t of f.tests) {
      for (const a of t.alert_rule_test ?? []) {
        for (const e of a.exp_alerts ?? []) {
          const labels = { alertname: a.alertname, ...(e.exp_labels ?? {}) };
          const key = JSON.stringify(Object.entries(labels).sort());
          if (!seen.has(key)) seen.set(key, labels);
        }
      }
    }
  }
  return [...seen.values()];
}
