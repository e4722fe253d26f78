/**
 * Prod must not be silent: a production-like stack (target kubernetes, or an
 * environment that is not dev-like) with no receiver or no dead man's switch
 * is allowed, but every preview and render warns (pulumi.log.warn).
 */
import * as pulumi from "@pulumi/pulumi";
import { DEV_LIKE_ENVIRONMENT, silentAlertingWarnings } from "../../settings/warnings";
import { validateSettings } from "../../settings/validate";
import { asConfig, attempt } from "./attempt";

const settings = (values: Record<string, unknown>) => validateSettings({ values, secretKeys: new Set(["alerting"]) });
const receivers = { receivers: [{ type: "webhook", name: "healthchecks", url: "https://hc-ping.com/x" }, { type: "telegram", name: "oncall", chatId: -100, botToken: "t" }] };

describe("warnings for a production stack whose alerts reach no one", () => {
  it("warn on Kubernetes without receivers: alerts go nowhere, and no dead man's switch", () => {
    const warnings = silentAlertingWarnings(settings({ target: "kubernetes" }), "dev");
    expect(warnings).toEqual([
      expect.stringMatching(/^observability:alerting\.receivers is empty \(environment 'dev', target kubernetes\): alerts go nowhere\. Add one, e\.g\.: pulumi config set/),
      expect.stringMatching(/^observability:alerting\.deadMansSwitch is unset .*nobody notices when this stack stops alerting.*pulumi config set --path 'observability:alerting\.deadMansSwitch' healthchecks/),
    ]);
  });

  it("warn on Docker when the environment is not dev-like", () => {
    expect(silentAlertingWarnings(settings({}), "staging")).toHaveLength(2);
    expect(silentAlertingWarnings(settings({ alerting: receivers }), "prod")).toEqual([expect.stringMatching(/deadMansSwitch is unset/)]);
  });

  it("stay quiet for a dev-like Docker stack, and for a production stack that notifies someone and has a dead man's switch", () => {
    for (const env of ["dev", "alice-dev", "local", "ci-42", "e2e", "test"]) {
      expect(DEV_LIKE_ENVIRONMENT.test(env)).toBe(true);
      expect(silentAlertingWarnings(settings({}), env)).toEqual([]);
    }
    for (const env of ["prod", "production", "staging", "eu-west-1", "devops"]) expect(DEV_LIKE_ENVIRONMENT.test(env)).toBe(false);
    expect(silentAlertingWarnings(settings({ target: "kubernetes", alerting: { ...receivers, deadMansSwitch: "healthchecks" } }), "prod")).toEqual([]);
  });

  it("reach pulumi.log.warn when the program runs, and the stack is still deployed", async () => {
    const warn = jest.spyOn(pulumi.log, "warn").mockImplementation(() => Promise.resolve());
    try {
      const run = await attempt(asConfig({ target: "kubernetes" }), [], "prod");
      expect(run.error).toBeUndefined();
      expect(run.registered.length).toBeGreaterThan(0);
      expect(warn.mock.calls.map((c) => c[0])).toEqual([expect.stringMatching(/alerts go nowhere/), expect.stringMatching(/deadMansSwitch is unset/)]);
    } finally {
      warn.mockRestore();
    }
  }, 60_000);
});
