/**
 * Probes through the whole program: an authenticated probe's token reaches
 * blackbox-exporter as a mounted secret file on both targets and nowhere
 * else (render files, plan inputs), and the exporter may open unprivileged
 * ping sockets for the icmp module.
 */
import { parse } from "yaml";
import type { ProgramRun } from "../../render/run";
import { ofType, rawNamed, runWith } from "./harness";

const TOKEN = "probe-token-9f8e7d";
const PROBES = [
  { name: "api", url: "https://api.example.com/me", module: "http_2xx_json", bearerToken: TOKEN },
  { name: "gateway", url: "10.0.0.1", module: "icmp" },
];

function everythingPublic(run: ProgramRun): string {
  return JSON.stringify({ files: run.stack.files, secretFiles: run.stack.secretFiles, resources: run.resources, outputs: run.outputs });
}

describe("probes on the Docker target", () => {
  let run: ProgramRun;
  beforeAll(async () => {
    run = await runWith({ target: "docker", probes: PROBES }, ["probes"]);
  });

  it("mounts the token as a file the api probe's module reads", () => {
    const c = rawNamed(run, "docker:index/container:Container", "blackbox-exporter") as { uploads: { file: string; content: string }[]; sysctls?: Record<string, string> };
    expect(c.uploads).toEqual(expect.arrayContaining([expect.objectContaining({ file: "/etc/blackbox-secrets/api-bearer-token", content: TOKEN })]));
    const blackbox = parse(run.stack.files.find((f) => f.path === "blackbox/blackbox.yml")!.content);
    expect(blackbox.modules.probe_api.http.bearer_token_file).toBe("/etc/blackbox-secrets/api-bearer-token");
  });

  it("keeps the token out of every rendered file, plan input and output", () => {
    expect(everythingPublic(run)).not.toContain(TOKEN);
    expect(run.stack.secretFiles).toEqual(expect.arrayContaining([{ path: "blackbox/secrets/api-bearer-token" }]));
  });

  it("lets the exporter (user nobody) open unprivileged ICMP sockets", () => {
    const c = rawNamed(run, "docker:index/container:Container", "blackbox-exporter") as { sysctls?: Record<string, string>; user?: string };
    expect(c.user).toBe("65534:65534");
    expect(c.sysctls).toEqual({ "net.ipv4.ping_group_range": "0 2147483647" });
  });

  it("scrapes each probe in its kind's job with its own module where it has one", () => {
    const prom = parse(run.stack.files.find((f) => f.path === "prometheus/prometheus.yml")!.content);
    const jobs = Object.fromEntries(prom.scrape_configs.map((j: { job_name: string }) => [j.job_name, j]));
    expect(jobs.blackbox_http_2xx_json.static_configs).toEqual([{ targets: ["https://api.example.com/me"], labels: { component: "external", probe: "api", __param_module: "probe_api" } }]);
    expect(jobs.blackbox_icmp.params).toEqual({ module: ["icmp"] });
  });
});

describe("probes on the Kubernetes target", () => {
  let run: ProgramRun;
  beforeAll(async () => {
    run = await runWith({ target: "kubernetes", probes: PROBES }, ["probes"], "prod");
  });

  it("keeps the token in a Secret, out of every rendered file, plan input and output", () => {
    expect(everythingPublic(run)).not.toContain(TOKEN);
    const secrets = ofType(run, "kubernetes:core/v1:Secret").map((r) => JSON.stringify(rawNamed(run, "kubernetes:core/v1:Secret", r.name)));
    expect(secrets.some((s) => s.includes(TOKEN) || s.includes(Buffer.from(TOKEN).toString("base64")))).toBe(true);
  });

  it("sets the ping sysctl on the exporter's pod (a safe sysctl, allowed by Pod Security restricted)", () => {
    const d = rawNamed(run, "kubernetes:apps/v1:Deployment", "blackbox-exporter") as { spec: { template: { spec: { securityContext: { sysctls?: unknown } } } } };
    expect(d.spec.template.spec.securityContext.sysctls).toEqual([{ name: "net.ipv4.ping_group_range", value: "0 2147483647" }]);
  });
});
