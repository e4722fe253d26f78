/**
 * The Go template parser (configs/go-template.ts) agrees with the real tools:
 * for every snippet, it refuses exactly what promtool 2.42 refuses in a rule
 * annotation, and what amtool 0.25 refuses as notification text; and it
 * accepts the templates the stack itself ships.
 */
import { spawnSync } from "child_process";
import * as fs from "fs";
import * as os from "os";
import * as path from "path";
import { stringify } from "yaml";
import { notificationsTemplate } from "../../configs/alertmanager/templates";
import { parseTemplate, PROMETHEUS_DIALECT, templateProblem } from "../../configs/go-template";
import { stackAlertmanagerDialect } from "../../settings/alerting";

const dir = fs.mkdtempSync(path.join(os.tmpdir(), "go-template-"));
afterAll(() => fs.rmSync(dir, { recursive: true, force: true }));

/** promtool's verdict on `text` as an alert annotation: undefined when it accepts it, else its message. */
function promtool(text: string): string | undefined {
  const file = path.join(dir, "rule.yml");
  fs.writeFileSync(file, stringify({ groups: [{ name: "g", rules: [{ alert: "A", expr: "up == 0", annotations: { summary: text } }] }] }));
  const r = spawnSync("promtool", ["check", "rules", file], { encoding: "utf8" });
  if (r.error) throw new Error(`promtool is required (apt-get install -y prometheus): ${r.error.message}`);
  return r.status === 0 ? undefined : `${r.stdout}${r.stderr}`;
}

// Each snippet is a case of the grammar; the expectation is whether Prometheus parses it.
const PROMETHEUS_SNIPPETS: readonly string[] = [
  "plain text, no action",
  "{{ $labels.instance }} is down",
  "{{ $value | humanize }}",
  "{{ humanizePercentage $value }} of {{ $externalLabels.env }} at {{ $externalURL }}",
  "{{ with query \"up\" }}{{ . | first | value }}{{ end }}",
  "{{ if eq $labels.job \"api\" }}a{{ else if $labels.x }}b{{ else }}c{{ end }}",
  "{{ range $i, $v := $labels }}{{ $i }}={{ $v }}{{ end }}",
  "{{ range $labels }}{{ break }}{{ end }}",
  "{{/* a comment */}}x{{- /* trimmed */ -}}y",
  "{{ `raw {{ text }}` }} and {{ \"esc\\\"aped\" }} and {{ 'c' }}",
  "{{ 0x1F }} {{ 1e3 }} {{ -3 }} {{ .5 }} {{ 1_000 }}",
  "{{ define \"x\" }}d{{ end }}{{ template \"x\" . }}",
  "{{ $x := 1 }}{{ $x = 2 }}{{ $x }}",
  "{{ printf \"%s\" (index $labels \"a-b\") | toUpper }}",
  "{{ $ }} {{ $.Labels.job }} {{ .Value }}",
  "{{\n$labels.multi\n}}",
  "{{",
  "{{ $labels.x",
  "{{ nope }}",
  "{{ $undefined }}",
  "{{ if }}",
  "{{ end }}",
  "{{ else }}",
  "{{ if .A }}never closed",
  "{{ break }}",
  "{{/* open",
  "{{/* c */ }}",
  "{{ /* c */ }}",
  "{{ \"open }}",
  "{{ `open }}",
  "{{ 'ab' }}",
  "{{ 08 }}",
  "{{ 3x }}",
  "{{ .A | \"lit\" }}",
  "{{ (len .A }}",
  "{{ len .A) }}",
  "{{ len(.A) }}",
  "{{ if .A }}{{ define \"x\" }}{{ end }}{{ end }}",
  "{{ if true }}{{ $y := 1 }}{{ end }}{{ $y }}",
  "{{ define \"d\" }}{{ $labels }}{{ end }}",
  "{{ with .A }}x{{ else with .B }}y{{ end }}",
  "{{ if .A }}{{ else }}{{ else }}{{ end }}",
  "{{ #x }}",
  "{{ \"a\\qb\" }}",
  "{{ range $a, $b, $c := . }}{{ end }}",
];

describe("the Go template parser agrees with promtool on alert annotations", () => {
  it.each(PROMETHEUS_SNIPPETS.map((s) => [JSON.stringify(s), s] as const))("%s", (_name, snippet) => {
    const real = promtool(snippet);
    const ours = templateProblem(snippet, PROMETHEUS_DIALECT);
    if ((real === undefined) !== (ours === undefined)) {
      throw new Error(`disagree on ${JSON.stringify(snippet)}:\n  promtool: ${real ?? "accepted"}\n  ours: ${ours ?? "accepted"}`);
    }
  });

  it("also refuses, unlike promtool, a template name nobody defines: Prometheus would fail at every evaluation", () => {
    const snippet = '{{ template "summary" . }}';
    expect(promtool(snippet)).toBeUndefined();
    expect(templateProblem(snippet, PROMETHEUS_DIALECT)).toMatch(/invokes template "summary", which Prometheus does not define/);
  });
});

describe("the Go template parser agrees with amtool on notification text", () => {
  const tmpl = path.join(dir, "notifications.tmpl");
  beforeAll(() => fs.writeFileSync(tmpl, notificationsTemplate("http://alertmanager:9093")));

  /** amtool's parse verdict: it also executes the text, so only parse errors and unknown templates count. */
  function amtool(text: string): string | undefined {
    const r = spawnSync("amtool", ["template", "render", `--template.glob=${tmpl}`, `--template.text=${text}`], { encoding: "utf8" });
    if (r.error) throw new Error(`amtool is required (apt-get install -y prometheus-alertmanager): ${r.error.message}`);
    if (r.status === 0) return undefined;
    const parseError = /template: :\d+:(?!\d+: executing)|template ".*" not defined/.test(r.stderr);
    return parseError ? r.stderr : undefined;
  }

  const SNIPPETS = [
    "#alerts",
    "#alerts-{{ .CommonLabels.env }}",
    '{{ template "notify.severity" . }}-alerts',
    "{{ .CommonLabels.team | toLower }}",
    '{{ reReplaceAll "-" "_" .Receiver }}',
    "#alerts-{{ .CommonLabels.env",
    '{{ template "team.channel" . }}',
    "{{ .CommonLabels.team | upper }}",
    "{{ trimSpace .Receiver }}", // Alertmanager 0.26 added trimSpace; 0.25, the checker, has not
    "{{ end }}",
  ];
  it.each(SNIPPETS.map((s) => [JSON.stringify(s), s] as const))("%s", (_name, snippet) => {
    const real = amtool(snippet);
    const ours = templateProblem(snippet, stackAlertmanagerDialect());
    if ((real === undefined) !== (ours === undefined)) {
      throw new Error(`disagree on ${JSON.stringify(snippet)}:\n  amtool: ${real ?? "accepted"}\n  ours: ${ours ?? "accepted"}`);
    }
  });
});

describe("the templates the stack ships", () => {
  it("notifications.tmpl parses, and every template it invokes is one it defines", () => {
    const parsed = parseTemplate(notificationsTemplate("https://alertmanager.example.com"), stackAlertmanagerDialect());
    expect(parsed.defines).toEqual(expect.arrayContaining(["notify.telegram.message", "notify.slack.title", "notify.email.html"]));
    for (const name of parsed.invokes) expect(parsed.defines).toContain(name);
  });
});
