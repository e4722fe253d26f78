/**
 * The rendered rule files under the real checker: `promtool check rules` on
 * the default and the full catalog, and `promtool test rules` on
 * tests/rules/promtool/*.test.yml, copied next to the rendered files so their
 * relative `rule_files` resolve. Also fails when an alert or recording rule
 * has no promtool test.
 *
 * promtool is Debian's 2.42 (the test script installs it); the deployed
 * server is 3.x, so rules stay in the subset both accept (see catalog.test.ts
 * for the Prometheus 3 grammar check).
 */
import * as fs from "fs";
import * as path from "path";
import { isAlertRule, recordingRuleNames, ruleCatalog, type AlertRule, type RuleCatalogOptions } from "../../configs/prometheus/rules";
import {
  DEFAULT_OPTIONS,
  findPromtool,
  FULL_OPTIONS,
  PROMTOOL_K8S_TESTS_DIR,
  PROMTOOL_TESTS_DIR,
  promtoolTestFiles,
  renderToTemp,
  run,
  type PromtoolTestFile,
} from "./fixtures";
import { PLATFORM_PROFILES } from "../../targets";

const renders: string[] = [];
afterAll(() => {
  for (const r of renders) fs.rmSync(r, { recursive: true, force: true });
});

function render(label: string, o = FULL_OPTIONS): string {
  const root = renderToTemp(o, label);
  renders.push(root);
  return path.join(root, "prometheus", "rules");
}

describe("promtool", () => {
  let promtool: string;
  beforeAll(() => {
    promtool = findPromtool(); // throws "promtool not found: ..." so every test below fails with that message
  });

  it.each([
    ["defaults (CollectorStalled off, no SLOs)", DEFAULT_OPTIONS],
    ["everything on (CollectorStalled, SLOs)", FULL_OPTIONS],
  ])("check rules accepts every rendered file: %s", (label, o) => {
    const dir = render(label.split(" ")[0] as string, o);
    const files = fs.readdirSync(dir).filter((f) => f.endsWith(".rules.yml"));
    expect(files.length).toBeGreaterThanOrEqual(o === FULL_OPTIONS ? 11 : 10);
    const res = run(promtool, ["check", "rules", ...files], dir);
    if (res.code !== 0) throw new Error(`promtool check rules failed:\n${res.out}`);
    expect(res.out).toMatch(/SUCCESS/);
  });

  it("defaults render no CollectorStalled rule", () => {
    const dir = render("nostall", DEFAULT_OPTIONS);
    expect(fs.readFileSync(path.join(dir, "tutordex.rules.yml"), "utf8")).not.toContain("CollectorStalled");
    expect(fs.existsSync(path.join(dir, "slo.rules.yml"))).toBe(false);
  });

  it("test rules passes every unit test file", () => {
    const dir = render("unit");
    const tests = fs.readdirSync(PROMTOOL_TESTS_DIR).filter((f) => f.endsWith(".test.yml")).sort();
    expect(tests.length).toBeGreaterThan(0);
    for (const t of tests) fs.copyFileSync(path.join(PROMTOOL_TESTS_DIR, t), path.join(dir, t));
    const res = run(promtool, ["test", "rules", ...tests], dir);
    if (res.code !== 0) throw new Error(`promtool test rules failed:\n${res.out}`);
    expect(res.out).not.toMatch(/FAILED/);
  });

  it("test rules passes the Kubernetes variants (kubelet cAdvisor, kube-state-metrics) against the catalog rendered for Kubernetes", () => {
    const o = { ...FULL_OPTIONS, platform: PLATFORM_PROFILES.kubernetes };
    const dir = render("k8s", o);
    const tests = fs.readdirSync(PROMTOOL_K8S_TESTS_DIR).filter((f) => f.endsWith(".test.yml")).sort();
    expect(tests.length).toBeGreaterThan(0);
    for (const t of tests) fs.copyFileSync(path.join(PROMTOOL_K8S_TESTS_DIR, t), path.join(dir, t));
    const check = run(promtool, ["check", "rules", ...fs.readdirSync(dir).filter((f) => f.endsWith(".rules.yml"))], dir);
    if (check.code !== 0) throw new Error(`promtool check rules failed:\n${check.out}`);
    const res = run(promtool, ["test", "rules", ...tests], dir);
    if (res.code !== 0) throw new Error(`promtool test rules failed:\n${res.out}`);
    expect(res.out).not.toMatch(/FAILED/);
  });

  it("ContainerRestarted keeps its name, severity and labels across platforms; only the source differs", () => {
    const restarted = (platform: "docker" | "kubernetes") =>
      ruleCatalog({ ...FULL_OPTIONS, platform: PLATFORM_PROFILES[platform] }).flatMap((f) => f.groups.flatMap((g) => g.rules.filter(isAlertRule))).filter((a) => a.alert === "ContainerRestarted");
    const [docker] = restarted("docker");
    const [k8s] = restarted("kubernetes");
    expect(restarted("kubernetes")).toHaveLength(1);
    expect(k8s.labels).toEqual(docker.labels);
    expect(k8s.for).toEqual(docker.for);
    expect(k8s.annotations.summary).toBe(docker.annotations.summary);
    expect(docker.expr).toContain("container_start_time_seconds");
    expect(k8s.expr).toContain('kube_pod_container_status_restarts_total{job="kube-state-metrics"}');
    expect(ruleCatalog(FULL_OPTIONS).flatMap((f) => f.groups.flatMap((g) => g.rules.filter(isAlertRule))).find((a) => a.alert === "ContainerRestarted")?.expr).toBe(docker.expr);
  });
});

