/**
 * Packaging as a production pipeline does it: build with the dev tools, then
 * install with `npm ci --omit=dev` and run from the compiled output. In a
 * scratch copy of the project (no tests/, no e2e/): every module the program
 * loads at run time must then come from `dependencies`, or render and the
 * program start fail here.
 *
 * npm installs from its cache (filled by the `npm ci` before the tests),
 * falling back to the registry.
 */
import { spawnSync, SpawnSyncOptions } from "child_process";
import * as fs from "fs";
import * as os from "os";
import * as path from "path";
import { renderStack } from "../../render/render";
import { readStackConfig } from "../../render/stack-config";
import { BUILD_DIR } from "../../scripts/build";
import { PROJECT_DIR } from "../../settings/rules";

jest.setTimeout(900_000);

/** Not part of a deployable copy: dependencies, outputs, state, VCS, and the test-only trees. */
const LEFT_OUT = new Set(["node_modules", BUILD_DIR, ".git", ".pulumi-state", "out", "tests", "e2e"]);

function run(cmd: string, args: readonly string[], opts: SpawnSyncOptions = {}): string {
  const r = spawnSync(cmd, args, { encoding: "utf8", maxBuffer: 64 * 1024 * 1024, ...opts });
  if (r.status !== 0) throw new Error(`${cmd} ${args.join(" ")} exited ${r.status ?? r.signal}:\n${String(r.stdout)}\n${String(r.stderr)}`);
  return String(r.stdout);
}

function filesUnder(dir: string): Map<string, string> {
  const out = new Map<string, string>();
  const walk = (d: string) => {
    for (const e of fs.readdirSync(d, { withFileTypes: true })) {
      const full = path.join(d, e.name);
      if (e.isDirectory()) walk(full);
      else out.set(path.relative(dir, full).split(path.sep).join("/"), fs.readFileSync(full, "utf8"));
    }
  };
  walk(dir);
  return out;
}

