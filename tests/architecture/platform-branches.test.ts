import * as fs from "fs";
import * as path from "path";
import { parse } from "yaml";
import { renderStack } from "../../render/render";
import { FIXTURE_STACKS_DIR, PROJECT_DIR } from "../support/stacks";
import { PROGRAM_ROOTS } from "./import-graph";
import { PLATFORM_PROFILES } from "../../targets";
import type { PlatformProfile } from "../../configs/platform";
import { prometheusConfigFile } from "../../configs/prometheus/prometheus";
import { ruleFiles } from "../../configs/prometheus/rules";
import { DEFAULT_KUBERNETES_RULE_OPTIONS } from "../../configs/prometheus/rules/packs/kubernetes";
import { dashboardsForTarget, isKubernetesDashboard, loadDashboards } from "../../configs/grafana/dashboards";
import { publicUrl } from "../../configs/addressing";
import { JOBS, SERVICES } from "../../configs/topology";
import { DASHBOARDS_DIR } from "../../settings/stack";
import { DEFAULT_OPTIONS } from "../rules/fixtures";

// A third target should touch one folder: outside targets/, code reads the
// platform profile (configs/platform.ts) instead of testing the platform's name.
const BRANCH = /[!=]==\s*"(docker|kubernetes)"|"(docker|kubernetes)"\s*[!=]==|\bcase\s+"(docker|kubernetes)"\s*:/;

function files(rel: string): string[] {
  const abs = path.join(PROJECT_DIR, rel);
  if (fs.statSync(abs).isFile()) return rel.endsWith(".ts") ? [rel] : [];
  return fs.readdirSync(abs).flatMap((name) => files(path.posix.join(rel, name)));
}

describe("platform branches outside targets/", () => {
  it("are none: components/, configs/ (builders, rule packs, addressing), settings/, sizing/, render/, review/, backup/ and program.ts read the profile", () => {
    const found: Record<string, number> = {};
    // backup/ (npm run backup/restore) is an operator's tool beside the program; it reads the profile too.
    for (const file of [...PROGRAM_ROOTS.filter((r) => r !== "targets"), "backup"].flatMap(files)) {
      const count = fs.readFileSync(path.join(PROJECT_DIR, file), "utf8").split("\n").filter((line) => BRANCH.test(line) && !/^\s*(\/\/|\*)/.test(line)).length;
      if (count > 0) found[file] = count;
    }
    expect(found).toEqual({});
  });

  it("recognises a branch in either order or as a switch case, and ignores the name in plain text", () => {
    expect(BRANCH.test('if (o.platform === "docker")')).toBe(true);
    expect(BRANCH.test('"kubernetes" !== s.target')).toBe(true);
    expect(BRANCH.test('  case "docker":')).toBe(true);
    expect(BRANCH.test('description: "kubernetes target"')).toBe(false);
  });

  it("gets a profile from every target the schema offers", () => {
    expect(Object.keys(PLATFORM_PROFILES).sort()).toEqual(["docker", "kubernetes"]);
    for (const [kind, profile] of Object.entries(PLATFORM_PROFILES)) expect(profile.kind).toBe(kind);
    expect(PLATFORM_PROFILES.kubernetes.stackContainers).toBeUndefined();
  });

  it("counts the containers the Docker stack runs with Grafana deployed and no optional exporter (sizing's cAdvisor series)", async () => {
    const files = await renderStack(PROJECT_DIR, "dev", { stacksDir: FIXTURE_STACKS_DIR });
    const plan = JSON.parse(files.find((f) => f.path === "plan.json")!.content) as { resources: { type: string }[] };
    const containers = plan.resources.filter((r) => r.type === "docker:index/container:Container").length;
    expect(PLATFORM_PROFILES.docker.stackContainers).toBe(containers);
  }, 60_000);
});

describe("platform profiles", () => {
  it("decide what builders emit by their facts, not their name: a cluster whose components are hidden (managed) keeps pod discovery and the kubelet's cAdvisor, and drops the cluster's jobs, pack and dashboards", () => {
    const managed: PlatformProfile = { ...PLATFORM_PROFILES.kubernetes, clusterComponents: false };
    const jobs = (platform: PlatformProfile) =>
      (parse(prometheusConfigFile({ scrapeInterval: "15s", evaluationInterval: "30s", environment: "prod", ruleFiles: [], stackJobs: [], targets: [], probes: [], platform }).content) as { scrape_configs: { job_name: string }[] }).scrape_configs.map((j) => j.job_name);
    expect(jobs(managed)).toEqual(expect.arrayContaining(["kubernetes_pods", JOBS.cadvisor]));
    expect(jobs(managed)).not.toContain(JOBS.apiserver);
    expect(jobs(PLATFORM_PROFILES.kubernetes)).toContain(JOBS.apiserver);
    const packFiles = (platform: PlatformProfile) => ruleFiles({ ...DEFAULT_OPTIONS, packs: ["kubernetes"], platform }).map((f) => f.path);
    expect(packFiles(managed)).not.toContain("prometheus/rules/kubernetes.rules.yml");
    expect(packFiles(PLATFORM_PROFILES.kubernetes)).toContain("prometheus/rules/kubernetes.rules.yml");
    expect(dashboardsForTarget(loadDashboards(DASHBOARDS_DIR), managed, DEFAULT_KUBERNETES_RULE_OPTIONS).filter(isKubernetesDashboard)).toEqual([]);
    // Publishing is a fact of its own: host ports wherever the profile says so.
    const port = { name: "http", port: SERVICES.prometheus.ports.http, hostPort: 19090, userFacing: true };
    const hostPorts: PlatformProfile = { ...PLATFORM_PROFILES.kubernetes, publishing: "host-ports" };
    expect(publicUrl({ publishing: hostPorts.publishing, docker: { bindAddress: "127.0.0.1" }, kubernetes: {} }, SERVICES.prometheus.name, port)).toBe("http://127.0.0.1:19090");
  });
});