/** What a set of promtool test files exercises. */
function coverage(files: PromtoolTestFile[]): { firing: Set<string>; quiet: Set<string>; pending: Set<string>; exprs: string[] } {
  const firing = new Set<string>(); // "<alertname>/<severity>"
  const quiet = new Set<string>();
  const pending = new Set<string>();
  const exprs: string[] = [];
  for (const f of files) {
    for (const t of f.tests) {
      for (const c of t.alert_rule_test ?? []) {
        if (!c.exp_alerts || c.exp_alerts.length === 0) quiet.add(c.alertname);
        for (const e of c.exp_alerts ?? []) firing.add(`${c.alertname}/${e.exp_labels?.severity ?? "?"}`);
      }
      for (const p of (t.promql_expr_test ?? []) as { expr: string; exp_samples?: { labels?: string }[] }[]) {
        exprs.push(p.expr);
        for (const s of p.exp_samples ?? []) {
          const m = /alertname="([^"]+)".*alertstate="pending"/.exec(s.labels ?? "");
          if (m) pending.add(m[1] as string);
        }
      }
    }
  }
  return { firing, quiet, pending, exprs };
}

function alertsOf(o: RuleCatalogOptions): AlertRule[] {
  return ruleCatalog(o).flatMap((f) => f.groups.flatMap((g) => g.rules.filter(isAlertRule)));
}

describe("promtool unit tests cover the catalog", () => {
  const files = promtoolTestFiles();
  const catalog = ruleCatalog(FULL_OPTIONS);
  const alerts: AlertRule[] = alertsOf(FULL_OPTIONS);
  const rendered = new Set(catalog.map((f) => path.basename(f.path)));
  const { firing, quiet, pending, exprs } = coverage(files);

  it("reference only rule files the catalog renders", () => {
    for (const f of files) for (const r of f.ruleFiles) expect({ file: f.file, rule: r, rendered: rendered.has(r) }).toEqual({ file: f.file, rule: r, rendered: true });
  });

  it.each(alerts.map((a) => [a.alert, a.labels.severity, a]))("%s (%s) fires in a test", (name, severity) => {
    expect(firing.has(`${name}/${severity}`)).toBe(true);
  });

  it.each([...new Set(alerts.filter((a) => a.alert !== "Watchdog").map((a) => a.alert))].map((n) => [n]))(
    "%s stays quiet in a test (healthy data or a blip)",
    (name) => {
      expect(quiet.has(name)).toBe(true);
    },
  );

  it.each([...new Set(alerts.filter((a) => a.for !== undefined).map((a) => a.alert))].map((n) => [n]))(
    "%s has a blip test: pending during the blip, never firing",
    (name) => {
      expect(pending.has(name)).toBe(true);
    },
  );

  it.each(recordingRuleNames(FULL_OPTIONS).map((r) => [r]))("recording rule %s has its value checked", (record) => {
    expect(exprs.some((e) => e.includes(record))).toBe(true);
  });
});

/**
 * Kubernetes parity: every alert keeps its name, severity, labels, `for`,
 * summary and runbook on Kubernetes, and every rule whose expression differs
 * there (a Kubernetes variant) has its own promtool tests in
 * tests/rules/promtool-kubernetes: fires (each severity), stays quiet, and
 * has a blip test when it has a `for`.
 */
