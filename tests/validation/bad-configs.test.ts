/**
 * Every bad input is refused before anything is created (issue 10).
 *
 * One table of broken and hostile stack configs, one row per class and
 * variant of problem. Each row runs the real program as `pulumi up` does
 * (program() in the root stack, config through Pulumi's runtime) under mocks
 * that count resource registrations, and asserts:
 *   - it is refused with a ConfigValidationError: a Pulumi RunError, which the
 *     CLI prints as its message alone, without a stack trace;
 *   - zero resources were registered;
 *   - the problem names the config key (or file) in the user's terms, and says
 *     what would be valid.
 */
import { ConfigValidationError, formatProblem } from "../../settings/validate";
import { asConfig, attempt, dashboardsWith } from "./attempt";

const secret = "observability:alerting";
const telegram = { type: "telegram", name: "oncall", chatId: -1001234567890, botToken: "123:abc" };
const slack = (channel: string) => ({ alerting: { receivers: [{ type: "slack", name: "team", channel, apiUrl: "https://hooks.slack.com/services/x" }] } });
const email = (fields: Record<string, string>) => ({
  alerting: { receivers: [{ type: "email", name: "mail", to: "ops@example.com", from: "am@example.com", smarthost: "smtp.example.com:587", ...fields }] },
});
const rules = (file: string) => ({ alerting: { extraRuleFiles: [`tests/validation/fixtures/${file}`] } });
const window = (w: Record<string, unknown>) => ({ alerting: { maintenanceWindows: [{ name: "w", weekdays: ["sunday"], ...w }] } });
const target = (t: Record<string, unknown>) => ({ targets: [{ name: "api", address: "api:8000", component: "api", ...t }] });
const k8s = (k: Record<string, unknown>) => ({ target: "kubernetes", kubernetes: k });
const dashboard = (uid: string) => JSON.stringify({ uid, title: uid, panels: [] });

interface BadCase {
  /** The class of the issue the row belongs to. */
  readonly kind: string;
  readonly what: string;
  /** Top-level keys of the observability namespace, or full `namespace:key` keys. */
  readonly config: Record<string, unknown>;
  /** The key (or file) the problem must name, exactly. */
  readonly key: string;
  /** What the message must say (what is wrong and what would be valid). */
  readonly message: RegExp;
  readonly secret?: boolean;
  /** Stack name (the environment when `environment` is unset). */
  readonly stack?: string;
  /** Dashboard files added to the repository's. */
  readonly dashboards?: Record<string, string>;
}

