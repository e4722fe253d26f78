/**
 * The README's alert catalog is generated (`npm run alert-table -- --write`)
 * from the rule catalog: this fails when one changes without the other.
 */
import * as fs from "fs";
import * as path from "path";
import { parse } from "yaml";
import { ALERT_TABLE_END, ALERT_TABLE_START, alertTableMarkdown } from "../../review/alert-table";
import { DEFAULT_THRESHOLDS, RULE_PACKS, alertNames } from "../../configs/prometheus/rules";
import { lokiRuleFiles } from "../../configs/loki/rules";

const README = fs.readFileSync(path.resolve(__dirname, "../../README.md"), "utf8");

function readmeTable(): string {
  const start = README.indexOf(ALERT_TABLE_START);
  const end = README.indexOf(ALERT_TABLE_END);
  if (start < 0 || end < start) throw new Error(`README.md has no ${ALERT_TABLE_START} ... ${ALERT_TABLE_END} block`);
  return README.slice(start, end + ALERT_TABLE_END.length);
}

describe("README alert catalog", () => {
  it("is exactly what `npm run alert-table` generates from the rule catalog (run it with -- --write after changing rules)", () => {
    expect(readmeTable()).toBe(alertTableMarkdown());
  });

  it("lists every alert of every pack and of the Loki ruler, with its runbook", () => {
    const shown = new Set([...readmeTable().matchAll(/^\| (\w+) \|/gm)].map((m) => m[1]).filter((n) => n !== "alert"));
    const catalog = alertNames({ packs: RULE_PACKS, thresholds: DEFAULT_THRESHOLDS, runbookBaseUrl: "docs/runbooks", collectorStalledEnabled: true, evaluationInterval: "30s", remoteWrite: true, slos: [{ name: "s", objective: 99, window: "30d", sli: { kind: "availability", job: "j" } }] });
    const loki = lokiRuleFiles({ thresholds: DEFAULT_THRESHOLDS, runbookBaseUrl: "docs/runbooks", environment: "dev" }).flatMap(
      (f) => (parse(f.content) as { groups: { rules: { alert: string }[] }[] }).groups.flatMap((g) => g.rules.map((r) => r.alert)),
    );
    expect([...shown].sort()).toEqual([...new Set([...catalog, ...loki])].sort());
    for (const name of shown) expect(readmeTable()).toContain(`[runbook](docs/runbooks/${name}.md)`);
  });

  it("shows the seeds' thresholds, for durations and routing timings (spot checks)", () => {
    expect(readmeTable()).toContain("| QueueOldestPendingTooOld | tutordex | warning | > 1800 | 5m | wait 30s, interval 5m, repeat 6h |");
    expect(readmeTable()).toContain("| ServiceDown | service | critical | == 0 | 1m | wait 5s, interval 5m, repeat 30m |");
    expect(readmeTable()).toContain("| Watchdog | always on | none |  | 0s | wait 0s, interval 5m, repeat 24h |");
  });
});
