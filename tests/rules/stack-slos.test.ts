/**
 * The SLO of the TutorDex fixture stacks (e2e/stacks, as committed
 * in the project's Pulumi.dev.yaml and Pulumi.prod.yaml), end to end: the
 * stack file is read as render reads it, the program renders slo.rules.yml,
 * and `promtool test rules` runs tests/rules/promtool-stacks/*.test.yml
 * against that file, showing which burn fires when for the real config.
 */
import * as fs from "fs";
import * as os from "os";
import * as path from "path";
import { renderStack } from "../../render/render";
import { FIXTURE_STACKS_DIR, PROJECT_DIR } from "../support/stacks";
import { findPromtool, run } from "./fixtures";

jest.setTimeout(60_000);

const TESTS_DIR = path.join(__dirname, "promtool-stacks");

describe.each([["dev"], ["prod"]])("stack %s", (stack) => {
  let dir = "";
  let sloRules = "";
  beforeAll(async () => {
    const files = await renderStack(PROJECT_DIR, stack, { stacksDir: FIXTURE_STACKS_DIR });
    sloRules = files.find((f) => f.path === "prometheus/rules/slo.rules.yml")?.content ?? "";
    dir = fs.mkdtempSync(path.join(os.tmpdir(), `stack-slos-${stack}-`));
    fs.writeFileSync(path.join(dir, "slo.rules.yml"), sloRules);
  });
  afterAll(() => fs.rmSync(dir, { recursive: true, force: true }));

  it("renders the backend-availability SLO from its stack config", () => {
    expect(sloRules).toContain('slo: backend-availability');
    expect(sloRules).toContain('probe_success{probe="tutordex_backend"}');
  });

  it("passes promtool's unit tests of its burn-rate alerts", () => {
    const promtool = findPromtool();
    const tests = fs.readdirSync(TESTS_DIR).filter((f) => f.endsWith(".test.yml"));
    expect(tests.length).toBeGreaterThan(0);
    for (const t of tests) fs.copyFileSync(path.join(TESTS_DIR, t), path.join(dir, t));
    const res = run(promtool, ["test", "rules", ...tests], dir);
    if (res.code !== 0) throw new Error(`promtool test rules failed:\n${res.out}`);
    expect(res.out).not.toMatch(/FAILED/);
  });
});
