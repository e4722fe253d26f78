import * as fs from "fs";
import * as os from "os";
import * as path from "path";
import { parse } from "yaml";
import { renderStack, RenderedFile, writeRendered } from "../../render/render";
import { FIXTURE_STACKS_DIR, PROJECT_DIR as ROOT } from "../support/stacks";
import { check, promtoolCheckConfig } from "../support/tools";

describe.each(["dev", "prod"])("npm run render for the TutorDex fixture stack %s", (stack) => {
  let files: RenderedFile[];
  let out: string;
  beforeAll(async () => {
    files = await renderStack(ROOT, stack, { stacksDir: FIXTURE_STACKS_DIR });
    out = fs.mkdtempSync(path.join(os.tmpdir(), `render-${stack}-`));
    writeRendered(out, files);
  });
  const paths = () => files.map((f) => f.path);

  it("writes every file of the render contract", () => {
    expect(paths()).toEqual(
      expect.arrayContaining([
        "prometheus/prometheus.yml",
        "alertmanager/alertmanager.yml",
        "blackbox/blackbox.yml",
        "loki/loki.yml",
        "alloy/config.alloy",
        "tempo/tempo.yml",
        "otel-collector/config.yml",
        "grafana/provisioning/datasources/datasources.yml",
        "grafana/provisioning/dashboards/dashboards.yml",
        "plan.json",
      ]),
    );
    expect(paths().some((p) => /^prometheus\/rules\/.+\.yml$/.test(p))).toBe(true);
    expect(paths().some((p) => p.startsWith("kubernetes/"))).toBe(stack === "prod");
  });

  it("gives rule_files relative to prometheus.yml, each present on disk", () => {
    const config = parse(fs.readFileSync(path.join(out, "prometheus/prometheus.yml"), "utf8"));
    expect(config.rule_files.length).toBeGreaterThan(0);
    for (const rel of config.rule_files as string[]) {
      expect(path.isAbsolute(rel)).toBe(false);
      expect(fs.existsSync(path.join(out, "prometheus", rel))).toBe(true);
    }
  });

  it("produces a Prometheus config and rules that promtool accepts", () => {
    const file = path.join(out, "prometheus/prometheus.yml");
    const config = parse(fs.readFileSync(file, "utf8"));
    const discovery = config.scrape_configs.filter((j: Record<string, unknown>) => "kubernetes_sd_configs" in j);
    expect(discovery.length > 0).toBe(stack === "prod");
    if (discovery.length > 0) {
      // Debian's promtool is built without Kubernetes service discovery and rejects
      // the key outright; check everything else with it and the discovery jobs' shape here.
      // Namespaces and label selectors narrow discovery to the stack's own pods where given.
      // endpointslice: the API servers behind default/kubernetes (3.x docs: kubernetes_sd_config roles).
      const sdShape = { role: expect.stringMatching(/^(pod|node|endpointslice)$/) };
      for (const j of discovery) {
        for (const sd of j.kubernetes_sd_configs) {
          expect(sd).toMatchObject(sdShape);
          expect(Object.keys(sd).every((k) => ["role", "namespaces", "selectors"].includes(k))).toBe(true);
          for (const sel of sd.selectors ?? []) expect(sel).toEqual({ role: sd.role, label: expect.stringMatching(/^[a-z0-9./-]+=[a-z0-9-]+(,[a-z0-9./-]+=[a-z0-9-]+)*$/) });
        }
      }
    }
    // Debian's promtool is 2.42: it gets the file without 3.x's storage.tsdb.retention block (the one
    // block it cannot read; checked against 3.14's keys in tests/verified/prometheus-config.test.ts).
    const output = promtoolCheckConfig(file);
    expect(output).toMatch(/SUCCESS/);
    expect(output).toMatch(/rule files found/);
  });

  it("produces an Alertmanager config that amtool accepts", () => {
    expect(check("amtool", ["check-config", path.join(out, "alertmanager/alertmanager.yml")])).toMatch(/SUCCESS/);
  });

  it("produces a blackbox config the exporter accepts", () => {
    check("prometheus-blackbox-exporter", ["--config.check", `--config.file=${path.join(out, "blackbox/blackbox.yml")}`]);
  });

  it("lists every registered resource with type, name, parent and inputs in plan.json", () => {
    const plan = JSON.parse(fs.readFileSync(path.join(out, "plan.json"), "utf8"));
    expect(plan.stack).toBe(stack);
    const types = plan.resources.map((r: { type: string }) => r.type);
    expect(types).toContain("observability:index:ObservabilityStack");
    expect(types).toContain("observability:index:Prometheus");
    expect(types).toContain(stack === "dev" ? "docker:index/container:Container" : "kubernetes:apps/v1:StatefulSet");
    for (const r of plan.resources) expect(r).toEqual(expect.objectContaining({ type: expect.any(String), name: expect.any(String), inputs: expect.any(Object) }));
  });

  it("renders the same bytes twice", async () => {
    const again = await renderStack(ROOT, stack, { stacksDir: FIXTURE_STACKS_DIR });
    expect(again).toEqual(files);
  });
});

describe("render with secrets in the stack file", () => {
  let dir: string;
  let files: RenderedFile[];
  beforeAll(async () => {
    dir = fs.mkdtempSync(path.join(os.tmpdir(), "render-secrets-"));
    fs.copyFileSync(path.join(ROOT, "Pulumi.yaml"), path.join(dir, "Pulumi.yaml"));
    fs.writeFileSync(
      path.join(dir, "Pulumi.secrets.yaml"),
      [
        "config:",
        "  observability:alerting:",
        "    deadMansSwitch: healthchecks",
        "    receivers:",
        "      - { type: telegram, name: oncall, chatId: -100123, botToken: { secure: v1:AAAAtelegramciphertext } }",
        "      - { type: slack, name: team, channel: '#alerts', severities: [warning], apiUrl: { secure: v1:AAAAslackciphertext } }",
        "      - { type: webhook, name: healthchecks, url: { secure: v1:AAAAwebhookciphertext } }",
        "  observability:grafana:",
        "    adminPassword: { secure: v1:AAAAgrafanaciphertext }",
      ].join("\n") + "\n",
    );
    files = await renderStack(dir, "secrets");
  });

  it("never writes a secret, not even its ciphertext; placeholders stand in", () => {
    const all = files.map((f) => f.content).join("\n");
    expect(all).not.toMatch(/ciphertext/);
    expect(all).toContain("REDACTED");
  });

  it("still yields an Alertmanager config amtool accepts, with secret files in place", () => {
    const out = fs.mkdtempSync(path.join(os.tmpdir(), "render-secrets-out-"));
    writeRendered(out, files);
    expect(files.map((f) => f.path)).toEqual(expect.arrayContaining([expect.stringMatching(/^alertmanager\/secrets\//)]));
    expect(check("amtool", ["check-config", path.join(out, "alertmanager/alertmanager.yml")])).toMatch(/SUCCESS/);
  });
});
