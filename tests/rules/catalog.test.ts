/**
 * The rule catalog's API and the seeds' requirements: names, severities,
 * thresholds, `for` durations, labels, annotations, pack switching,
 * determinism, validation, and PromQL that Prometheus 3 also accepts.
 */
import { parse } from "yaml";
import { SERVICE_DOWN_COMPONENT } from "../../configs/prometheus/rules/packs/service";
import {
  alertNames,
  DEFAULT_THRESHOLDS,
  isAlertRule,
  isPromDuration,
  leRegex,
  recordingRuleNames,
  RULE_PACKS,
  ruleCatalog,
  ruleFiles,
  validateRuleCatalogOptions,
  type AlertRule,
  type RuleCatalogOptions,
  type RulePack,
} from "../../configs/prometheus/rules";
import { aggregations, DEFAULT_OPTIONS, FULL_OPTIONS, promqlErrors, TEST_RUNBOOK_BASE } from "./fixtures";
import { problemsOf } from "../settings/problems";
import { PLATFORM_PROFILES } from "../../targets";

const tutordexOnly = (over: Partial<RuleCatalogOptions> = {}): RuleCatalogOptions => ({ ...DEFAULT_OPTIONS, packs: ["tutordex"], ...over });
/** Alert names of the switchable packs and the Watchdog: the always-on stack file left out. */
const packAlertNames = (o: RuleCatalogOptions): string[] => [
  ...new Set(
    ruleCatalog(o)
      .filter((f) => f.pack !== "stack")
      .flatMap((f) => f.groups.flatMap((g) => g.rules.filter(isAlertRule).map((r) => r.alert))),
  ),
];

function alerts(o: RuleCatalogOptions): AlertRule[] {
  return ruleCatalog(o).flatMap((f) => f.groups.flatMap((g) => g.rules.filter(isAlertRule)));
}
function alert(o: RuleCatalogOptions, name: string, severity?: string): AlertRule {
  const found = alerts(o).filter((a) => a.alert === name && (!severity || a.labels.severity === severity));
  expect(found).toHaveLength(1);
  return found[0] as AlertRule;
}

/** Seed 000's 17 alerts, spelled as the seed spells them. */
const SEED_ALERTS = [
  "PrometheusTargetDown",
  "BlackboxProbeFailed",
  "HostDiskLow",
  "ContainerRestarted",
  "Watchdog",
  "CollectorStalled",
  "QueueBacklogGrowingNoThroughput",
  "QueueOldestPendingTooOld",
  "QueueStuckProcessing",
  "LLMFailureSpike",
  "SupabaseFailureSpike",
  "BroadcastFailureSpike",
  "DMFailureSpike",
  "DMRateLimited",
  "ParseFailureSpike",
  "ParseErrorFractionHigh",
  "MissingSubjectsHigh",
];

const SEED_RECORDING_RULES = [
  "tutordex:collector:seconds_since_last_message",
  "tutordex:worker:throughput_jobs_per_s",
  "tutordex:worker:llm_fail_rate_per_s",
  "tutordex:worker:supabase_fail_rate_per_s",
  "tutordex:worker:parse_failure_rate_per_s",
  "tutordex:worker:parse_success_rate_per_s",
  "tutordex:worker:parse_error_fraction",
  "tutordex:quality:missing_field_rate_per_s",
  "tutordex:quality:inconsistency_rate_per_s",
];

