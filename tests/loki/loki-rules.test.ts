/**
 * The Loki ruler's log alerts (seed 000: a FATAL line, a 5x jump in error log
 * volume): LogQL parsed with Loki's own lezer grammar, semantic checks the
 * grammar makes possible (a metric query with range and vector aggregations,
 * only stream labels the log agents attach), the conventions every alert
 * carries, and the file landing where the ruler reads it on both targets.
 * No Loki binary exists here, so evaluation itself is not exercised.
 */
import { parser } from "@grafana/lezer-logql";
import { parse } from "yaml";
import { LOKI_CONFIG_DIR, LOKI_DATA_DIR, LOKI_RULES_DIR, LOKI_RULER_STORAGE_DIR, lokiConfigFiles } from "../../configs/loki/loki";
import { LOKI_RULE_FILE, lokiRuleFiles, lokiRuleGroups, validateLokiRuleOptions, type LokiRuleOptions } from "../../configs/loki/rules";
import { problemsOf } from "../settings/problems";
import { LOG_LABELS } from "../../configs/logs/labels";
import { DEFAULT_THRESHOLDS, isAlertRule, type AlertRule } from "../../configs/prometheus/rules";
import type { ProgramRun } from "../../render/run";
import { named, rawNamed, runWith, TUTORDEX_TARGETS } from "../stack/harness";

const OPTIONS: LokiRuleOptions = { thresholds: DEFAULT_THRESHOLDS, runbookBaseUrl: "https://runbooks.example/rb", environment: "dev" };
const alerts = (o: LokiRuleOptions = OPTIONS): AlertRule[] => lokiRuleGroups(o).flatMap((g) => g.rules.filter(isAlertRule));
const byName = (name: string, o?: LokiRuleOptions) => {
  const a = alerts(o).find((r) => r.alert === name);
  if (!a) throw new Error(`no alert ${name}`);
  return a;
};

interface Parsed {
  errors: number[];
  nodes: Set<string>;
  /** Label names used in stream selectors. */
  matcherLabels: Set<string>;
  /** Label names in `by (...)` / `without (...)` groupings. */
  groupingLabels: Set<string>;
  /** Durations in `[...]` ranges. */
  ranges: string[];
}

function parseLogql(q: string): Parsed {
  const out: Parsed = { errors: [], nodes: new Set(), matcherLabels: new Set(), groupingLabels: new Set(), ranges: [] };
  parser.parse(q).iterate({
    enter(n) {
      if (n.type.isError) out.errors.push(n.from);
      out.nodes.add(n.name);
      if (n.name === "Matcher") {
        const id = n.node.getChild("Identifier");
        if (id) out.matcherLabels.add(q.slice(id.from, id.to));
      }
      if (n.name === "Grouping") for (const id of n.node.getChild("Labels")?.getChildren("Identifier") ?? []) out.groupingLabels.add(q.slice(id.from, id.to));
      if (n.name === "Range") out.ranges.push(q.slice(n.from, n.to));
    },
  });
  return out;
}

/** A lezer syntax node (typed through the grammar package: @lezer/common is not a direct dependency). */
type SyntaxNode = ReturnType<typeof parser.parse>["topNode"];

/** A metric query as a tree of binary operations; leaves are `sum by (...) rate[range] offset`, or a number. */
type Shape = string | { op: string; left: Shape; right: Shape };

