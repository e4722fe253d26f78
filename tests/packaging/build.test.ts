/**
 * The compiled build (scripts/build.js, scripts/compiled.js) on a small
 * project of the same shape: tsc output in bin/ with a record of its sources;
 * a compiled entry point that refuses to run when the sources changed since;
 * the npm-script launcher that rebuilds instead; type errors fail the build.
 * And the project's own wiring: what Pulumi and npm run is that build.
 */
import { spawnSync } from "child_process";
import * as fs from "fs";
import * as os from "os";
import * as path from "path";
import { parse } from "yaml";
import { BUILD_DIR, BUILD_INFO, sourceFiles } from "../../scripts/build";
import { PROJECT_DIR } from "../../settings/rules";

jest.setTimeout(300_000);

const SCRIPTS = ["build.js", "compiled.js"];

/** A project with the real build scripts, an entry point guarded like index.ts, a lib and a script. */
function smallProject(): string {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), "obs-build-"));
  const write = (rel: string, text: string) => {
    fs.mkdirSync(path.dirname(path.join(dir, rel)), { recursive: true });
    fs.writeFileSync(path.join(dir, rel), text);
  };
  write("Pulumi.yaml", `name: small\nruntime: nodejs\nmain: ${BUILD_DIR}/index.js\n`);
  write(
    "tsconfig.json",
    JSON.stringify({
      compilerOptions: { target: "ES2022", module: "commonjs", strict: true, allowJs: true, checkJs: true, skipLibCheck: true, types: ["node"], rootDir: "." },
    }),
  );
  write("tsconfig.build.json", JSON.stringify({ extends: "./tsconfig.json", include: ["index.ts", "lib/**/*.ts", "scripts/build.js", "scripts/hello.ts"] }));
  fs.mkdirSync(path.join(dir, "scripts"));
  for (const s of SCRIPTS) fs.copyFileSync(path.join(PROJECT_DIR, "scripts", s), path.join(dir, "scripts", s));
  write("index.ts", `import { refuseStaleBuild } from "./scripts/build";\nrefuseStaleBuild(__dirname);\nimport { greeting } from "./lib/greet";\nconsole.log(greeting());\n`);
  write("lib/greet.ts", `export function greeting(): string {\n  return "hello v1";\n}\n`);
  write("scripts/hello.ts", `import { greeting } from "../lib/greet";\nconsole.log(JSON.stringify({ greeting: greeting(), args: process.argv.slice(2), main: require.main === module }));\n`);
  // TypeScript and @types/node from this project, as `npm ci` would provide them.
  fs.symlinkSync(path.join(PROJECT_DIR, "node_modules"), path.join(dir, "node_modules"), "dir");
  return dir;
}

function node(dir: string, ...args: string[]) {
  const r = spawnSync(process.execPath, args, { cwd: dir, encoding: "utf8" });
  return { status: r.status, stdout: r.stdout, stderr: r.stderr };
}

