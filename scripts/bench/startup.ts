/**
 * Whole-process figures of program start and render (npm run benchmark), each
 * against the floor measured in the same round: a Node process that only
 * requires the Pulumi SDKs the program uses. Rounds alternate floor, render,
 * program start; the figure is the median over rounds of each round's ratio.
 *
 * "Program start" is what `pulumi preview` / `pulumi up` run, minus the CLI,
 * which is not available here: Pulumi's own language-host entry
 * (`@pulumi/pulumi/cmd/run`) loading Pulumi.yaml's `main` with config in the
 * environment as the CLI passes it, against an in-process mock engine
 * (scripts/bench/mock-engine.ts) instead of the CLI's gRPC one.
 */
import { spawnSync } from "child_process";
import * as fs from "fs";
import * as os from "os";
import * as path from "path";
import { parse, stringify } from "yaml";
import { readStackConfig } from "../../render/stack-config";
import { PROJECT_DIR } from "../../settings/rules";
import { ENV_STRING_MAX_BYTES, PULUMI_CONFIG_ENV, pulumiConfigBytes } from "../../settings/config-size";
import { BUILD_DIR, buildIfStale, staleness } from "../build";

/** The SDKs the program loads; requiring only these is the floor. */
export const FLOOR_MODULES = ["@pulumi/pulumi", "@pulumi/docker", "@pulumi/kubernetes", "@pulumiverse/grafana", "@pulumi/random"] as const;


/** What the issue asks of render and program start: within this ratio of the floor. */
export const START_RATIO_TARGET = 2;

const USAGE_PRELOAD = path.join(PROJECT_DIR, "scripts", "bench", "process-usage.js");
const MOCK_ENGINE_PRELOAD = path.join(PROJECT_DIR, BUILD_DIR, "scripts", "bench", "mock-engine.js");

export interface Measured {
  readonly wallMs: number;
  readonly peakRssKiB: number;
  /** User + system CPU time: less swayed than wall time by other load on the machine. */
  readonly cpuMs: number;
}

/**
 * Runs one command to completion (cwd: the project), timing the whole process; throws when it fails,
 * or, with `refusal`, unless it exits 1 saying that.
 */
export function measure(argv: readonly string[], env: NodeJS.ProcessEnv = {}, refusal?: string): Measured {
  const usageFile = path.join(fs.mkdtempSync(path.join(os.tmpdir(), "obs-usage-")), "usage.json");
  try {
    const [node, ...args] = argv;
    const started = process.hrtime.bigint();
    const r = spawnSync(node, ["-r", USAGE_PRELOAD, ...args], {
      cwd: PROJECT_DIR,
      env: { ...process.env, ...env, PROCESS_USAGE_FILE: usageFile },
      encoding: "utf8",
      maxBuffer: 64 * 1024 * 1024,
    });
    const wallMs = Number(process.hrtime.bigint() - started) / 1e6;
    if (r.error) throw new Error(`${args.join(" ")} did not start: ${r.error.message}`);
    const refused = refusal !== undefined && r.status === 1 && r.stderr.includes(refusal);
    if (r.status !== 0 && !refused) throw new Error(`${args.join(" ")} exited ${r.status ?? r.signal}: ${(r.stderr || r.stdout).trim().slice(-2000)}`);
    if (refusal !== undefined && !refused) throw new Error(`${args.join(" ")} was expected to refuse the config (${refusal}) and did not`);
    const usage = JSON.parse(fs.readFileSync(usageFile, "utf8")) as { peakRssKiB: number; cpuMs: number };
    return { wallMs, ...usage };
  } finally {
    fs.rmSync(path.dirname(usageFile), { recursive: true, force: true });
  }
}

/** One stack to measure: a shipped one, or the dev stack with generated targets. */
export interface BenchStack {
  readonly name: string;
  /** Stack file; undefined for the project's Pulumi.<name>.yaml. */
  readonly stackFile?: string;
}

