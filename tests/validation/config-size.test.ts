/**
 * A stack config too large for Pulumi to hand to the program (PULUMI_CONFIG
 * over Linux's 128 KiB for one environment string: `pulumi up` would fail with
 * E2BIG before the program runs) is refused up front, naming the key that
 * takes most of it and what to do (settings/config-size.ts).
 */
import { configSizeProblems, ENV_STRING_MAX_BYTES, pulumiConfigBytes } from "../../settings/config-size";
import { ConfigValidationError, formatProblem } from "../../settings/validate";
import { fixtureValues } from "../rules/fixture-settings";
import { asConfig, attempt } from "./attempt";

jest.setTimeout(300_000);

/** The dev fixture with `total` targets: its own plus generated ones of the usual shape. */
function devWithTargets(total: number): Record<string, unknown> {
  const values = fixtureValues("dev");
  const own = values.targets as unknown[];
  const generated = Array.from({ length: total - own.length }, (_, i) => ({ name: `app_${i}`, address: `app-${i}:8080`, component: "app", healthPaths: ["/health"] }));
  return { ...values, targets: [...own, ...generated] };
}

describe("a stack config larger than Pulumi can pass to the program", () => {
  it("is measured as the language host sets it: PULUMI_CONFIG=<json of namespace:key -> text>, with its NUL", () => {
    const values = devWithTargets(10);
    expect(pulumiConfigBytes(asConfig(values))).toBe(Buffer.byteLength(`PULUMI_CONFIG=${JSON.stringify(asConfig(values))}`) + 1);
  });

  it("is accepted up to exactly 128 KiB and refused one byte over, at the key holding most of it", () => {
    const base = pulumiConfigBytes(asConfig({ target: "docker", environment: "" }));
    const fill = ENV_STRING_MAX_BYTES - base;
    expect(configSizeProblems({ target: "docker", environment: "x".repeat(fill) })).toEqual([]);
    const over = configSizeProblems({ target: "docker", environment: "x".repeat(fill + 1) });
    expect(over).toEqual([{ key: "environment", message: expect.stringContaining("over Linux's 128 KiB for one environment variable") }]);
  });

  it("accepts 1,000 targets of the usual shape (about 100 KiB)", () => {
    expect(configSizeProblems(devWithTargets(1000))).toEqual([]);
  });

  it("refuses 1,300 targets before any resource is registered, saying where the bytes are and what to do, with the other problems", async () => {
    const run = await attempt(asConfig(devWithTargets(1300)), [], "dev");
    expect(run.registered).toEqual([]);
    expect(run.error).toBeInstanceOf(ConfigValidationError);
    const error = run.error as ConfigValidationError;
    const problem = error.problems.find((p) => p.message.includes("PULUMI_CONFIG"));
    expect(problem).toBeDefined();
    expect(formatProblem(problem!)).toMatch(
      /^observability:targets: the stack config is 1\d\d KiB as Pulumi passes it to the program \(PULUMI_CONFIG\), over Linux's 128 KiB .*"argument list too long".* targets holds 1\d\d KiB of it \(1300 entries\): split it over several stacks/,
    );
    expect(error.message).toContain(formatProblem(problem!));
  });
});