function logqlShape(q: string): Shape {
  const text = (n: SyntaxNode | null | undefined) => (n ? q.slice(n.from, n.to) : "");
  const walk = (n: SyntaxNode): Shape => {
    switch (n.name) {
      case "BinOpExpr": {
        const operands = n.getChildren("Expr");
        const op = n.getChildren("Expr")[0]?.nextSibling;
        if (operands.length !== 2 || !op) throw new Error(`unexpected binary operation ${text(n)}`);
        return { op: text(op), left: walk(operands[0] as SyntaxNode), right: walk(operands[1] as SyntaxNode) };
      }
      case "VectorAggregationExpr": {
        const range = n.getChild("MetricExpr")?.getChild("RangeAggregationExpr");
        const logRange = range?.getChild("LogRangeExpr");
        const offset = logRange?.getChild("OffsetExpr");
        return `${text(n.getChild("VectorOp"))} ${text(n.getChild("Grouping"))} ${text(range?.getChild("RangeOp"))}${text(logRange?.getChild("Range"))}${offset ? ` ${text(offset)}` : ""}`;
      }
      case "LiteralExpr":
        return text(n);
      default: {
        // LogQL, Expr, MetricExpr and parentheses (a MetricExpr wrapping one MetricExpr) hold one operand
        const inner: SyntaxNode[] = [];
        for (let c = n.firstChild; c; c = c.nextSibling) if (["Expr", "MetricExpr", "BinOpExpr", "VectorAggregationExpr", "LiteralExpr"].includes(c.name)) inner.push(c);
        if (inner.length !== 1) throw new Error(`expected one operand in ${n.name} ${text(n)}, got ${inner.map((c) => c.name).join(", ")}`);
        return walk(inner[0] as SyntaxNode);
      }
    }
  };
  return walk(parser.parse(q).topNode);
}

