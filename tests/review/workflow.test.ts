/**
 * The pull-request workflow's review jobs: both stacks rendered and reported
 * with no deploy credential, posted as one comment per stack that the next
 * push updates (found again by the report's own marker).
 */
import * as fs from "fs";
import * as path from "path";
import { parse } from "yaml";
import { reportMarker } from "../../review/report";

interface Job {
  permissions?: Record<string, string>;
  strategy?: { matrix?: { stack?: string[] } };
  steps: { run?: string; uses?: string; with?: Record<string, unknown>; env?: Record<string, string> }[];
}

const text = fs.readFileSync(path.resolve(__dirname, "../../.github/workflows/pull-request.yml"), "utf8");
const jobs = (parse(text) as { jobs: Record<string, Job> }).jobs;

describe("pull-request workflow: review report", () => {
  const report = jobs["review-report"]!;
  const comment = jobs["review-comment"]!;

  it("renders the report of both stacks against the pull request's base commit", () => {
    expect(report.strategy?.matrix?.stack).toEqual(["dev", "prod"]);
    const run = report.steps.find((s) => s.run?.includes("npm run -s diff"))!;
    expect(run.run).toBe('npm run -s diff -- --stack "$STACK" --base "$BASE_SHA" --out "review-$STACK.md"');
    expect(run.env).toEqual({ STACK: "${{ matrix.stack }}", BASE_SHA: "${{ github.event.pull_request.base.sha }}" });
    // The base commit must be in the clone for git archive.
    expect(report.steps.find((s) => s.uses?.startsWith("actions/checkout"))!.with).toMatchObject({ "fetch-depth": 0, "persist-credentials": false });
  });

  it("uses no secret: the job running the pull request's code reads only, the posting job runs none of it", () => {
    const section = (name: string) => text.slice(text.indexOf(`  ${name}:`)).split(/\n  [a-z-]+:\n/)[0]!;
    for (const name of ["review-report", "review-comment"]) expect(section(name)).not.toMatch(/secrets\./);
    expect(report.permissions).toEqual({ contents: "read" });
    expect(comment.permissions).toEqual({ "pull-requests": "write" });
    expect(comment.steps.some((s) => s.run !== undefined || s.uses?.startsWith("actions/checkout"))).toBe(false);
  });

  it("updates the comment that carries the report's marker instead of adding one per push", () => {
    const script = String(comment.steps.find((s) => s.uses?.startsWith("actions/github-script"))!.with!.script);
    expect(reportMarker("dev")).toBe("<!-- observability-review:dev -->");
    expect(script).toContain("const marker = `<!-- observability-review:${stack} -->`;");
    expect(script).toContain("github.rest.issues.updateComment");
  });
});
