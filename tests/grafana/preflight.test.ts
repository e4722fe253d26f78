/**
 * Dashboards are checked with the config, before any resource exists: every
 * file that cannot be provisioned is named at once, and on Kubernetes a set
 * too large for Grafana's ConfigMap is refused up front instead of failing
 * at apply with half the stack deployed.
 */
import * as fs from "fs";
import * as os from "os";
import * as path from "path";
import * as pulumi from "@pulumi/pulumi";
import { program } from "../../program";
import { mockState } from "../../render/mock-state";
import { DASHBOARDS_DIR, validateStack } from "../../settings/stack";

let registered: string[] = [];

beforeAll(async () => {
  await pulumi.runtime.setMocks(
    {
      newResource(args: pulumi.runtime.MockResourceArgs) {
        registered.push(`${args.type}::${args.name}`);
        // The render's provider stand-ins (generated passwords, image ids), so the program runs as under render.
        return { id: `${args.name}-id`, state: mockState(args.type, args.name, args.inputs) };
      },
      call: (args: pulumi.runtime.MockCallArgs) => args.inputs,
    },
    "observability",
    "preflight",
    false,
  );
});
beforeEach(() => {
  registered = [];
});

function dashboardsDir(files: Record<string, string>): string {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), "dashboards-"));
  for (const [name, content] of Object.entries(files)) fs.writeFileSync(path.join(dir, name), content);
  return dir;
}

/** Resource registration is asynchronous under mocks: let any pending registration land before counting. */
const settled = () => new Promise((resolve) => setTimeout(resolve, 200));

/** Config and dashboards validated together, as `pulumi up` does before anything is registered. */
const stackOf = (values: Record<string, unknown>, dir: string) => validateStack({ values, secretKeys: new Set() }, "preflight", dir);
const dashboard = (uid: string, extra = "") => JSON.stringify({ uid, title: uid, panels: [], description: extra });

describe("dashboards are checked before any resource is registered", () => {
  it("names every file that cannot be provisioned, in one error", async () => {
    const dir = dashboardsDir({
      "a.json": dashboard("shared"),
      "b.json": dashboard("shared"),
      "broken.json": "{ not json",
      "list.json": "[]",
      "foreign.json": JSON.stringify({ uid: "foreign", title: "Foreign", panels: [{ datasource: { type: "prometheus", uid: "P1809F7CD0C75ACF3" } }] }),
    });
    let error: Error | undefined;
    try {
      program(stackOf({ target: "docker" }, dir));
    } catch (e) {
      error = e as Error;
    }
    expect(error?.message).toMatch(/^Stack config has 4 problems; nothing was deployed:/);
    expect(error?.message).toContain('dashboards/foreign.json: names datasource uid "P1809F7CD0C75ACF3", which the stack does not provision');
    expect(error?.message).toContain('dashboards/b.json: uid "shared" is already used by dashboards/a.json');
    expect(error?.message).toContain("dashboards/broken.json: not valid JSON");
    expect(error?.message).toContain("dashboards/list.json: must hold one dashboard object");
    await settled();
    expect(registered).toEqual([]);
  });

  it("refuses, on Kubernetes, more dashboard bytes than Grafana's ConfigMap can hold", async () => {
    const big = "x".repeat(400 * 1024);
    const dir = dashboardsDir({ "one.json": dashboard("one", big), "two.json": dashboard("two", big), "three.json": dashboard("three", big) });
    expect(() => program(stackOf({ target: "kubernetes" }, dir))).toThrow(/dashboards\/: 3 dashboards take \d+ bytes, over the \d+ bytes Grafana's ConfigMap can hold on Kubernetes/);
    await settled();
    expect(registered).toEqual([]);
    // Docker mounts files one by one, and an external Grafana gets them through its API: no such limit.
    expect(() => program(stackOf({ target: "docker" }, dir))).not.toThrow();
    await settled();
    expect(registered.length).toBeGreaterThan(0); // the counter is live
  });

  it("ships the repository's dashboards well inside that budget", () => {
    expect(() => program(stackOf({ target: "kubernetes" }, DASHBOARDS_DIR))).not.toThrow();
  });
});
