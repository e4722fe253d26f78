import { problemsOf } from "../settings/problems";
/**
 * Rule validation at preview time: the user's own rule files
 * (`alerting.extraRuleFiles`) and every shipped rule are checked by
 * `validateSettings`, so a broken expression stops the program before any
 * resource is registered, with every problem listed and each naming the file,
 * group and rule. The verdicts are cross-checked against the real promtool,
 * and a valid user file is shown to ship next to the catalog.
 */
import * as fs from "fs";
import * as os from "os";
import * as path from "path";
import { parse } from "yaml";
import * as validate from "../../configs/prometheus/rules/validate";
import { ruleFileProblems, promqlProblems, logqlProblems, formatRuleProblem } from "../../configs/prometheus/rules/validate";
import type { ProgramRun } from "../../render/run";
import { ruleChecks, PROJECT_DIR } from "../../settings/rules";
import { validateSettings } from "../../settings/validate";
import { runWith, TUTORDEX_TARGETS } from "../stack/harness";
import { findPromtool, run } from "./fixtures";
import { forPrometheus242 } from "../../e2e/prometheus-242";

const FIXTURES = "tests/rules/fixtures";
const fixture = (name: string) => `${FIXTURES}/${name}`;

describe("PromQL and LogQL checks", () => {
  it.each([
    ["sum(rate(x[5m])) by (job) > 0", []],
    ["histogram_quantile(0.95, sum by (le) (rate(x_bucket[5m])))", []],
    ["sum(rate((x[5m])))", []],
    ["sum(rate(x[5m])", ["PromQL syntax error at the end of the expression (unclosed bracket or missing operand?)"]],
    ["sum by (job (x)", [expect.stringMatching(/^PromQL syntax error at character \d+, near /)]],
    ["rate(x)", ['rate() needs a range vector such as rate(x[5m]), got "x"']],
    // modifiers on a range keep it a range (week-over-week baselines, the ai and business packs)
    ["increase(x[1h] offset 1w)", []],
    ["rate(x[5m] @ 1700000000 offset 1h)", []],
    ["rate(x offset 1w)", ['rate() needs a range vector such as rate(x[5m]), got "x"']],
    ["quantile_over_time(0.9, x)", [expect.stringMatching(/^quantile_over_time\(\) needs a range vector/)]],
  ])("PromQL %s", (expr, expected) => {
    expect(promqlProblems(expr)).toEqual(expected);
  });

  it.each([
    ['sum by (compose_service) (count_over_time({compose_service="x"} [5m])) > 0', []],
    ['sum(count_over_time({compose_service="x"} [5m])', [expect.stringMatching(/^LogQL syntax error/)]],
    ['{compose_service="x"} |= "FATAL"', [expect.stringMatching(/^is a log query; a Loki rule needs a metric query/)]],
  ])("LogQL %s", (expr, expected) => {
    expect(logqlProblems(expr)).toEqual(expected);
  });
});

describe("rule file structure", () => {
  const check = (text: string) => ruleFileProblems(text, "x.yml", "promql").map(formatRuleProblem);

  it("accepts a well-formed file", () => {
    expect(check(fs.readFileSync(path.join(PROJECT_DIR, fixture("good.rules.yml")), "utf8"))).toEqual([]);
  });

  it("reports every structural problem, naming file, group and rule", () => {
    expect(check(fs.readFileSync(path.join(PROJECT_DIR, fixture("broken-structure.rules.yml")), "utf8"))).toEqual([
      `file x.yml, group "business", rule "LowTutorMatchRate": 'for' "30 minutes" is not a duration such as 30s, 5m, 1h`,
      `file x.yml, group "business", rule "rules[1]": needs 'alert: <name>' or 'record: <metric name>'`,
      `file x.yml, group "business": group name is repeated in the same file; Prometheus rejects duplicates`,
      `file x.yml, group "business", rule "match-rate": 'record' "match-rate" is not a valid metric name (^[a-zA-Z_:][a-zA-Z0-9_:]*$)`,
    ]);
  });

  it.each([
    ["not YAML", "groups: [\n", /^file x\.yml: is not valid YAML/],
    ["no groups", "rules: []\n", /unknown top-level key 'rules'/],
    ["an empty file", "", /^file x\.yml: must be a YAML mapping with a top-level 'groups' list; got an empty document/],
    ["a group without rules", "groups:\n  - name: g\n", /group "g": 'rules' must be a list of rules/],
    ["an unknown rule key", "groups:\n  - name: g\n    rules:\n      - alert: A\n        expr: up\n        severity: page\n", /rule "A": unknown key 'severity'/],
    ["a bad label name", "groups:\n  - name: g\n    rules:\n      - alert: A\n        expr: up\n        labels:\n          bad-name: x\n", /rule "A": labels name 'bad-name' is invalid/],
    ["a missing expr", "groups:\n  - name: g\n    rules:\n      - alert: A\n", /rule "A": 'expr' is required/],
    ["a bad group interval", "groups:\n  - name: g\n    interval: soon\n    rules: []\n", /group "g": 'interval' "soon" is not a duration/],
    ["a duplicated key", "groups:\n  - name: g\n    name: h\n    rules: []\n", /is not valid YAML: Map keys must be unique/],
  ])("rejects %s", (_label, text, pattern) => {
    const out = check(text);
    expect(out.length).toBeGreaterThan(0);
    expect(out.join("\n")).toMatch(pattern);
  });
});

