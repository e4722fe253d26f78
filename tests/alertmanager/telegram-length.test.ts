/**
 * Telegram rejects messages over 4096 characters, and Alertmanager's
 * notifier cuts longer ones to 4096 runes of raw text (splitting an HTML tag,
 * so Telegram then rejects the message). A big group must therefore still
 * render short: the Telegram template is executed by amtool on groups of 30
 * alerts carrying the longest annotations of the real rule catalog, with the
 * stack's default runbook base and Prometheus generator URLs of the real
 * expressions. Slack's text limit is ten times larger; the same groups check
 * its cap too.
 */
import * as path from "path";
import { ALERTMANAGER_TEMPLATE_PATH, alertmanagerConfig } from "../../configs/alertmanager/alertmanager";
import { isAlertRule, ruleCatalog, type AlertRule } from "../../configs/prometheus/rules";
import { DEFAULT_OPTIONS, TEST_SLOS } from "../rules/fixtures";
import { removeTempDirs, renderTemplate, requireAmtool, writeRendered } from "./amtool";
import { everyIntegration } from "./fixtures";

beforeAll(requireAmtool);
afterAll(removeTempDirs);

const TELEGRAM_LIMIT = 4096;
const dir = writeRendered(alertmanagerConfig(everyIntegration).files);
const templatePath = path.join(dir, ALERTMANAGER_TEMPLATE_PATH);

/** The stack's default runbook base (settings/schema.ts), longer than the test one. */
const RUNBOOK_BASE = "https://github.com/tutordex/observability/blob/main/docs/runbooks";
const rules: AlertRule[] = ruleCatalog({ ...DEFAULT_OPTIONS, collectorStalledEnabled: true, slos: TEST_SLOS, runbookBaseUrl: RUNBOOK_BASE })
  .flatMap((f) => f.groups.flatMap((g) => g.rules.filter(isAlertRule)));

/** Annotations as Prometheus would send them: every template expanded to a long-ish value. */
function expand(text: string): string {
  return text.replace(/\{\{[^}]*\$value[^}]*\}\}/g, "12345.67").replace(/\{\{[^}]*\}\}/g, "worker-7f9c6d5b8-xk2lq.tutordex.internal:9100");
}

const annotationLength = (r: AlertRule): number => Object.values(r.annotations ?? {}).join("").length;
const longest = [...rules].sort((a, b) => annotationLength(b) - annotationLength(a));

function alertFrom(r: AlertRule, i: number, status: "firing" | "resolved") {
  const annotations: Record<string, string> = {};
  for (const [k, v] of Object.entries(r.annotations ?? {})) annotations[k] = expand(v);
  return {
    status,
    labels: { ...r.labels, alertname: r.alert, instance: `host-${i}.tutordex.internal:9100`, component: "host" },
    annotations,
    startsAt: "2026-01-01T00:00:00Z",
    endsAt: status === "firing" ? "0001-01-01T00:00:00Z" : "2026-01-01T01:00:00Z",
    generatorURL: `https://prometheus.example.com/graph?g0.expr=${encodeURIComponent(r.expr)}&g0.tab=1`,
    fingerprint: `f${i}`,
  };
}

function group(firing: number, resolved: number) {
  const alerts = Array.from({ length: firing + resolved }, (_, i) =>
    alertFrom(longest[i % longest.length] as AlertRule, i, i < firing ? "firing" : "resolved"),
  );
  return {
    receiver: "telegram-oncall",
    status: firing > 0 ? "firing" : "resolved",
    externalURL: "https://alertmanager.example.com",
    groupLabels: { component: "host", instance: "host-0.tutordex.internal:9100" },
    commonLabels: { component: "host" },
    commonAnnotations: {},
    alerts,
  };
}

function telegram(data: unknown): string {
  const run = renderTemplate(templatePath, "notify.telegram.message", data);
  if (run.status !== 0) throw new Error(`rendering failed: ${run.stdout}${run.stderr}`);
  return run.stdout;
}

const runes = (s: string): number => [...s].length;

