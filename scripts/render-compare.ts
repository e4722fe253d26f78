/**
 * Behaviour-preserving refactors prove themselves with this script (issue 12).
 *
 *   ts-node --transpile-only scripts/render-compare.ts render <dir>          render every case into <dir>/<case>/
 *   ts-node --transpile-only scripts/render-compare.ts diff <a> <b>          byte-for-byte comparison of two such dirs
 *   ts-node --transpile-only scripts/render-compare.ts against <git-ref>     render <git-ref> and the working tree, diff them
 *   ts-node --transpile-only scripts/render-compare.ts digest <dir>          sha256sum-style list of <dir>'s files
 *   ts-node --transpile-only scripts/render-compare.ts verify <digests>      render the working tree, compare with a digest list
 *
 * scripts/render-compare.baseline.sha256 holds the digests of main where issue 12's
 * refactor began (`digest` of a `render`): `verify` against it is the one-render check
 * each refactor step runs. After a feature changes the output, regenerate it from main.
 *
 * The cases: the committed stacks, the TutorDex fixture stacks, and generated
 * variants that reach the branches a refactor could move (Docker and
 * Kubernetes, Alloy and Promtail, Ingress on and off, external Grafana, many
 * targets, every probe module, SLO kinds, every receiver type, maintenance
 * windows, exporters), plus a config with several problems whose error text is
 * compared too. Beside the render files each case records its stack outputs
 * and warnings (not part of render, but what `pulumi up` prints).
 *
 * Exit status of `diff`/`against`: 0 identical, 1 differences (listed), 2 usage.
 */
import { execFileSync } from "child_process";
import { createHash } from "crypto";
import * as fs from "fs";
import * as os from "os";
import * as path from "path";
import { stringify } from "yaml";
import { renderStackResult, writeRendered } from "../render/render";

const ROOT = path.resolve(__dirname, "..");

type StackDoc = { config: Record<string, unknown> };

/** One case: a stack file (committed or generated) rendered under a name. */
export interface CompareCase {
  readonly name: string;
  /** Stack name the program sees (dev/prod decide the environment label). */
  readonly stack: string;
  readonly doc: StackDoc;
}

function readDoc(file: string): StackDoc {
  // eslint-disable-next-line @typescript-eslint/no-require-imports
  const { parse } = require("yaml") as typeof import("yaml");
  return parse(fs.readFileSync(file, "utf8")) as StackDoc;
}

const K = (key: string) => `observability:${key}`;

/** `base` with top-level keys replaced (keys without namespace). */
function variant(base: StackDoc, changes: Record<string, unknown>, drop: readonly string[] = []): StackDoc {
  const config = { ...base.config };
  for (const key of drop) delete config[K(key)];
  for (const [key, value] of Object.entries(changes)) config[K(key)] = value;
  return { config };
}

function manyTargets(n: number, kubernetes: boolean): unknown[] {
  return Array.from({ length: n }, (_, i) => ({
    name: `svc_${i}`,
    address: kubernetes ? `svc-${i}.apps:${8000 + i}` : `svc-${i}:${8000 + i}`,
    component: `svc-${i % 7}`,
    ...(i % 3 === 0 ? { healthPaths: ["/healthz"] } : {}),
    ...(i % 5 === 0 ? { scrapeInterval: "30s", metricsPath: "/prom" } : {}),
    ...(i === 4 ? { metricRenames: { app_requests_total: "http_requests_total" }, labelRenames: { status_code: "status" } } : {}),
  }));
}

const secure = (v: string) => ({ secure: v });

const RECEIVERS = [
  { type: "telegram", name: "oncall", chatId: -1001234567890, botToken: secure("x"), severities: ["critical"] },
  { type: "slack", name: "chat", channel: "#alerts", apiUrl: secure("x"), severities: ["warning"] },
  { type: "pagerduty", name: "pager", routingKey: secure("x"), severities: ["critical"], sendResolved: false },
  { type: "email", name: "mail", to: "ops@example.com", from: "am@example.com", smarthost: "smtp.example.com:587", authUsername: "am", authPassword: secure("x"), severities: ["info", "warning"] },
  { type: "webhook", name: "heartbeat", url: secure("x"), severities: [] },
];

