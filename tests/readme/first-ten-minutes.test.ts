/**
 * The README's "First ten minutes" and "Applications" sections, taken as
 * written: every `pulumi config set` there is applied (as the CLI stores it)
 * to a copy of the example stack, in order, and the result must validate and
 * render with what the steps promise; every npm command must exist; the
 * application snippets must name the network, the collector and the
 * annotations the stack actually uses.
 */
import * as fs from "fs";
import * as path from "path";
import { parse } from "yaml";
import { SERVICES } from "../../configs/topology";
import { renderStack } from "../../render/render";
import { runProgram } from "../../render/run";
import { readStackConfig } from "../../render/stack-config";
import { SETTINGS_SCHEMA, type Settings } from "../../settings/schema";
import { validateSettings } from "../../settings/validate";
import { schemaProblems } from "../kubernetes/fixtures";
import { FIXTURE_STACKS_DIR, PROJECT_DIR } from "../support/stacks";

jest.setTimeout(120_000);

const README = fs.readFileSync(path.join(PROJECT_DIR, "README.md"), "utf8");

function section(title: string): string {
  const start = README.indexOf(`\n## ${title}\n`);
  if (start < 0) throw new Error(`README has no section "${title}"`);
  const end = README.indexOf("\n## ", start + 1);
  return README.slice(start, end < 0 ? undefined : end);
}

/** The commands of a section's ```bash blocks, comments dropped. */
function commands(text: string): string[] {
  return [...text.matchAll(/```bash\n([\s\S]*?)```/g)].flatMap((m) =>
    m[1].split("\n").map((l) => l.replace(/\s+#.*$/, "").trim()).filter((l) => l !== ""),
  );
}

/** Shell words of one command line: single quotes literal, double quotes with $VAR expanded from `env`. */
function words(line: string, env: Record<string, string>): string[] {
  const out: string[] = [];
  const re = /'([^']*)'|"([^"]*)"|(\S+)/g;
  for (const m of line.matchAll(re)) out.push(m[1] ?? (m[2] ?? m[3]).replace(/\$([A-Z_]+)/g, (_, v: string) => env[v] ?? ""));
  return out;
}

/**
 * `pulumi config set [-s stack] [--secret] --path '<ns>:a.b[0].c' value` as
 * the CLI stores it: integers and booleans typed, anything else text; a list
 * index one past the end appends, further is an error.
 */
function configSet(values: Record<string, unknown>, secretKeys: Set<string>, argv: string[]): void {
  const args = argv.slice(3);
  const secret = args.includes("--secret");
  const i = args.indexOf("--path");
  expect(i).toBeGreaterThanOrEqual(0);
  const [key, text] = [args[i + 1], args[i + 2]];
  const m = /^observability:(.+)$/.exec(key);
  if (!m) throw new Error(`not in the observability namespace: ${key}`);
  const parts = m[1].split(/\.|\[(\d+)\]/).filter((p) => p !== undefined && p !== "");
  const value: unknown = /^-?\d+$/.test(text) ? Number(text) : text === "true" ? true : text === "false" ? false : text;
  let node: Record<string | number, unknown> = values;
  parts.forEach((part, n) => {
    const k: string | number = /^\d+$/.test(part) ? Number(part) : part;
    if (typeof k === "number" && Array.isArray(node) && k > node.length) throw new Error(`${key}: index ${k} is past the end of a list of ${node.length}`);
    if (n === parts.length - 1) node[k] = value;
    else {
      node[k] ??= /^\d+$/.test(parts[n + 1]) ? [] : {};
      node = node[k] as Record<string | number, unknown>;
    }
  });
  if (secret) secretKeys.add(parts[0]);
}