describe("alerting.extraRuleFiles in stack config", () => {
  it("accepts a valid file", () => {
    expect(problemsOf({ targets: TUTORDEX_TARGETS, alerting: { extraRuleFiles: [fixture("good.rules.yml")] } })).toEqual([]);
  });

  it("lists every broken expression of every file at once, keyed by the list entry, naming file, group and rule", () => {
    const problems = problemsOf({ alerting: { extraRuleFiles: [fixture("good.rules.yml"), fixture("broken-promql.rules.yml"), fixture("broken-structure.rules.yml")] } });
    expect(problems.filter((p) => p.startsWith("alerting.extraRuleFiles[0]"))).toEqual([]);
    expect(problems).toContainEqual(
      `alerting.extraRuleFiles[1]: file ${fixture("broken-promql.rules.yml")}, group "business", rule "LowTutorMatchRate": PromQL syntax error at the end of the expression (unclosed bracket or missing operand?)`,
    );
    expect(problems).toContainEqual(
      `alerting.extraRuleFiles[1]: file ${fixture("broken-promql.rules.yml")}, group "traffic", rule "tutordex:requests:rate5m": rate() needs a range vector such as rate(http_requests_total[5m]), got "http_requests_total"`,
    );
    expect(problems.filter((p) => p.startsWith("alerting.extraRuleFiles[2]"))).toHaveLength(4);
  });

  it.each([
    ["a missing file", [`${FIXTURES}/nope.rules.yml`], /^alerting\.extraRuleFiles\[0\]: cannot read "tests\/rules\/fixtures\/nope\.rules\.yml" \(no such file\)/],
    ["a path outside the project", ["../outside.rules.yml"], /^alerting\.extraRuleFiles\[0\]: "\.\.\/outside\.rules\.yml" is not valid; expected a relative path inside the project/],
    ["an absolute path", ["/etc/rules.yml"], /^alerting\.extraRuleFiles\[0\]: "\/etc\/rules\.yml" is not valid; expected a relative path/],
    ["a file that is not YAML by name", ["rules/business.json"], /^alerting\.extraRuleFiles\[0\]: "rules\/business\.json" is not valid; expected .*ending in \.yml or \.yaml/],
    ["the same file twice", [fixture("good.rules.yml"), `./${fixture("good.rules.yml")}`], /^alerting\.extraRuleFiles\[1\]: ".\/tests\/rules\/fixtures\/good\.rules\.yml" is the same file as alerting\.extraRuleFiles\[0\]/],
  ])("rejects %s", (_label, files, pattern) => {
    const problems = problemsOf({ alerting: { extraRuleFiles: files } });
    expect(problems.length).toBeGreaterThan(0);
    expect(problems.join("\n")).toMatch(pattern);
  });

  it("resolves paths against the project directory, not the working directory", () => {
    const cwd = process.cwd();
    const elsewhere = fs.mkdtempSync(path.join(os.tmpdir(), "cwd-"));
    try {
      process.chdir(elsewhere);
      expect(problemsOf({ alerting: { extraRuleFiles: [fixture("good.rules.yml")] } })).toEqual([]);
    } finally {
      process.chdir(cwd);
      fs.rmSync(elsewhere, { recursive: true, force: true });
    }
  });

  it("agrees with promtool: the valid fixture passes `promtool check rules`, each broken one fails it", () => {
    const promtool = findPromtool();
    const res = (f: string) => run(promtool, ["check", "rules", fixture(f)], PROJECT_DIR);
    expect(res("good.rules.yml")).toMatchObject({ code: 0 });
    for (const f of ["broken-promql.rules.yml", "broken-structure.rules.yml"]) {
      const r = res(f);
      expect({ f, code: r.code }).toEqual({ f, code: 1 });
      expect(ruleFileProblems(fs.readFileSync(path.join(PROJECT_DIR, fixture(f)), "utf8"), f, "promql").length).toBeGreaterThan(0);
    }
  });
});

