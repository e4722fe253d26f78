/**
 * How the report spells out single changes, on small hand-written renders:
 * rule files (shipped and users'), plan.json resources, stack config secrets.
 */
import { changedPaths, resourceChanges } from "../../review/resources";
import { ruleChanges } from "../../review/rules";
import { secretChanges } from "../../review/secrets";
import { pagingSettingChanges } from "../../review/report";

const rules = (file: string, body: string) => new Map([[file, `groups:\n  - name: g\n    rules:\n${body}`]]);

describe("alert and recording-rule changes", () => {
  it("prints an expression that changed beyond its numbers before and after, and a new severity", () => {
    const before = rules("prometheus/rules/team.rules.yml", "      - alert: Slow\n        expr: histogram_quantile(0.95, sum by (le) (rate(x_bucket[5m]))) > 2\n        labels: {severity: warning}\n");
    const after = rules("prometheus/rules/team.rules.yml", "      - alert: Slow\n        expr: histogram_quantile(0.99, sum by (le, job) (rate(x_bucket[5m]))) > 2\n        labels: {severity: critical, team: api}\n");
    expect(ruleChanges(before, after, "alert").changed).toEqual([
      "- `Slow`: expr `histogram_quantile(0.95, sum by (le) (rate(x_bucket[5m]))) > 2` -> `histogram_quantile(0.99, sum by (le, job) (rate(x_bucket[5m]))) > 2`; severity warning -> critical; label team added (api)",
    ]);
  });

  it("calls a changed number outside a comparison a constant, and ignores re-indentation", () => {
    const before = rules("loki/rules/fake/log-alerts.yaml", "      - alert: Spike\n        expr: sum(rate({a=\"b\"}[5m])) > (5 * sum(rate({a=\"b\"}[1h])))\n        for: 5m\n");
    const after = rules("loki/rules/fake/log-alerts.yaml", "      - alert: Spike\n        expr: |-\n          sum(rate({a=\"b\"}[5m]))\n            > (3 * sum(rate({a=\"b\"}[1h])))\n        for: 5m\n");
    expect(ruleChanges(before, after, "alert").changed).toEqual(["- `Spike`: threshold 5 -> 3"]);
    const constant = rules("loki/rules/fake/log-alerts.yaml", "      - alert: Spike\n        expr: sum(rate({a=\"b\"}[5m])) * 100 > 5\n");
    const constant2 = rules("loki/rules/fake/log-alerts.yaml", "      - alert: Spike\n        expr: sum(rate({a=\"b\"}[5m])) * 60 > 5\n");
    expect(ruleChanges(constant, constant2, "alert").changed).toEqual(["- `Spike`: constant 100 -> 60"]);
  });

  it("includes users' rule files: an alert added there is listed with its file", () => {
    const before = new Map<string, string>();
    const after = rules("prometheus/rules/user/rules/business.rules.yml", "      - alert: LowTutorMatchRate\n        expr: tutordex:match_rate < 0.3\n        for: 30m\n        labels: {severity: warning}\n");
    expect(ruleChanges(before, after, "alert").added).toEqual([
      "- added `LowTutorMatchRate` (warning, for 30m: `tutordex:match_rate < 0.3`) in prometheus/rules/user/rules/business.rules.yml",
    ]);
  });

  it("keys recording rules that share a name by their labels (one per SLO)", () => {
    const body = (objective: string) =>
      `      - record: slo:objective:ratio\n        expr: vector(${objective})\n        labels: {slo: api}\n      - record: slo:objective:ratio\n        expr: vector(0.99)\n        labels: {slo: web}\n`;
    expect(ruleChanges(rules("prometheus/rules/slo.rules.yml", body("0.999")), rules("prometheus/rules/slo.rules.yml", body("0.995")), "record").changed).toEqual([
      '- `slo:objective:ratio{slo="api"}`: constant 0.999 -> 0.995',
    ]);
  });
});

describe("resource changes", () => {
  const plan = (resources: object[]) => new Map([["plan.json", JSON.stringify({ resources })]]);
  const volume = (name: string) => ({ type: "docker:index/volume:Volume", name: "loki-data", custom: true, inputs: { name }, retainOnDelete: true });
  const container = (memory: number, volume: string) => ({
    type: "docker:index/container:Container",
    name: "loki",
    custom: true,
    inputs: { name: "observability-loki", memory, volumes: [{ containerPath: "/loki", volumeName: volume }] },
  });

  it("updates a container in place when only its memory limit changes", () => {
    const r = resourceChanges(plan([volume("v"), container(512, "v")]), plan([volume("v"), container(1024, "v")]));
    expect(r.lines).toEqual(["- updated in place docker Container `loki` (memory: 512 -> 1024)"]);
    expect(r.atRisk).toEqual([]);
  });

  it("flags a renamed volume as data at risk: the old one is retained but the container starts on an empty one", () => {
    const r = resourceChanges(plan([volume("old"), container(512, "old")]), plan([volume("new"), container(512, "new")]));
    expect(r.atRisk).toEqual([
      "- **data at risk**: replaced docker Volume `loki-data` (name: old -> new): the old volume `old` stays on the host (retainOnDelete), the new one starts empty",
      "- **data at risk**: replaced docker Container `loki` (volumes[0].volumeName: old -> new): state on `old`: that volume is replaced or deleted (see its line)",
    ]);
  });

  it("flags a deleted PVC and lists created and stateless deleted resources", () => {
    const pvc = { type: "kubernetes:core/v1:PersistentVolumeClaim", name: "data", custom: true, inputs: { metadata: { name: "data" } } };
    const svc = (n: string) => ({ type: "kubernetes:core/v1:Service", name: n, custom: true, inputs: { metadata: { name: n } } });
    const r = resourceChanges(plan([pvc, svc("a")]), plan([svc("b")]));
    expect(r.summary).toBe("1 created, 0 updated in place, 0 replaced, 2 deleted");
    expect(r.atRisk).toEqual(["- **data at risk**: deleted PersistentVolumeClaim `data`: the claim and, with a Delete reclaim policy, its volume go"]);
    expect(r.lines).toEqual(["- created Service `b`", "- deleted Service `a`"]);
  });
});