/**
 * The dev stack with `total` targets: its own (the SLO names one) plus
 * generated services with a health path each, so probes scale too.
 */
export function generatedTargetsStack(dir: string, total: number): BenchStack {
  const doc = parse(fs.readFileSync(path.join(PROJECT_DIR, "Pulumi.dev.yaml"), "utf8")) as { config: Record<string, unknown> };
  const key = "observability:targets";
  const own = (doc.config[key] as unknown[] | undefined) ?? [];
  const generated = Array.from({ length: Math.max(0, total - own.length) }, (_, i) => {
    const n = String(i + 1).padStart(4, "0");
    return { name: `app_${n}`, address: `app-${n}:8080`, component: "app", healthPaths: ["/health"] };
  });
  const name = `targets-${total}`;
  const stackFile = path.join(dir, `Pulumi.${name}.yaml`);
  fs.writeFileSync(stackFile, stringify({ config: { ...doc.config, [key]: [...own, ...generated] } }));
  return { name, stackFile };
}

const floorCommand = (): string[] => [process.execPath, "-e", `for (const m of ${JSON.stringify(FLOOR_MODULES)}) require(m);`];

const renderCommand = (stack: BenchStack, outDir: string): string[] => [
  process.execPath,
  path.join(PROJECT_DIR, "scripts", "compiled.js"),
  "render",
  "--stack",
  stack.name,
  "--out",
  outDir,
  ...(stack.stackFile ? ["--stack-file", stack.stackFile] : []),
];

/** Pulumi.yaml's `main`: the program the CLI starts. */
export function pulumiMain(): string {
  const project = parse(fs.readFileSync(path.join(PROJECT_DIR, "Pulumi.yaml"), "utf8")) as { name: string; main?: string };
  return project.main ?? ".";
}

/**
 * Pulumi's language-host entry running the program of `stack` under the mock
 * engine; `typescript` as Pulumi.yaml's runtime option (true: ts-node type-checks).
 */
export function pulumiStartCommand(stack: BenchStack, program: string, typescript: boolean, report?: string): { argv: string[]; env: NodeJS.ProcessEnv } {
  const { project, config, secretKeys } = readStackConfig(PROJECT_DIR, stack.name, undefined, stack.stackFile);
  const run = require.resolve("@pulumi/pulumi/cmd/run", { paths: [PROJECT_DIR] });
  return {
    argv: [process.execPath, "-r", MOCK_ENGINE_PRELOAD, run, "--monitor=mock", `--project=${project}`, `--stack=${stack.name}`, "--dry-run", program],
    env: {
      PULUMI_CONFIG: JSON.stringify(config),
      PULUMI_CONFIG_SECRET_KEYS: JSON.stringify(secretKeys),
      PULUMI_NODEJS_PROJECT: project,
      PULUMI_NODEJS_STACK: stack.name,
      PULUMI_NODEJS_TYPESCRIPT: String(typescript),
      ...(report ? { MOCK_ENGINE_REPORT: report } : {}),
    },
  };
}

const median = (xs: readonly number[]) => {
  const s = [...xs].sort((a, b) => a - b);
  return s.length % 2 ? s[(s.length - 1) / 2] : (s[s.length / 2 - 1] + s[s.length / 2]) / 2;
};

interface Column {
  readonly run: () => Measured;
}

interface Summary extends Measured {
  readonly wallRatio: number;
  readonly rssRatio: number;
  readonly cpuRatio: number;
}

