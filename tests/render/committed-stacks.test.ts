/**
 * The project's own stack files (Pulumi.<stack>.yaml) belong to whoever runs
 * the stack: the README invites editing them, so the suite holds them only to
 * what any stack must be (it renders, and the real tools accept what it
 * renders) and to what the README says about them. Everything else the tests
 * assert is about their own fixtures in e2e/stacks/.
 */
import * as fs from "fs";
import * as os from "os";
import * as path from "path";
import { parse } from "yaml";
import { renderStackResult, RenderResult, writeRendered } from "../../render/render";
import { stackNames } from "../../render/stack-config";
import { schemaProblems } from "../kubernetes/fixtures";
import { PROJECT_DIR } from "../support/stacks";
import { check, promtoolCheckConfig } from "../support/tools";

jest.setTimeout(120_000);

const STACKS = stackNames(PROJECT_DIR);

it("finds the committed stacks the README describes (and any the user added)", () => {
  expect(STACKS).toEqual(expect.arrayContaining(["dev", "prod", "example"]));
});

describe.each(STACKS)("committed stack %s", (stack) => {
  let result: RenderResult;
  let out: string;
  beforeAll(async () => {
    result = await renderStackResult(PROJECT_DIR, stack);
    out = fs.mkdtempSync(path.join(os.tmpdir(), `committed-${stack}-`));
    writeRendered(out, result.files);
  });
  afterAll(() => fs.rmSync(out, { recursive: true, force: true }));

  it("renders: its config and dashboards validate", () => {
    expect(result.files.map((f) => f.path)).toEqual(expect.arrayContaining(["prometheus/prometheus.yml", "alertmanager/alertmanager.yml", "plan.json"]));
  });

  it("renders a Prometheus config and rules promtool accepts", () => {
    expect(promtoolCheckConfig(path.join(out, "prometheus/prometheus.yml"))).toMatch(/SUCCESS/);
  });

  it("renders an Alertmanager config amtool accepts", () => {
    expect(check("amtool", ["check-config", path.join(out, "alertmanager/alertmanager.yml")])).toMatch(/SUCCESS/);
  });

  it("renders a blackbox config the exporter accepts", () => {
    check("prometheus-blackbox-exporter", ["--config.check", `--config.file=${path.join(out, "blackbox/blackbox.yml")}`]);
  });

  it("renders Kubernetes manifests the 1.34 schema accepts, when it targets Kubernetes", () => {
    const manifests = result.files.filter((f) => f.path.startsWith("kubernetes/")).map((f) => parse(f.content));
    expect(manifests.length > 0).toBe(result.run.settings.target === "kubernetes");
    expect(schemaProblems(manifests)).toEqual([]);
  });
});

describe("what the README promises about them", () => {
  const target = async (stack: string) => (await renderStackResult(PROJECT_DIR, stack)).run.settings.target;

  it("dev deploys to the local Docker engine, prod to Kubernetes", async () => {
    expect(await target("dev")).toBe("docker");
    expect(await target("prod")).toBe("kubernetes");
  });

  describe("the example stack (a generic web service and worker)", () => {
    let result: RenderResult;
    beforeAll(async () => {
      result = await renderStackResult(PROJECT_DIR, "example");
    });

    it("is neutral: no TutorDex pack, target, SLO or runbook address of its own", () => {
      const text = fs.readFileSync(path.join(PROJECT_DIR, "Pulumi.example.yaml"), "utf8");
      const config = parse(text).config as Record<string, unknown>;
      expect(JSON.stringify(config)).not.toMatch(/tutordex/i);
      expect(result.run.settings.alerting.rulePacks).not.toContain("tutordex");
      expect(result.run.settings.alerting.runbookBaseUrl).not.toMatch(/tutordex/);
      expect(result.files.map((f) => f.path)).not.toContain("prometheus/rules/tutordex.rules.yml");
    });

    it("routes critical to one receiver and warnings to another, with a dead man's switch, rendered with placeholders until their secrets are set", () => {
      expect(result.run.settings.alerting.receivers.map((r) => [r.name, r.severities])).toEqual([
        ["oncall", ["critical"]],
        ["team-chat", ["warning"]],
        ["heartbeat", []],
      ]);
      expect(result.run.settings.alerting.deadMansSwitch).toBe("heartbeat");
      expect(result.unsetSecrets).toEqual(["alerting.receivers[0].routingKey", "alerting.receivers[1].apiUrl", "alerting.receivers[2].url"]);
    });

    it("declares an availability and an error-rate SLO on the web service", () => {
      expect(result.run.settings.alerting.slos.map((o) => [o.kind, o.target])).toEqual([
        ["availability", "web"],
        ["errorRate", "web"],
      ]);
      expect(result.files.map((f) => f.path)).toContain("prometheus/rules/slo.rules.yml");
    });
  });
});