describe("changed paths", () => {
  it("quote keys that hold a dot or bracket, so a ConfigMap's file keys stay one segment", () => {
    expect(changedPaths({ data: { "etc_prometheus_prometheus.yml": "a", plain: 1 } }, { data: { "etc_prometheus_prometheus.yml": "b", plain: 1 } })).toEqual([
      '.data["etc_prometheus_prometheus.yml"]',
    ]);
    expect(changedPaths({ spec: { containers: [{ args: ["x"] }] } }, { spec: { containers: [{ args: ["y"] }] } })).toEqual([".spec.containers[0].args[0]"]);
  });
});

describe("secret changes", () => {
  it("names added, changed and removed secure keys and never their ciphertext", () => {
    const before = "config:\n  observability:grafana:\n    adminPassword:\n      secure: v1:AAA\n  observability:alerting:\n    receivers:\n      - botToken:\n          secure: v1:BBB\n";
    const after = "config:\n  observability:grafana:\n    adminPassword:\n      secure: v1:CCC\n  observability:exporters:\n    postgres:\n      dsn:\n        secure: v1:DDD\n";
    const lines = secretChanges(before, after);
    expect(lines).toEqual([
      "- `observability:exporters.postgres.dsn`: added",
      "- `observability:grafana.adminPassword`: changed",
      "- `observability:alerting.receivers[0].botToken`: removed",
    ]);
    expect(lines.join("\n")).not.toMatch(/v1:/);
  });
});

describe("alerts that share name and severity (one per SLO)", () => {
  it("are told apart by their labels", () => {
    const body = (fast: string) =>
      `      - alert: SLOErrorBudgetFastBurn\n        expr: slo:burn{slo="api"} > ${fast}\n        labels: {severity: critical, slo: api}\n` +
      `      - alert: SLOErrorBudgetFastBurn\n        expr: slo:burn{slo="web"} > 10\n        labels: {severity: critical, slo: web}\n`;
    expect(ruleChanges(rules("prometheus/rules/slo.rules.yml", body("10")), rules("prometheus/rules/slo.rules.yml", body("14.4")), "alert").changed).toEqual([
      '- `SLOErrorBudgetFastBurn{severity="critical", slo="api"}`: threshold 10 -> 14.4',
    ]);
  });
});

describe("protected resources", () => {
  it("say that the replacement stops at the protection before the data note", () => {
    const pvc = (size: string) => ({
      type: "kubernetes:core/v1:PersistentVolumeClaim",
      name: "data",
      custom: true,
      protect: true,
      inputs: { metadata: { name: "data" }, spec: { resources: { requests: { storage: size } } } },
    });
    const plan = (r: object) => new Map([["plan.json", JSON.stringify({ resources: [r] })]]);
    expect(resourceChanges(plan(pvc("10Gi")), plan(pvc("20Gi"))).atRisk).toEqual([
      "- **data at risk**: replaced PersistentVolumeClaim `data` (spec.resources.requests.storage: 10Gi -> 20Gi): " +
        "protected: `pulumi up` fails here until the protection is lifted; then the claim and, with a Delete reclaim policy, its volume go",
    ]);
  });
});

describe("paging settings the matrix rows cannot show", () => {
  it("reports a new grouping and a maintenance window whose hours moved", () => {
    const am = (groupBy: string, start: string) =>
      new Map([
        [
          "alertmanager/alertmanager.yml",
          `route:\n  receiver: x\n  group_by: [${groupBy}]\ntime_intervals:\n  - name: sunday-maintenance\n    time_intervals:\n      - times: [{start_time: "${start}", end_time: "04:00"}]\n        weekdays: [sunday]\nreceivers: [{name: x}]\n`,
        ],
      ]);
    expect(pagingSettingChanges(am("alertname, component", "02:00"), am("alertname", "03:00"))).toEqual([
      "- notifications grouped by alertname, component -> alertname",
      '- time interval `sunday-maintenance`: [{"times":[{"start_time":"02:00","end_time":"04:00"}],"weekdays":["sunday"]}] -> [{"times":[{"start_time":"03:00","end_time":"04:00"}],"weekdays":["sunday"]}]',
    ]);
  });
});