/** `rounds` rounds of floor then each column; medians of the absolute figures and of the per-round ratios. */
export function alternate(rounds: number, columns: readonly Column[]): { floor: Measured; columns: Summary[] } {
  const floors: Measured[] = [];
  const results: Measured[][] = columns.map(() => []);
  for (let i = 0; i < rounds; i++) {
    floors.push(measure(floorCommand()));
    columns.forEach((c, j) => results[j].push(c.run()));
  }
  return {
    floor: { wallMs: median(floors.map((f) => f.wallMs)), peakRssKiB: median(floors.map((f) => f.peakRssKiB)), cpuMs: median(floors.map((f) => f.cpuMs)) },
    columns: results.map((rs) => ({
      wallMs: median(rs.map((r) => r.wallMs)),
      peakRssKiB: median(rs.map((r) => r.peakRssKiB)),
      cpuMs: median(rs.map((r) => r.cpuMs)),
      wallRatio: median(rs.map((r, i) => r.wallMs / floors[i].wallMs)),
      rssRatio: median(rs.map((r, i) => r.peakRssKiB / floors[i].peakRssKiB)),
      cpuRatio: median(rs.map((r, i) => r.cpuMs / floors[i].cpuMs)),
    })),
  };
}

const seconds = (ms: number) => `${(ms / 1000).toFixed(2)} s`;
const mib = (kib: number) => `${(kib / 1024).toFixed(0)} MiB`;

export interface StartupOptions {
  readonly rounds: number;
  /** Also time the start as before this build step (`typescript: true`: ts-node type-checks index.ts), dev only. */
  readonly typescript: boolean;
  readonly write: (line: string) => void;
}

/**
 * The floor as Pulumi runs it: the language host's entry loading a program
 * that only requires the SDKs. What any program pays before its own work.
 */
function pulumiFloorProgram(dir: string): string {
  const file = path.join(dir, "pulumi-floor", "index.js");
  fs.mkdirSync(path.dirname(file), { recursive: true });
  fs.writeFileSync(path.join(path.dirname(file), "package.json"), "{}\n");
  const resolved = FLOOR_MODULES.map((m) => require.resolve(m, { paths: [PROJECT_DIR] }));
  fs.writeFileSync(file, `for (const m of ${JSON.stringify(resolved)}) require(m);\n`);
  return file;
}

