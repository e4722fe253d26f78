/**
 * Seed 003's six SLOs (API availability 99.9 %, latency 95 % under 2 s, error
 * rate 99.5 %; worker availability 99.5 %, processing_time 95 % under 300 s,
 * queue_lag 99 % within 300 s) as the TutorDex services serve them, in the
 * documented example docs/examples/seed-003-slos.json: valid stack config for
 * the committed TutorDex targets, rendered to rules promtool accepts, each
 * SLI reading the metric seed 003 names.
 */
import * as fs from "fs";
import * as os from "os";
import * as path from "path";
import { ruleFiles } from "../../configs/prometheus/rules";
import { ruleCatalogOptions } from "../../settings/rules";
import { validateSettings } from "../../settings/validate";
import { problemsOf } from "../settings/problems";
import { TUTORDEX_TARGETS } from "../stack/harness";
import { findPromtool, run } from "./fixtures";

const EXAMPLE = path.join(__dirname, "..", "..", "docs", "examples", "seed-003-slos.json");
const slos = JSON.parse(fs.readFileSync(EXAMPLE, "utf8")) as { name: string; kind: string; objective: number; latencyThresholdSeconds?: number }[];
const values = { targets: TUTORDEX_TARGETS, alerting: { rulePacks: ["tutordex", "service", "host", "container", "probes", "slo"], slos } };

describe("docs/examples/seed-003-slos.json", () => {
  it("declares seed 003's six SLOs, with its objectives and thresholds", () => {
    expect(slos.map((s) => [s.kind, s.objective, s.latencyThresholdSeconds])).toEqual([
      ["availability", 99.9, undefined],
      ["latency", 95, 2],
      ["errorRate", 99.5, undefined],
      ["availability", 99.5, undefined],
      ["processingTime", 95, 300],
      ["queueLag", 99, 300],
    ]);
  });

  it("is valid stack config for the TutorDex targets", () => {
    expect(problemsOf(values)).toEqual([]);
  });

  it("renders SLIs from the metrics seed 003 names, and promtool accepts the rules", () => {
    const files = ruleFiles(ruleCatalogOptions(validateSettings({ values, secretKeys: new Set() })));
    const slo = files.find((f) => f.path === "prometheus/rules/slo.rules.yml");
    expect(slo).toBeDefined();
    const text = slo?.content ?? "";
    expect(text).toContain('probe_success{probe="tutordex_worker"}');
    expect(text).toContain('worker_job_latency_seconds_bucket{job="tutordex_worker",le=~"300(\\\\.0)?"}');
    expect(text).toContain('worker_job_stage_latency_seconds_bucket{job="tutordex_worker",operation="queue_wait",le=~"300(\\\\.0)?"}');
    expect(text).toContain('http_request_duration_seconds_bucket{job="tutordex_backend",le=~"2(\\\\.0)?"}');
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), "seed-003-slos-"));
    try {
      fs.writeFileSync(path.join(dir, "slo.rules.yml"), text);
      const res = run(findPromtool(), ["check", "rules", "slo.rules.yml"], dir);
      if (res.code !== 0) throw new Error(res.out);
      expect(res.out).toMatch(/SUCCESS/);
    } finally {
      fs.rmSync(dir, { recursive: true, force: true });
    }
  });

  it("a processingTime or queueLag SLO without its threshold is refused, naming the histogram", () => {
    const broken = { ...values, alerting: { ...values.alerting, slos: [{ name: "lag", objective: 99, kind: "queueLag", target: "tutordex_worker" }] } };
    expect(problemsOf(broken)).toEqual([
      "alerting.slos[0].latencyThresholdSeconds: is required for a queueLag SLO: the threshold in seconds, equal to a bucket boundary of worker_job_stage_latency_seconds (e.g. 60, 300)",
    ]);
  });

  it("a worker SLO naming no target is refused, saying what it reads", () => {
    const broken = { ...values, alerting: { ...values.alerting, slos: [{ name: "p", objective: 95, kind: "processingTime", target: "scheduler", latencyThresholdSeconds: 300 }] } };
    expect(problemsOf(broken)).toEqual([
      expect.stringMatching(/^alerting\.slos\[0\]\.target: 'scheduler' is not a targets\[\] name; processingTime SLOs read that job's worker_job_latency_seconds \(a worker\)/),
    ]);
  });
});