/** What Telegram shows: tags removed, the entities Go's `html` emits decoded. */
function visible(html: string): string {
  return html
    .replace(/<[^>]*>/g, "")
    .replace(/&lt;/g, "<")
    .replace(/&gt;/g, ">")
    .replace(/&#34;|&quot;/g, '"')
    .replace(/&#39;/g, "'")
    .replace(/&amp;/g, "&");
}

/** Problems with tag nesting; empty when every tag is closed in order. */
function unbalanced(html: string): string[] {
  const stack: string[] = [];
  const problems: string[] = [];
  for (const m of html.matchAll(/<(\/?)([a-z]+)[^>]*>/g)) {
    const [, closing, tag] = m as unknown as [string, string, string];
    if (!closing) stack.push(tag);
    else if (stack.pop() !== tag) problems.push(`</${tag}> at ${m.index}`);
  }
  return [...problems, ...stack.map((t) => `<${t}> never closed`)];
}

describe("Telegram message of a large group", () => {
  it("uses the longest real annotations (the fixture is not trivially short)", () => {
    expect(rules.length).toBeGreaterThan(30);
    const longestDescription = Math.max(...rules.map((r) => r.annotations?.description?.length ?? 0));
    expect(longestDescription).toBeGreaterThan(200);
  });

  it.each([
    ["30 firing", 30, 0],
    ["22 firing, 8 resolved", 22, 8],
    ["30 resolved", 0, 30],
  ])("%s: stays under 4096 runes, raw and visible, with balanced HTML", (_label, firing, resolved) => {
    const m = telegram(group(firing, resolved));
    expect(runes(visible(m))).toBeLessThan(TELEGRAM_LIMIT);
    // Alertmanager truncates the raw text, tags included, so that must fit too.
    expect(runes(m)).toBeLessThan(TELEGRAM_LIMIT);
    expect(unbalanced(m)).toEqual([]);
  });

  it("lists 8 firing alerts, then links the rest as '+N more'", () => {
    const m = telegram(group(30, 0));
    expect(m.match(/🔴/g)).toHaveLength(8);
    expect(m).toContain('<a href="https://alertmanager.example.com/#/alerts?receiver=telegram-oncall">+22 more firing</a>');
    expect(m.split("\n")[0]).toBe("🔥 <b>[FIRING:30] </b> (mixed)");
  });

  it("drops descriptions and Source links in a large group, keeps summaries and runbooks", () => {
    const data = group(30, 0);
    const m = telegram(data);
    const first = data.alerts[0]!;
    expect(m).not.toContain(visibleHtml(first.annotations.description ?? "nothing"));
    expect(m).not.toContain(">Source</a>");
    expect(m).toContain(visibleHtml(first.annotations.summary ?? "missing summary"));
    expect(m).toContain(`<a href="${RUNBOOK_BASE}/${first.labels.alertname}.md">runbook</a>`);
  });

  it("counts resolved alerts and names at most 5 of them", () => {
    const data = group(22, 8);
    const m = telegram(data);
    const line = m.split("\n").find((l) => l.startsWith("🟢"));
    expect(line).toBeDefined();
    expect(line).toMatch(/^🟢 <b>8 resolved<\/b>: [^,]+(, [^,]+){4} and 3 more$/);
    expect(line).toContain(data.alerts[22]!.labels.alertname);
  });

  it("keeps full detail (description, Source) for a group of 3", () => {
    const data = group(2, 1);
    const m = telegram(data);
    expect(m).toContain(`<i>${visibleHtml(data.alerts[0]!.annotations.description ?? "missing")}</i>`);
    expect(m.match(/>Source<\/a>/g)).toHaveLength(3);
    expect(m).toContain("🟢 <b>");
  });
});

/** Go's `html` escaping of alert text, for matching it inside the message. */
function visibleHtml(s: string): string {
  return s.replace(/&/g, "&amp;").replace(/</g, "&lt;").replace(/>/g, "&gt;").replace(/"/g, "&#34;").replace(/'/g, "&#39;");
}

describe("Slack message of a large group", () => {
  it("lists 20 alerts, links the rest, and stays far under Slack's 40,000-character text limit", () => {
    const run = renderTemplate(templatePath, "notify.slack.text", group(90, 10));
    expect(run.status).toBe(0);
    expect(run.stdout.match(/:red_circle:|:large_green_circle:/g)).toHaveLength(20);
    expect(run.stdout).toContain("<https://alertmanager.example.com/#/alerts?receiver=telegram-oncall|+80 more>");
    expect(run.stdout).not.toContain("|Source>");
    expect(runes(run.stdout)).toBeLessThan(40_000 / 2);
  });

  it("keeps Source links for a group of 3", () => {
    const run = renderTemplate(templatePath, "notify.slack.text", group(3, 0));
    expect(run.stdout.match(/\|Source>/g)).toHaveLength(3);
  });
});