/** Prints, per stack, render and program start against the floor. */
export function startupFigures(opts: StartupOptions): void {
  buildIfStale(PROJECT_DIR);
  const work = fs.mkdtempSync(path.join(os.tmpdir(), "obs-bench-start-"));
  const row = (cells: readonly string[]) => opts.write(cells.map((c, i) => c.padEnd([12, 30, 10, 9, 9, 9, 9, 9, 9][i] ?? 0)).join(" ").trimEnd());
  try {
    const stacks: BenchStack[] = [{ name: "dev" }, { name: "prod" }, generatedTargetsStack(work, 500), generatedTargetsStack(work, 2000)];
    const main = pulumiMain();
    const floorProgram = pulumiFloorProgram(work);
    opts.write(`Whole process, median of ${opts.rounds} rounds; each round runs the floor and every command of a stack in turn; x floor: median of the per-round ratios.`);
    opts.write(`  floor:        node requiring ${FLOOR_MODULES.join(", ")}`);
    opts.write(`  render:       node scripts/compiled.js render (what npm run render runs; npm's own start not counted)`);
    opts.write(`  pulumi start: @pulumi/pulumi/cmd/run, the entry the Pulumi language host starts, loading ${main} (Pulumi.yaml main) with the`);
    opts.write(`                stack config in the environment, against a mock engine (the Pulumi CLI cannot run here: emulated, not measured)`);
    opts.write(`  pulumi floor: the same entry loading a program that only requires the SDKs (what Pulumi itself adds to the floor)`);
    opts.write(`  target: render and pulumi start within ${START_RATIO_TARGET}x the floor's wall time`);
    opts.write(`  CPU: user + system time; its ratio shows the work done, less swayed than wall time by other load`);
    row(["stack", "command", "resources", "wall", "x floor", "peak RSS", "x floor", "CPU", "x floor"]);
    for (const stack of stacks) {
      const report = path.join(work, `${stack.name}.report.json`);
      const start = pulumiStartCommand(stack, main, false, report);
      const pulumiFloor = pulumiStartCommand(stack, floorProgram, false);
      const configBytes = pulumiConfigBytes(JSON.parse(start.env.PULUMI_CONFIG!) as Record<string, string>);
      const startable = configBytes <= ENV_STRING_MAX_BYTES;
      // A config Pulumi cannot pass is refused by validation (settings/config-size.ts): render then times the refusal.
      const { floor, columns } = alternate(opts.rounds, [
        { run: () => measure(renderCommand(stack, path.join(work, `out-${stack.name}`)), {}, startable ? undefined : PULUMI_CONFIG_ENV) },
        ...(startable ? [{ run: () => measure(pulumiFloor.argv, pulumiFloor.env) }, { run: () => measure(start.argv, start.env) }] : []),
      ]);
      // A source edited meanwhile would have had a render rebuild bin/ inside a measured run.
      const stale = staleness(PROJECT_DIR);
      if (stale) throw new Error(`${stale} while the benchmark ran: its figures are void`);
      const resources = startable ? String((JSON.parse(fs.readFileSync(path.join(work, `out-${stack.name}`, "plan.json"), "utf8")) as { resources: unknown[] }).resources.length) : "";
      const verdict = (s: Summary) => (s.wallRatio <= START_RATIO_TARGET ? `meets ${START_RATIO_TARGET}x` : `MISSES ${START_RATIO_TARGET}x`);
      const line = (name: string, s: Summary, n: string, extra: string) =>
        row([stack.name, name, n, seconds(s.wallMs), `${s.wallRatio.toFixed(2)}x`, mib(s.peakRssKiB), `${s.rssRatio.toFixed(2)}x`, seconds(s.cpuMs), `${s.cpuRatio.toFixed(2)}x`, extra]);
      row([stack.name, "floor", "", seconds(floor.wallMs), "", mib(floor.peakRssKiB), "", seconds(floor.cpuMs)]);
      line(startable ? "render" : "render (refused)", columns[0], resources, startable ? verdict(columns[0]) : "the config is refused: too large for Pulumi to pass");
      if (startable) {
        const [, pulumiFloorRun, startRun] = columns;
        const registered = (JSON.parse(fs.readFileSync(report, "utf8")) as { resources: number }).resources;
        if (String(registered) !== resources) throw new Error(`pulumi start registered ${registered} resources, render planned ${resources}`);
        line("pulumi floor", pulumiFloorRun, "", "");
        line("pulumi start", startRun, resources, `${verdict(startRun)}; ${(startRun.wallMs / pulumiFloorRun.wallMs).toFixed(2)}x pulumi floor`);
      } else {
        row([stack.name, "pulumi start", resources, "cannot start", "", "", "", "", "", `${PULUMI_CONFIG_ENV} would be ${Math.ceil(configBytes / 1024)} KiB, over Linux's ${ENV_STRING_MAX_BYTES / 1024} KiB for one environment string (E2BIG)`]);
      }
    }
    if (opts.typescript) {
      // As Pulumi ran the program before it was compiled: ts-node type-checking the sources.
      const ts = pulumiStartCommand({ name: "dev" }, "index.ts", true);
      const { floor, columns: [before] } = alternate(opts.rounds, [{ run: () => measure(ts.argv, ts.env) }]);
      row(["dev", "floor", "", seconds(floor.wallMs), "", mib(floor.peakRssKiB), "", seconds(floor.cpuMs)]);
      row(["dev", "pulumi start, typescript: true", "", seconds(before.wallMs), `${before.wallRatio.toFixed(2)}x`, mib(before.peakRssKiB), `${before.rssRatio.toFixed(2)}x`, seconds(before.cpuMs), `${before.cpuRatio.toFixed(2)}x`, "before: ts-node type-checks index.ts"]);
    }
  } finally {
    fs.rmSync(work, { recursive: true, force: true });
  }
}
