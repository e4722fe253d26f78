/**
 * Tests depend on the program, never the other way round: nothing outside
 * tests/ (program, scripts, benchmark, e2e/ support) imports from tests/, so
 * scripts run without the test tree and a deployable copy can leave it out.
 */
import * as fs from "fs";
import * as path from "path";
import { PROJECT_DIR } from "../../settings/rules";

const SKIP = new Set(["node_modules", "bin", "tests", ".git", ".pulumi-state", "out"]);

function sources(dir: string): string[] {
  return fs.readdirSync(dir, { withFileTypes: true }).flatMap((e) => {
    if (SKIP.has(e.name) && dir === PROJECT_DIR) return [];
    const full = path.join(dir, e.name);
    if (e.isDirectory()) return sources(full);
    return /\.(ts|js)$/.test(e.name) ? [full] : [];
  });
}

/** Relative module specifiers of import/export-from/require/import(). */
function relativeSpecifiers(text: string): string[] {
  const found: string[] = [];
  for (const m of text.matchAll(/(?:from\s+|require\(\s*|import\(\s*|import\s+)["'](\.{1,2}\/[^"']*)["']/g)) found.push(m[1]);
  return found;
}

describe("imports", () => {
  const files = sources(PROJECT_DIR);

  it("finds the program, the scripts and the e2e support", () => {
    const rel = files.map((f) => path.relative(PROJECT_DIR, f));
    expect(rel).toEqual(expect.arrayContaining(["index.ts", "scripts/benchmark.ts", "scripts/bench/startup.ts", "e2e/live-stack.ts"]));
  });

  it("nothing outside tests/ imports from tests/", () => {
    const testsDir = path.join(PROJECT_DIR, "tests") + path.sep;
    const offenders = files.flatMap((f) =>
      relativeSpecifiers(fs.readFileSync(f, "utf8"))
        .filter((spec) => path.resolve(path.dirname(f), spec).startsWith(testsDir))
        .map((spec) => `${path.relative(PROJECT_DIR, f)} imports ${spec}`),
    );
    expect(offenders).toEqual([]);
  });
});
