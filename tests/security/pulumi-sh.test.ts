/**
 * scripts/pulumi.sh refuses to run the CLI with an empty passphrase: Pulumi would accept it and encrypt
 * the stack's secrets with a key anyone can derive. A stand-in `pulumi` on PATH records whether it ran.
 */
import { spawnSync } from "child_process";
import * as fs from "fs";
import * as os from "os";
import * as path from "path";

const SCRIPT = path.join(__dirname, "..", "..", "scripts", "pulumi.sh");

function run(env: Record<string, string | undefined>): { status: number | null; stderr: string; calls: string[] } {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), "pulumi-sh-"));
  const log = path.join(dir, "calls");
  fs.writeFileSync(path.join(dir, "pulumi"), `#!/bin/sh\necho "$@" >> "${log}"\n`, { mode: 0o755 });
  const base: Record<string, string | undefined> = { PATH: `${dir}:${process.env.PATH}`, HOME: dir, PULUMI_BACKEND_URL: `file://${dir}/state` };
  const r = spawnSync("bash", [SCRIPT, "preview", "dev"], { env: Object.fromEntries(Object.entries({ ...base, ...env }).filter(([, v]) => v !== undefined)) as NodeJS.ProcessEnv, encoding: "utf8" });
  const calls = fs.existsSync(log) ? fs.readFileSync(log, "utf8").trim().split("\n") : [];
  fs.rmSync(dir, { recursive: true });
  return { status: r.status, stderr: r.stderr, calls };
}

describe("scripts/pulumi.sh and the stack passphrase", () => {
  it("refuses an empty PULUMI_CONFIG_PASSPHRASE before the CLI runs, saying why", () => {
    const r = run({ PULUMI_CONFIG_PASSPHRASE: "" });
    expect(r.status).toBe(1);
    expect(r.stderr).toMatch(/PULUMI_CONFIG_PASSPHRASE is empty: an empty passphrase leaves this stack's secrets readable/);
    expect(r.calls).toEqual([]);
  });

  it("refuses a missing passphrase too", () => {
    const r = run({});
    expect(r.status).toBe(1);
    expect(r.stderr).toMatch(/Set PULUMI_CONFIG_PASSPHRASE/);
    expect(r.calls).toEqual([]);
  });

  it("runs the CLI with a passphrase, or with a passphrase file", () => {
    expect(run({ PULUMI_CONFIG_PASSPHRASE: "correct horse" })).toMatchObject({ status: 0, calls: ["stack select dev", "preview --diff --stack dev"] });
    expect(run({ PULUMI_CONFIG_PASSPHRASE_FILE: "/run/secrets/passphrase" })).toMatchObject({ status: 0, calls: ["stack select dev", "preview --diff --stack dev"] });
  });
});
