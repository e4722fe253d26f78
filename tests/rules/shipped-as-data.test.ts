/**
 * Validation checks the shipped rules as data (settings/rules.ts), not by
 * parsing the YAML the builders write: that is only sound if the written
 * files parse back to exactly that data. For every pack on both platforms and
 * for the fixture stacks, they do.
 */
import { parse } from "yaml";
import { LOKI_RULE_FILE, lokiRuleFiles, lokiRuleGroups } from "../../configs/loki/rules";
import { DEFAULT_THRESHOLDS, RULE_PACKS, ruleCatalog, ruleFiles, type RuleCatalogOptions } from "../../configs/prometheus/rules";
import { lokiRuleOptions, ruleCatalogOptions } from "../../settings/rules";
import { fixtureSettings } from "./fixture-settings";
import { PLATFORM_PROFILES } from "../../targets";

const asData = (v: unknown): unknown => JSON.parse(JSON.stringify(v));

const cases: [string, RuleCatalogOptions][] = [
  ...(["docker", "kubernetes"] as const).map((platform): [string, RuleCatalogOptions] => [
    `every pack on ${platform}`,
    { packs: RULE_PACKS, thresholds: DEFAULT_THRESHOLDS, runbookBaseUrl: "runbooks", collectorStalledEnabled: true, evaluationInterval: "30s", platform: PLATFORM_PROFILES[platform] },
  ]),
  ["the dev fixture stack", ruleCatalogOptions(fixtureSettings("dev"))],
  ["the prod fixture stack", ruleCatalogOptions(fixtureSettings("prod"))],
];

describe("shipped rule files hold exactly the data validation checks", () => {
  it.each(cases)("Prometheus rules: %s", (_name, options) => {
    const files = ruleFiles(options);
    const data = ruleCatalog(options);
    expect(files.map((f) => f.path)).toEqual(data.map((f) => f.path));
    files.forEach((f, i) => expect(parse(f.content)).toEqual(asData({ groups: data[i].groups })));
  });

  it.each(["dev", "prod"] as const)("Loki rules: the %s fixture stack", (stack) => {
    const options = lokiRuleOptions(fixtureSettings(stack), stack);
    const files = lokiRuleFiles(options);
    expect(files.map((f) => f.path)).toEqual([LOKI_RULE_FILE]);
    expect(parse(files[0].content)).toEqual(asData({ groups: lokiRuleGroups(options) }));
  });
});