const PROBES = [
  { name: "website", url: "https://example.com/", module: "http_2xx", bodyMustMatch: ["ok"], headers: { "X-Probe": "bb" } },
  { name: "api-json", url: "https://api.example.com/status", module: "http_2xx_json", bearerToken: secure("x") },
  { name: "basic", url: "http://intranet.example.com/", basicAuthUser: "probe", basicAuthPassword: secure("x"), method: "HEAD" },
  { name: "db-port", url: "db.example.com:5432", module: "tcp_connect" },
  { name: "tls", url: "example.com:443", module: "tls_connect" },
  { name: "ping", url: "gateway.example.com", module: "icmp" },
  { name: "dns", url: "1.1.1.1:53", module: "dns", dnsQueryName: "example.com", dnsQueryType: "AAAA" },
];

const SLOS = (target: string) => [
  { name: "avail", objective: 99.9, window: "30d", kind: "availability", target },
  { name: "errors", objective: 99.5, window: "7d", kind: "errorRate", target, criticalBurnRate: 14.4, warningBurnRate: 3 },
  { name: "latency", objective: 99, window: "30d", kind: "latency", target, latencyThresholdSeconds: 0.5 },
];

/** Every case, from the project's own files. */
export function compareCases(root: string = ROOT): CompareCase[] {
  const cases: CompareCase[] = [];
  for (const stack of ["dev", "prod", "example"]) {
    const file = path.join(root, `Pulumi.${stack}.yaml`);
    if (fs.existsSync(file)) cases.push({ name: `committed-${stack}`, stack, doc: readDoc(file) });
  }
  const dev = readDoc(path.join(root, "e2e/stacks/Pulumi.dev.yaml"));
  const prod = readDoc(path.join(root, "e2e/stacks/Pulumi.prod.yaml"));
  cases.push({ name: "fixture-dev", stack: "dev", doc: dev }, { name: "fixture-prod", stack: "prod", doc: prod });
  const alerting = (doc: StackDoc, extra: Record<string, unknown>) => ({ ...(doc.config[K("alerting")] as object), ...extra });
  const full = (doc: StackDoc, target: string) =>
    alerting(doc, {
      receivers: RECEIVERS,
      deadMansSwitch: "heartbeat",
      slos: SLOS(target),
      maintenanceWindows: [{ name: "sunday", weekdays: ["sunday", "monday:friday"], times: [{ start: "02:00", end: "04:00" }], location: "Asia/Singapore" }],
      groupBy: ["alertname", "severity"],
    });
  cases.push(
    {
      name: "docker-promtail-many",
      stack: "dev",
      doc: variant(dev, {
        logAgent: "promtail",
        environment: "staging",
        targets: [...(dev.config[K("targets")] as unknown[]), ...manyTargets(40, false)],
        probes: PROBES,
        alerting: full(dev, "tutordex_backend"),
        exporters: { postgres: { enabled: true, dataSourceName: secure("x") }, redis: { enabled: true, password: secure("x") } },
        docker: { bindAddress: "0.0.0.0", networkName: "obs-net" },
        grafana: { adminPassword: secure("x"), hostPort: 3000 },
      }),
    },
    {
      name: "docker-external-grafana",
      stack: "dev",
      doc: variant(dev, { grafana: { mode: "external", url: "https://example.grafana.net", apiToken: secure("x") }, probes: PROBES.slice(0, 2) }),
    },
    {
      name: "k8s-ingress-promtail",
      stack: "prod",
      doc: variant(prod, {
        logAgent: "promtail",
        kubernetes: {
          namespace: "obs",
          ingressClass: "nginx",
          ingressDomain: "obs.example.com",
          tlsSecretName: "obs-tls",
          ingressAuthAnnotations: { "nginx.ingress.kubernetes.io/auth-type": "basic", "nginx.ingress.kubernetes.io/auth-secret": "obs-basic-auth" },
          controlPlane: true,
          storageClass: "gp3",
        },
        targets: [...(prod.config[K("targets")] as unknown[]), ...manyTargets(25, true)],
        probes: PROBES,
        alerting: full(prod, "tutordex_backend"),
        exporters: { postgres: { enabled: true, dataSourceName: secure("x") }, redis: { enabled: true } },
      }),
    },
    {
      name: "k8s-grafana-ingress-only",
      stack: "prod",
      doc: variant(prod, { kubernetes: { ingressClass: "nginx", ingressDomain: "obs.example.com", certManagerClusterIssuer: "letsencrypt-prod", nodeNamespace: "obs-node" } }),
    },
    {
      name: "k8s-external-grafana",
      stack: "prod",
      doc: variant(prod, {
        grafana: {
          mode: "external",
          url: "https://example.grafana.net",
          apiToken: secure("x"),
          datasourceUrls: { prometheus: "https://p.example.com", loki: "https://l.example.com", tempo: "https://t.example.com", alertmanager: "https://a.example.com" },
        },
      }),
    },
    {
      name: "k8s-plain-defaults",
      stack: "prod",
      doc: { config: { [K("target")]: "kubernetes" } },
    },
    {
      name: "docker-plain-defaults",
      stack: "dev",
      doc: { config: { [K("target")]: "docker" } },
    },
    {
      name: "invalid-many-problems",
      stack: "dev",
      doc: variant(dev, {
        prometheus: { retention: "15 days", scrapeInterval: "0s" },
        alerting: alerting(dev, { receivers: [{ type: "telegram", name: "Bad Name", chatId: "x" }], deadMansSwitch: "nobody" }),
        kubernetes: { ingressDomain: "-bad-" },
      }),
    },
  );
  return cases;
}

