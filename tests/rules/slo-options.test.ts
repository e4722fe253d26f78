/**
 * The SLO builder's options: the three SLI kinds of seed 003 produce the
 * expressions they promise, per-SLO burn rates override the catalog's
 * 10x / 2x, and impossible settings are rejected with their key.
 */
import { isAlertRule, ruleCatalog, validateSlos, type AlertRule, type SloSpec } from "../../configs/prometheus/rules";
import { DEFAULT_OPTIONS, promqlErrors } from "./fixtures";

const catalog = (slos: SloSpec[]) =>
  ruleCatalog({ ...DEFAULT_OPTIONS, packs: ["slo"], slos })
    .filter((f) => f.pack === "slo")
    .flatMap((f) => f.groups.flatMap((g) => g.rules));
const alerts = (slos: SloSpec[]): AlertRule[] => catalog(slos).filter(isAlertRule).filter((a) => a.alert !== "Watchdog");
const ratio5m = (slo: SloSpec) => catalog([slo]).find((r) => !isAlertRule(r) && r.record === "slo:sli_error:ratio_rate5m")?.expr ?? "";

describe("SLI kinds", () => {
  it("availability is the failed share of the target's probe time, over every health path", () => {
    const e = ratio5m({ name: "a", objective: 99.9, window: "30d", sli: { kind: "availability", job: "tutordex_backend" } });
    expect(e).toBe('1 - avg(avg_over_time(probe_success{probe="tutordex_backend"}[5m]))');
  });

  it("errorRate is the 5xx share of the job's requests", () => {
    const e = ratio5m({ name: "e", objective: 99.5, window: "30d", sli: { kind: "errorRate", job: "api" } });
    expect(e).toContain('http_requests_total{job="api",status=~"5.."}[5m]');
    expect(e).toContain('/ sum(rate(http_requests_total{job="api"}[5m]))');
  });

  it("latency is the share of requests slower than the threshold bucket", () => {
    const e = ratio5m({ name: "l", objective: 95, window: "30d", sli: { kind: "latency", job: "api", latencyThresholdSeconds: 2.5 } });
    expect(e).toContain('http_request_duration_seconds_bucket{job="api",le=~"2\\\\.5"}');
  });

  it.each(["availability", "errorRate", "latency"] as const)("%s renders PromQL that parses", (kind) => {
    const rules = catalog([{ name: "x", objective: 99, window: "30d", sli: { kind, job: "api", ...(kind === "latency" ? { latencyThresholdSeconds: 1 } : {}) } }]);
    for (const r of rules) expect({ expr: r.expr, errors: promqlErrors(r.expr) }).toEqual({ expr: r.expr, errors: [] });
  });
});

describe("burn rates", () => {
  const base: SloSpec = { name: "b", objective: 99.9, window: "30d", sli: { kind: "availability", job: "web" } };
  const thresholdOf = (a: AlertRule) => Number(/> ([\d.]+)\n/.exec(a.expr)?.[1]);

  it("default to seed 003's 10x critical and 2x warning", () => {
    const [fast, slow] = alerts([base]);
    expect([fast.alert, fast.labels.severity, thresholdOf(fast)]).toEqual(["SLOErrorBudgetFastBurn", "critical", 10]);
    expect([slow.alert, slow.labels.severity, thresholdOf(slow)]).toEqual(["SLOErrorBudgetSlowBurn", "warning", 2]);
  });

  it("can be set per SLO, leaving the others on the defaults", () => {
    const own: SloSpec = { ...base, name: "own", burnRates: { critical: 14.4, warning: 3 } };
    const rules = alerts([base, own]);
    expect(rules.map((a) => [a.labels.slo, a.labels.severity, thresholdOf(a)])).toEqual([
      ["b", "critical", 10],
      ["b", "warning", 2],
      ["own", "critical", 14.4],
      ["own", "warning", 3],
    ]);
    expect(rules[2].annotations.description).toContain("At 14.4x the whole 30d budget lasts 2d2h.");
  });

  it.each([
    ["a non-positive rate", { burnRates: { critical: 0 } }, /^slos\[0\]\.burnRates\.critical: 0 must be a positive multiple/],
    ["critical not above warning", { burnRates: { critical: 2, warning: 2 } }, /^slos\[0\]\.burnRates\.critical: 2 must be above burnRates\.warning 2/],
    ["a rate the error ratio can never reach", { objective: 80, burnRates: { critical: 6 } }, /^slos\[0\]\.burnRates\.critical: 6x a 20% error budget needs an error ratio above 120%, which is impossible; lower it below 5/],
    ["an unknown kind", { sli: { kind: "uptime", job: "web" } }, /^slos\[0\]\.sli\.kind: "uptime" must be one of "availability", "latency", "errorRate"/],
  ])("rejects %s", (_label, change, pattern) => {
    const problems = validateSlos([{ ...base, ...change } as SloSpec]);
    expect(problems.join("\n")).toMatch(pattern);
  });
});