describe("production install: npm ci --omit=dev, then the compiled program", () => {
  let scratch: string;

  beforeAll(() => {
    scratch = fs.mkdtempSync(path.join(os.tmpdir(), "obs-prod-install-"));
    fs.cpSync(PROJECT_DIR, scratch, { recursive: true, filter: (src) => path.dirname(src) !== PROJECT_DIR || !LEFT_OUT.has(path.basename(src)) });
    // Build with the dev tools (tsc, @types/node), as CI does before packaging...
    fs.symlinkSync(path.join(PROJECT_DIR, "node_modules"), path.join(scratch, "node_modules"), "dir");
    run(process.execPath, ["scripts/build.js"], { cwd: scratch });
    fs.unlinkSync(path.join(scratch, "node_modules"));
    // ...then install production dependencies only.
    run("npm", ["ci", "--omit=dev", "--prefer-offline", "--no-audit", "--no-fund", "--loglevel=error"], { cwd: scratch });
  });
  afterAll(() => scratch && fs.rmSync(scratch, { recursive: true, force: true }));

  it("installs no package the lockfile marks dev-only (jest, ts-jest, kubernetes-models, prom-client, ...)", () => {
    const lock = JSON.parse(fs.readFileSync(path.join(scratch, "package-lock.json"), "utf8")) as { packages: Record<string, { dev?: boolean }> };
    const devOnly = Object.entries(lock.packages).filter(([p, meta]) => p.startsWith("node_modules/") && meta.dev).map(([p]) => p);
    expect(devOnly).toEqual(expect.arrayContaining(["node_modules/jest", "node_modules/kubernetes-models", "node_modules/prom-client"]));
    expect(devOnly.filter((p) => fs.existsSync(path.join(scratch, p)))).toEqual([]);
  });

  it.each(["dev", "prod"])("npm run render -- --stack %s writes, byte for byte, what the program renders from its sources", async (stack) => {
    const out = path.join(scratch, `out-${stack}`);
    const stdout = run("npm", ["run", "--silent", "render", "--", "--stack", stack, "--out", out], { cwd: scratch });
    expect(stdout).toMatch(new RegExp(`rendered stack '${stack}'`));
    const expected = await renderStack(PROJECT_DIR, stack);
    const written = filesUnder(out);
    expect([...written.keys()].sort()).toEqual(expected.map((f) => f.path).sort());
    for (const f of expected) expect({ path: f.path, content: written.get(f.path) }).toEqual({ path: f.path, content: f.content });
  });

  interface EngineReport {
    resources: number;
    sourcePositions: Record<string, string>;
  }
  let engineReport: EngineReport | undefined;
  /** Pulumi's language-host entry runs the compiled program once (prod), against the mock engine. */
  function startProgram(): EngineReport {
    if (engineReport) return engineReport;
    // The CLI is not available: its language-host entry runs against the mock engine used by the benchmark.
    const report = path.join(scratch, "engine-report.json");
    // Config as the CLI hands it to the program: the stack file's, in the environment.
    const { project, config, secretKeys } = readStackConfig(PROJECT_DIR, "prod");
    const stdout = run(
      process.execPath,
      [
        "-r",
        `./${BUILD_DIR}/scripts/bench/mock-engine.js`,
        "node_modules/@pulumi/pulumi/cmd/run",
        "--monitor=mock",
        `--project=${project}`,
        "--stack=prod",
        "--dry-run",
        `${BUILD_DIR}/index.js`,
      ],
      {
        cwd: scratch,
        env: {
          ...process.env,
          PULUMI_CONFIG: JSON.stringify(config),
          PULUMI_CONFIG_SECRET_KEYS: JSON.stringify(secretKeys),
          PULUMI_NODEJS_PROJECT: project,
          PULUMI_NODEJS_STACK: "prod",
          PULUMI_NODEJS_TYPESCRIPT: "false",
          MOCK_ENGINE_REPORT: report,
        },
      },
    );
    expect(stdout).not.toMatch(/error/i);
    return (engineReport = JSON.parse(fs.readFileSync(report, "utf8")) as EngineReport);
  }

  it("Pulumi's language host starts bin/index.js (Pulumi.yaml main) and the program registers every resource render plans", async () => {
    const plan = JSON.parse((await renderStack(PROJECT_DIR, "prod")).find((f) => f.path === "plan.json")!.content) as { resources: unknown[] };
    expect(startProgram().resources).toBe(plan.resources.length);
  });

  it("tells the engine where each resource was declared: a file that is installed, at a line it has (compiled frames, no source-map rewriting)", () => {
    const { resources, sourcePositions } = startProgram();
    // The root stack resource is Pulumi's entry's own, registered (and its trace rewritten) before the program loads.
    const all = Object.entries(sourcePositions);
    expect(all).toHaveLength(resources);
    const positions = all.filter(([urn]) => !urn.startsWith("pulumi:pulumi:Stack::"));
    expect(positions).toHaveLength(resources - 1);
    const lines = new Map<string, number>();
    const wrong = positions.filter(([, at]) => {
      const m = /^file:\/\/(.+):(\d+):(\d+)$/.exec(at);
      if (!m) return true;
      const file = m[1];
      if (!lines.has(file)) lines.set(file, fs.existsSync(file) ? fs.readFileSync(file, "utf8").split("\n").length : 0);
      return Number(m[2]) > lines.get(file)!;
    });
    expect(wrong).toEqual([]);
    // The stack's own components are declared by the compiled program.
    const ours = positions.filter(([urn]) => urn.startsWith("observability:"));
    expect(ours.length).toBeGreaterThan(5);
    expect(ours.filter(([, at]) => !at.startsWith(`file://${fs.realpathSync(path.join(scratch, BUILD_DIR))}/`))).toEqual([]);
  });

  it("compiles exactly the sources the staleness digest covers", () => {
    const info = JSON.parse(fs.readFileSync(path.join(scratch, BUILD_DIR, "build-info.json"), "utf8")) as { sources: Record<string, string> };
    const compiled = [...filesUnder(path.join(scratch, BUILD_DIR)).keys()].filter((f) => f.endsWith(".js")).map((f) => f.replace(/\.js$/, "")).sort();
    const sources = Object.keys(info.sources).filter((f) => /\.(ts|js)$/.test(f)).map((f) => f.replace(/\.(ts|js)$/, "")).sort();
    expect(compiled).toEqual(sources);
  });
});