describe("shipped rules are checked too", () => {
  afterEach(() => jest.restoreAllMocks());

  it("every shipped rule file, Prometheus and Loki, goes through the checker with its grammar (as data: tests/rules/shipped-as-data.test.ts)", () => {
    const spy = jest.spyOn(validate, "ruleDocumentProblems");
    const settings = validateSettings({ values: { targets: TUTORDEX_TARGETS }, secretKeys: new Set() });
    spy.mockClear();
    expect(ruleChecks(settings)).toEqual([]);
    const checked = spy.mock.calls.map(([, file, lang]) => `${lang} ${file}`);
    expect(checked).toContain("promql prometheus/rules/tutordex.rules.yml");
    expect(checked).toContain("promql prometheus/rules/watchdog.rules.yml");
    expect(checked).toContain("logql loki/rules/fake/log-alerts.yaml");
  });

  it("a problem in a shipped file is a config error naming file, group and rule", () => {
    const settings = validateSettings({ values: {}, secretKeys: new Set() });
    const real = validate.ruleDocumentProblems;
    jest.spyOn(validate, "ruleDocumentProblems").mockImplementation((doc, file, lang) =>
      file === "loki/rules/fake/log-alerts.yaml" ? [{ file, group: "log-alerts", rule: "FatalLogLines", message: "LogQL syntax error at the end" }] : real(doc, file, lang),
    );
    expect(ruleChecks(settings)).toEqual([
      {
        key: "alerting",
        message: 'shipped file loki/rules/fake/log-alerts.yaml, group "log-alerts", rule "FatalLogLines": LogQL syntax error at the end (check alerting.thresholds and alerting.slos)',
      },
    ]);
  });

  it("a threshold that would break an expression is rejected by its key before anything renders", () => {
    // A window of "0s" is a syntax error in PromQL/LogQL; the key's own check reports it before rendering.
    const problems = problemsOf({ alerting: { thresholds: { dmRateLimitedWindow: "0s" } } });
    expect(problems).toContainEqual("alerting.thresholds.dmRateLimitedWindow: 0s is zero; must be above zero, e.g. 30s");
  });

  it("the default catalog, Prometheus and Loki rules, has no problem on either platform", () => {
    expect(problemsOf({ target: "docker", targets: TUTORDEX_TARGETS })).toEqual([]);
    expect(problemsOf({ target: "kubernetes", targets: TUTORDEX_TARGETS, alerting: { rulePacks: ["tutordex", "service", "http", "host", "container", "database", "cache", "queue", "slo"], collectorStalledEnabled: true } })).toEqual([]);
  });
});

describe("a valid user rule file in the deployed stack", () => {
  let stack: ProgramRun;
  const renderPath = `prometheus/rules/user/${fixture("good.rules.yml")}`;
  beforeAll(async () => {
    stack = await runWith({ target: "docker", targets: TUTORDEX_TARGETS, alerting: { extraRuleFiles: [fixture("good.rules.yml")] } });
  });

  it("ships byte for byte under prometheus/rules/user/ and is listed relative to prometheus.yml", () => {
    const file = stack.stack.files.find((f) => f.path === renderPath);
    expect(file?.content).toBe(fs.readFileSync(path.join(PROJECT_DIR, fixture("good.rules.yml")), "utf8"));
    const config = parse(stack.stack.files.find((f) => f.path === "prometheus/prometheus.yml")!.content) as { rule_files: string[] };
    expect(config.rule_files).toContain(`rules/user/${fixture("good.rules.yml")}`);
  });

  it("the rendered prometheus/ directory passes promtool check config (which loads every rule file)", () => {
    const promtool = findPromtool();
    const root = fs.mkdtempSync(path.join(os.tmpdir(), "user-rules-"));
    try {
      for (const f of stack.stack.files.filter((x) => x.path.startsWith("prometheus/"))) {
        fs.mkdirSync(path.dirname(path.join(root, f.path)), { recursive: true });
        // Debian's promtool 2.42 lacks 3.x's storage.tsdb.retention block; everything else is checked as shipped.
        fs.writeFileSync(path.join(root, f.path), f.path === "prometheus/prometheus.yml" ? forPrometheus242(f.content) : f.content);
      }
      const res = run(promtool, ["check", "config", "prometheus.yml"], path.join(root, "prometheus"));
      if (res.code !== 0) throw new Error(res.out);
      expect(res.out).toMatch(/rules\/user\/tests\/rules\/fixtures\/good\.rules\.yml/);
      expect(res.out).toMatch(/SUCCESS: 2 rules found/);
    } finally {
      fs.rmSync(root, { recursive: true, force: true });
    }
  });
});

describe("a broken user rule file stops the program before any resource", () => {
  it("runProgram rejects with the config error naming file, group and rule", async () => {
    await expect(runWith({ target: "docker", targets: TUTORDEX_TARGETS, alerting: { extraRuleFiles: [fixture("broken-promql.rules.yml")] } })).rejects.toThrow(
      /observability:alerting\.extraRuleFiles\[0\]: file tests\/rules\/fixtures\/broken-promql\.rules\.yml, group "traffic", rule "tutordex:requests:rate5m": rate\(\) needs a range vector/,
    );
  });
});
