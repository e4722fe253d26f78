/**
 * The rendered Alertmanager directory, judged by Debian's real amtool 0.25:
 * `check-config` accepts it (templates included) and `config routes test`
 * sends every kind of alert where the routing table says.
 */
import * as fs from "fs";
import * as path from "path";
import { ALERTMANAGER_CONFIG_RENDER_PATH, ALERTMANAGER_TEMPLATE_PATH, AlertmanagerConfigOptions, alertmanagerConfig } from "../../configs/alertmanager/alertmanager";
import { fillSecretSlots } from "../../configs/secrets";
import { checkConfig, removeTempDirs, requireAmtool, routesTest, verifyRoute, writeRendered } from "./amtool";
import { everyIntegration, noReceivers, reveal, telegramOnly, withMaintenance } from "./fixtures";

beforeAll(requireAmtool);
afterAll(removeTempDirs);

function renderToDisk(o: AlertmanagerConfigOptions): string {
  return path.join(writeRendered(alertmanagerConfig(o).files), ALERTMANAGER_CONFIG_RENDER_PATH);
}

describe("amtool check-config accepts the rendered config", () => {
  it.each([
    ["no receivers", noReceivers],
    ["Telegram only", telegramOnly],
    ["Telegram, Slack, PagerDuty, email and a webhook dead man's switch", everyIntegration],
    ["maintenance windows", withMaintenance],
    ["maintenance windows with every integration", { ...everyIntegration, maintenanceWindows: withMaintenance.maintenanceWindows }],
  ])("with %s, loading its template", (_name, options) => {
    const run = checkConfig(renderToDisk(options));
    expect({ status: run.status, stderr: run.stderr }).toEqual({ status: 0, stderr: "" });
    expect(run.stdout).toContain(" - 1 templates");
    expect(run.stdout).not.toContain("FAILED");
  });

  it("with real secret values filled in, as deploy ships it", () => {
    const result = alertmanagerConfig(everyIntegration);
    const files = result.files.map((f) =>
      f.path === ALERTMANAGER_CONFIG_RENDER_PATH ? { ...f, content: fillSecretSlots(f.content, result.secretSlots, reveal) } : f,
    );
    const run = checkConfig(path.join(writeRendered(files), ALERTMANAGER_CONFIG_RENDER_PATH));
    expect({ status: run.status, stdout: run.stdout }).toEqual({ status: 0, stdout: expect.stringContaining("SUCCESS") });
  });
});

describe("amtool check-config really reads the template file, relative to the config file", () => {
  it("fails on a broken template even when run from another directory", () => {
    const dir = writeRendered(alertmanagerConfig(telegramOnly).files);
    fs.appendFileSync(path.join(dir, ALERTMANAGER_TEMPLATE_PATH), '\n{{ define "broken" }}{{ .Status {{ end }}\n');
    const run = checkConfig(path.join(dir, ALERTMANAGER_CONFIG_RENDER_PATH));
    expect(run.status).not.toBe(0);
    expect(run.stdout).toMatch(/FAILED: template: notifications\.tmpl:\d+: unexpected "\{" in operand/);
  });

  it("passes silently when the template file is missing (Go's filepath.Glob), so the builder must ship it: it does", () => {
    const files = alertmanagerConfig(telegramOnly).files;
    expect(files.map((f) => f.path)).toContain(ALERTMANAGER_TEMPLATE_PATH);
    const dir = writeRendered(files);
    fs.rmSync(path.join(dir, ALERTMANAGER_TEMPLATE_PATH));
    expect(checkConfig(path.join(dir, ALERTMANAGER_CONFIG_RENDER_PATH)).status).toBe(0);
  });
});