describe("First ten minutes, command by command", () => {
  const text = section("First ten minutes");
  const lines = commands(text);
  const env = {
    PAGERDUTY_ROUTING_KEY: "R0123456789abcdef0123456789abcdef",
    SLACK_WEBHOOK_URL: "https://hooks.slack.com/services/T000/B000/XXXX",
    HEARTBEAT_URL: "https://hc-ping.com/00000000-0000-0000-0000-000000000000",
  };

  it("uses only npm scripts package.json defines", () => {
    const scripts = Object.keys(JSON.parse(fs.readFileSync(path.join(PROJECT_DIR, "package.json"), "utf8")).scripts);
    const used = lines.filter((l) => l.startsWith("npm run ")).map((l) => l.split(/\s+/)[2]);
    expect(used.length).toBeGreaterThan(4);
    for (const s of used) expect(scripts).toContain(s);
  });

  it("makes every pulumi command name the stack it acts on", () => {
    const pulumi = lines.filter((l) => l.startsWith("pulumi "));
    expect(pulumi.length).toBeGreaterThan(8);
    for (const l of pulumi) expect(l).toMatch(/ -s mine( |$)/);
  });

  describe("applied to a copy of Pulumi.example.yaml", () => {
    let settings: Settings;
    let config: Record<string, string>;
    let secretKeys: Set<string>;
    beforeAll(() => {
      expect(lines).toContain("cp Pulumi.example.yaml Pulumi.mine.yaml");
      const example = readStackConfig(PROJECT_DIR, "example");
      const values: Record<string, unknown> = Object.fromEntries(Object.entries(example.config).map(([k, v]) => [k.replace(/^observability:/, ""), v.startsWith("[") || v.startsWith("{") ? JSON.parse(v) : v]));
      secretKeys = new Set(example.secretKeys.map((k) => k.replace(/^observability:/, "")));
      for (const l of lines.filter((x) => x.startsWith("pulumi config set"))) configSet(values, secretKeys, words(l, env));
      // Validation as `pulumi up` runs it: no stand-ins for unset secrets.
      settings = validateSettings({ values, secretKeys });
      config = Object.fromEntries(Object.entries(values).map(([k, v]) => [`observability:${k}`, typeof v === "string" ? v : JSON.stringify(v)]));
    });

    it("gives every receiver its secret, so deploy has nothing left to refuse", () => {
      expect(settings.alerting.receivers.map((r) => [r.name, r.severities])).toEqual([
        ["oncall", ["critical"]],
        ["team-chat", ["warning"]],
        ["heartbeat", []],
      ]);
      // The one without severities is the dead man's switch, so a production-like stack is not silent.
      expect(settings.alerting.deadMansSwitch).toBe("heartbeat");
      expect([...secretKeys]).toEqual(["alerting"]);
    });

    it("adds the own service as a target with a health probe, and its SLO", () => {
      expect(settings.targets.find((t) => t.name === "payments")).toMatchObject({ address: "payments:8080", component: "payments", healthPaths: ["/healthz"] });
      expect(settings.alerting.slos.find((o) => o.name === "payments-availability")).toMatchObject({ objective: 99.5, kind: "availability", target: "payments", window: "30d" });
    });

    it("renders that stack with the new probe, the SLO's rules, and no warning", async () => {
      const run = await runProgram(config, [...secretKeys].map((k) => `observability:${k}`), { project: "observability", stack: "mine" });
      expect(run.warnings).toEqual([]);
      const slo = run.stack.files.find((f) => f.path === "prometheus/rules/slo.rules.yml")?.content ?? "";
      expect(slo).toContain('probe_success{probe="payments"}');
      expect(run.stack.files.find((f) => f.path === "prometheus/prometheus.yml")?.content).toContain("http://payments:8080/healthz");
    });
  });

  it("gives Grafana's address, user and the command for its password as the dev stack outputs them", async () => {
    const run = await runProgram(readStackConfig(PROJECT_DIR, "dev", FIXTURE_STACKS_DIR).config, [], { project: "observability", stack: "mine" });
    const outputs = run.outputs as { urls: Record<string, string>; grafanaAdminUser: string };
    expect(text).toContain(`<${outputs.urls.grafana}>`);
    expect(text).toContain(`user is \`${outputs.grafanaAdminUser}\``);
    expect(lines).toContain("pulumi stack output -s mine --show-secrets grafanaAdminPassword");
    expect(Object.keys(run.outputs)).toContain("grafanaAdminPassword");
  });

  it("names the Docker volumes destroy leaves behind as the program names them", async () => {
    const files = await renderStack(PROJECT_DIR, "example");
    const plan = JSON.parse(files.find((f) => f.path === "plan.json")!.content) as { resources: { type: string; inputs: { name?: string } }[] };
    const volumes = plan.resources.filter((r) => r.type === "docker:index/volume:Volume").map((r) => r.inputs.name ?? "");
    expect(volumes.length).toBeGreaterThan(3);
    for (const v of volumes) expect(v).toMatch(/^observability-/);
    expect(text).toContain("docker volume rm $(docker volume ls -q --filter name=observability-)");
  });
});