describe("Loki log alerts", () => {
  it("are the two log-based alerts of seed 000, with severities that route like metric alerts", () => {
    expect(alerts().map((a) => [a.alert, a.labels.severity])).toEqual([
      ["FatalLogLines", "critical"],
      ["ErrorLogVolumeSpike", "warning"],
    ]);
  });

  describe.each(alerts().map((a) => [a.alert, a]))("%s", (_name, a) => {
    const p = parseLogql(a.expr);

    it("parses with Loki's LogQL grammar", () => {
      expect({ expr: a.expr, errors: p.errors }).toEqual({ expr: a.expr, errors: [] });
    });

    it("is a metric query: a range aggregation inside a vector aggregation (the ruler rejects log queries)", () => {
      expect(p.nodes.has("MetricExpr")).toBe(true);
      expect(p.nodes.has("RangeAggregationExpr")).toBe(true);
      expect(p.nodes.has("VectorAggregationExpr")).toBe(true);
      expect(p.ranges.length).toBeGreaterThan(0);
    });

    it("selects and groups only by stream labels the log agents attach", () => {
      expect(p.matcherLabels.size).toBeGreaterThan(0);
      for (const l of [...p.matcherLabels, ...p.groupingLabels]) expect({ label: l, attached: LOG_LABELS.includes(l) }).toEqual({ label: l, attached: true });
      // Grouping by service is what makes the summary's {{ $labels.compose_service }} non-empty.
      expect([...p.groupingLabels]).toEqual(["compose_service"]);
      expect(a.annotations.summary).toContain("{{ $labels.compose_service }}");
    });

    it("carries severity, component, env, summary, description and a runbook link", () => {
      expect(a.labels).toMatchObject({ component: "logs", env: "dev" });
      expect(["critical", "warning"]).toContain(a.labels.severity);
      expect(a.annotations.summary.length).toBeGreaterThan(10);
      expect(a.annotations.description).toMatch(/\{\{ \$value/);
      expect(a.annotations.runbook_url).toBe(`https://runbooks.example/rb/${a.alert}.md`);
    });
  });

  it("FatalLogLines matches the level label and, for unstructured lines, the word FATAL; it fires without delay", () => {
    const a = byName("FatalLogLines");
    expect(a.for).toBeUndefined();
    expect(a.expr).toContain('level=~"(?i)(fatal|critical|crit|panic|emerg)"');
    expect(a.expr).toContain('|~ "\\\\bFATAL\\\\b"');
    // `or` must be inside the parentheses: `A or B > 0` would compare B only.
    expect(a.expr).toMatch(/^\([\s\S]*\bor\b[\s\S]*\) > 0$/);
    expect(parseLogql(a.expr).ranges).toEqual(["[5m]", "[5m]"]);
  });

  it("ErrorLogVolumeSpike compares the current error rate with 5x the baseline just before it, above a floor", () => {
    const a = byName("ErrorLogVolumeSpike");
    expect(a.for).toBe("5m");
    expect(a.expr).toContain("> (5 * (\n    sum by (compose_service) (rate(");
    expect(a.expr).toContain("[1h] offset 5m))");
    expect(a.expr).toMatch(/and\n\(.*\[5m\]\)\) > 0\.1\)$/);
  });

  // Why a tree and not a run: there is no Loki binary on this machine (and Loki's
  // ruler cannot be fed synthetic samples the way promtool can), so the only
  // evaluation-free way to pin the semantics is the parse tree. The expression is
  // fully parenthesised, so the lezer grammar (whose operator precedence differs
  // from Loki's syntax.y) and Loki build the same tree, and the shape below is
  // the one Loki evaluates.
  it("ErrorLogVolumeSpike falls back to a zero baseline for a service that logged no error before (the `or` is on the baseline side)", () => {
    const cur = "sum by (compose_service) rate[5m]";
    const base = "sum by (compose_service) rate[1h] offset 5m";
    expect(logqlShape(byName("ErrorLogVolumeSpike").expr)).toEqual({
      op: "and",
      left: {
        op: ">",
        left: cur,
        // current > 5 * (baseline or current * 0): with no baseline series the right side is
        // 0 for exactly that service (same grouping), so the spike can fire; the floor decides.
        right: { op: "*", left: "5", right: { op: "or", left: base, right: { op: "*", left: cur, right: "0" } } },
      },
      right: { op: ">", left: cur, right: "0.1" },
    });
    // every rate reads the error levels of every service
    const p = parseLogql(byName("ErrorLogVolumeSpike").expr);
    expect(p.ranges).toEqual(["[5m]", "[1h]", "[5m]", "[5m]"]);
    expect([...p.matcherLabels].sort()).toEqual(["compose_service", "level"]);
  });

  it("follows the thresholds", () => {
    const t = { ...DEFAULT_THRESHOLDS, errorLogSpikeFactor: 3, errorLogSpikeWindow: "10m", errorLogSpikeBaselineWindow: "2h", errorLogSpikeMinPerS: 0.5, errorLogSpikeFor: "15m", fatalLogWindow: "15m" };
    const o = { ...OPTIONS, thresholds: t };
    const spike = byName("ErrorLogVolumeSpike", o);
    expect(spike.for).toBe("15m");
    expect(spike.expr).toContain("> (3 * (\n    sum by (compose_service)");
    expect(spike.expr).toContain("[2h] offset 10m))");
    expect(spike.expr).toMatch(/> 0\.5\)$/);
    expect(parseLogql(byName("FatalLogLines", o).expr).ranges).toEqual(["[15m]", "[15m]"]);
    for (const a of alerts(o)) expect(parseLogql(a.expr).errors).toEqual([]);
  });

  it("finds bad options, naming the key (the stack checks them before anything renders)", () => {
    const problems = (t: Partial<typeof DEFAULT_THRESHOLDS>) => validateLokiRuleOptions({ ...OPTIONS, thresholds: { ...DEFAULT_THRESHOLDS, ...t } }).join("\n");
    expect(problems({ errorLogSpikeFactor: 1 })).toMatch(/thresholds\.errorLogSpikeFactor: 1 must be greater than 1/);
    expect(problems({ errorLogSpikeWindow: "0s" })).toMatch(/thresholds\.errorLogSpikeWindow: a range window must be longer than 0/);
    expect(problems({ fatalLogWindow: "five" })).toMatch(/thresholds\.fatalLogWindow: "five" is not a Prometheus duration/);
    expect(problemsOf({ alerting: { thresholds: { errorLogSpikeFactor: 1 } } })).toContainEqual(expect.stringMatching(/^alerting\.thresholds\.errorLogSpikeFactor: 1 must be greater than 1/));
  });

  it("render to one Prometheus-format rule file in the tenant directory the ruler reads, deterministically", () => {
    const files = lokiRuleFiles(OPTIONS);
    expect(files.map((f) => f.path)).toEqual([LOKI_RULE_FILE]);
    expect(LOKI_RULE_FILE).toBe("loki/rules/fake/log-alerts.yaml");
    const doc = parse(files[0].content) as { groups: { name: string; rules: AlertRule[] }[] };
    expect(doc.groups.map((g) => g.name)).toEqual(["log-alerts"]);
    expect(doc.groups[0].rules.map((r) => r.alert)).toEqual(["FatalLogLines", "ErrorLogVolumeSpike"]);
    expect(lokiRuleFiles(OPTIONS)[0].content).toBe(files[0].content);
  });

  it("the ruler sends to Alertmanager and reads rules from the directory the files are mounted under", () => {
    const cfg = parse(lokiConfigFiles({ retention: "168h", alertmanagerUrls: ["http://alertmanager:9093"], memoryLimitMb: 1024 })[0].content);
    expect(cfg.ruler.alertmanager_url).toBe("http://alertmanager:9093");
    expect(cfg.ruler.storage.local.directory).toBe(LOKI_RULER_STORAGE_DIR);
    expect(LOKI_RULES_DIR).toBe(`${LOKI_RULER_STORAGE_DIR}/fake`);
  });
});

