/**
 * The other half of the contract: what validation accepts at the edge of
 * each class is accepted by the real tools too. One stack config holds every
 * edge case (IPv6 bind and target addresses, a port of 65535, percent-encoded
 * paths, a probe URL with a query, a comma list of e-mail recipients, an
 * IANA zone with three parts, a window ending at 24:00, a templated Slack
 * channel, the user's rule file with every template construct); its rendered
 * files go through promtool, amtool and blackbox_exporter --config.check.
 */
import { spawnSync } from "child_process";
import * as fs from "fs";
import * as os from "os";
import * as path from "path";
import { parse } from "yaml";
import { renderRun, writeRendered, type RenderedFile } from "../../render/render";
import type { ProgramRun } from "../../render/run";
import { promtoolCheckConfig } from "../support/tools";
import { runWith } from "../stack/harness";

const EDGES = {
  environment: "eu-west-1",
  docker: { bindAddress: "::1" },
  targets: [
    { name: "api", address: "[::1]:9100", component: "api", healthPaths: ["/health%20check", "/healthz?full=1"], scrapeInterval: "1m30s" },
    { name: "worker", address: "10.0.0.5:65535", component: "worker", metricsPath: "/internal/metrics" },
  ],
  probes: [{ name: "status", url: "https://status.example.com/api/v2/status.json?page=1&q=a%20b" }],
  prometheus: { retention: "10y", evaluationInterval: "1m" },
  alerting: {
    runbookBaseUrl: "https://wiki.example.com/runbooks",
    receivers: [
      { type: "slack", name: "team", channel: '#alerts-{{ .CommonLabels.env }}-{{ template "notify.severity" . }}', apiUrl: "https://hooks.slack.com/services/x" },
      { type: "email", name: "mail", to: "ops@example.com, Ops Team <oncall@example.org>", from: "Alertmanager <am@example.com>", smarthost: "[2001:db8::1]:587" },
      { type: "webhook", name: "healthchecks", url: "https://hc-ping.com/uuid", severities: [] },
    ],
    deadMansSwitch: "healthchecks",
    maintenanceWindows: [
      { name: "late", weekdays: ["monday:friday", "saturday"], times: [{ start: "22:00", end: "24:00" }], location: "America/Argentina/Buenos_Aires" },
      // Ranges counted from the month's end and across months, muting only some alerts of some severities.
      { name: "quarter-close", daysOfMonth: ["-3:-1", "1"], months: ["january:march", "12"], matchers: ['component=~"worker|collector"', 'env!="dev"'], severities: ["warning", "info"] },
    ],
    extraRuleFiles: ["tests/validation/fixtures/templates-ok.rules.yml"],
    thresholds: { llmFailureFor: "0s" },
  },
};

let out: string;
let files: RenderedFile[];
let run: ProgramRun;

beforeAll(async () => {
  run = await runWith(EDGES, ["alerting"], "edges");
  files = renderRun(run, "edges");
  out = fs.mkdtempSync(path.join(os.tmpdir(), "edges-"));
  writeRendered(out, files);
}, 120_000);
afterAll(() => fs.rmSync(out, { recursive: true, force: true }));

function check(bin: string, args: string[]): string {
  const r = spawnSync(bin, args, { encoding: "utf8", timeout: 60_000 });
  if (r.error) throw new Error(`${bin} is required by this test: ${r.error.message}`);
  if (r.status !== 0) throw new Error(`${bin} ${args.join(" ")} refused the rendered files:\n${r.stdout}${r.stderr}`);
  return r.stdout + r.stderr;
}

