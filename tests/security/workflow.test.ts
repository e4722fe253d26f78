/**
 * The pull-request workflow: code from a pull request runs without credentials until a person approves
 * the protected environment, and every action is pinned to a commit.
 */
import * as fs from "fs";
import * as path from "path";
import { parse } from "yaml";

const FILE = path.join(__dirname, "..", "..", ".github", "workflows", "pull-request.yml");
const text = fs.readFileSync(FILE, "utf8");
type Step = { uses?: string; run?: string; with?: Record<string, unknown>; env?: Record<string, string> };
type Job = { needs?: string[]; if?: string; environment?: string | { name: string }; permissions?: Record<string, string>; steps: Step[] };
const workflow = parse(text) as { on: Record<string, unknown>; permissions: Record<string, string>; jobs: Record<string, Job> };
const secretsIn = (job: Job) => [...JSON.stringify(job).matchAll(/secrets\.([A-Z_]+)/g)].map((m) => m[1]);

describe("the pull-request workflow", () => {
  it("runs on pull_request (read-only token, no secrets for forks), never pull_request_target, with read-only default permissions", () => {
    expect(Object.keys(workflow.on)).toEqual(["pull_request"]);
    expect(workflow.permissions).toEqual({ contents: "read" });
  });

  it("pins every action to a full commit SHA, with its release tag as a comment", () => {
    const uses = text.split("\n").filter((l) => /^\s*-?\s*uses:/.test(l));
    expect(uses.length).toBeGreaterThan(0);
    for (const line of uses) expect(line).toMatch(/uses: [\w.-]+\/[\w.-]+@[0-9a-f]{40} # v\d+\.\d+\.\d+$/);
  });

  it("gives no job that runs the pull request's code before review a secret, except the protected prod preview", () => {
    for (const [name, job] of Object.entries(workflow.jobs)) {
      if (name === "preview-prod") continue;
      expect([name, secretsIn(job)]).toEqual([name, []]);
      expect([name, job.environment]).toEqual([name, undefined]);
    }
  });

  it("renders both stacks from the pull request and its base, diffs them and uploads both as an artifact", () => {
    const render = workflow.jobs.render;
    const script = render.steps.map((s) => s.run ?? "").join("\n");
    expect(script).toMatch(/for side in head base/);
    expect(script).toMatch(/for stack in dev prod/);
    expect(script).toMatch(/npm run --silent render -- --stack "\$stack" --out/);
    expect(script).toMatch(/diff -ruN rendered\/base rendered\/head > rendered\/render\.diff/);
    const upload = render.steps.find((s) => s.uses?.startsWith("actions/upload-artifact@"));
    expect(upload?.with).toMatchObject({ name: "rendered", path: "rendered/" });
    for (const checkout of render.steps.filter((s) => s.uses?.startsWith("actions/checkout@"))) expect(checkout.with?.["persist-credentials"]).toBe(false);
  });

  it("previews prod only behind the protected environment, for branches of this repository, with the read-only kubeconfig", () => {
    const job = workflow.jobs["preview-prod"];
    expect(job.environment).toBe("prod-preview");
    expect(job.if).toBe("github.event.pull_request.head.repo.full_name == github.repository");
    expect(job.needs).toEqual(["test", "render"]);
    expect(new Set(secretsIn(job))).toEqual(new Set(["KUBECONFIG_PROD_READONLY", "GITHUB_TOKEN", "PULUMI_BACKEND_URL", "PULUMI_CONFIG_PASSPHRASE"]));
    const preview = job.steps.find((s) => s.uses?.startsWith("pulumi/actions@"));
    expect(preview?.with).toMatchObject({ command: "preview", "stack-name": "prod" });
    // No dev preview with credentials: the dev stack is reviewed through its rendered files.
    expect(JSON.stringify(workflow.jobs)).not.toMatch(/"stack-name":"dev"/);
  });
});