const CASES: BadCase[] = [
  // --- Go templates: the user's rule files (Prometheus expands labels and annotations) --------
  { kind: "template", what: "an unclosed action in a rule annotation", config: rules("template-unclosed-action.rules.yml"), key: "alerting.extraRuleFiles[0]", message: /rule "TeamQueueStuck": annotations\.summary: Prometheus cannot parse it as a Go template: unclosed action/ },
  { kind: "template", what: "a function Prometheus does not have", config: rules("template-unknown-function.rules.yml"), key: "alerting.extraRuleFiles[0]", message: /function "humanise" not defined/ },
  { kind: "template", what: "a misspelt variable", config: rules("template-undefined-variable.rules.yml"), key: "alerting.extraRuleFiles[0]", message: /undefined variable "\$lables"/ },
  { kind: "template", what: "a template name nobody defines", config: rules("template-unknown-template.rules.yml"), key: "alerting.extraRuleFiles[0]", message: /invokes template "team\.summary", which Prometheus does not define/ },
  { kind: "template", what: "an unterminated string", config: rules("template-unterminated-string.rules.yml"), key: "alerting.extraRuleFiles[0]", message: /unterminated quoted string/ },
  { kind: "template", what: "a stray {{end}}", config: rules("template-stray-end.rules.yml"), key: "alerting.extraRuleFiles[0]", message: /unexpected \{\{end\}\}/ },
  { kind: "template", what: "an unclosed comment", config: rules("template-unclosed-comment.rules.yml"), key: "alerting.extraRuleFiles[0]", message: /unclosed comment/ },
  { kind: "template", what: "an {{else}} outside if/range/with", config: rules("template-else-outside-if.rules.yml"), key: "alerting.extraRuleFiles[0]", message: /unexpected \{\{else\}\}/ },
  // --- Go templates: config Alertmanager expands (Slack channel) --------------------------------
  { kind: "template", what: "a Slack channel with an unclosed action", config: slack("#alerts-{{ .CommonLabels.env"), secret: true, key: "alerting.receivers[0].channel", message: /Alertmanager cannot parse it as a Go template: unclosed action/ },
  { kind: "template", what: "a Slack channel invoking a template the stack does not ship", config: slack('{{ template "team.channel" . }}'), secret: true, key: "alerting.receivers[0].channel", message: /invokes template "team\.channel", which Alertmanager does not define \(it knows "notify\.external_url"/ },
  { kind: "template", what: "a Slack channel with a function Alertmanager does not have", config: slack("#{{ .CommonLabels.team | upper }}"), secret: true, key: "alerting.receivers[0].channel", message: /function "upper" not defined/ },
  { kind: "template", what: "an e-mail recipient Alertmanager would read as an unclosed action", config: email({ to: "{{ops@example.com" }), secret: true, key: "alerting.receivers[0].to", message: /Alertmanager cannot parse it as a Go template/ },
  // --- runbook base URL: a plain http(s) URL ----------------------------------------------------
  { kind: "template", what: "a runbook base URL with template actions", config: { alerting: { runbookBaseUrl: "https://wiki.example.com/{{ $labels.team }}" } }, key: "alerting.runbookBaseUrl", message: /must be a plain URL; '\{\{' and '\}\}' would be read as Go template actions/ },
  { kind: "url", what: "a runbook base URL that is not http(s)", config: { alerting: { runbookBaseUrl: "ftp://wiki.example.com/runbooks" } }, key: "alerting.runbookBaseUrl", message: /must be an http:\/\/ or https:\/\/ URL; got scheme ftp:/ },
  { kind: "url", what: "a runbook base URL with a query", config: { alerting: { runbookBaseUrl: "https://wiki.example.com/r?page=1" } }, key: "alerting.runbookBaseUrl", message: /must not have a query or fragment/ },
  { kind: "url", what: "a runbook base URL with a space", config: { alerting: { runbookBaseUrl: "https://wiki.example.com/run books" } }, key: "alerting.runbookBaseUrl", message: /must not contain spaces or control characters/ },
  { kind: "url", what: "a runbook base URL ending in /", config: { alerting: { runbookBaseUrl: "https://wiki.example.com/runbooks/" } }, key: "alerting.runbookBaseUrl", message: /must not end with '\/'/ },

  // --- time zones of maintenance windows (IANA database) ----------------------------------------
  { kind: "time zone", what: "a misspelt zone", config: window({ location: "Asia/Singapur" }), key: "alerting.maintenanceWindows[0].location", message: /is not an IANA time zone; did you mean 'Asia\/Singapore'\?/ },
  { kind: "time zone", what: "a zone in the wrong case (Go's lookup is case-sensitive)", config: window({ location: "asia/singapore" }), key: "alerting.maintenanceWindows[0].location", message: /the zone is spelt 'Asia\/Singapore'/ },
  { kind: "time zone", what: "Local (the container's zone)", config: window({ location: "Local" }), key: "alerting.maintenanceWindows[0].location", message: /is not an IANA time zone/ },
  { kind: "time zone", what: "an invented zone", config: window({ location: "Mars/Olympus_Mons" }), key: "alerting.maintenanceWindows[0].location", message: /is not an IANA time zone/ },

  // --- keys under a namespace other than the project's -------------------------------------------
  { kind: "namespace", what: "a misspelt project namespace", config: { "observabilty:target": "kubernetes" }, key: "observabilty:target", message: /namespace 'observabilty' is not read by this program; did you mean 'observability:target'\?/ },
  { kind: "namespace", what: "another misspelling, of a structured key", config: { "obsrvability:alerting": { receivers: [] } }, key: "obsrvability:alerting", message: /did you mean 'observability:alerting'\?/ },
  { kind: "namespace", what: "a namespace no provider of the stack reads", config: { "grafna:url": "https://grafana.example.com" }, key: "grafna:url", message: /Keys belong under 'observability:' \(or a provider's: pulumi, docker, kubernetes, random, grafana\)/ },

  // --- Kubernetes naming limits -------------------------------------------------------------------
  { kind: "kubernetes name", what: "a namespace of 64 characters", config: k8s({ namespace: "a".repeat(64) }), key: "kubernetes.namespace", message: /is 64 characters long; at most 63 are valid/ },
  { kind: "kubernetes name", what: "a namespace whose derived node namespace exceeds 63", config: k8s({ namespace: "a".repeat(59) }), key: "kubernetes.namespace", message: /'<namespace>-node' would exceed the 63 a namespace may have/ },
  { kind: "kubernetes name", what: "a namespace in upper case", config: k8s({ namespace: "Observability" }), key: "kubernetes.namespace", message: /expected a DNS-1123 label/ },
  { kind: "kubernetes name", what: "a node namespace of 64 characters", config: k8s({ nodeNamespace: "n".repeat(64) }), key: "kubernetes.nodeNamespace", message: /at most 63 are valid/ },
  { kind: "kubernetes name", what: "an ingress namespace with an underscore", config: k8s({ ingressNamespace: "ingress_nginx" }), key: "kubernetes.ingressNamespace", message: /expected a DNS-1123 label/ },
  { kind: "kubernetes name", what: "an environment of 64 characters", config: { environment: "e".repeat(64) }, key: "environment", message: /at most 63/ },
  { kind: "kubernetes name", what: "an environment ending in '-'", config: { environment: "prod-" }, key: "environment", message: /starting and ending with a letter or digit/ },
  { kind: "kubernetes name", what: "an environment in upper case", config: { environment: "Prod" }, key: "environment", message: /lower-case letters, digits and '-'/ },
  { kind: "kubernetes name", what: "a StorageClass with an underscore", config: k8s({ storageClass: "fast_ssd" }), key: "kubernetes.storageClass", message: /expected a Kubernetes object name/ },
  { kind: "kubernetes name", what: "an IngressClass with a space", config: k8s({ ingressClass: "nginx public", ingressDomain: "obs.example.com" }), key: "kubernetes.ingressClass", message: /expected a Kubernetes object name/ },
  { kind: "kubernetes name", what: "a TLS secret name in upper case", config: k8s({ ingressClass: "nginx", ingressDomain: "obs.example.com", tlsSecretName: "Obs-TLS" }), key: "kubernetes.tlsSecretName", message: /expected a Kubernetes object name/ },
  { kind: "kubernetes name", what: "an ingress domain in upper case", config: k8s({ ingressClass: "nginx", ingressDomain: "Obs.Example.com" }), key: "kubernetes.ingressDomain", message: /must be a DNS name of lower-case letters/ },
  { kind: "kubernetes name", what: "an ingress domain with a 64-character label", config: k8s({ ingressClass: "nginx", ingressDomain: `${"d".repeat(64)}.example.com` }), key: "kubernetes.ingressDomain", message: /longer than the 63 characters DNS allows/ },
  { kind: "kubernetes name", what: "an ingress domain with a path", config: k8s({ ingressClass: "nginx", ingressDomain: "obs.example.com/grafana" }), key: "kubernetes.ingressDomain", message: /must be a DNS name/ },

  // --- addresses, ports, paths, URLs ----------------------------------------------------------------
  { kind: "address", what: "a target on port 0", config: target({ address: "api:0" }), key: "targets[0].address", message: /port 0 is out of range; a port is from 1 to 65535/ },
  { kind: "address", what: "a target on port 70000", config: target({ address: "api:70000" }), key: "targets[0].address", message: /port 70000 is out of range/ },
  { kind: "address", what: "a target with two ports", config: target({ address: "api:80:81" }), key: "targets[0].address", message: /must be host:port/ },
  { kind: "address", what: "a target host with a space", config: target({ address: "my api:80" }), key: "targets[0].address", message: /must be host:port/ },
  { kind: "address", what: "a bind address that is no IP", config: { docker: { bindAddress: "999.1.1.1" } }, key: "docker.bindAddress", message: /must be an IPv4 or IPv6 address/ },
  { kind: "address", what: "a bind address given as a host name", config: { docker: { bindAddress: "localhost" } }, key: "docker.bindAddress", message: /must be an IPv4 or IPv6 address/ },
  { kind: "address", what: "a host port of 0", config: { prometheus: { hostPort: 0 } }, key: "prometheus.hostPort", message: /0 is out of range; must be a port number from 1 to 65535/ },
  { kind: "address", what: "an SMTP smarthost on port 99999", config: email({ smarthost: "smtp.example.com:99999" }), secret: true, key: "alerting.receivers[0].smarthost", message: /port 99999 is out of range/ },
  { kind: "path", what: "a health path with a space", config: target({ healthPaths: ["/health check"] }), key: "targets[0].healthPaths[0]", message: /must not contain spaces or control characters \(percent-encode them/ },
  { kind: "path", what: "a health path with a control character", config: target({ healthPaths: ["/health\u0007"] }), key: "targets[0].healthPaths[0]", message: /must not contain spaces or control characters/ },
  { kind: "path", what: "a health path without its leading /", config: target({ healthPaths: ["health"] }), key: "targets[0].healthPaths[0]", message: /must start with \// },
  { kind: "path", what: "a metrics path with a tab", config: target({ metricsPath: "/metrics\t" }), key: "targets[0].metricsPath", message: /must not contain spaces or control characters/ },
  { kind: "url", what: "a probe URL with a space", config: { probes: [{ name: "site", url: "https://example.com/a page" }] }, key: "probes[0].url", message: /must not contain spaces or control characters/ },
  { kind: "url", what: "a probe URL with a newline (header injection)", config: { probes: [{ name: "site", url: "https://example.com/\nHost: evil" }] }, key: "probes[0].url", message: /must not contain spaces or control characters/ },
  { kind: "url", what: "a probe URL of another scheme", config: { probes: [{ name: "site", url: "javascript:alert(1)" }] }, key: "probes[0].url", message: /must be an http:\/\/ or https:\/\/ URL/ },

  // --- durations ----------------------------------------------------------------------------------
  { kind: "duration", what: "a retention longer than Prometheus can hold", config: { prometheus: { retention: "999999999y" } }, key: "prometheus.retention", message: /longer than Prometheus can hold \(about 292 years\)/ },
  { kind: "duration", what: "a 300-year SLO window", config: { alerting: { slos: [{ name: "api", objective: 99.9, window: "300y", kind: "availability", target: "site" }] }, probes: [{ name: "site", url: "https://example.com/" }] }, key: "alerting.slos[0].window", message: /longer than Prometheus can hold/ },
  { kind: "duration", what: "a threshold duration out of range", config: { alerting: { thresholds: { queueOldestPendingFor: "99999999999h" } } }, key: "alerting.thresholds.queueOldestPendingFor", message: /longer than Prometheus can hold/ },
  { kind: "duration", what: "a scrape interval of 0s", config: { prometheus: { scrapeInterval: "0s" } }, key: "prometheus.scrapeInterval", message: /0s is zero; must be above zero/ },
  { kind: "duration", what: "an evaluation interval of 0m", config: { prometheus: { evaluationInterval: "0m" } }, key: "prometheus.evaluationInterval", message: /0m is zero; must be above zero/ },
  { kind: "duration", what: "a target scrape interval of 0s", config: target({ scrapeInterval: "0s" }), key: "targets[0].scrapeInterval", message: /is zero/ },
  { kind: "duration", what: "a Loki retention of 0h", config: { loki: { retention: "0h" } }, key: "loki.retention", message: /is zero/ },

  // --- e-mail receivers ------------------------------------------------------------------------------
  { kind: "email", what: "a list with one bad address", config: email({ to: "ops@example.com, not-an-address" }), secret: true, key: "alerting.receivers[0].to", message: /'not-an-address' is not an e-mail address/ },
  { kind: "email", what: "a doubled @", config: email({ to: "ops@@example.com" }), secret: true, key: "alerting.receivers[0].to", message: /is not an e-mail address/ },
  { kind: "email", what: "a list as sender", config: email({ from: "a@example.com, b@example.com" }), secret: true, key: "alerting.receivers[0].from", message: /must be a single address/ },
  { kind: "email", what: "a sender with a space in the domain", config: email({ from: "Ops <ops@ex ample.com>" }), secret: true, key: "alerting.receivers[0].from", message: /is not an e-mail address/ },

  // --- dashboards --------------------------------------------------------------------------------------
  { kind: "dashboard", what: "two files stored under one ConfigMap key", config: {}, dashboards: { "team board.json": dashboard("team-a"), "team_board.json": dashboard("team-b") }, key: "dashboards/team_board.json", message: /same ConfigMap key .* as dashboards\/team board\.json/ },
  { kind: "dashboard", what: "two files that differ only in case", config: {}, dashboards: { "Team.json": dashboard("team-upper"), "team.json": dashboard("team-lower") }, key: "dashboards/team.json", message: /differs from dashboards\/Team\.json only in case/ },

  // --- refused before: the stack name as environment, and what the builders used to check ---------
  { kind: "moved up front", what: "a stack name that is no valid environment", config: {}, stack: "c99_Staging", key: "environment", message: /is unset, so the stack name "c99_Staging" would be used.*pulumi config set observability:environment c99-staging/ },
  { kind: "moved up front", what: "a receiver named null", config: { alerting: { receivers: [{ ...telegram, name: "null" }] } }, secret: true, key: "alerting.receivers[0].name", message: /'null' is reserved/ },
  { kind: "moved up front", what: "a receiver named deadmans-switch", config: { alerting: { receivers: [{ ...telegram, name: "deadmans-switch" }] } }, secret: true, key: "alerting.receivers[0].name", message: /'deadmans-switch' is reserved/ },
  { kind: "moved up front", what: "a Telegram chat id of 0", config: { alerting: { receivers: [{ ...telegram, chatId: 0 }] } }, secret: true, key: "alerting.receivers[0].chatId", message: /must be a non-zero Telegram chat id/ },
  { kind: "moved up front", what: "a window ending before it starts", config: window({ times: [{ start: "22:00", end: "02:00" }] }), key: "alerting.maintenanceWindows[0].times[0]", message: /start 22:00 is not before end 02:00.*two ranges/ },
  { kind: "moved up front", what: "a weekday range running backwards", config: window({ weekdays: ["friday:monday"] }), key: "alerting.maintenanceWindows[0].weekdays[0]", message: /runs backwards/ },
  { kind: "moved up front", what: "a window with no weekdays, times, days of the month or months", config: { alerting: { maintenanceWindows: [{ name: "always", matchers: ['component="worker"'] }] } }, key: "alerting.maintenanceWindows[0]", message: /needs weekdays, times, daysOfMonth or months; a window without any would mute every notification forever/ },
  // --- maintenance windows by day of the month, month, alert and severity (what Alertmanager refuses) --
  { kind: "maintenance window", what: "day 0", config: window({ daysOfMonth: ["0"] }), key: "alerting.maintenanceWindows[0].daysOfMonth[0]", message: /"0" is not valid; expected a day 1 to 31, or -31 to -1 counting from the month's end/ },
  { kind: "maintenance window", what: "day 32", config: window({ daysOfMonth: ["1:32"] }), key: "alerting.maintenanceWindows[0].daysOfMonth[0]", message: /"1:32" is not valid; expected a day 1 to 31/ },
  { kind: "maintenance window", what: "a day named, not numbered", config: window({ daysOfMonth: ["last"] }), key: "alerting.maintenanceWindows[0].daysOfMonth[0]", message: /"last" is not valid; expected .*-31 to -1 counting from the month's end/ },
  { kind: "maintenance window", what: "a day range running backwards", config: window({ daysOfMonth: ["7:1"] }), key: "alerting.maintenanceWindows[0].daysOfMonth[0]", message: /7:1 runs backwards; Alertmanager refuses the whole config/ },
  { kind: "maintenance window", what: "a range from the month's end to a day of the month", config: window({ daysOfMonth: ["-3:5"] }), key: "alerting.maintenanceWindows[0].daysOfMonth[0]", message: /-3:5: a range starting from the month's end must end there too \(e\.g\. -7:-1\)/ },
  { kind: "maintenance window", what: "a range from the month's end running backwards", config: window({ daysOfMonth: ["-1:-7"] }), key: "alerting.maintenanceWindows[0].daysOfMonth[0]", message: /-1:-7 runs backwards/ },
  { kind: "maintenance window", what: "month 13", config: window({ months: ["13"] }), key: "alerting.maintenanceWindows[0].months[0]", message: /"13" is not valid; expected a month \(january or 1\) or a range such as january:march/ },
  { kind: "maintenance window", what: "an abbreviated month", config: window({ months: ["jan"] }), key: "alerting.maintenanceWindows[0].months[0]", message: /"jan" is not valid; expected a month \(january or 1\)/ },
  { kind: "maintenance window", what: "a month range across the new year", config: window({ months: ["november:february"] }), key: "alerting.maintenanceWindows[0].months[0]", message: /november:february runs backwards \(years start in january\).*november:december and january:february/ },
  { kind: "maintenance window", what: "a matcher without quotes", config: window({ matchers: ["component=worker"] }), key: "alerting.maintenanceWindows[0].matchers[0]", message: /is not one Alertmanager matcher; write label, operator \(=, !=, =~ or !~\) and a double-quoted value, e.g. component="worker"/ },
  { kind: "maintenance window", what: "two matchers in one entry", config: window({ matchers: ['component="worker", env="prod"'] }), key: "alerting.maintenanceWindows[0].matchers[0]", message: /is not one Alertmanager matcher/ },
  { kind: "maintenance window", what: "a matcher regex RE2 cannot compile", config: window({ matchers: ['component=~"(?!api).*"'] }), key: "alerting.maintenanceWindows[0].matchers[0]", message: /its regular expression uses a lookaround, which Go's RE2/ },
  { kind: "maintenance window", what: "an unknown severity", config: window({ severities: ["page"] }), key: "alerting.maintenanceWindows[0].severities[0]", message: /must be one of 'critical', 'warning', 'info'; got string "page"/ },
  { kind: "moved up front", what: "a label listed twice in groupBy", config: { alerting: { groupBy: ["alertname", "job", "alertname"] } }, key: "alerting.groupBy[2]", message: /'alertname' is already listed at alerting\.groupBy\[0\]/ },
  { kind: "moved up front", what: "a rule pack listed twice", config: { alerting: { rulePacks: ["host", "host"] } }, key: "alerting.rulePacks", message: /"host" is listed twice/ },
  { kind: "moved up front", what: "a Loki rule option out of range", config: { alerting: { thresholds: { errorLogSpikeFactor: 1 } } }, key: "alerting.thresholds.errorLogSpikeFactor", message: /must be greater than 1/ },
];

describe("every bad input is refused before any resource is registered", () => {
  it(`covers at least 60 cases across every class of the issue`, () => {
    expect(CASES.length).toBeGreaterThanOrEqual(60);
    expect(new Set(CASES.map((c) => c.kind))).toEqual(
      new Set(["template", "url", "time zone", "namespace", "kubernetes name", "address", "path", "duration", "email", "dashboard", "moved up front", "maintenance window"]),
    );
  });

  it.each(CASES.map((c) => [`${c.kind}: ${c.what}`, c] as const))("%s", async (_name, c) => {
    const dir = c.dashboards ? dashboardsWith(c.dashboards) : undefined;
    const run = await attempt(asConfig(c.config), c.secret ? [secret] : [], c.stack ?? "test", dir);
    expect(run.error).toBeInstanceOf(ConfigValidationError);
    const error = run.error as ConfigValidationError;
    expect(run.registered).toEqual([]);
    const problem = error.problems.find((p) => p.key === c.key);
    if (!problem) throw new Error(`no problem at ${c.key}; got:\n${error.message}`);
    expect(problem.message).toMatch(c.message);
    // The CLI prints a RunError's message alone; it holds no stack frames and no raw control bytes.
    expect(error.message).not.toMatch(/^\s+at /m);
    expect(error.message).not.toMatch(/[\u0000-\u0009\u000b-\u001f\u007f]/);
    expect(error.message).toContain(formatProblem(problem));
  });
});

describe("one round", () => {
  it("reports per-key, cross-key and dashboard problems together", async () => {
    const dir = dashboardsWith({ "a b.json": dashboard("ab-1"), "a_b.json": dashboard("ab-2") });
    const run = await attempt(
      asConfig({
        prometheus: { scrapeInterval: "15x" },
        grafana: { hostPort: 9090 },
        alerting: { slos: [{ name: "api", objective: 100, kind: "errorRate", target: "ghost" }], maintenanceWindows: [{ name: "w", location: "Asia/Singapur" }] },
        "observabilty:target": "docker",
      }),
      [],
      "c99_Staging",
      dir,
    );
    expect(run.registered).toEqual([]);
    const keys = (run.error as ConfigValidationError).problems.map((p) => p.key);
    expect(keys).toEqual(
      expect.arrayContaining([
        "observabilty:target", // namespace
        "prometheus.scrapeInterval", // per key
        "alerting.maintenanceWindows[0].location", // per key (time zone)
        "environment", // the stack name
        "grafana.hostPort", // cross key: port collision
        "alerting.slos[0].objective", // cross key: SLO
        "alerting.slos[0].target",
        "alerting.maintenanceWindows[0]", // what the Alertmanager builder needs
        "dashboards/a_b.json", // dashboards
      ]),
    );
  });

  it("proves no config error surfaces after the first registration: every bad case above registered nothing, and a good config registers the stack", async () => {
    const good = await attempt(asConfig({ alerting: { receivers: [telegram], deadMansSwitch: "oncall" } }), [secret], "dev");
    expect(good.error).toBeUndefined();
    expect(good.registered.length).toBeGreaterThan(20);
  });
});
