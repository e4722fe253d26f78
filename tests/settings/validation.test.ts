import { problemsOf } from "./problems";
import { SecretValue } from "../../settings/fields";
import { ruleCatalogOptions } from "../../settings/rules";
import { validateSettings } from "../../settings/validate";

/** Validate raw config (top-level keys without namespace); `secret` lists keys held as Pulumi secrets. */
function validate(values: Record<string, unknown>, secret: string[] = []) {
  return validateSettings({ values, secretKeys: new Set(secret) });
}

const telegram = { type: "telegram", name: "oncall", chatId: -100123, botToken: "123:abc" };

describe("stack config validation", () => {
  describe("accepts", () => {
    it("an empty config, filling every default", () => {
      const s = validate({});
      expect(s.target).toBe("docker");
      expect(s.logAgent).toBe("alloy");
      expect(s.docker.bindAddress).toBe("127.0.0.1");
      expect(s.prometheus).toMatchObject({ retention: "15d", scrapeInterval: "15s", evaluationInterval: "30s", hostPort: 9090 });
      expect(s.grafana).toMatchObject({ hostPort: 3300, adminUser: "admin", adminPassword: undefined });
      expect(s.alerting.groupBy).toEqual(["alertname", "component", "pipeline_version"]);
      expect(s.alerting.collectorStalledEnabled).toBe(false);
    });

    it("a receiver whose secret is held as a Pulumi secret, wrapping it so it never prints", () => {
      const s = validate({ alerting: { receivers: [telegram] } }, ["alerting"]);
      const r = s.alerting.receivers[0];
      expect(r.type).toBe("telegram");
      if (r.type !== "telegram") throw new Error("unreachable");
      expect(r.botToken).toBeInstanceOf(SecretValue);
      expect(r.botToken.reveal()).toBe("123:abc");
      expect(`${r.botToken}`).toBe("[secret]");
      expect(JSON.stringify(s)).not.toContain("123:abc");
    });

    it("numbers, booleans and JSON as `pulumi config set --path` stores them (decimals and JSON arrive as text)", () => {
      const s = validate({
        alerting: {
          thresholds: { llmFailureRatePerS: "0.5" },
          collectorStalledEnabled: "true",
          slos: '[{"name":"api","objective":"99.9","window":"30d","kind":"availability","target":"tutordex_backend"}]',
        },
        loki: { hostPort: "3101" },
        targets: [{ name: "tutordex_backend", address: "backend:8000", component: "backend", healthPaths: ["/health"] }],
      });
      expect(s.alerting.thresholds).toEqual({ llmFailureRatePerS: 0.5 });
      expect(s.alerting.collectorStalledEnabled).toBe(true);
      expect(s.alerting.slos[0]).toMatchObject({ name: "api", objective: 99.9 });
      expect(s.loki.hostPort).toBe(3101);
    });

    it("threshold overrides with the type of their default", () => {
      const s = validate({ alerting: { thresholds: { llmFailureRatePerS: 0.5 } } });
      expect(s.alerting.thresholds).toEqual({ llmFailureRatePerS: 0.5 });
    });
  });

  describe("rejects, naming the key and what would be valid", () => {
    const cases: [string, Record<string, unknown>, RegExp, string[]?][] = [
      ["an unknown top-level key, suggesting the closest", { promethues: {} }, /^promethues: unknown key; did you mean 'prometheus'\?/],
      ["an unknown nested key, suggesting the closest", { prometheus: { retenton: "30d" } }, /^prometheus\.retenton: unknown key; did you mean 'retention'\?/],
      ["a target that is not docker or kubernetes", { target: "k8s" }, /^target: must be one of 'docker', 'kubernetes'; got string "k8s"/],
      ["a duration with a bad unit", { prometheus: { scrapeInterval: "15x" } }, /^prometheus\.scrapeInterval: must be a duration such as 30s.*got string "15x"/],
      ["a port out of range", { grafana: { hostPort: 70000 } }, /^grafana\.hostPort: 70000 is out of range; must be a port number from 1 to 65535/],
      ["a port of the wrong type", { loki: { hostPort: "loki" } }, /^loki\.hostPort: must be a port number from 1 to 65535; got string "loki"/],
      ["a decimal that is not a number, even as text", { alerting: { thresholds: { llmFailureRatePerS: "half" } } }, /^alerting\.thresholds\.llmFailureRatePerS: must be a number; got string "half"/],
      ["two services on one host port", { grafana: { hostPort: 9090 } }, /^grafana\.hostPort: host port 9090 is already taken by prometheus\.hostPort/],
      [
        "duplicate target names",
        { targets: [{ name: "api", address: "api:80", component: "api" }, { name: "api", address: "api2:80", component: "api" }] },
        /^targets\[1\]\.name: duplicate name "api" \(also at targets\[0\]\)/,
      ],
      ["a target address without a port", { targets: [{ name: "api", address: "api", component: "api" }] }, /^targets\[0\]\.address: "api" is not valid: must be host:port/],
      ["a target missing a required key", { targets: [{ name: "api", address: "api:80" }] }, /^targets\[0\]\.component: is required/],
      ["a target named like a job of the stack", { targets: [{ name: "prometheus", address: "x:1", component: "x" }] }, /^targets\[0\]\.name: 'prometheus' is a job of the stack itself/],
      ["a receiver without its secret", { alerting: { receivers: [{ type: "telegram", name: "oncall", chatId: 1 }] } }, /^alerting\.receivers\[0\]\.botToken: is required; set it with: pulumi config set --secret --path 'observability:alerting\.receivers\[0\]\.botToken'/],
      ["a secret written in plain text in the stack file", { alerting: { receivers: [telegram] } }, /^alerting\.receivers\[0\]\.botToken: is stored in plain text in the stack file/],
      ["a receiver of an unknown type, suggesting the closest", { alerting: { receivers: [{ type: "telegarm", name: "x" }] } }, /^alerting\.receivers\[0\]\.type: must be one of 'telegram', 'slack', 'pagerduty', 'email', 'webhook'.*did you mean 'telegram'/],
      ["a dead man's switch naming no receiver", { alerting: { deadMansSwitch: "healthchecks" } }, /^alerting\.deadMansSwitch: names receiver 'healthchecks', which is not defined/],
      ["an unknown rule pack", { alerting: { rulePacks: ["tutordex", "hosts"] } }, /^alerting\.rulePacks\[1\]: must be one of .*did you mean 'host'/],
      ["an unknown threshold key", { alerting: { thresholds: { llmFailRate: 1 } } }, /^alerting\.thresholds\.llmFailRate: unknown key/],
      ["a threshold of the wrong type", { alerting: { thresholds: { llmFailureRatePerS: "lots" } } }, /^alerting\.thresholds\.llmFailureRatePerS: must be a number/],
      ["a boolean given as a string", { alerting: { collectorStalledEnabled: "yes" } }, /^alerting\.collectorStalledEnabled: must be true or false; got string "yes"/],
      ["a list given as a scalar", { targets: "backend:8000" }, /^targets: must be a list; got string/],
      ["an enabled postgres exporter without its connection secret", { exporters: { postgres: { enabled: true } } }, /^exporters\.postgres\.dataSourceName: is required when exporters\.postgres\.enabled is true/],
      ["evaluation faster than scraping", { prometheus: { scrapeInterval: "1m", evaluationInterval: "30s" } }, /^prometheus\.evaluationInterval: 30s is shorter than prometheus\.scrapeInterval 1m/],
      ["a bind address that is not an IP address", { docker: { bindAddress: "localhost" } }, /^docker\.bindAddress: "localhost" is not valid: must be an IPv4 or IPv6 address/],
      ["an ingress domain without an ingress class", { target: "kubernetes", kubernetes: { ingressDomain: "obs.example.com" } }, /^kubernetes\.ingressClass: ingressClass and ingressDomain go together/],
      ["a Tempo retention in days, which Tempo cannot parse", { tempo: { retention: "7d" } }, /^tempo\.retention: 7d is not a Go duration; Tempo accepts h, m and s only/],
      ["a Loki retention under a day, which its compactor cannot honour", { loki: { retention: "12h" } }, /^loki\.retention: 12h is shorter than Loki's minimum of 24h .*use 24h or more/],
      ["a maintenance window with a bad time", { alerting: { maintenanceWindows: [{ name: "w", times: [{ start: "2am", end: "04:00" }] }] } }, /^alerting\.maintenanceWindows\[0\]\.times\[0\]\.start: "2am" is not valid; expected HH:MM/],
    ];

    // Rows padded to four cells: jest would pass its `done` callback in a missing one.
    it.each(cases.map(([what, values, expected, secret]) => [what, values, expected, secret ?? []] as const))("%s", (_what, values, expected, secret) => {
      const problems = problemsOf(values, secret);
      expect(problems).toEqual(expect.arrayContaining([expect.stringMatching(expected)]));
    });

    it("every problem at once, each with its key path", () => {
      const problems = problemsOf({ target: "swarm", prometheus: { scrapeInterval: "15x", hostPort: 0 }, grafana: { adminUsr: "root" } });
      expect(problems.map((p) => p.split(":")[0])).toEqual(["target", "prometheus.scrapeInterval", "prometheus.hostPort", "grafana.adminUsr"]);
    });

    it("in an error message that prefixes every key with the config namespace", () => {
      expect(() => validate({ target: "swarm", loki: { retention: "forever" } })).toThrow(
        /2 problems; nothing was deployed:\n {2}observability:target: .*\n {2}observability:loki\.retention: /,
      );
    });
  });
});

describe("grafana config validation (deploy and external modes)", () => {
  const external = { mode: "external", url: "https://example.grafana.net", apiToken: "glsa_token" };
  const cases: [string, Record<string, unknown>, RegExp, string[]][] = [
    ["an unknown mode, suggesting the closest", { grafana: { mode: "externel" } }, /^grafana\.mode: must be one of 'deploy', 'external'.*did you mean 'external'/, []],
    ["external mode without a URL", { grafana: { mode: "external", apiToken: "t" } }, /^grafana\.url: is required when grafana\.mode is external/, ["grafana"]],
    ["external mode without a token", { grafana: { mode: "external", url: "https://g.example.com" } }, /^grafana\.apiToken: is required when grafana\.mode is external; .*pulumi config set --secret --path 'observability:grafana\.apiToken'/, []],
    ["an API token in plain text", { grafana: external }, /^grafana\.apiToken: is stored in plain text in the stack file/, []],
    ["a URL that is not http(s)", { grafana: { ...external, url: "grafana.example.com" } }, /^grafana\.url: "grafana\.example\.com" is not valid: must be an http:\/\/ or https:\/\/ URL/, ["grafana"]],
    ["a datasource URL that is not http(s)", { grafana: { ...external, datasourceUrls: { loki: "loki:3100" } } }, /^grafana\.datasourceUrls\.loki: "loki:3100" is not valid: must be an http:\/\/ or https:\/\/ URL/, ["grafana"]],
    [
      "external mode on Kubernetes without an Ingress and without datasource URLs",
      { target: "kubernetes", grafana: external },
      /^grafana\.datasourceUrls\.prometheus: is required when grafana\.mode is external on Kubernetes without an Ingress/,
      ["grafana"],
    ],
    [
      "external mode on Kubernetes with an Ingress but no Loki URL (Loki has no Ingress)",
      { target: "kubernetes", kubernetes: { ingressClass: "nginx", ingressDomain: "obs.example.com" }, grafana: external },
      /^grafana\.datasourceUrls\.loki: is required when grafana\.mode is external on Kubernetes \(loki has no Ingress\)/,
      ["grafana"],
    ],
    ["an admin password in external mode, where it would be ignored", { grafana: { ...external, adminPassword: "a-long-enough-password" } }, /^grafana\.adminPassword: is only used when grafana\.mode is deploy/, ["grafana"]],
    ["an API token in deploy mode, where it would be ignored", { grafana: { apiToken: "t" } }, /^grafana\.apiToken: is only used when grafana\.mode is external/, ["grafana"]],
    ["a datasource URL in deploy mode, where it would be ignored", { grafana: { datasourceUrls: { prometheus: "http://p:9090" } } }, /^grafana\.datasourceUrls\.prometheus: is only used when grafana\.mode is external/, []],
    ["a short admin password", { grafana: { adminPassword: "admin" } }, /^grafana\.adminPassword: is shorter than 12 characters/, ["grafana"]],
    ["a well-known admin password", { grafana: { adminPassword: "admin1234567" } }, /^grafana\.adminPassword: is a well-known default/, ["grafana"]],
  ];
  it.each(cases)("rejects %s", (_what, values, expected, secret) => {
    expect(problemsOf(values, secret)).toEqual(expect.arrayContaining([expect.stringMatching(expected)]));
  });

  it("accepts external mode with a secret token; the Grafana host port is then free for another service", () => {
    const s = validate({ grafana: { ...external, hostPort: 9090 } }, ["grafana"]);
    expect(s.grafana.mode).toBe("external");
    expect(s.grafana.apiToken).toBeInstanceOf(SecretValue);
    expect(JSON.stringify(s)).not.toContain("glsa_token");
  });

  it("accepts external mode on Kubernetes when every datasource URL is given", () => {
    const datasourceUrls = { prometheus: "https://p.example.com", loki: "https://l.example.com", tempo: "https://t.example.com", alertmanager: "https://a.example.com" };
    expect(problemsOf({ target: "kubernetes", grafana: { ...external, datasourceUrls } }, ["grafana"])).toEqual([]);
  });

  it("defaults to deploy mode", () => {
    expect(validate({}).grafana).toMatchObject({ mode: "deploy", url: undefined, apiToken: undefined });
  });
});

describe("alerting.slos, alerting.extraRuleFiles and targets[] renames (issue 3)", () => {
  const backend = { name: "tutordex_backend", address: "backend:8000", component: "backend", healthPaths: ["/health/backend"] };
  const worker = { name: "tutordex_worker", address: "aggregator-worker:9002", component: "worker" };
  const slo = (o: Record<string, unknown>) => ({ targets: [backend, worker], alerting: { slos: [{ name: "backend-availability", objective: 99.9, kind: "availability", target: "tutordex_backend", ...o }] } });

  it("accepts seed 003's three SLO shapes, defaulting the window to 30d and switching the slo pack on", () => {
    const s = validate({
      targets: [backend, worker],
      alerting: {
        slos: [
          { name: "api-availability", objective: 99.9, kind: "availability", target: "tutordex_backend" },
          { name: "api-latency", objective: 95, kind: "latency", target: "tutordex_backend", latencyThresholdSeconds: 2.5, window: "28d" },
          { name: "api-errors", objective: 99.5, kind: "errorRate", target: "tutordex_backend", criticalBurnRate: 14.4, warningBurnRate: 3 },
        ],
      },
    });
    expect(s.alerting.slos.map((o) => [o.name, o.window])).toEqual([["api-availability", "30d"], ["api-latency", "28d"], ["api-errors", "30d"]]);
    expect(s.alerting.rulePacks).not.toContain("slo");
    const o = ruleCatalogOptions(s);
    expect(o.packs).toContain("slo");
    expect(o.slos?.[2]).toEqual({ name: "api-errors", objective: 99.5, window: "30d", sli: { kind: "errorRate", job: "tutordex_backend" }, burnRates: { critical: 14.4, warning: 3 } });
  });

  const cases: [string, Record<string, unknown>, RegExp][] = [
    ["an objective of 100%", slo({ objective: 100 }), /^alerting\.slos\[0\]\.objective: 100 must be a percentage strictly between 0 and 100/],
    ["an objective above 100%", slo({ objective: 120 }), /^alerting\.slos\[0\]\.objective: 120 is out of range; must be from 0 to 100/],
    ["a window that is not a duration", slo({ window: "a month" }), /^alerting\.slos\[0\]\.window: must be a duration such as 30s/],
    ["a window shorter than the burn-rate windows", slo({ window: "1h" }), /^alerting\.slos\[0\]\.window: 1h is shorter than the longest burn-rate window \(6h\)/],
    ["an unknown kind", slo({ kind: "uptime" }), /^alerting\.slos\[0\]\.kind: must be one of 'availability', 'latency', 'errorRate'/],
    ["a latency SLO without a threshold", slo({ kind: "latency" }), /^alerting\.slos\[0\]\.latencyThresholdSeconds: is required for a latency SLO/],
    ["a threshold on an SLO without one (availability)", slo({ latencyThresholdSeconds: 1 }), /^alerting\.slos\[0\]\.latencyThresholdSeconds: only applies to latency, processingTime, queueLag SLOs; this one is availability/],
    ["a duplicate name", { targets: [backend], alerting: { slos: [slo({}).alerting.slos[0], slo({}).alerting.slos[0]] } }, /^alerting\.slos\[1\]\.name: duplicate name "backend-availability"/],
    ["an unknown target", slo({ kind: "errorRate", target: "tutordex_api" }), /^alerting\.slos\[0\]\.target: 'tutordex_api' is not a targets\[\] name; errorRate SLOs read that job's HTTP metrics \(known: tutordex_backend, tutordex_worker\)/],
    ["availability of a target without health probes", slo({ target: "tutordex_worker" }), /^alerting\.slos\[0\]\.target: targets entry 'tutordex_worker' has no healthPaths/],
    ["a critical burn rate below the warning one", slo({ criticalBurnRate: 2, warningBurnRate: 3 }), /^alerting\.slos\[0\]\.criticalBurnRate: critical burn rate 2 must be above the warning burn rate 3/],
    ["a burn rate that can never fire", slo({ objective: 50, criticalBurnRate: 4 }), /^alerting\.slos\[0\]\.criticalBurnRate: 4x a 50% error budget needs more than 100% errors/],
    ["a latency threshold Prometheus cannot spell as a bucket", slo({ kind: "latency", latencyThresholdSeconds: 1e-7 }), /^alerting\.slos\[0\]\.latencyThresholdSeconds: 1e-7 must be a positive number of seconds equal to a bucket boundary/],
    ["a bad SLO name", slo({ name: "Backend SLO" }), /^alerting\.slos\[0\]\.name: "Backend SLO" is not valid; expected lower-case letters/],
    ["an extra rule file outside the project", { alerting: { extraRuleFiles: ["../team/rules.yml"] } }, /^alerting\.extraRuleFiles\[0\]: "\.\.\/team\/rules\.yml" is not valid; expected a relative path inside the project/],
    ["an extra rule file that does not exist", { alerting: { extraRuleFiles: ["rules/missing.rules.yml"] } }, /^alerting\.extraRuleFiles\[0\]: cannot read "rules\/missing\.rules\.yml" \(no such file\)/],
    ["an extra rule file with a broken expression", { alerting: { extraRuleFiles: ["tests/rules/fixtures/broken-promql.rules.yml"] } }, /^alerting\.extraRuleFiles\[0\]: file tests\/rules\/fixtures\/broken-promql\.rules\.yml, group "business", rule "LowTutorMatchRate": PromQL syntax error/],
    ["a metric rename to an invalid name", { targets: [{ ...backend, metricRenames: { backend_http_requests_total: "http requests" } }] }, /^targets\[0\]\.metricRenames\.backend_http_requests_total: "http requests" is not valid; expected a metric name/],
    ["a log-spike factor that is no jump", { alerting: { thresholds: { errorLogSpikeFactor: 1 } } }, /^alerting\.thresholds\.errorLogSpikeFactor: 1 must be greater than 1/],
    ["a zero rate window", { alerting: { thresholds: { errorLogSpikeWindow: "0s" } } }, /^alerting\.thresholds\.errorLogSpikeWindow: 0s is zero; must be above zero/],
    ["a threshold too small to render in PromQL", { alerting: { thresholds: { llmFailureRatePerS: 1e-9 } } }, /^alerting\.thresholds: the rules cannot be rendered with these values: threshold 1e-9 is out of the range the catalog renders/],
    ["a label rename onto a reserved label", { targets: [{ ...backend, labelRenames: { host: "instance" } }] }, /^targets\[0\]\.labelRenames\.host: 'instance' is set by Prometheus or the stack/],
  ];
  it.each(cases)("rejects %s", (_label, values, expected) => {
    expect(problemsOf(values)).toEqual(expect.arrayContaining([expect.stringMatching(expected)]));
  });

  it("lists SLO and rule-file problems together", () => {
    const problems = problemsOf({
      targets: [backend],
      alerting: { slos: [{ name: "x", objective: 100, kind: "latency", target: "tutordex_backend" }], extraRuleFiles: ["tests/rules/fixtures/broken-structure.rules.yml"] },
    });
    expect(problems.map((p) => p.split(": ")[0])).toEqual([
      "alerting.slos[0].objective",
      "alerting.slos[0].latencyThresholdSeconds",
      "alerting.extraRuleFiles[0]",
      "alerting.extraRuleFiles[0]",
      "alerting.extraRuleFiles[0]",
      "alerting.extraRuleFiles[0]",
    ]);
  });
});