/** Render one case into `dir` (its files, outputs.json, warnings.txt; or error.txt when the config is refused). */
export async function renderCase(c: CompareCase, dir: string, scratch: string): Promise<void> {
  const stackFile = path.join(scratch, `${c.name}.yaml`);
  fs.writeFileSync(stackFile, stringify(c.doc));
  fs.mkdirSync(dir, { recursive: true });
  try {
    const result = await renderStackResult(ROOT, c.stack, { stackFile });
    writeRendered(dir, result.files);
    const json = (v: unknown) => `${JSON.stringify(v, null, 2)}\n`;
    fs.writeFileSync(path.join(dir, "_outputs.json"), json(result.run.outputs));
    fs.writeFileSync(path.join(dir, "_warnings.txt"), result.run.warnings.join("\n") + "\n");
    fs.writeFileSync(path.join(dir, "_unset-secrets.txt"), result.unsetSecrets.join("\n") + "\n");
  } catch (err) {
    fs.writeFileSync(path.join(dir, "_error.txt"), `${err instanceof Error ? err.message : String(err)}\n`);
  }
}

/** Render every case under `outDir`. */
export async function renderAll(outDir: string, cases: readonly CompareCase[] = compareCases()): Promise<void> {
  const scratch = fs.mkdtempSync(path.join(os.tmpdir(), "render-compare-"));
  try {
    for (const c of cases) await renderCase(c, path.join(outDir, c.name), scratch);
  } finally {
    fs.rmSync(scratch, { recursive: true, force: true });
  }
}

function listFiles(dir: string, rel = ""): string[] {
  if (!fs.existsSync(path.join(dir, rel))) return [];
  return fs.readdirSync(path.join(dir, rel), { withFileTypes: true }).flatMap((e) => {
    const p = rel ? `${rel}/${e.name}` : e.name;
    return e.isDirectory() ? listFiles(dir, p) : [p];
  });
}

/** Differences between two render trees: files only in one, files whose bytes differ. Empty when identical. */
export function compareTrees(a: string, b: string): string[] {
  const left = new Set(listFiles(a));
  const right = new Set(listFiles(b));
  const out: string[] = [];
  for (const f of [...new Set([...left, ...right])].sort()) {
    if (!right.has(f)) out.push(`only in ${a}: ${f}`);
    else if (!left.has(f)) out.push(`only in ${b}: ${f}`);
    else if (!fs.readFileSync(path.join(a, f)).equals(fs.readFileSync(path.join(b, f)))) out.push(`differs: ${f}`);
  }
  return out;
}

