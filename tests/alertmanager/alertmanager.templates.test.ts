/**
 * notifications.tmpl, executed by amtool's own template engine (the one
 * Alertmanager uses) on a realistic TutorDex notification: every message
 * shows status, alertname, severity, summary, description, runbook and the
 * grouping labels, and escapes alert text for its channel.
 */
import * as path from "path";
import { ALERTMANAGER_CONFIG_RENDER_PATH, ALERTMANAGER_TEMPLATE_PATH, alertmanagerConfig } from "../../configs/alertmanager/alertmanager";
import { removeTempDirs, renderTemplate, requireAmtool, writeRendered } from "./amtool";
import { everyIntegration } from "./fixtures";

beforeAll(requireAmtool);
afterAll(removeTempDirs);

const result = alertmanagerConfig(everyIntegration);
const dir = writeRendered(result.files);
const templatePath = path.join(dir, ALERTMANAGER_TEMPLATE_PATH);
const configText = result.files.find((f) => f.path === ALERTMANAGER_CONFIG_RENDER_PATH)!.content;
const templateText = result.files.find((f) => f.path === ALERTMANAGER_TEMPLATE_PATH)!.content;

/** Seed 001's alert flow example, plus a resolved alert and text that needs escaping. */
const notification = {
  receiver: "telegram-oncall",
  status: "firing",
  externalURL: "http://alertmanager:9093",
  groupLabels: { alertname: "QueueBacklogGrowingNoThroughput", component: "queue", pipeline_version: "v<2>" },
  commonLabels: { alertname: "QueueBacklogGrowingNoThroughput", component: "queue", severity: "critical" },
  commonAnnotations: { summary: "Queue backlog growing with zero throughput" },
  alerts: [
    {
      status: "firing",
      labels: { alertname: "QueueBacklogGrowingNoThroughput", component: "queue", severity: "critical", pipeline_version: "v<2>" },
      annotations: {
        summary: "Queue backlog growing with zero throughput",
        description: "pending increased over 15m & worker throughput is <0>",
        runbook_url: "https://github.com/tutordex/observability/blob/main/docs/runbooks/QueueBacklogGrowingNoThroughput.md",
      },
      startsAt: "2026-01-01T00:00:00Z",
      endsAt: "0001-01-01T00:00:00Z",
      generatorURL: "http://prometheus:9090/graph?g0.expr=up&g0.tab=1",
      fingerprint: "a1",
    },
    {
      status: "resolved",
      labels: { alertname: "QueueBacklogGrowingNoThroughput", component: "queue", pipeline_version: "v1" },
      annotations: { summary: "older backlog", runbook: "observability/runbooks/QueueBacklogGrowingNoThroughput.md" },
      startsAt: "2026-01-01T00:00:00Z",
      endsAt: "2026-01-01T01:00:00Z",
      generatorURL: "",
      fingerprint: "b2",
    },
  ],
};

function render(name: string, type: "text" | "html" = "text"): string {
  const run = renderTemplate(templatePath, name, notification, type);
  if (run.status !== 0) throw new Error(`rendering ${name} failed: ${run.stdout}${run.stderr}`);
  return run.stdout;
}