describe("npm run build (scripts/build.js)", () => {
  let dir: string;
  beforeAll(() => {
    dir = smallProject();
  });
  afterAll(() => dir && fs.rmSync(dir, { recursive: true, force: true }));

  it("compiles the sources named by tsconfig.build.json into bin/, recording a digest of each", () => {
    const r = node(dir, "scripts/build.js");
    expect(r.stderr).toBe("");
    expect(r.status).toBe(0);
    const info = JSON.parse(fs.readFileSync(path.join(dir, BUILD_DIR, BUILD_INFO), "utf8")) as { sources: Record<string, string> };
    expect(Object.keys(info.sources)).toEqual(["index.ts", "lib/greet.ts", "scripts/build.js", "scripts/hello.ts", "tsconfig.build.json", "tsconfig.json"]);
    expect(Object.values(info.sources).every((d) => /^[0-9a-f]{64}$/.test(d))).toBe(true);
    expect(node(dir, `${BUILD_DIR}/index.js`)).toMatchObject({ status: 0, stdout: "hello v1\n" });
    expect(node(dir, "scripts/build.js", "--check").status).toBe(0);
  });

  it("refuses a build in which a compiled file is outside the digest (imported, but its folder not listed)", () => {
    const other = smallProject();
    try {
      fs.mkdirSync(path.join(other, "extra"));
      fs.writeFileSync(path.join(other, "extra/name.ts"), `export const NAME = "extra";\n`);
      fs.writeFileSync(path.join(other, "lib/greet.ts"), `import { NAME } from "../extra/name";\nexport function greeting(): string {\n  return NAME;\n}\n`);
      const r = node(other, "scripts/build.js");
      expect(r.status).toBe(1);
      expect(r.stderr).toContain("extra/name.ts compiled but not covered by tsconfig.build.json's include");
      expect(fs.existsSync(path.join(other, BUILD_DIR))).toBe(false);
    } finally {
      fs.rmSync(other, { recursive: true, force: true });
    }
  });

  it("the compiled entry point refuses to run once a source changed, naming it and the fix", () => {
    fs.writeFileSync(path.join(dir, "lib/greet.ts"), `export function greeting(): string {\n  return "hello v2";\n}\n`);
    const r = node(dir, `${BUILD_DIR}/index.js`);
    expect(r.status).not.toBe(0);
    expect(r.stdout).toBe("");
    expect(r.stderr).toContain("sources changed since bin/ was built (changed lib/greet.ts): run `npm run build`");
    const check = node(dir, "scripts/build.js", "--check");
    expect(check.status).toBe(1);
    expect(check.stderr).toContain("changed lib/greet.ts");
  });

  it("counts an added and a removed source as changes too", () => {
    fs.writeFileSync(path.join(dir, "lib/extra.ts"), "export const extra = 1;\n");
    expect(node(dir, "scripts/build.js", "--check").stderr).toContain("added lib/extra.ts");
    fs.rmSync(path.join(dir, "lib/extra.ts"));
    fs.rmSync(path.join(dir, "scripts/hello.ts"));
    expect(node(dir, "scripts/build.js", "--check").stderr).toContain("removed scripts/hello.ts");
    fs.writeFileSync(path.join(dir, "scripts/hello.ts"), `import { greeting } from "../lib/greet";\nconsole.log(JSON.stringify({ greeting: greeting(), args: process.argv.slice(2), main: require.main === module }));\n`);
  });

  it("npm scripts (scripts/compiled.js) rebuild a stale bin/ first, then run the compiled script as node's main module with its own arguments", () => {
    const r = node(dir, "scripts/compiled.js", "hello", "--stack", "dev");
    expect(r.status).toBe(0);
    expect(r.stderr).toContain("sources changed since bin/ was built (changed lib/greet.ts): building");
    expect(JSON.parse(r.stdout)).toEqual({ greeting: "hello v2", args: ["--stack", "dev"], main: true });
    // Fresh now: no rebuild, nothing on stderr.
    const again = node(dir, "scripts/compiled.js", "hello");
    expect(again).toMatchObject({ status: 0, stderr: "" });
    expect(node(dir, `${BUILD_DIR}/index.js`)).toMatchObject({ status: 0, stdout: "hello v2\n" });
  });

  it("a type error fails the build and leaves no runnable bin/", () => {
    fs.writeFileSync(path.join(dir, "lib/greet.ts"), `export function greeting(): string {\n  return 42;\n}\n`);
    const r = node(dir, "scripts/build.js");
    expect(r.status).toBe(1);
    expect(r.stdout + r.stderr).toMatch(/lib\/greet\.ts.*error TS2322/);
    expect(r.stderr).toContain("tsc failed");
    const start = node(dir, `${BUILD_DIR}/index.js`);
    expect(start.status).not.toBe(0);
    const launched = node(dir, "scripts/compiled.js", "hello");
    expect(launched.status).toBe(1);
    expect(launched.stderr).toContain("tsc failed");
  });

  it("a compiled-only copy (bin/ and Pulumi.yaml, no sources) runs without a check", () => {
    fs.writeFileSync(path.join(dir, "lib/greet.ts"), `export function greeting(): string {\n  return "hello v3";\n}\n`);
    expect(node(dir, "scripts/build.js").status).toBe(0);
    const copy = fs.mkdtempSync(path.join(os.tmpdir(), "obs-build-copy-"));
    try {
      fs.copyFileSync(path.join(dir, "Pulumi.yaml"), path.join(copy, "Pulumi.yaml"));
      fs.cpSync(path.join(dir, BUILD_DIR), path.join(copy, BUILD_DIR), { recursive: true });
      expect(node(copy, `${BUILD_DIR}/index.js`)).toMatchObject({ status: 0, stdout: "hello v3\n" });
    } finally {
      fs.rmSync(copy, { recursive: true, force: true });
    }
  });
});

describe("this project runs its compiled build", () => {
  const pulumiYaml = parse(fs.readFileSync(path.join(PROJECT_DIR, "Pulumi.yaml"), "utf8")) as { main?: string; runtime: { name: string; options?: Record<string, unknown> } };
  const pkg = JSON.parse(fs.readFileSync(path.join(PROJECT_DIR, "package.json"), "utf8")) as { main?: string; scripts: Record<string, string> };

  it("Pulumi starts bin/index.js without ts-node (main, typescript: false); package.json agrees", () => {
    expect(pulumiYaml.main).toBe(`${BUILD_DIR}/index.js`);
    expect(pulumiYaml.runtime).toMatchObject({ name: "nodejs", options: { typescript: false } });
    expect(pkg.main).toBe(`${BUILD_DIR}/index.js`);
  });

  it("npm run build compiles; render and doctor run compiled through the rebuilding launcher; deploy and preview build first", () => {
    expect(pkg.scripts.build).toBe("node scripts/build.js");
    expect(pkg.scripts.render).toBe("node scripts/compiled.js render");
    expect(pkg.scripts.doctor).toBe("node scripts/compiled.js doctor");
    const pulumiSh = fs.readFileSync(path.join(PROJECT_DIR, "scripts", "pulumi.sh"), "utf8");
    expect(pulumiSh).toMatch(/^node scripts\/build\.js --if-stale$/m);
  });

  it("type errors anywhere, tests included, still fail npm test", () => {
    const testSh = fs.readFileSync(path.join(PROJECT_DIR, "scripts", "test.sh"), "utf8");
    const tsconfig = JSON.parse(fs.readFileSync(path.join(PROJECT_DIR, "tsconfig.json"), "utf8")) as { include: string[] };
    expect(testSh).toMatch(/^npx tsc --noEmit -p \.$/m);
    expect(tsconfig.include).toEqual(expect.arrayContaining(["tests/**/*.ts", "e2e/**/*.ts", "scripts/**/*.ts", "scripts/**/*.js"]));
  });

  it("the digest covers the program's sources and nothing from tests/", () => {
    const files = sourceFiles(PROJECT_DIR);
    expect(files).toEqual(expect.arrayContaining(["index.ts", "program.ts", "versions.ts", "settings/schema.ts", "scripts/render.ts", "scripts/build.js"]));
    expect(files.filter((f) => f.startsWith("tests/") || f.startsWith("e2e/"))).toEqual([]);
  });
});