describe("TutorDex pack (seed 000)", () => {
  it("has the seed's 17 alerts, CollectorStalled included when enabled", () => {
    expect(packAlertNames(tutordexOnly({ collectorStalledEnabled: true })).sort()).toEqual([...SEED_ALERTS].sort());
  });

  it("ships CollectorStalled disabled by default, as the seed does", () => {
    const names = packAlertNames(tutordexOnly());
    expect(names).not.toContain("CollectorStalled");
    expect(names).toHaveLength(16);
  });

  it("has the seed's 9 recording rules, evaluated every evaluationInterval", () => {
    expect(recordingRuleNames(tutordexOnly())).toEqual(SEED_RECORDING_RULES);
    const file = ruleCatalog(tutordexOnly()).find((f) => f.path === "prometheus/rules/tutordex.recording.rules.yml");
    expect(file?.groups.map((g) => g.interval)).toEqual(["30s"]);
    const other = ruleCatalog(tutordexOnly({ evaluationInterval: "15s" })).find((f) => f.path.endsWith("tutordex.recording.rules.yml"));
    expect(other?.groups[0]?.interval).toBe("15s");
  });

  it.each([
    // [alert, severity, for]  -- severities the seeds give: QueueBacklog*, QueueStuck* critical, QueueOldest* warning, Watchdog none
    ["PrometheusTargetDown", "warning", "5m"],
    ["BlackboxProbeFailed", "critical", "2m"],
    ["HostDiskLow", "warning", "15m"],
    ["ContainerRestarted", "warning", undefined],
    ["Watchdog", "none", undefined],
    ["CollectorStalled", "warning", "10m"],
    ["QueueBacklogGrowingNoThroughput", "critical", "10m"],
    ["QueueOldestPendingTooOld", "warning", "5m"],
    ["QueueStuckProcessing", "critical", "5m"],
    ["LLMFailureSpike", "warning", "5m"],
    ["SupabaseFailureSpike", "critical", "5m"],
    ["BroadcastFailureSpike", "warning", "5m"],
    ["DMFailureSpike", "warning", "5m"],
    ["DMRateLimited", "warning", "2m"],
    ["ParseFailureSpike", "warning", "5m"],
    ["ParseErrorFractionHigh", "warning", "10m"],
    ["MissingSubjectsHigh", "warning", "15m"],
  ])("%s: severity %s, for %s", (name, severity, forDur) => {
    const a = alert(tutordexOnly({ collectorStalledEnabled: true }), name);
    expect(a.labels.severity).toBe(severity);
    expect(a.for).toBe(forDur);
  });

  it.each([
    ["HostDiskLow", "> 90"],
    ["CollectorStalled", "> 600"],
    ["QueueOldestPendingTooOld", "> 1800"],
    ["QueueStuckProcessing", "> 900"],
    ["LLMFailureSpike", "> 0.2"],
    ["SupabaseFailureSpike", "> 0.2"],
    ["BroadcastFailureSpike", "> 0.2"],
    ["DMFailureSpike", "> 0.2"],
    ["DMRateLimited", "> 0"],
    ["ParseFailureSpike", "> 0.5"],
    ["ParseErrorFractionHigh", "> 0.2"],
    ["MissingSubjectsHigh", "> 0.2"],
  ])("%s compares against the seed threshold (%s)", (name, cmp) => {
    expect(alert(tutordexOnly({ collectorStalledEnabled: true }), name).expr.trimEnd().endsWith(cmp)).toBe(true);
  });

  it("uses the recording rules where one exists", () => {
    const o = tutordexOnly({ collectorStalledEnabled: true });
    expect(alert(o, "CollectorStalled").expr).toContain("tutordex:collector:seconds_since_last_message");
    expect(alert(o, "QueueBacklogGrowingNoThroughput").expr).toContain("tutordex:worker:throughput_jobs_per_s");
    expect(alert(o, "LLMFailureSpike").expr).toContain("tutordex:worker:llm_fail_rate_per_s");
    expect(alert(o, "SupabaseFailureSpike").expr).toContain("tutordex:worker:supabase_fail_rate_per_s");
    expect(alert(o, "ParseFailureSpike").expr).toContain("tutordex:worker:parse_failure_rate_per_s");
    expect(alert(o, "ParseErrorFractionHigh").expr).toContain("tutordex:worker:parse_error_fraction");
    expect(alert(o, "MissingSubjectsHigh").expr).toContain("tutordex:quality:missing_field_rate_per_s");
  });

  it("keeps pipeline_version in every pipeline and quality alert (Alertmanager groups by it, seed 001)", () => {
    const groups = ruleCatalog(tutordexOnly({ collectorStalledEnabled: true })).flatMap((f) => f.groups);
    const piped = groups.filter((g) => g.name === "tutordex-pipeline" || g.name === "tutordex-quality").flatMap((g) => g.rules.filter(isAlertRule));
    expect(piped).toHaveLength(12);
    for (const a of piped) {
      const dropsVersion = aggregations(a.expr).filter((g) => !g.by?.includes("pipeline_version"));
      expect({ alert: a.alert, dropsVersion }).toEqual({ alert: a.alert, dropsVersion: [] });
      expect(a.annotations.description).toContain("{{ $labels.pipeline_version }}");
    }
    // and every recording rule keeps it
    for (const g of groups.filter((x) => x.name === "tutordex-recording")) {
      for (const r of g.rules) {
        if (isAlertRule(r)) continue;
        expect(r.expr).toContain("pipeline_version");
        const dropsVersion = aggregations(r.expr).filter((x) => !x.by?.includes("pipeline_version"));
        expect({ record: r.record, dropsVersion }).toEqual({ record: r.record, dropsVersion: [] });
      }
    }
  });

  it("scopes ContainerRestarted to named containers and counts start-time changes", () => {
    expect(alert(tutordexOnly(), "ContainerRestarted").expr).toMatch(/changes\(container_start_time_seconds\{name!=""\}\[15m\]\)/);
  });

  it("describes QueueBacklogGrowingNoThroughput in the seed's words", () => {
    const a = alert(tutordexOnly(), "QueueBacklogGrowingNoThroughput");
    expect(a.labels.component).toBe("queue");
    expect(a.annotations.summary).toBe("Queue backlog growing with zero throughput");
    expect(a.annotations.description).toContain("pending increased over 15m and worker throughput is 0");
  });
});