/** `sha256  path` lines of every file under `dir`, sorted (the format of sha256sum). */
export function digestTree(dir: string): string {
  return listFiles(dir)
    .sort()
    .map((f) => `${createHash("sha256").update(fs.readFileSync(path.join(dir, f))).digest("hex")}  ${f}\n`)
    .join("");
}

/** Differences between two digest lists, by path. */
export function compareDigests(expected: string, actual: string): string[] {
  const read = (text: string) => new Map(text.split("\n").filter(Boolean).map((l) => [l.slice(66), l.slice(0, 64)] as const));
  const a = read(expected);
  const b = read(actual);
  const out: string[] = [];
  for (const f of [...new Set([...a.keys(), ...b.keys()])].sort()) {
    if (!b.has(f)) out.push(`missing now: ${f}`);
    else if (!a.has(f)) out.push(`new file: ${f}`);
    else if (a.get(f) !== b.get(f)) out.push(`differs: ${f}`);
  }
  return out;
}

/** Render the code at `ref` with this very script (copied into the extracted tree, so the cases are the same). */
function renderAtRef(ref: string, outDir: string): void {
  const work = fs.mkdtempSync(path.join(os.tmpdir(), "render-compare-ref-"));
  try {
    const tar = path.join(work, "tree.tar");
    execFileSync("git", ["-C", ROOT, "archive", "--format=tar", "-o", tar, ref]);
    const tree = path.join(work, "tree");
    fs.mkdirSync(tree);
    execFileSync("tar", ["-xf", tar, "-C", tree]);
    fs.symlinkSync(path.join(ROOT, "node_modules"), path.join(tree, "node_modules"), "dir");
    fs.copyFileSync(__filename, path.join(tree, "scripts/render-compare.ts"));
    execFileSync(path.join(ROOT, "node_modules/.bin/ts-node"), ["--transpile-only", "scripts/render-compare.ts", "render", outDir], { cwd: tree, stdio: "inherit" });
  } finally {
    fs.rmSync(work, { recursive: true, force: true });
  }
}

function report(differences: string[]): number {
  if (differences.length === 0) {
    process.stdout.write("identical\n");
    return 0;
  }
  process.stdout.write(`${differences.length} difference(s):\n${differences.map((d) => `  ${d}\n`).join("")}`);
  return 1;
}

async function main(argv: string[]): Promise<number> {
  const [command, a, b] = argv;
  if (command === "render" && a) {
    await renderAll(path.resolve(a));
    process.stdout.write(`rendered ${compareCases().length} cases into ${a}\n`);
    return 0;
  }
  if (command === "diff" && a && b) return report(compareTrees(path.resolve(a), path.resolve(b)));
  if (command === "against" && a) {
    const out = fs.mkdtempSync(path.join(os.tmpdir(), "render-compare-out-"));
    renderAtRef(a, path.join(out, "base"));
    await renderAll(path.join(out, "head"));
    process.stdout.write(`base ${a}: ${path.join(out, "base")}\nworking tree: ${path.join(out, "head")}\n`);
    return report(compareTrees(path.join(out, "base"), path.join(out, "head")));
  }
  if (command === "digest" && a) {
    process.stdout.write(digestTree(path.resolve(a)));
    return 0;
  }
  if (command === "verify" && a) {
    const out = fs.mkdtempSync(path.join(os.tmpdir(), "render-compare-out-"));
    await renderAll(out);
    process.stdout.write(`working tree: ${out}\n`);
    return report(compareDigests(fs.readFileSync(a, "utf8"), digestTree(out)));
  }
  process.stderr.write("usage: render-compare.ts render <dir> | diff <a> <b> | against <git-ref> | digest <dir> | verify <digests>\n");
  return 2;
}

if (require.main === module) {
  main(process.argv.slice(2)).then((code) => (process.exitCode = code));
}
