import { SecretValue } from "../../settings/fields";
import { ConfigValidationError, validateSettings } from "../../settings/validate";

/** Validate raw config (top-level keys without namespace); `secret` lists keys held as Pulumi secrets. */
function validate(values: Record<string, unknown>, secret: string[] = []) {
  return validateSettings({ values, secretKeys: new Set(secret) });
}

/** The problems validation reports, as `key: message` lines. */
function problemsOf(values: Record<string, unknown>, secret: string[] = []): string[] {
  try {
    validate(values, secret);
  } catch (err) {
    if (err instanceof ConfigValidationError) return err.problems.map((p) => `${p.key}: ${p.message}`);
    throw err;
  }
  return [];
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
      ["a port of the wrong type", { loki: { hostPort: "3100" } }, /^loki\.hostPort: must be a port number from 1 to 65535; got string "3100"/],
      ["two services on one host port", { grafana: { hostPort: 9090 } }, /^grafana\.hostPort: host port 9090 is already taken by prometheus\.hostPort/],
      [
        "duplicate target names",
        { targets: [{ name: "api", address: "api:80", component: "api" }, { name: "api", address: "api2:80", component: "api" }] },
        /^targets\[1\]\.name: duplicate name "api" \(also at targets\[0\]\)/,
      ],
      ["a target address without a port", { targets: [{ name: "api", address: "api", component: "api" }] }, /^targets\[0\]\.address: "api" is not valid; expected host:port/],
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
      ["a bind address that is not an IPv4 address", { docker: { bindAddress: "localhost" } }, /^docker\.bindAddress: "localhost" is not valid; expected an IPv4 address/],
      ["an ingress domain without an ingress class", { target: "kubernetes", kubernetes: { ingressDomain: "obs.example.com" } }, /^kubernetes\.ingressClass: ingressClass and ingressDomain go together/],
      ["a Tempo retention in days, which Tempo cannot parse", { tempo: { retention: "7d" } }, /^tempo\.retention: 7d is not a Go duration; Tempo accepts h, m and s only/],
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
