/**
 * The plain-text secret guard checks every secret field at its exact path: Pulumi marks a whole
 * top-level key secret when one value inside is, so a plain-text webhook URL beside an encrypted bot
 * token must still be refused. The stack file says which leaves are `secure:`.
 */
import * as fs from "fs";
import * as os from "os";
import * as path from "path";
import { stackFileConfig } from "../../settings/load";
import { isStoredSecure, securePathsOf } from "../../settings/secure-paths";
import { ConfigValidationError, validateSettings } from "../../settings/validate";

const telegram = { type: "telegram", name: "oncall", chatId: -100123, botToken: "123:abc" };
const webhook = { type: "webhook", name: "hook", url: "https://hooks.example.com/T0/secret-path" };
const received = { alerting: { receivers: [telegram, webhook] } };

function problems(file: Record<string, unknown>, values: Record<string, unknown> = received): string[] {
  try {
    validateSettings({ values, secretKeys: new Set(["alerting"]), securePaths: securePathsOf(file, values) });
  } catch (err) {
    if (err instanceof ConfigValidationError) return err.problems.map((p) => `${p.key}: ${p.message}`);
    throw err;
  }
  return [];
}

describe("secrets stored in plain text, at their exact path", () => {
  it("refuses a plain-text webhook URL beside an encrypted bot token, though Pulumi marks all of `alerting` secret", () => {
    const file = { alerting: { receivers: [{ ...telegram, botToken: { secure: "v1:AAAA" } }, webhook] } };
    expect(problems(file)).toEqual([
      expect.stringMatching(/^alerting\.receivers\[1\]\.url: is stored in plain text in the stack file; remove it and set it with: pulumi config set --secret --path 'observability:alerting\.receivers\[1\]\.url' <value>$/),
    ]);
  });

  it("accepts every secret field stored secure, and a whole key set with --secret", () => {
    const file = { alerting: { receivers: [{ ...telegram, botToken: { secure: "v1:AAAA" } }, { ...webhook, url: { secure: "v1:BBBB" } }] } };
    expect(problems(file)).toEqual([]);
    expect(problems({ alerting: { secure: "v1:CCCC" } })).toEqual([]);
  });

  it("lists every plain-text secret at once", () => {
    expect(problems(received).map((p) => p.split(":")[0])).toEqual(["alerting.receivers[0].botToken", "alerting.receivers[1].url"]);
  });

  it("falls back to the per-key check when the value did not come from the stack file (ESC environment, --config)", () => {
    const file = { alerting: { receivers: [telegram] } };
    // The file says something else than what the program received: only the top-level mark is known.
    expect(securePathsOf(file, received).has("alerting")).toBe(false);
    expect(problems(file)).toEqual([]);
  });

  it("reads the stack file's entries of the observability namespace, with or without the prefix", () => {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), "stack-file-"));
    fs.writeFileSync(
      path.join(dir, "Pulumi.prod.yaml"),
      "config:\n  observability:alerting:\n    receivers:\n      - botToken:\n          secure: v1:AAAA\n  target: kubernetes\n  aws:region: x\n",
    );
    expect(stackFileConfig(dir, "prod")).toEqual({ alerting: { receivers: [{ botToken: { secure: "v1:AAAA" } }] }, target: "kubernetes" });
    expect(stackFileConfig(dir, "dev")).toEqual({});
    fs.rmSync(dir, { recursive: true });
  });

  it("treats a path as secure when it or an ancestor is stored secure", () => {
    const paths = new Set(["alerting.receivers[1]"]);
    expect(isStoredSecure(paths, "alerting.receivers[1].url")).toBe(true);
    expect(isStoredSecure(paths, "alerting.receivers[0].botToken")).toBe(false);
    expect(isStoredSecure(new Set(["alerting"]), "alerting.receivers[0].botToken")).toBe(true);
  });
});
