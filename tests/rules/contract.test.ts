/**
 * The metrics contract: every metric a rule selects is in METRICS_CONTRACT,
 * is a recording rule, or comes from a known exporter; the contract follows
 * seed 001's low-cardinality rules; docs/metrics-contract.md agrees with both.
 */
import * as fs from "fs";
import * as path from "path";
import {
  ALLOWED_LABELS,
  EXPORTER_METRIC_NAMES,
  EXPORTER_METRIC_PREFIXES,
  isAlertRule,
  METRICS_CONTRACT,
  recordingRuleNames,
  ruleCatalog,
} from "../../configs/prometheus/rules";
import { FULL_OPTIONS, selectedMetrics } from "./fixtures";
import { PLATFORM_PROFILES } from "../../targets";

const DOC = path.join(__dirname, "..", "..", "docs", "metrics-contract.md");
const contract = new Map(METRICS_CONTRACT.map((m) => [m.name, m]));
// Both platforms: the kubernetes pack's recording rules exist on Kubernetes only.
const recordings = new Set([...recordingRuleNames(FULL_OPTIONS), ...recordingRuleNames({ ...FULL_OPTIONS, platform: PLATFORM_PROFILES.kubernetes })]);

/** Contract entry a selected series name belongs to (histogram `_bucket`/`_count`/`_sum` map to the histogram). */
function contractName(selected: string): string | undefined {
  if (contract.has(selected)) return selected;
  const base = selected.replace(/_(bucket|count|sum)$/, "");
  return contract.get(base)?.type === "histogram" ? base : undefined;
}
function isExporterMetric(name: string): boolean {
  return EXPORTER_METRIC_NAMES.includes(name) || EXPORTER_METRIC_PREFIXES.some((p) => name.startsWith(p));
}

/**
 * metric (contract name, recording name or exporter metric) -> rules selecting
 * it, in catalog order, on either platform (Kubernetes variants read the
 * kubelet's cAdvisor and kube-state-metrics).
 */
const usedBy = new Map<string, string[]>();
for (const f of (["docker", "kubernetes"] as const).flatMap((platform) => ruleCatalog({ ...FULL_OPTIONS, platform: PLATFORM_PROFILES[platform] }))) {
  for (const g of f.groups) {
    for (const r of g.rules) {
      const rule = isAlertRule(r) ? r.alert : r.record;
      for (const m of selectedMetrics(r.expr)) {
        const key = contractName(m) ?? m;
        const list = usedBy.get(key) ?? [];
        if (!list.includes(rule)) list.push(rule);
        usedBy.set(key, list);
      }
    }
  }
}

describe("every metric a rule selects", () => {
  it.each([...usedBy.keys()].map((m) => [m]))("%s is in the contract, a recording rule, or an exporter metric", (m) => {
    const known = contract.has(m) || recordings.has(m) || isExporterMetric(m);
    expect({ metric: m, usedBy: usedBy.get(m), known }).toEqual({ metric: m, usedBy: usedBy.get(m), known: true });
  });

  it("exporter prefixes never shadow an application metric", () => {
    for (const m of METRICS_CONTRACT) expect({ m: m.name, exporter: isExporterMetric(m.name) }).toEqual({ m: m.name, exporter: false });
  });
});

