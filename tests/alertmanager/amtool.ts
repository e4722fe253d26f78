/**
 * Runs Debian's real `amtool` (0.25) against rendered files. Tests that use
 * it fail, never skip, when it is missing: the checks are the point.
 */
import { spawnSync } from "child_process";
import * as fs from "fs";
import * as os from "os";
import * as path from "path";
import type { ConfigFile } from "../../configs/files";

export const AMTOOL = process.env.AMTOOL ?? "amtool";

export interface Run {
  status: number | null;
  stdout: string;
  stderr: string;
}

/** Throws a message that says what to install when amtool cannot run. */
export function requireAmtool(): void {
  const r = spawnSync(AMTOOL, ["--version"], { encoding: "utf8" });
  if (r.error || r.status !== 0) {
    throw new Error(
      `amtool is required by these tests and could not be run (${r.error?.message ?? r.stderr}). ` +
        "Install Debian's Alertmanager tools: `apt-get install -y prometheus-alertmanager` " +
        "(or point AMTOOL at an amtool binary).",
    );
  }
}

export function amtool(args: string[], cwd = "/"): Run {
  const r = spawnSync(AMTOOL, args, { encoding: "utf8", cwd, timeout: 30_000 });
  if (r.error) throw new Error(`running ${AMTOOL} ${args.join(" ")}: ${r.error.message}`);
  return { status: r.status, stdout: r.stdout, stderr: r.stderr };
}

const tempDirs: string[] = [];

function tempDir(prefix: string): string {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), prefix));
  tempDirs.push(dir);
  return dir;
}

/** Remove every directory this module created (call from afterAll). */
export function removeTempDirs(): void {
  for (const d of tempDirs.splice(0)) fs.rmSync(d, { recursive: true, force: true });
}

/** Write `files` under a fresh temp dir, as render would; returns the dir. */
export function writeRendered(files: readonly ConfigFile[], prefix = "am-"): string {
  const dir = tempDir(prefix);
  for (const f of files) {
    const p = path.join(dir, f.path);
    fs.mkdirSync(path.dirname(p), { recursive: true });
    fs.writeFileSync(p, f.content);
  }
  return dir;
}

/**
 * `amtool check-config`, run from `/` so that a template found at all was
 * found relative to the config file, not the working directory.
 */
export function checkConfig(configPath: string): Run {
  return amtool(["check-config", configPath], "/");
}

/** Receivers amtool resolves for `labels`, in routing order. */
export function routesTest(configPath: string, labels: Readonly<Record<string, string>>): string[] {
  const r = amtool(["config", "routes", "test", `--config.file=${configPath}`, ...labelArgs(labels)]);
  if (r.status !== 0) throw new Error(`amtool config routes test failed: ${r.stdout}${r.stderr}`);
  return r.stdout.trim().split(",");
}

/** `amtool config routes test --verify.receivers=...`: exit status and output, for a readable diff on failure. */
export function verifyRoute(configPath: string, expected: readonly string[], labels: Readonly<Record<string, string>>): Run {
  return amtool([
    "config",
    "routes",
    "test",
    `--config.file=${configPath}`,
    `--verify.receivers=${expected.join(",")}`,
    ...labelArgs(labels),
  ]);
}

function labelArgs(labels: Readonly<Record<string, string>>): string[] {
  return Object.entries(labels).map(([k, v]) => `${k}=${v}`);
}

/** `amtool template render` of `{{ template "<name>" . }}` with `data` (Alertmanager's template.Data as JSON). */
export function renderTemplate(templatePath: string, name: string, data: unknown, type: "text" | "html" = "text"): Run {
  const dataFile = path.join(tempDir("am-data-"), "data.json");
  fs.writeFileSync(dataFile, JSON.stringify(data));
  return amtool([
    "template",
    "render",
    `--template.glob=${templatePath}`,
    `--template.text={{ template "${name}" . }}`,
    `--template.type=${type}`,
    `--template.data=${dataFile}`,
  ]);
}
