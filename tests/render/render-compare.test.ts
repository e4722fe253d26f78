import * as fs from "fs";
import * as os from "os";
import * as path from "path";
import { compareCases, compareDigests, compareTrees, digestTree, renderAll } from "../../scripts/render-compare";

// The refactor guard (issue 12): the same code renders the same bytes, and the
// comparison notices a changed, added or missing file.
describe("scripts/render-compare.ts", () => {
  const cases = compareCases().filter((c) => ["fixture-dev", "k8s-grafana-ingress-only", "invalid-many-problems"].includes(c.name));
  let dir: string;
  beforeAll(async () => {
    dir = fs.mkdtempSync(path.join(os.tmpdir(), "render-compare-test-"));
    await renderAll(path.join(dir, "a"), cases);
    await renderAll(path.join(dir, "b"), cases);
  }, 120_000);
  afterAll(() => fs.rmSync(dir, { recursive: true, force: true }));

  it("covers committed stacks, fixtures and varied generated configs on both targets", () => {
    const names = compareCases().map((c) => c.name);
    expect(names).toEqual(expect.arrayContaining(["committed-dev", "committed-prod", "fixture-dev", "fixture-prod", "docker-promtail-many", "k8s-ingress-promtail"]));
    const targets = new Set(compareCases().map((c) => c.doc.config["observability:target"]));
    expect(targets).toEqual(new Set(["docker", "kubernetes"]));
  });

  it("renders Docker and Kubernetes cases, and records a refused config's problems", () => {
    expect(fs.existsSync(path.join(dir, "a/fixture-dev/prometheus/prometheus.yml"))).toBe(true);
    expect(fs.readdirSync(path.join(dir, "a/k8s-grafana-ingress-only/kubernetes")).length).toBeGreaterThan(20);
    expect(fs.readFileSync(path.join(dir, "a/invalid-many-problems/_error.txt"), "utf8")).toMatch(/observability:prometheus\.retention/);
  });

  it("finds two renders of the same code byte-identical", () => {
    expect(compareTrees(path.join(dir, "a"), path.join(dir, "b"))).toEqual([]);
  });

  it("keeps digests in sha256sum's format, and a digest comparison finds what a tree comparison finds", () => {
    const before = digestTree(path.join(dir, "a"));
    expect(before.split("\n")[0]).toMatch(/^[0-9a-f]{64}  fixture-dev\//);
    expect(compareDigests(before, digestTree(path.join(dir, "b")))).toEqual([]);
    const changed = before.replace(/^[0-9a-f]{64}(  fixture-dev\/prometheus\/prometheus\.yml)$/m, `${"0".repeat(64)}$1`);
    expect(compareDigests(changed, before)).toEqual(["differs: fixture-dev/prometheus/prometheus.yml"]);
    expect(compareDigests(before, before.replace(/^.*  fixture-dev\/plan\.json\n/m, ""))).toEqual(["missing now: fixture-dev/plan.json"]);
  });

  it("reports a changed byte, an extra file and a missing file", () => {
    const b = path.join(dir, "b");
    const file = path.join(b, "fixture-dev/prometheus/prometheus.yml");
    fs.appendFileSync(file, " ");
    fs.writeFileSync(path.join(b, "fixture-dev/extra.txt"), "x");
    fs.rmSync(path.join(b, "fixture-dev/plan.json"));
    expect(compareTrees(path.join(dir, "a"), b)).toEqual([
      `only in ${b}: fixture-dev/extra.txt`,
      `only in ${path.join(dir, "a")}: fixture-dev/plan.json`,
      "differs: fixture-dev/prometheus/prometheus.yml",
    ]);
  });
});