describe("METRICS_CONTRACT", () => {
  it("has unique, well-formed names with base-unit suffixes", () => {
    expect(contract.size).toBe(METRICS_CONTRACT.length);
    for (const m of METRICS_CONTRACT) {
      expect(m.name).toMatch(/^[a-z_][a-z0-9_]*$/);
      if (m.type === "counter") expect(m.name).toMatch(/_total$/);
      else expect(m.name).not.toMatch(/_total$/);
      if (m.type === "histogram") expect(m.name).not.toMatch(/_(bucket|count|sum)$/);
      if (m.unit.startsWith("seconds")) expect(m.name).toMatch(/_seconds(_total)?$/);
      expect(m.name).not.toMatch(/_(ms|milliseconds|minutes)$/);
      expect(m.help.length).toBeGreaterThan(10);
    }
  });

  it("uses only low-cardinality labels (seed 001)", () => {
    for (const m of METRICS_CONTRACT) {
      for (const l of m.labels) expect({ metric: m.name, label: l, allowed: ALLOWED_LABELS.includes(l) }).toEqual({ metric: m.name, label: l, allowed: true });
      expect(m.labels).not.toContain("le");
      expect(new Set(m.labels).size).toBe(m.labels.length);
    }
  });

  it("versions every collector and worker metric (Alertmanager groups by pipeline_version)", () => {
    // The other teams' services (seeds 003/004) are not TutorDex services and have no pipeline version.
    for (const m of METRICS_CONTRACT.filter((x) => x.component === "collector" || x.component === "worker")) {
      expect({ metric: m.name, labels: m.labels }).toEqual({ metric: m.name, labels: expect.arrayContaining(["pipeline_version", "schema_version"]) });
    }
  });

  it("covers the metric families seed 000 lists", () => {
    for (const name of [
      "collector_messages_seen_total",
      "collector_messages_upserted_total",
      "collector_errors_total",
      "collector_last_message_timestamp_seconds",
      "queue_pending",
      "queue_processing",
      "queue_failed",
      "queue_ok",
      "queue_oldest_pending_age_seconds",
      "queue_oldest_processing_age_seconds",
      "worker_jobs_processed_total",
      "worker_job_latency_seconds",
      "worker_job_stage_latency_seconds",
      "worker_llm_requests_total",
      "worker_llm_fail_total",
      "worker_llm_call_latency_seconds",
      "worker_supabase_requests_total",
      "worker_supabase_fail_total",
      "worker_supabase_latency_seconds",
      "worker_parse_success_total",
      "worker_parse_failure_total",
      "assignment_quality_missing_field_total",
      "assignment_quality_inconsistency_total",
      "broadcast_fail_total",
      "dm_fail_total",
      "dm_rate_limited_total",
      "http_requests_total",
      "http_request_duration_seconds",
    ]) {
      expect({ name, inContract: contract.has(name) }).toEqual({ name, inContract: true });
    }
  });
});

describe("docs/metrics-contract.md", () => {
  // Table rows up to "## Differences ..." (whose rows name metrics in prose): `name` | cells...
  const text = fs.readFileSync(DOC, "utf8").split("\n## Differences")[0] as string;
  const rows = new Map<string, string[]>();
  const duplicates: string[] = [];
  let inMetricTable = false;
  for (const line of text.split("\n")) {
    if (/^\| [A-Z]/.test(line)) inMetricTable = /^\| (Metric|Recording rule) \|/.test(line); // a table header
    const m = /^\| `([^`]+)` \|(.*)\|\s*$/.exec(line);
    if (!m || !inMetricTable) continue;
    const name = m[1] as string;
    if (rows.has(name)) duplicates.push(name);
    rows.set(name, (m[2] as string).split("|").map((c) => c.trim()));
  }

  it("lists each metric once", () => {
    expect(duplicates).toEqual([]);
  });
  const ticks = (cell: string | undefined): string[] => [...(cell ?? "").matchAll(/`([^`]+)`/g)].map((x) => x[1] as string);

  it.each(METRICS_CONTRACT.map((m) => [m.name, m]))("documents %s as the contract defines it", (name, m) => {
    const cells = rows.get(name);
    expect(cells).toBeDefined();
    const [type, labels, unit, used] = cells as string[];
    expect({ type, labels: ticks(labels), unit }).toEqual({ type: m.type, labels: [...m.labels], unit: m.unit });
    expect(ticks(used).sort()).toEqual([...(usedBy.get(name) ?? [])].sort());
  });

  it("documents every exporter metric and recording rule with the rules that use it", () => {
    const expected = [...usedBy.keys()].filter((k) => !contract.has(k));
    for (const r of recordings) if (!expected.includes(r)) expected.push(r);
    for (const name of expected) {
      const cells = rows.get(name);
      expect({ name, documented: cells !== undefined }).toEqual({ name, documented: true });
      expect({ name, usedBy: ticks(cells?.[cells.length - 1]).sort() }).toEqual({ name, usedBy: [...(usedBy.get(name) ?? [])].sort() });
    }
  });

  it("has no rows for metrics that no longer exist", () => {
    for (const name of rows.keys()) {
      const known = contract.has(name) || recordings.has(name) || usedBy.has(name);
      expect({ name, known }).toEqual({ name, known: true });
    }
  });
});
