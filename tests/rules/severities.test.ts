/**
 * Per-team severities and thresholds (seeds 002/004 beside TutorDex's):
 * `alerting.severities` re-grades a single-tier alert, tiered alerts move by
 * their thresholds, and every mistake is refused at its key path.
 */
import * as fs from "fs";
import * as os from "os";
import * as path from "path";
import { DEFAULT_THRESHOLDS, isAlertRule, ruleCatalog, ruleFileProblems, type AlertRule } from "../../configs/prometheus/rules";
import { ruleCatalogOptions } from "../../settings/rules";
import { validateSettings } from "../../settings/validate";
import { problemsOf } from "../settings/problems";
import { findPromtool, run } from "./fixtures";

const alerts = (values: Record<string, unknown>): AlertRule[] =>
  ruleCatalog(ruleCatalogOptions(validateSettings({ values, secretKeys: new Set() }))).flatMap((f) => f.groups.flatMap((g) => g.rules.filter(isAlertRule)));
const ALL_PACKS = ["tutordex", "service", "http", "host", "container", "database", "cache", "queue", "probes", "scheduler", "api", "ai", "business"];

describe("alerting.severities", () => {
  it("re-grades the named alert and nothing else", () => {
    const before = alerts({ alerting: { rulePacks: ALL_PACKS } });
    const after = alerts({ alerting: { rulePacks: ALL_PACKS, severities: { RedisCacheHitRateLow: "critical", SchedulerOffline: "warning" } } });
    expect(after.find((a) => a.alert === "RedisCacheHitRateLow")?.labels.severity).toBe("critical");
    expect(after.find((a) => a.alert === "SchedulerOffline")?.labels.severity).toBe("warning");
    const untouched = (list: AlertRule[]) => list.filter((a) => a.alert !== "RedisCacheHitRateLow" && a.alert !== "SchedulerOffline");
    expect(untouched(after)).toEqual(untouched(before));
    expect(before.find((a) => a.alert === "RedisCacheHitRateLow")?.labels.severity).toBe("warning");
  });

  it.each([
    ["an alert that does not exist, listing the ones that can be set", { Nope: "critical" }, /^alerting\.severities\.Nope: no Prometheus alert of that name; alerts whose severity can be set: .*RedisCacheHitRateLow/],
    ["a tiered alert, pointing at its thresholds", { HighLatencyP95: "critical" }, /^alerting\.severities\.HighLatencyP95: HighLatencyP95 has warning and critical tiers; move them with their thresholds in alerting\.thresholds instead/],
    ["the Watchdog", { Watchdog: "critical" }, /^alerting\.severities\.Watchdog: the Watchdog has no severity to set/],
    ["a severity that is not critical or warning", { RedisDown: "page" }, /^alerting\.severities\.RedisDown: must be one of 'critical', 'warning'/],
  ])("refuses %s", (_label, severities, expected) => {
    const problems = problemsOf({ alerting: { severities } });
    expect(problems.some((p) => expected.test(p))).toBe(true);
  });
});

describe("per-team thresholds of seeds 002 and 004 (docs/seed-alert-mapping.md)", () => {
  it("002's HighLatencyP95, critical above 1 s: the critical tier's threshold", () => {
    const rules = alerts({ alerting: { rulePacks: ["http"], thresholds: { httpLatencyP95CriticalSeconds: 1 } } }).filter((a) => a.alert === "HighLatencyP95");
    expect(rules.find((a) => a.labels.severity === "critical")?.expr).toMatch(/ > 1$/);
  });

  it("004's LowCacheHitRate, below 50 %: RedisCacheHitRateLow's threshold", () => {
    const [rule] = alerts({ alerting: { rulePacks: ["cache"], thresholds: { redisHitRatePercent: 50 } } }).filter((a) => a.alert === "RedisCacheHitRateLow");
    expect(rule?.expr).toMatch(/< 50\b/);
  });
});

describe("docs/seed-alert-mapping.md", () => {
  const doc = fs.readFileSync(path.join(__dirname, "..", "..", "docs", "seed-alert-mapping.md"), "utf8");

  it("its example rule file for an alert the catalog lacks passes the stack's rule checks and promtool", () => {
    const yaml = /```yaml\n([\s\S]*?)```/.exec(doc)?.[1] ?? "";
    expect(yaml).toContain("alert: RevenueAnomaly");
    expect(ruleFileProblems(yaml, "rules/revenue.rules.yml", "promql")).toEqual([]);
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), "seed-mapping-"));
    try {
      fs.writeFileSync(path.join(dir, "revenue.rules.yml"), yaml);
      const res = run(findPromtool(), ["check", "rules", "revenue.rules.yml"], dir);
      expect(res.out).toMatch(/SUCCESS/);
    } finally {
      fs.rmSync(dir, { recursive: true, force: true });
    }
  });

  it("gives only threshold keys that exist, with values the validator accepts", () => {
    const settings = [...doc.matchAll(/`([a-z][A-Za-z0-9]+): (\d+(?:\.\d+)?)`/g)].map((m) => [m[1] as string, Number(m[2])] as const);
    expect(settings.length).toBeGreaterThan(4);
    for (const [key, value] of settings) {
      expect({ key, known: key in DEFAULT_THRESHOLDS }).toEqual({ key, known: true });
      expect(problemsOf({ alerting: { thresholds: { [key]: value } } })).toEqual([]);
    }
  });

  it("names only alerts the catalog has in its `Ours` column", () => {
    const every = alerts({ alerting: { rulePacks: ALL_PACKS, slos: [{ name: "x", objective: 99, kind: "errorRate", target: "api" }] }, targets: [{ name: "api", address: "api:80", component: "api" }] });
    const names = new Set(every.map((a) => a.alert));
    const ours = [...doc.matchAll(/^\|[^|]+\|(?:[^|]+\|)?\s*([^|]+)\|[^|]+\|\s*$/gm)].map((m) => m[1] as string);
    const cited = ours.flatMap((cell) => [...cell.matchAll(/`([A-Z][A-Za-z0-9]+)`/g)].map((m) => m[1] as string));
    expect(cited.length).toBeGreaterThan(15);
    expect(cited.filter((n) => !names.has(n))).toEqual([]);
  });
});
