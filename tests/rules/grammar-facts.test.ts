/**
 * The grammar facts `npm run build` records (scripts/grammar-facts.ts,
 * configs/prometheus/rules/grammars.ts): a start does not parse the shipped
 * expressions again, yet every answer stays what the grammar gives.
 */
import { ruleCatalog } from "../../configs/prometheus/rules";
import { selectedMetricNames } from "../../configs/prometheus/rules/dependencies";
import { expressionKey, grammarDigest, knownValid, knownValidTemplate, useGrammarFacts, type GrammarFacts } from "../../configs/prometheus/rules/grammars";
import { PROMETHEUS_DIALECT, templateProblem } from "../../configs/go-template";
import { lokiRuleGroups } from "../../configs/loki/rules";
import { logqlProblems, promqlProblems, ruleDocumentProblems } from "../../configs/prometheus/rules/validate";
import { computeGrammarFacts, shippedExpressions } from "../../scripts/grammar-facts";
import { lokiRuleOptions, ruleCatalogOptions, selectorProbe } from "../../settings/rules";
import { PROJECT_DIR } from "../support/stacks";
import { fixtureSettings } from "./fixture-settings";

jest.setTimeout(120_000);

const corpus = shippedExpressions(PROJECT_DIR);
const facts = computeGrammarFacts(corpus);

afterEach(() => useGrammarFacts(undefined));

describe("grammar facts recorded at build time", () => {
  it.each(["dev", "prod"] as const)("cover every expression the %s fixture stack checks at start, so it parses none", (stack) => {
    const s = fixtureSettings(stack);
    useGrammarFacts(facts);
    const promql = [
      ...ruleCatalog(ruleCatalogOptions(s)).flatMap((f) => f.groups.flatMap((g) => g.rules.map((r) => r.expr))),
      ...Object.values(s.kubernetes.ruleSelectors).map(selectorProbe),
    ];
    const logql = lokiRuleGroups(lokiRuleOptions(s, stack)).flatMap((g) => g.rules.map((r) => r.expr));
    expect(promql.filter((e) => !knownValid("promql", e))).toEqual([]);
    expect(logql.filter((e) => !knownValid("logql", e))).toEqual([]);
  });

  it.each(["dev", "prod"] as const)("cover every alert label and annotation (Go templates) the %s fixture stack checks at start, so it parses none", (stack) => {
    const s = fixtureSettings(stack);
    useGrammarFacts(facts);
    const alerts = [
      ...ruleCatalog(ruleCatalogOptions(s)).flatMap((f) => f.groups.flatMap((g) => g.rules)),
      ...lokiRuleGroups(lokiRuleOptions(s, stack)).flatMap((g) => g.rules),
    ];
    const texts = alerts.flatMap((r) => ("alert" in r ? [...Object.values(r.labels ?? {}), ...Object.values(r.annotations ?? {})].map(String) : []));
    expect(texts.length).toBeGreaterThan(100);
    expect(texts.filter((t) => !knownValidTemplate(t))).toEqual([]);
  });

  it("record only templates the checker accepts, keyed by their text: an unknown broken template is still reported", () => {
    expect(facts.templates?.length).toBe(corpus.templates.size);
    for (const t of corpus.templates) expect(templateProblem(t, PROMETHEUS_DIALECT)).toBeUndefined();
    const broken = "{{ $labels.instance is down";
    const doc = (summary: string) => ({ groups: [{ name: "g", rules: [{ alert: "A", expr: "up == 0", annotations: { summary } }] }] });
    useGrammarFacts(facts);
    expect(ruleDocumentProblems(doc(broken), "f.yml", "promql")).toEqual([expect.objectContaining({ message: expect.stringContaining("annotations.summary") })]);
    // A fact is believed as recorded: that is what spares the parse.
    useGrammarFacts({ ...facts, templates: [...(facts.templates ?? []), expressionKey(broken)] });
    expect(ruleDocumentProblems(doc(broken), "f.yml", "promql")).toEqual([]);
  });

  it("record exactly what the grammars say: the same problems (none) and the same selected metrics as parsing", () => {
    const parsed = [...corpus.promql].map((e) => [e, promqlProblems(e), selectedMetricNames(e)] as const);
    const parsedLogql = [...corpus.logql].map((e) => [e, logqlProblems(e)] as const);
    useGrammarFacts(facts);
    for (const [e, problems, metrics] of parsed) {
      expect(problems).toEqual([]);
      expect(knownValid("promql", e)).toBe(true);
      expect(promqlProblems(e)).toEqual([]);
      expect(selectedMetricNames(e)).toEqual(metrics);
    }
    for (const [e, problems] of parsedLogql) {
      expect(problems).toEqual([]);
      expect(logqlProblems(e)).toEqual([]);
    }
  });

  it("still parse every expression they do not know: a broken one is reported", () => {
    useGrammarFacts(facts);
    expect(promqlProblems("rate(http_requests_total)")).toEqual([expect.stringContaining("rate() needs a range vector")]);
    expect(promqlProblems("sum(up")).toEqual([expect.stringContaining("PromQL syntax error")]);
    expect(logqlProblems('{app="x"}')).toEqual([expect.stringContaining("is a log query")]);
    expect(selectedMetricNames("sum(rate(foo_total[5m])) / sum(bar)")).toEqual(["foo_total", "bar"]);
  });

  it("are keyed by the expression itself and trusted only for the grammar files they were computed with", () => {
    const broken = "rate(http_requests_total)";
    const forged: GrammarFacts = {
      grammars: { promql: grammarDigest("promql"), logql: grammarDigest("logql") },
      promql: { [expressionKey(broken)]: [] },
      logql: [],
    };
    // A fact is believed as recorded (this is what spares the parse) ...
    useGrammarFacts(forged);
    expect(promqlProblems(broken)).toEqual([]);
    // ... but not when the installed grammar differs from the one the build used.
    useGrammarFacts({ ...forged, grammars: { promql: "0".repeat(64), logql: "0".repeat(64) } });
    expect(promqlProblems(broken)).toEqual([expect.stringContaining("needs a range vector")]);
  });

  it("let a start whose expressions are all known run without loading either grammar", () => {
    jest.isolateModules(() => {
      jest.doMock("@prometheus-io/lezer-promql", () => {
        throw new Error("the PromQL grammar was loaded");
      });
      jest.doMock("@grafana/lezer-logql", () => {
        throw new Error("the LogQL grammar was loaded");
      });
      // eslint-disable-next-line @typescript-eslint/no-require-imports
      const g = require("../../configs/prometheus/rules/grammars") as typeof import("../../configs/prometheus/rules/grammars");
      // eslint-disable-next-line @typescript-eslint/no-require-imports
      const v = require("../../configs/prometheus/rules/validate") as typeof import("../../configs/prometheus/rules/validate");
      g.useGrammarFacts(facts);
      for (const e of corpus.promql) expect(v.promqlProblems(e)).toEqual([]);
      for (const e of corpus.logql) expect(v.logqlProblems(e)).toEqual([]);
      expect(() => v.promqlProblems("sum(up")).toThrow("the PromQL grammar was loaded");
    });
  });
});