describe("notification templates", () => {
  it("define every template the config invokes", () => {
    const invoked = [...configText.matchAll(/\{\{ template "([^"]+)" \. \}\}/g)].map((m) => m[1]);
    expect(invoked.length).toBeGreaterThan(5);
    for (const name of new Set(invoked)) expect(templateText).toContain(`{{ define "${name}"`);
  });

  it("link to the configured Alertmanager URL, not a hard-coded one", () => {
    expect(templateText).toContain('{{ define "notify.external_url" }}https://alertmanager.example.com{{ end }}');
  });

  describe("Telegram (HTML parse mode)", () => {
    const message = () => render("notify.telegram.message");

    it("shows status, alertname, severity and the grouping labels up top", () => {
      const [first, second] = message().split("\n");
      expect(first).toBe("🔥 <b>[FIRING:1] QueueBacklogGrowingNoThroughput</b> (critical)");
      expect(second).toBe("<i>alertname=QueueBacklogGrowingNoThroughput, component=queue, pipeline_version=v&lt;2&gt;</i>");
    });

    it("shows each alert's summary, description and runbook link", () => {
      const m = message();
      expect(m).toContain("Queue backlog growing with zero throughput\n");
      expect(m).toContain("<i>pending increased over 15m &amp; worker throughput is &lt;0&gt;</i>");
      expect(m).toContain(
        'Runbook: <a href="https://github.com/tutordex/observability/blob/main/docs/runbooks/QueueBacklogGrowingNoThroughput.md">',
      );
      expect(m).toContain('<a href="http://prometheus:9090/graph?g0.expr=up&amp;g0.tab=1">Source</a>');
    });

    it("marks resolved alerts and shows a non-URL runbook as code rather than a broken link", () => {
      const m = message();
      expect(m).toContain("🟢 <b>QueueBacklogGrowingNoThroughput</b> [no severity]");
      expect(m).toContain("Runbook: <code>observability/runbooks/QueueBacklogGrowingNoThroughput.md</code>");
    });

    it("only uses tags Telegram's HTML mode accepts, and escapes every < > & of alert text", () => {
      const m = message();
      const tags = new Set([...m.matchAll(/<\/?([a-z]+)[^>]*>/g)].map((t) => t[1]));
      expect([...tags].sort()).toEqual(["a", "b", "code", "i"]);
      expect(m.replace(/<\/?(a|b|i|code)( href="[^"]*")?>/g, "")).not.toMatch(/[<>]/);
    });

    it("ends with links to the alert list and a silence pre-filled with the grouping labels", () => {
      expect(message().split("\n").pop()).toBe(
        '<a href="https://alertmanager.example.com/#/alerts?receiver=telegram-oncall">Alerts</a> | ' +
          '<a href="https://alertmanager.example.com/#/silences/new?filter=%7Balertname%3D%22QueueBacklogGrowingNoThroughput%22%2Ccomponent%3D%22queue%22%2Cpipeline_version%3D%22v%3C2%3E%22%7D">Silence</a>',
      );
    });
  });

  describe("Slack", () => {
    it("titles the message with status, alertname and severity", () => {
      expect(render("notify.slack.title")).toBe("[FIRING:1] QueueBacklogGrowingNoThroughput (critical)");
    });

    it("shows grouping labels, summary, description and runbook, escaped for Slack", () => {
      const text = render("notify.slack.text");
      expect(text).toContain("_Grouped by: alertname=QueueBacklogGrowingNoThroughput, component=queue, pipeline_version=v&lt;2&gt;_");
      expect(text).toContain(":red_circle: *QueueBacklogGrowingNoThroughput* [critical]\nQueue backlog growing with zero throughput");
      expect(text).toContain(">pending increased over 15m &amp; worker throughput is &lt;0&gt;");
      expect(text).toContain("Runbook: <https://github.com/tutordex/observability/blob/main/docs/runbooks/QueueBacklogGrowingNoThroughput.md|");
      expect(text).toContain("Runbook: `observability/runbooks/QueueBacklogGrowingNoThroughput.md`");
    });
  });

  describe("email", () => {
    it("has a subject with status, alertname and severity", () => {
      expect(render("notify.email.subject")).toBe("[FIRING:1] QueueBacklogGrowingNoThroughput (critical)");
    });

    it("renders as HTML with alert text escaped by html/template and every link intact", () => {
      const html = render("notify.email.html", "html");
      expect(html).toContain("<h2>[FIRING:1] QueueBacklogGrowingNoThroughput (critical)</h2>");
      expect(html).toContain("<code>alertname=QueueBacklogGrowingNoThroughput, component=queue, pipeline_version=v&lt;2&gt;</code>");
      expect(html).toContain("<td>pending increased over 15m &amp; worker throughput is &lt;0&gt;</td>");
      expect(html).toContain('<a href="https://github.com/tutordex/observability/blob/main/docs/runbooks/QueueBacklogGrowingNoThroughput.md">');
      expect(html).toContain("(resolved)");
      expect(html).not.toContain("ZgotmplZ"); // html/template's marker for a URL it refused
    });

    it("has a plain-text alternative with the same facts", () => {
      const text = render("notify.text");
      expect(text).toContain("[FIRING:1] QueueBacklogGrowingNoThroughput (critical)\nGrouped by: alertname=QueueBacklogGrowingNoThroughput");
      expect(text).toContain("  Summary: Queue backlog growing with zero throughput\n  Description: pending increased over 15m & worker throughput is <0>");
      expect(text).toContain("- QueueBacklogGrowingNoThroughput [no severity] RESOLVED");
    });
  });

  describe("PagerDuty", () => {
    it("titles the incident with status, alertname and the common summary", () => {
      expect(render("notify.pagerduty.description")).toBe("[FIRING:1] QueueBacklogGrowingNoThroughput: Queue backlog growing with zero throughput");
    });

    it("maps the alert severity onto PagerDuty's", () => {
      expect(render("notify.pagerduty.severity")).toBe("critical");
    });
  });
});
