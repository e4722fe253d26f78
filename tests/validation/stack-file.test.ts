/**
 * A stack file that is not usable YAML gets one line naming the file and the
 * YAML problem (never raw control bytes), and `npm run render` prints config
 * problems without a stack trace.
 */
import { spawnSync } from "child_process";
import * as fs from "fs";
import * as os from "os";
import * as path from "path";
import { readStackConfig } from "../../render/stack-config";
import { ConfigValidationError } from "../../settings/validate";

const PROJECT_DIR = path.resolve(__dirname, "../..");

function project(stackFile: string | Buffer): string {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), "stack-file-"));
  fs.writeFileSync(path.join(dir, "Pulumi.yaml"), "name: observability\nruntime: nodejs\n");
  fs.writeFileSync(path.join(dir, "Pulumi.bad.yaml"), stackFile);
  return dir;
}

const bomb = ["a: &a [x, x, x, x, x, x, x, x, x]", ...Array.from({ length: 8 }, (_, i) => `${"bcdefghi"[i]}: &${"bcdefghi"[i]} [${Array(9).fill(`*${"abcdefgh"[i]}`).join(", ")}]`), "config:", "  observability:target: *i"].join("\n");

const CASES: [string, string | Buffer, RegExp][] = [
  ["text that is not YAML", "config:\n  observability:target: [docker\n", /is not valid YAML: /],
  ["a key given twice", "config:\n  observability:target: docker\n  observability:target: kubernetes\n", /is not valid YAML: Map keys must be unique/],
  ["an alias bomb (billion laughs)", bomb, /is not valid YAML: Excessive alias count/],
  ["binary content", Buffer.from([0x63, 0x6f, 0x6e, 0x00, 0x01, 0xff, 0x1b, 0x5b]), /holds binary content/],
  ["bytes that are not UTF-8", Buffer.from("config:\n  observability:environment: caf\xe9\n", "latin1"), /is not UTF-8 text/],
  ["a list at the top", "- config\n", /must be a YAML mapping with a 'config' key/],
  ["config as a list", "config:\n  - observability:target\n", /'config' must be a mapping/],
  ["control characters in a broken line", "config:\n  observability:target: \"\u001b[31mred\n", /is not valid YAML/],
];

describe("a stack file that is not usable YAML", () => {
  it.each(CASES)("%s: one line naming the file and the problem", (_name, content, message) => {
    const dir = project(content);
    let error: unknown;
    try {
      readStackConfig(dir, "bad");
    } catch (e) {
      error = e;
    } finally {
      fs.rmSync(dir, { recursive: true, force: true });
    }
    expect(error).toBeInstanceOf(ConfigValidationError);
    const problems = (error as ConfigValidationError).problems;
    expect(problems).toHaveLength(1);
    expect(problems[0]).toMatchObject({ key: "Pulumi.bad.yaml", file: true });
    expect(problems[0].message).toMatch(message);
    expect(problems[0].message).not.toContain("\n");
    expect((error as Error).message).not.toMatch(/[\u0000-\u0009\u000b-\u001f\u007f]/);
  });
});

describe("npm run render on a bad stack", () => {
  const stack = "issue10-validation";
  const file = path.join(PROJECT_DIR, `Pulumi.${stack}.yaml`);
  afterAll(() => fs.rmSync(file, { force: true }));

  it("prints every problem, each with its key, and no stack trace; exits 1", () => {
    fs.writeFileSync(
      file,
      ["config:", "  observabilty:target: kubernetes", "  observability:alerting:", "    maintenanceWindows:", "      - name: w", "        weekdays: [sunday]", "        location: Asia/Singapur"].join("\n") + "\n",
    );
    const out = fs.mkdtempSync(path.join(os.tmpdir(), "render-bad-"));
    const r = spawnSync(process.execPath, ["-r", "ts-node/register/transpile-only", path.join(PROJECT_DIR, "scripts/render.ts"), "--stack", stack, "--out", out], {
      cwd: PROJECT_DIR,
      encoding: "utf8",
      timeout: 120_000,
      env: { ...process.env, DEBUG: "" },
    });
    fs.rmSync(out, { recursive: true, force: true });
    expect(r.status).toBe(1);
    expect(r.stderr).toMatch(/^render failed: Stack config has 2 problems; nothing was rendered:/);
    expect(r.stderr).toContain("observabilty:target: namespace 'observabilty' is not read by this program; did you mean 'observability:target'?");
    expect(r.stderr).toContain("observability:alerting.maintenanceWindows[0].location: \"Asia/Singapur\" is not valid: is not an IANA time zone; did you mean 'Asia/Singapore'?");
    expect(r.stderr).not.toMatch(/^\s+at /m);
  }, 150_000);
});