describe("edge cases validation accepts, the real tools accept too", () => {
  it("promtool: prometheus.yml with every rule file, the user's templates included", () => {
    // Debian's promtool 2.42 reads the file without 3.x's retention block (tests/support/tools.ts).
    const output = promtoolCheckConfig(path.join(out, "prometheus/prometheus.yml"));
    expect(output).toContain("templates-ok.rules.yml");
    expect(output).toMatch(/SUCCESS/);
  });

  it("amtool: alertmanager.yml with the templated channel, the recipient list and the time zone", () => {
    const config = files.find((f) => f.path === "alertmanager/alertmanager.yml")!.content;
    expect(config).toContain("America/Argentina/Buenos_Aires");
    expect(config).toContain("ops@example.com, Ops Team <oncall@example.org>");
    check("amtool", ["check-config", path.join(out, "alertmanager/alertmanager.yml")]);
  });

  it("amtool: a maintenance window by days of the month and months, for some alerts and severities", () => {
    const config = parse(files.find((f) => f.path === "alertmanager/alertmanager.yml")!.content) as {
      time_intervals: { name: string; time_intervals: unknown[] }[];
      route: { routes: { matchers: string[]; mute_time_intervals?: string[]; routes?: { matchers?: string[]; mute_time_intervals?: string[] }[] }[] };
    };
    expect(config.time_intervals.find((t) => t.name === "quarter-close")?.time_intervals).toEqual([
      { days_of_month: ["-3:-1", "1"], months: ["january:march", "12"], location: "UTC" },
    ]);
    const severity = (s: string) => config.route.routes.find((r) => r.matchers[0] === `severity="${s}"`)!;
    // Critical pages go out; warnings (info reaches no receiver here) are muted for the matched alerts only, on a route of their own.
    expect(JSON.stringify(severity("critical"))).not.toContain("quarter-close");
    expect(severity("warning").routes).toContainEqual(
      expect.objectContaining({ matchers: ['component=~"worker|collector"', 'env!="dev"'], mute_time_intervals: ["quarter-close", "late"] }),
    );
    check("amtool", ["check-config", path.join(out, "alertmanager/alertmanager.yml")]);
  });

  it("blackbox_exporter --config.check: the probe modules", () => {
    check("prometheus-blackbox-exporter", ["--config.check", `--config.file=${path.join(out, "blackbox/blackbox.yml")}`]);
  });

  it("the published URLs of an IPv6 bind address are valid URLs", () => {
    const plan = JSON.parse(files.find((f) => f.path === "plan.json")!.content) as { resources: { type: string; inputs: Record<string, unknown> }[] };
    const ports = plan.resources.filter((r) => r.type === "docker:index/container:Container").flatMap((r) => (r.inputs.ports as { ip?: string }[] | undefined) ?? []);
    expect(ports.length).toBeGreaterThan(0);
    for (const p of ports) expect(p.ip).toBe("::1");
    const urls = run.outputs.urls as Record<string, string>;
    expect(urls.prometheus).toBe("http://[::1]:9090");
    for (const url of Object.values(urls)) expect(new URL(url).hostname).toBe("[::1]");
  });

  it("and amtool refuses the variants validation refuses: a misspelt zone, a backwards weekday, time, day-of-month or month range, a repeated group_by label", () => {
    const config = files.find((f) => f.path === "alertmanager/alertmanager.yml")!.content;
    const variants: [string, string, RegExp][] = [
      ["America/Argentina/Buenos_Aires", "America/Argentina/Buenos_Aire", /unknown time zone/],
      ["monday:friday", "friday:monday", /start day cannot be before end day/],
      ["end_time: 24:00", "end_time: 21:00", /start time cannot be equal or greater than end time/],
      ["- pipeline_version", "- pipeline_version\n    - alertname", /duplicated label "alertname" in group_by/],
      ["-3:-1", "-1:-3", /end day -3 is always before start day -1/],
      ["january:march", "march:january", /end month january is before start month march/],
    ];
    for (const [from, to, refusal] of variants) {
      expect(config).toContain(from);
      const file = path.join(out, "alertmanager", "variant.yml");
      fs.writeFileSync(file, config.replace(from, to));
      const r = spawnSync("amtool", ["check-config", file], { encoding: "utf8" });
      expect(r.status).toBe(1);
      expect(r.stdout + r.stderr).toMatch(refusal);
    }
  });
});
