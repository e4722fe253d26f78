/**
 * npm run diff -- --stack <name> --base <git-ref> [--out <file>]
 *
 * Renders the stack at <git-ref> (its own code, extracted with `git archive`
 * into a temp dir) and at the working tree, and prints the review report
 * (review/report.ts) as Markdown. No cloud, cluster or Pulumi account: render
 * runs the program under mocks. The base reuses this checkout's node_modules
 * (symlink) when its package-lock.json is byte-identical, else runs `npm ci`.
 */
import { execFileSync } from "child_process";
import * as fs from "fs";
import * as os from "os";
import * as path from "path";
import { renderStack } from "../render/render";
import { reviewReport } from "../review/report";
import { ConfigValidationError } from "../settings/validate";

const ROOT = path.resolve(__dirname, "..");

function usage(message: string): never {
  process.stderr.write(`${message}\nusage: npm run diff -- --stack <name> --base <git-ref> [--out <file>]\n`);
  process.exit(2);
}

function git(args: string[], opts: { encoding?: "utf8" } = { encoding: "utf8" }): string {
  return execFileSync("git", ["-C", ROOT, ...args], { ...opts, stdio: ["ignore", "pipe", "pipe"], maxBuffer: 256 * 1024 * 1024 }).toString();
}

/** A file of the base tree, or undefined when it does not exist there. */
function showAt(ref: string, file: string): string | undefined {
  try {
    return git(["show", `${ref}:${file}`]);
  } catch {
    return undefined;
  }
}

/** Every file under `dir`, by path relative to it. */
export function readTree(dir: string): Map<string, string> {
  const out = new Map<string, string>();
  const walk = (rel: string) => {
    for (const e of fs.readdirSync(path.join(dir, rel), { withFileTypes: true })) {
      const p = rel ? `${rel}/${e.name}` : e.name;
      if (e.isDirectory()) walk(p);
      else out.set(p, fs.readFileSync(path.join(dir, p), "utf8"));
    }
  };
  walk("");
  return out;
}

/** Render `stack` as the code at `ref` renders it; returns the rendered files. */
function renderAtRef(ref: string, stack: string, work: string): Map<string, string> {
  const tree = path.join(work, "tree");
  fs.mkdirSync(tree);
  const tar = path.join(work, "base.tar");
  git(["archive", "--format=tar", "-o", tar, ref]);
  execFileSync("tar", ["-xf", tar, "-C", tree]);
  const sameLock = showAt(ref, "package-lock.json") === fs.readFileSync(path.join(ROOT, "package-lock.json"), "utf8");
  if (sameLock && fs.existsSync(path.join(ROOT, "node_modules"))) {
    fs.symlinkSync(path.join(ROOT, "node_modules"), path.join(tree, "node_modules"), "dir");
  } else {
    process.stderr.write(`diff: ${ref} has other dependencies; running npm ci for it\n`);
    execFileSync("npm", ["ci", "--no-audit", "--no-fund"], { cwd: tree, stdio: ["ignore", "ignore", "inherit"] });
  }
  const out = path.join(work, "rendered");
  try {
    execFileSync(path.join(tree, "node_modules/.bin/ts-node"), ["--transpile-only", "scripts/render.ts", "--stack", stack, "--out", out], {
      cwd: tree,
      stdio: ["ignore", "pipe", "pipe"],
    });
  } catch (err) {
    const e = err as { stderr?: Buffer };
    throw new Error(`rendering stack '${stack}' at ${ref} failed:\n${e.stderr?.toString() ?? String(err)}`);
  }
  return readTree(out);
}

async function main(argv: string[]): Promise<void> {
  const arg = (flag: string) => {
    const i = argv.indexOf(flag);
    return i >= 0 ? argv[i + 1] : undefined;
  };
  const stack = arg("--stack") ?? usage("missing --stack");
  const base = arg("--base") ?? usage("missing --base");
  const outFile = arg("--out");
  try {
    git(["rev-parse", "--verify", "--quiet", `${base}^{commit}`]);
  } catch {
    usage(`--base: ${JSON.stringify(base)} is not a commit of this repository (try main, origin/main or a commit id)`);
  }

  const work = fs.mkdtempSync(path.join(os.tmpdir(), "observability-diff-"));
  try {
    const before = renderAtRef(base, stack, work);
    const after = new Map((await renderStack(ROOT, stack)).map((f) => [f.path, f.content]));
    const configFile = `Pulumi.${stack}.yaml`;
    const headConfig = path.join(ROOT, configFile);
    const report = reviewReport({
      stack,
      baseLabel: `\`${base}\``,
      headLabel: "working tree",
      before,
      after,
      stackConfigBefore: showAt(base, configFile),
      stackConfigAfter: fs.existsSync(headConfig) ? fs.readFileSync(headConfig, "utf8") : undefined,
    });
    if (outFile) fs.writeFileSync(outFile, report);
    process.stdout.write(report);
  } finally {
    fs.rmSync(work, { recursive: true, force: true });
  }
}

if (require.main === module) {
  main(process.argv.slice(2)).catch((err: unknown) => {
    const detail = err instanceof Error ? (process.env.DEBUG && !(err instanceof ConfigValidationError) ? err.stack ?? err.message : err.message) : String(err);
    process.stderr.write(`diff failed: ${detail}\n`);
    process.exit(1);
  });
}
