/**
 * The routing matrix (review/routing.ts: render's alertmanager/routing.md and
 * the review report's paging section) resolves the same receivers as
 * Alertmanager itself: `amtool config routes test` is asked for every alert
 * of the catalog, on the shipped stacks and on route trees with fan-out,
 * a dead man's switch and maintenance windows (with and without matchers).
 */
import * as path from "path";
import { alertmanagerConfig, AlertmanagerConfigOptions } from "../../configs/alertmanager/alertmanager";
import { catalogAlerts, routeAlert, routingMatrix } from "../../review/routing";
import { renderShipped } from "../review/stacks";
import { everyIntegration, withMaintenance } from "./fixtures";
import { removeTempDirs, requireAmtool, routesTest, writeRendered } from "./amtool";
import { parse } from "yaml";

jest.setTimeout(300_000);

type Files = Map<string, string>;
const rendered: Record<string, Files> = {};

beforeAll(async () => {
  requireAmtool();
  rendered.dev = await renderShipped("dev");
  rendered.prod = await renderShipped("prod");
  rendered.devPaging = await renderShipped("dev", {
    values: {
      alerting: {
        receivers: [
          { type: "telegram", name: "oncall", chatId: -1001234567890, botToken: "t", severities: ["critical", "warning"] },
          { type: "webhook", name: "ticketing", url: "https://tickets.example.com/hook", severities: ["warning", "info"] },
          { type: "webhook", name: "heartbeat", url: "https://hc.example.com/ping", severities: [] },
        ],
        deadMansSwitch: "heartbeat",
        maintenanceWindows: [{ name: "sunday-maintenance", weekdays: ["sunday"], times: [{ start: "02:00", end: "04:00" }], location: "Asia/Singapore" }],
      },
    },
    secret: ["alerting"],
  });
});
afterAll(removeTempDirs);

/** The stack's rule files with another alertmanager.yml built from `o`. */
function withAlertmanager(files: Files, o: AlertmanagerConfigOptions): Files {
  const out = new Map(files);
  for (const f of alertmanagerConfig(o).files) out.set(f.path, f.content);
  return out;
}

function check(files: Files): number {
  const dir = writeRendered([...files].filter(([p]) => p.startsWith("alertmanager/")).map(([p, content]) => ({ path: p, content })), "routing-");
  const configPath = path.join(dir, "alertmanager/alertmanager.yml");
  const config = parse(files.get("alertmanager/alertmanager.yml")!) as Parameters<typeof routeAlert>[0];
  const alerts = catalogAlerts(files);
  const mismatches: string[] = [];
  for (const a of alerts) {
    const ours = routeAlert(config, a.labels).map((r) => r.receiver);
    const theirs = routesTest(configPath, a.labels);
    if (ours.join(",") !== theirs.join(",")) mismatches.push(`${a.alert} ${JSON.stringify(a.labels)}: matrix ${ours.join(",")}, amtool ${theirs.join(",")}`);
  }
  expect(mismatches).toEqual([]);
  return alerts.length;
}

describe("the routing matrix agrees with `amtool config routes test` for every alert of the catalog", () => {
  it.each(["dev", "prod"])("on the shipped %s stack (no receivers: everything goes to null, Watchdog to deadmans-switch)", (stack) => {
    expect(check(rendered[stack]!)).toBeGreaterThan(30);
    const rows = routingMatrix(rendered[stack]!);
    expect(rows.find((r) => r.alert === "Watchdog")!.routes.map((r) => r.receiver)).toEqual(["deadmans-switch"]);
    expect(rows.filter((r) => r.alert !== "Watchdog").every((r) => r.routes.map((x) => x.receiver).join() === "null")).toBe(true);
  });

  it("with fan-out to two receivers, a dead man's switch and a maintenance window from stack config", () => {
    check(rendered.devPaging!);
    const rows = new Map(routingMatrix(rendered.devPaging!).map((r) => [r.key, r]));
    const fanOut = rows.get("HighErrorRate [warning]")!.routes;
    expect(fanOut.map((r) => [r.receiver, r.repeatInterval, r.muteTimeIntervals.join()])).toEqual([
      ["oncall", "6h", "sunday-maintenance"],
      ["ticketing", "6h", "sunday-maintenance"],
    ]);
    expect(rows.get("ServiceDown")!.routes.map((r) => [r.receiver, r.groupWait, r.repeatInterval])).toEqual([["oncall", "5s", "30m"]]);
    expect(rows.get("Watchdog")!.routes.map((r) => [r.receiver, r.muteTimeIntervals.length])).toEqual([["heartbeat", 0]]);
  });

  it("with every integration and with maintenance windows that match only some alerts (builder fixtures)", () => {
    check(withAlertmanager(rendered.dev!, everyIntegration));
    const files = withAlertmanager(rendered.dev!, withMaintenance);
    check(files);
    const rows = new Map(routingMatrix(files).map((r) => [r.key, r]));
    // component="worker" only matches at run time (the label comes from the series), so the queue alert, whose
    // static component is "queue", takes the plain severity route: muted by the weekly window only.
    expect(rows.get("QueueBacklogGrowingNoThroughput")!.routes.map((r) => r.muteTimeIntervals.join())).toEqual(["weekly-maintenance"]);
  });
});

describe("the matrix's inhibition column", () => {
  it("names the alerts that can mute a row and what they must share", () => {
    const rows = new Map(routingMatrix(rendered.dev!).map((r) => [r.key, r]));
    expect(rows.get("HighErrorRate [warning]")!.inhibitedBy).toEqual([
      "BlackboxProbeFailed (same job, instance)",
      "HighErrorRate [critical] (same instance, namespace, name, slo)",
      "PrometheusTargetDown (same job, instance)",
      'ServiceDown (component="backend")',
      "ServiceDown (same job)",
    ]);
    expect(rows.get("ServiceDown")!.inhibitedBy).toEqual([]);
    expect(rows.get("Watchdog")!.inhibitedBy).toEqual([]);
  });
});

describe("render writes the matrix as alertmanager/routing.md", () => {
  it.each(["dev", "prod"])("%s: one row per alert and severity of the catalog", (stack) => {
    const md = rendered[stack]!.get("alertmanager/routing.md")!;
    expect(md).toContain(`# Alert routing of stack \`${stack}\``);
    const rows = md.split("\n").filter((l) => l.startsWith("| ") && !l.startsWith("| alert") && !l.startsWith("| ---"));
    expect(rows.length).toBe(routingMatrix(rendered[stack]!).length);
    expect(md).toContain("| BlackboxProbeFailed | critical | null | wait 5s, interval 5m, repeat 30m | never | nothing |");
    expect(md).toContain("| Watchdog | none | deadmans-switch | wait 0s, interval 5m, repeat 24h | never | nothing |");
  });
});
