/**
 * scripts/pulumi.sh behind `npm run deploy`, `npm run preview` and
 * `npm run stack -- init`, run against a stand-in `pulumi` on PATH that
 * records its calls (the real CLI cannot be installed here). What matters is
 * what it asks Pulumi to do: `pulumi up` shows the preview and asks unless the
 * user passes --yes; nothing is ever approved for them, prod included.
 */
import { spawnSync } from "child_process";
import * as fs from "fs";
import * as os from "os";
import * as path from "path";
import { PROJECT_DIR } from "../support/stacks";

const SCRIPT = path.join(PROJECT_DIR, "scripts", "pulumi.sh");

interface Run {
  code: number;
  out: string;
  /** The pulumi invocations, one per line. */
  calls: string[];
}

/** A fake `pulumi`: `stack select` succeeds only for stacks in $FAKE/stacks; every call is logged. */
function fakePulumi(existing: string[]): { bin: string; dir: string } {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), "fake-pulumi-"));
  const bin = path.join(dir, "bin");
  fs.mkdirSync(bin);
  fs.writeFileSync(path.join(dir, "stacks"), existing.map((s) => `${s}\n`).join(""));
  fs.writeFileSync(
    path.join(bin, "pulumi"),
    [
      "#!/usr/bin/env bash",
      `echo "$*" >> "${dir}/calls"`,
      `if [ "$1 $2" = "stack select" ]; then grep -qx "$3" "${dir}/stacks" || { echo "error: no stack named '$3' found" >&2; exit 255; }; fi`,
      `if [ "$1 $2" = "stack init" ]; then echo "$3" >> "${dir}/stacks"; fi`,
      "exit 0",
    ].join("\n"),
    { mode: 0o755 },
  );
  return { bin, dir };
}

/** Run the script with a fake pulumi; `tty` runs it inside a pseudo-terminal (util-linux `script`), as in a shell. */
function run(args: string[], opts: { existing?: string[]; tty?: boolean; env?: Record<string, string | undefined> } = {}): Run {
  const fake = fakePulumi(opts.existing ?? ["dev", "prod"]);
  const env: NodeJS.ProcessEnv = {
    ...process.env,
    PATH: `${fake.bin}:${process.env.PATH}`,
    PULUMI_CONFIG_PASSPHRASE: "test",
    PULUMI_BACKEND_URL: `file://${fake.dir}/state`,
    ...opts.env,
  };
  for (const [k, v] of Object.entries(opts.env ?? {})) if (v === undefined) delete env[k];
  const command = ["bash", SCRIPT, ...args];
  const r = opts.tty
    ? spawnSync("script", ["-qec", command.map((a) => `'${a}'`).join(" "), "/dev/null"], { env, encoding: "utf8", input: "" })
    : spawnSync(command[0], command.slice(1), { env, encoding: "utf8", stdio: ["ignore", "pipe", "pipe"] });
  const callsFile = path.join(fake.dir, "calls");
  const calls = fs.existsSync(callsFile) ? fs.readFileSync(callsFile, "utf8").trim().split("\n") : [];
  fs.rmSync(fake.dir, { recursive: true, force: true });
  return { code: r.status ?? -1, out: `${r.stdout}${r.stderr}`, calls };
}

describe("npm run deploy -- <stack>", () => {
  it.each(["dev", "prod"])("runs `pulumi up` for %s without --yes, so Pulumi shows the preview and asks", (stack) => {
    const r = run(["up", stack], { tty: true });
    expect(r.code).toBe(0);
    expect(r.calls).toEqual([`stack select ${stack}`, `up --stack ${stack}`, `stack output --stack ${stack}`]);
  });

  it.each(["dev", "prod"])("refuses, without a terminal to ask in, to run `pulumi up` for %s unless --yes is given, and says how to review first", (stack) => {
    const r = run(["up", stack]);
    expect(r.code).toBe(1);
    expect(r.calls.filter((c) => c.startsWith("up"))).toEqual([]);
    expect(r.out).toContain(`Review the change with: npm run preview -- ${stack}   then approve it with: npm run deploy -- ${stack} --yes`);
  });

  it("passes an explicit --yes through (CI, after a reviewed preview)", () => {
    const r = run(["up", "prod", "--yes"]);
    expect(r.code).toBe(0);
    expect(r.calls).toContain("up --yes --stack prod");
  });

  it("rejects anything it does not know instead of passing it to Pulumi", () => {
    expect(run(["up", "dev", "--skip-preview"], { tty: true })).toMatchObject({ code: 2, calls: [] });
    expect(run(["up"])).toMatchObject({ code: 2, calls: [] });
    expect(run(["preview", "dev", "--yes"])).toMatchObject({ code: 2, calls: [] });
  });

  it("creates a stack it does not find, with the passphrase secrets provider", () => {
    const r = run(["up", "staging", "--yes"], { existing: [] });
    expect(r.calls.slice(0, 3)).toEqual(["stack select staging", "stack init staging --secrets-provider passphrase", "up --yes --stack staging"]);
  });
});

describe("npm run preview -- <stack>", () => {
  it("runs pulumi preview --diff", () => {
    expect(run(["preview", "prod"]).calls).toEqual(["stack select prod", "preview --diff --stack prod"]);
  });
});

describe("npm run stack -- init <stack>", () => {
  it("creates the stack with the passphrase provider before any deploy, and says what to do next", () => {
    const r = run(["stack", "init", "staging"], { existing: [] });
    expect(r.code).toBe(0);
    expect(r.calls).toEqual(["stack select staging", "stack init staging --secrets-provider passphrase"]);
    expect(r.out).toContain("Created stack 'staging'");
    expect(r.out).toContain("start from Pulumi.example.yaml (cp Pulumi.example.yaml Pulumi.staging.yaml)");
    expect(r.out).toContain("pulumi config set --secret --stack staging --path 'alerting.receivers[0].botToken' <token>");
    expect(r.out).toContain("npm run deploy -- staging");
  });

  it("leaves an existing stack as it is", () => {
    const r = run(["stack", "init", "dev"]);
    expect(r.calls).toEqual(["stack select dev"]);
    expect(r.out).toContain("Stack 'dev' already exists");
  });

  it("needs the passphrase that will encrypt the stack's secrets", () => {
    const r = run(["stack", "init", "staging"], { existing: [], env: { PULUMI_CONFIG_PASSPHRASE: undefined, PULUMI_CONFIG_PASSPHRASE_FILE: undefined } });
    expect(r.code).toBe(1);
    expect(r.out).toContain("Set PULUMI_CONFIG_PASSPHRASE");
    expect(r.calls).toEqual([]);
  });
});