describe("amtool config routes test: where each alert goes", () => {
  describe("with Telegram only (TutorDex today)", () => {
    const config = renderToDisk(telegramOnly);
    it.each([
      ["critical", { alertname: "QueueStuckProcessing", severity: "critical", component: "queue" }, ["telegram"]],
      ["warning", { alertname: "QueueOldestPendingTooOld", severity: "warning", component: "queue" }, ["telegram"]],
      ["info (no receiver covers it)", { alertname: "SomethingWorthKnowing", severity: "info" }, ["null"]],
      ["Watchdog (no dead man's switch configured)", { alertname: "Watchdog", severity: "none" }, ["deadmans-switch"]],
      ["a misspelt severity, treated as warning", { alertname: "X", severity: "crit" }, ["telegram"]],
      ["no severity at all, treated as warning", { alertname: "X" }, ["telegram"]],
    ])("%s", (_case, labels, expected) => {
      const run = verifyRoute(config, expected, labels);
      expect({ status: run.status, routedTo: run.stdout.trim() }).toEqual({ status: 0, routedTo: expected.join(",") });
    });
  });

  describe("with every integration", () => {
    const config = renderToDisk(everyIntegration);
    it.each([
      [
        "critical fans out to every receiver that lists critical",
        { alertname: "ServiceDown", severity: "critical", job: "backend", instance: "backend:8000" },
        ["telegram-oncall", "slack-alerts", "pagerduty-critical"],
      ],
      ["warning goes to the warning receivers", { alertname: "HostDiskLow", severity: "warning" }, ["telegram-oncall", "slack-alerts", "email-ops"]],
      ["info goes to the info receivers", { alertname: "DeployFinished", severity: "info" }, ["slack-alerts"]],
      ["Watchdog goes to the dead man's switch only", { alertname: "Watchdog", severity: "none" }, ["heartbeat"]],
      ["Watchdog wins over its severity label", { alertname: "Watchdog", severity: "critical" }, ["heartbeat"]],
      ["an unknown severity falls to the warning receivers", { alertname: "X", severity: "page" }, ["telegram-oncall", "slack-alerts", "email-ops"]],
    ])("%s", (_case, labels, expected) => {
      const run = verifyRoute(config, expected, labels);
      expect({ status: run.status, routedTo: run.stdout.trim() }).toEqual({ status: 0, routedTo: expected.join(",") });
    });

    it("--verify.receivers really fails on a wrong expectation", () => {
      const run = verifyRoute(config, ["telegram-oncall"], { severity: "critical" });
      expect(run.status).not.toBe(0);
      expect(run.stdout + run.stderr).toContain("Expected receivers did not match");
    });
  });

  describe("with no receivers", () => {
    const config = renderToDisk(noReceivers);
    it.each(["critical", "warning", "info", "unknown"])("%s goes to null", (severity) => {
      expect(routesTest(config, { alertname: "X", severity })).toEqual(["null"]);
    });
    it("Watchdog goes to deadmans-switch", () => {
      expect(routesTest(config, { alertname: "Watchdog" })).toEqual(["deadmans-switch"]);
    });
  });

  describe("with maintenance windows (routing unchanged; muting happens at notify time)", () => {
    const config = renderToDisk({ ...everyIntegration, maintenanceWindows: withMaintenance.maintenanceWindows });
    it.each([
      ["a worker critical (window-matched)", { alertname: "QueueStuckProcessing", severity: "critical", component: "worker" }, ["telegram-oncall", "slack-alerts", "pagerduty-critical"]],
      ["a queue critical", { alertname: "QueueStuckProcessing", severity: "critical", component: "queue" }, ["telegram-oncall", "slack-alerts", "pagerduty-critical"]],
      ["a worker warning (window-matched)", { alertname: "LLMFailureSpike", severity: "warning", component: "worker" }, ["telegram-oncall", "slack-alerts", "email-ops"]],
      ["Watchdog", { alertname: "Watchdog" }, ["heartbeat"]],
    ])("%s", (_case, labels, expected) => {
      expect(routesTest(config, labels)).toEqual(expected);
    });
  });
});