describe("Kubernetes variants", () => {
  const K8S: RuleCatalogOptions = { ...FULL_OPTIONS, platform: PLATFORM_PROFILES.kubernetes };
  const docker = alertsOf(FULL_OPTIONS);
  // The kubernetes pack exists on Kubernetes only; it is covered below (kubernetes pack).
  const k8s = ruleCatalog(K8S)
    .filter((f) => f.pack !== "kubernetes")
    .flatMap((f) => f.groups.flatMap((g) => g.rules.filter(isAlertRule)));
  const key = (a: AlertRule) => `${a.alert}/${a.labels.severity}`;
  // Rules pair up by catalog position (SLO alerts repeat name and severity once per SLO).
  const variants = k8s.filter((a, i) => docker[i]?.expr !== a.expr);
  const files = promtoolTestFiles(PROMTOOL_K8S_TESTS_DIR);
  const { firing, quiet, pending } = coverage(files);
  const rendered = new Set(ruleCatalog(K8S).map((f) => path.basename(f.path)));

  it("exist for every alert reading cAdvisor's per-container series (and ContainerRestarted)", () => {
    expect([...new Set(variants.map((a) => a.alert))].sort()).toEqual(["ContainerMemoryHigh", "ContainerRestartLoop", "ContainerRestarted"]);
  });

  it("have the Docker catalog's alerts, in the same order", () => {
    expect(k8s.map(key)).toEqual(docker.map(key));
  });

  it.each(docker.map((d, i) => [`${key(d)} #${i}`, d, i] as const))("%s keeps its severity, labels, for, summary and runbook", (_k, d, i) => {
    const a = k8s[i] as AlertRule;
    expect({ alert: a.alert, labels: a.labels, for: a.for, summary: a.annotations.summary, runbook: a.annotations.runbook_url }).toEqual({
      alert: d.alert,
      labels: d.labels,
      for: d.for,
      summary: d.annotations.summary,
      runbook: d.annotations.runbook_url,
    });
  });

  it("select the kubelet's per-container series only: never by cAdvisor's `name`, never the pod-level or sandbox series", () => {
    for (const a of variants) {
      const selectors = [...a.expr.matchAll(/\b(container_[a-z_]+)\{([^}]*)\}/g)];
      for (const [, metric, matchers] of selectors) {
        expect({ alert: a.alert, metric, matchers }).toEqual({ alert: a.alert, metric, matchers: expect.stringContaining('job="cadvisor"') });
        expect(matchers).toContain('container!=""');
        expect(matchers).toContain('container!="POD"');
        expect(matchers).not.toMatch(/\bname[!=]/);
      }
      // the alert still carries `name` for templates, silences and runbooks
      expect(a.expr).toContain('label_replace(');
      expect(a.expr).toContain('"name", "$1", "container", "(.+)"');
    }
  });

  it("reference only rule files the Kubernetes catalog renders", () => {
    for (const f of files) for (const r of f.ruleFiles) expect({ file: f.file, rule: r, rendered: rendered.has(r) }).toEqual({ file: f.file, rule: r, rendered: true });
  });

  it.each(variants.map((a) => [key(a)]))("%s fires in a Kubernetes test", (k) => {
    expect(firing.has(k)).toBe(true);
  });

  it.each([...new Set(variants.map((a) => a.alert))].map((n) => [n]))("%s stays quiet in a Kubernetes test", (name) => {
    expect(quiet.has(name)).toBe(true);
  });

  it.each([...new Set(variants.filter((a) => a.for !== undefined).map((a) => a.alert))].map((n) => [n]))(
    "%s has a Kubernetes blip test: pending during the blip, never firing",
    (name) => {
      expect(pending.has(name)).toBe(true);
    },
  );
});

/**
 * The kubernetes pack (Kubernetes only): every alert fires (each severity),
 * stays quiet, and rides out a blip in tests/rules/promtool-kubernetes, and
 * every recording rule has its value checked there.
 */
describe("kubernetes pack", () => {
  const K8S: RuleCatalogOptions = { ...FULL_OPTIONS, platform: PLATFORM_PROFILES.kubernetes };
  const pack = ruleCatalog(K8S).filter((f) => f.pack === "kubernetes");
  const alerts = pack.flatMap((f) => f.groups.flatMap((g) => g.rules.filter(isAlertRule)));
  const records = pack.flatMap((f) => f.groups.flatMap((g) => g.rules.filter((r) => !isAlertRule(r)).map((r) => (r as { record: string }).record)));
  const { firing, quiet, pending, exprs } = coverage(promtoolTestFiles(PROMTOOL_K8S_TESTS_DIR));

  it("renders on Kubernetes only", () => {
    expect(alerts.length).toBeGreaterThan(20);
    expect(ruleCatalog(FULL_OPTIONS).some((f) => f.pack === "kubernetes")).toBe(false);
  });

  it.each(alerts.map((a) => [`${a.alert}/${a.labels.severity}`]))("%s fires in a Kubernetes test", (k) => {
    expect(firing.has(k)).toBe(true);
  });

  it.each([...new Set(alerts.map((a) => a.alert))].map((n) => [n]))("%s stays quiet in a Kubernetes test", (name) => {
    expect(quiet.has(name)).toBe(true);
  });

  it.each([...new Set(alerts.filter((a) => a.for !== undefined).map((a) => a.alert))].map((n) => [n]))(
    "%s has a Kubernetes blip test: pending during the blip, never firing",
    (name) => {
      expect(pending.has(name)).toBe(true);
    },
  );

  it.each(records.map((r) => [r]))("recording rule %s has its value checked", (record) => {
    expect(exprs.some((e) => e.includes(record))).toBe(true);
  });
});