describe("Applications", () => {
  const text = section("Applications");
  const yamlBlocks = [...text.matchAll(/```yaml\n([\s\S]*?)```/g)].map((m) => parse(m[1]));

  it("joins the compose service to the stack's network and sends OTLP/HTTP to the collector by its name", () => {
    const compose = yamlBlocks.find((b) => b.services);
    const [name, service] = Object.entries(compose.services as Record<string, { networks: string[]; environment: Record<string, string> }>)[0];
    const network = SETTINGS_SCHEMA.docker.fields.networkName.default;
    expect(service.networks).toEqual([network]);
    expect(compose.networks).toEqual({ [network]: { external: true } });
    expect(service.environment).toMatchObject({
      OTEL_SERVICE_NAME: name,
      OTEL_EXPORTER_OTLP_ENDPOINT: `http://${SERVICES.otelCollector.name}:${SERVICES.otelCollector.ports.otlpHttp}`,
      OTEL_EXPORTER_OTLP_PROTOCOL: "http/protobuf",
    });
  });

  describe("the Kubernetes snippet", () => {
    const snippet = () => yamlBlocks.find((b) => b.spec?.template);

    it("uses the annotations and label the prod Prometheus's pod discovery reads", async () => {
      const files = await renderStack(PROJECT_DIR, "prod", { stacksDir: FIXTURE_STACKS_DIR });
      const prometheus = files.find((f) => f.path === "prometheus/prometheus.yml")!.content;
      const meta = (k: string, kind: "annotation" | "label") => `__meta_kubernetes_pod_${kind}_${k.replace(/[^a-zA-Z0-9]/g, "_")}`;
      const { annotations, labels } = snippet().spec.template.metadata;
      expect(annotations["prometheus.io/scrape"]).toBe("true");
      for (const k of Object.keys(annotations)) expect(prometheus).toContain(meta(k, "annotation"));
      for (const k of Object.keys(labels)) expect(prometheus).toContain(meta(k, "label"));
    });

    it("sends OTLP to the collector's Service in the stack's default namespace", () => {
      const env = snippet().spec.template.spec.containers[0].env as { name: string; value: string }[];
      expect(env).toContainEqual({ name: "OTEL_EXPORTER_OTLP_ENDPOINT", value: `http://${SERVICES.otelCollector.name}.${SETTINGS_SCHEMA.kubernetes.fields.namespace.default}.svc:${SERVICES.otelCollector.ports.otlpHttp}` });
    });

    it("is a valid part of a Deployment (Kubernetes 1.34 schema)", () => {
      const { spec } = snippet();
      const labels = spec.template.metadata.labels;
      const deployment = { apiVersion: "apps/v1", kind: "Deployment", metadata: { name: "payments" }, spec: { selector: { matchLabels: labels }, ...spec } };
      expect(schemaProblems([deployment])).toEqual([]);
    });
  });
});