describe("Loki rules in the deployed stack", () => {
  let docker: ProgramRun;
  let k8s: ProgramRun;
  beforeAll(async () => {
    docker = await runWith({ target: "docker", targets: TUTORDEX_TARGETS });
    k8s = await runWith({ target: "kubernetes", targets: TUTORDEX_TARGETS });
  });

  it("render writes the rule file, labelled with the stack's environment", () => {
    const f = docker.stack.files.find((x) => x.path === LOKI_RULE_FILE);
    expect(f).toBeDefined();
    expect(f!.content).toContain("env: test");
  });

  it("Docker: the rule file is uploaded into the ruler's tenant directory, byte for byte", () => {
    const uploads = (rawNamed(docker, "docker:index/container:Container", "loki").uploads ?? []) as { file: string; content: string }[];
    const rendered = docker.stack.files.find((x) => x.path === LOKI_RULE_FILE)!.content;
    expect(uploads.find((u) => u.file === `${LOKI_RULES_DIR}/log-alerts.yaml`)?.content).toBe(rendered);
    expect(uploads.find((u) => u.file === "/etc/loki/loki.yml")).toBeDefined();
    expect(LOKI_RULES_DIR).toBe("/etc/loki/rules/fake");
  });

  it("Docker: nothing is uploaded into the data volume, where it would survive the container", () => {
    const c = rawNamed(docker, "docker:index/container:Container", "loki") as {
      uploads?: { file: string }[];
      volumes?: { volumeName?: string; containerPath: string }[];
    };
    // Named volumes persist; the per-container anonymous volume holding the config starts empty with each container.
    const volumePaths = (c.volumes ?? []).filter((v) => v.volumeName).map((v) => v.containerPath);
    expect(volumePaths).toContain(LOKI_DATA_DIR);
    const inVolume = (c.uploads ?? []).filter((u) => volumePaths.some((v) => u.file.startsWith(`${v}/`))).map((u) => u.file);
    expect(inVolume).toEqual([]);
  });

  it("Kubernetes: the ConfigMap holds the rule file and the pod mounts it in the tenant directory", () => {
    const cm = named(k8s, "kubernetes:core/v1:ConfigMap", "loki-config").inputs as { data: Record<string, string> };
    const rendered = k8s.stack.files.find((x) => x.path === LOKI_RULE_FILE)!.content;
    expect(Object.values(cm.data)).toContain(rendered);
    const sts = named(k8s, "kubernetes:apps/v1:StatefulSet", "loki").inputs as {
      spec: { template: { spec: { containers: { volumeMounts: { mountPath: string }[] }[] } } };
    };
    const mounts = sts.spec.template.spec.containers[0].volumeMounts.map((m) => m.mountPath);
    // One projected volume at the config directory; the rule file is an item under rules/<tenant>/.
    expect(mounts).toContain(LOKI_CONFIG_DIR);
    expect(LOKI_RULES_DIR.startsWith(`${LOKI_DATA_DIR}/`)).toBe(false);
    const volumes = (sts.spec.template.spec as unknown as {
      volumes: { projected?: { sources: { configMap?: { items: { key: string; path: string }[] } }[] } }[];
    }).volumes;
    const items = volumes.flatMap((v) => v.projected?.sources ?? []).flatMap((src) => src.configMap?.items ?? []);
    const ruleItem = items.find((i) => cm.data[i.key] === rendered);
    expect(`${LOKI_CONFIG_DIR}/${ruleItem?.path}`).toBe(`${LOKI_RULES_DIR}/log-alerts.yaml`);
  });
});