describe("every alert", () => {
  const all = alerts(FULL_OPTIONS);

  it("carries severity, component, summary, description and a runbook link", () => {
    expect(all.length).toBeGreaterThan(30);
    for (const a of all) {
      expect(["critical", "warning", "info", "none"]).toContain(a.labels.severity);
      // ServiceDown alone takes the down job's own component (its scrape config's static label)
      if (a.alert === "ServiceDown") expect(a.labels.component).toBe(SERVICE_DOWN_COMPONENT);
      else expect(a.labels.component).toMatch(/^[a-z]+$/);
      expect(a.annotations.summary.length).toBeGreaterThan(5);
      expect(a.annotations.description.length).toBeGreaterThan(20);
      expect(a.annotations.runbook_url).toBe(`${TEST_RUNBOOK_BASE}/${a.alert}.md`);
      expect(Object.keys(a.annotations).sort()).toEqual(["description", "runbook_url", "summary"]);
    }
  });

  it("only Watchdog has severity none", () => {
    expect(all.filter((a) => a.labels.severity === "none").map((a) => a.alert)).toEqual(["Watchdog"]);
  });

  it("belongs to exactly one pack: generic names never collide with TutorDex ones", () => {
    const owner = new Map<string, string>();
    for (const f of ruleCatalog(FULL_OPTIONS)) {
      for (const g of f.groups) {
        for (const r of g.rules.filter(isAlertRule)) {
          const prev = owner.get(r.alert);
          if (prev !== undefined) expect(`${r.alert}: ${prev}`).toBe(`${r.alert}: ${f.pack}`);
          owner.set(r.alert, f.pack);
        }
      }
    }
  });

  it("is PromQL that Prometheus 3's grammar parses, with no bucket selected by a literal le", () => {
    for (const f of ruleCatalog(FULL_OPTIONS)) {
      for (const g of f.groups) {
        for (const r of g.rules) {
          expect({ rule: "alert" in r ? r.alert : r.record, errors: promqlErrors(r.expr) }).toEqual({
            rule: "alert" in r ? r.alert : r.record,
            errors: [],
          });
          expect(r.expr).not.toMatch(/\ble\s*(=|!=)\s*"/);
        }
      }
    }
  });

  it("uses only `for` durations both Prometheus 2 and 3 parse", () => {
    for (const a of all) if (a.for !== undefined) expect(isPromDuration(a.for)).toBe(true);
  });
});

describe("thresholds", () => {
  it("are flat numbers or duration strings, and valid", () => {
    for (const [k, v] of Object.entries(DEFAULT_THRESHOLDS)) {
      expect(k).toMatch(/^[a-z][A-Za-z0-9]*$/);
      if (typeof v === "string") expect({ k, ok: isPromDuration(v) }).toEqual({ k, ok: true });
      else expect(typeof v).toBe("number");
    }
    expect(validateRuleCatalogOptions(FULL_OPTIONS)).toEqual([]);
  });

  it("flow into the rendered rules", () => {
    const o = tutordexOnly({ thresholds: { ...DEFAULT_THRESHOLDS, llmFailureRatePerS: 0.7, llmFailureFor: "7m", hostDiskUsedPercent: 85 } });
    const llm = alert(o, "LLMFailureSpike");
    expect(llm.expr).toBe("tutordex:worker:llm_fail_rate_per_s > 0.7");
    expect(llm.for).toBe("7m");
    expect(llm.annotations.description).toContain("threshold 0.7/s for 7m");
    expect(alert(o, "HostDiskLow").expr).toMatch(/> 85$/);
  });

  it("renders a zero `for` as no `for` at all", () => {
    const a = alert(tutordexOnly({ thresholds: { ...DEFAULT_THRESHOLDS, targetDownFor: "0s" } }), "PrometheusTargetDown");
    expect(a.for).toBeUndefined();
  });

  it("report every problem with its key path", () => {
    const bad = {
      ...DEFAULT_OPTIONS,
      packs: ["tutordex", "nope"] as unknown as RulePack[],
      thresholds: { ...DEFAULT_THRESHOLDS, llmFailureFor: "5 minutes", llmFailureRatePerS: "0.2", extra: 1, hostMemoryWarningPercent: 180 } as never,
      evaluationInterval: "30",
      slos: [{ name: "Bad Name", objective: 100, window: "month", sli: { kind: "latency", job: "" } }] as never,
    };
    const problems = validateRuleCatalogOptions(bad);
    const keys = problems.map((p) => p.split(":")[0]);
    expect(keys).toEqual(
      expect.arrayContaining([
        "packs[1]",
        "thresholds.extra",
        "thresholds.llmFailureRatePerS",
        "thresholds.llmFailureFor",
        "thresholds.hostMemoryWarningPercent",
        "evaluationInterval",
        "slos[0].name",
        "slos[0].objective",
        "slos[0].window",
        "slos[0].sli.job",
        "slos[0].sli.latencyThresholdSeconds",
      ]),
    );
    // The stack reports them with its own keys before anything renders (settings/rules.ts).
    expect(problemsOf({ alerting: { rulePacks: ["host", "host"] }, prometheus: { evaluationInterval: "30s" } })).toContainEqual(
      expect.stringMatching(/^alerting\.rulePacks: "host" is listed twice/),
    );
  });
});

describe("packs and files", () => {
  const ALWAYS = ["prometheus/rules/watchdog.rules.yml", "prometheus/rules/stack.rules.yml"];

  it("always renders the Watchdog and the stack's own health, even with no packs, on both platforms", () => {
    for (const platform of ["docker", "kubernetes"] as const) {
      const files = ruleFiles({ ...DEFAULT_OPTIONS, packs: [], platform: PLATFORM_PROFILES[platform] });
      expect(files.map((f) => f.path)).toEqual(ALWAYS);
    }
    const names = alertNames({ ...DEFAULT_OPTIONS, packs: [] });
    expect(names[0]).toBe("Watchdog");
    expect(names).toEqual(expect.arrayContaining(["PrometheusErrorSendingAlertsToAnyAlertmanager", "AlertmanagerFailedToSendAlerts", "LokiRequestErrors"]));
  });

  it("renders AlertmanagerMembersInconsistent only with more than one Alertmanager", () => {
    expect(alertNames({ ...DEFAULT_OPTIONS, packs: [] })).not.toContain("AlertmanagerMembersInconsistent");
    expect(alertNames({ ...DEFAULT_OPTIONS, packs: [], alertmanagerReplicas: 1 })).not.toContain("AlertmanagerMembersInconsistent");
    expect(alertNames({ ...DEFAULT_OPTIONS, packs: [], alertmanagerReplicas: 3 })).toContain("AlertmanagerMembersInconsistent");
  });

  it.each(RULE_PACKS.filter((p) => p !== "tutordex" && p !== "slo" && p !== "kubernetes").map((p) => [p]))("switches the %s pack on and off", (pack) => {
    const on = ruleFiles({ ...DEFAULT_OPTIONS, packs: [pack] }).map((f) => f.path);
    expect(on).toEqual([...ALWAYS, `prometheus/rules/${pack}.rules.yml`]);
    const off = ruleFiles({ ...DEFAULT_OPTIONS, packs: RULE_PACKS.filter((p) => p !== pack) }).map((f) => f.path);
    expect(off).not.toContain(`prometheus/rules/${pack}.rules.yml`);
  });

  it("renders the kubernetes pack on Kubernetes only, and switches it off there", () => {
    const k8s = { ...DEFAULT_OPTIONS, platform: PLATFORM_PROFILES.kubernetes };
    expect(ruleFiles({ ...k8s, packs: ["kubernetes"] }).map((f) => f.path)).toEqual([...ALWAYS, "prometheus/rules/kubernetes.rules.yml"]);
    expect(ruleFiles({ ...DEFAULT_OPTIONS, packs: ["kubernetes"] }).map((f) => f.path)).toEqual(ALWAYS);
    expect(ruleFiles({ ...k8s, packs: RULE_PACKS.filter((p) => p !== "kubernetes") }).map((f) => f.path)).not.toContain("prometheus/rules/kubernetes.rules.yml");
  });

  it("renders the slo pack only when SLOs are configured", () => {
    expect(ruleFiles({ ...DEFAULT_OPTIONS, packs: ["slo"] }).map((f) => f.path)).toEqual(ALWAYS);
    expect(ruleFiles({ ...FULL_OPTIONS, packs: ["slo"] }).map((f) => f.path)).toEqual([...ALWAYS, "prometheus/rules/slo.rules.yml"]);
  });

  it("puts TutorDex recording rules in their own file", () => {
    expect(ruleFiles(tutordexOnly()).map((f) => f.path)).toEqual([
      ...ALWAYS,
      "prometheus/rules/tutordex.recording.rules.yml",
      "prometheus/rules/tutordex.rules.yml",
    ]);
  });

  it("renders identical bytes twice, and the YAML is the catalog data", () => {
    const a = ruleFiles(FULL_OPTIONS);
    const b = ruleFiles(FULL_OPTIONS);
    expect(a).toEqual(b);
    const catalog = ruleCatalog(FULL_OPTIONS);
    a.forEach((f, i) => {
      expect(f.content.startsWith("# Generated by configs/prometheus/rules")).toBe(true);
      expect(parse(f.content)).toEqual({ groups: JSON.parse(JSON.stringify(catalog[i]?.groups)) });
    });
  });

  it("trims a trailing slash from the runbook base", () => {
    const a = alert({ ...DEFAULT_OPTIONS, packs: [], runbookBaseUrl: "https://git.example/runbooks/" }, "Watchdog");
    expect(a.annotations.runbook_url).toBe("https://git.example/runbooks/Watchdog.md");
  });
});

describe("SLO latency buckets", () => {
  it("match both le spellings (Prometheus 2: \"2\", Prometheus 3: \"2.0\")", () => {
    const re = (t: number): RegExp => new RegExp(`^(?:${leRegex(t).replace(/\\\\/g, "\\")})$`);
    expect(re(2).test("2")).toBe(true);
    expect(re(2).test("2.0")).toBe(true);
    expect(re(2).test("20")).toBe(false);
    expect(re(0.25).test("0.25")).toBe(true);
    expect(re(0.25).test("0x25")).toBe(false);
  });
});
