/**
 * Security of the Docker target, on the plan the program registers: who can reach what (networks), what
 * each container may do (capabilities, privileges, root filesystem, processes, user), and that the
 * Docker socket is mounted into the read-only API proxy only.
 */
import * as fs from "fs";
import * as path from "path";
import type { ProgramRun } from "../../render/run";
import { DOCKER_NPROC_LIMIT } from "../../targets/docker";
import { IMAGES } from "../../versions";
import { named, ofType, rawNamed, runWith, TUTORDEX_TARGETS } from "../stack/harness";
import { PROJECT_DIR } from "../support/stacks";

const CONTAINER = "docker:index/container:Container";
const NETWORK = "docker:index/network:Network";
type Container = {
  name: string;
  command?: string[];
  envs?: string[];
  user?: string;
  privileged?: boolean;
  readOnly?: boolean;
  securityOpts?: string[];
  capabilities?: { drops?: string[]; adds?: string[] };
  tmpfs?: Record<string, string>;
  ulimits?: { name: string; soft: number; hard: number }[];
  ports?: { internal: number; external?: number; ip?: string }[];
  uploads?: { file: string }[];
  volumes?: { volumeName?: string; hostPath?: string; containerPath: string; readOnly?: boolean }[];
  networksAdvanced: { name: string; aliases: string[] }[];
};
/** Every container's inputs, `name` being the service (the resource name), not the prefixed container name. */
const containers = (run: ProgramRun) => ofType(run, CONTAINER).map((r) => ({ ...(rawNamed(run, CONTAINER, r.name) as unknown as Container), name: r.name }));
const container = (run: ProgramRun, name: string) => rawNamed(run, CONTAINER, name) as unknown as Container;
const networksOf = (run: ProgramRun, name: string) => container(run, name).networksAdvanced.map((n) => n.name).sort();
const envOf = (c: Container) => Object.fromEntries((c.envs ?? []).map((e) => [e.slice(0, e.indexOf("=")), e.slice(e.indexOf("=") + 1)]));

describe("Docker: who can reach what", () => {
  let run: ProgramRun;
  beforeAll(async () => {
    run = await runWith({ target: "docker", targets: TUTORDEX_TARGETS, exporters: { redis: { enabled: true } } });
  });

  it("creates an internal network for the stack, the applications' network, an edge network and a private Docker API network", () => {
    const networks = Object.fromEntries(ofType(run, NETWORK).map((n) => [n.inputs.name as string, n.inputs.internal ?? false]));
    expect(networks).toEqual({
      "observability-internal": true,
      observability: false,
      "observability-edge": false,
      "observability-docker-api": true,
    });
    // The applications' network keeps the resource name and inputs it had, so an upgrade does not replace it
    // under the applications attached to it.
    expect(named(run, NETWORK, "docker-network").inputs).toMatchObject({ name: "observability", driver: "bridge" });
    expect(named(run, NETWORK, "docker-network").inputs.internal).toBeUndefined();
  });

  it("puts on the applications' network only what scrapes, probes or receives from applications", () => {
    const onApplications = containers(run).filter((c) => c.networksAdvanced.some((n) => n.name === "observability")).map((c) => c.name).sort();
    expect(onApplications).toEqual(["blackbox-exporter", "otel-collector", "prometheus", "redis-exporter"]);
  });

  it("keeps Loki, Tempo, Alertmanager and Grafana off the applications' network: on the internal one, plus the edge for their published port", () => {
    for (const name of ["alertmanager", "grafana", "loki", "tempo"]) {
      expect([name, networksOf(run, name)]).toEqual([name, ["observability-edge", "observability-internal"]]);
    }
    // No route out and nothing published: internal only.
    for (const name of ["node-exporter"]) expect(networksOf(run, name)).toEqual(["observability-internal"]);
  });

  it("lets only the log agent and cAdvisor share a network with the Docker API proxy, which is on no other", () => {
    const withProxy = containers(run).filter((c) => c.networksAdvanced.some((n) => n.name === "observability-docker-api")).map((c) => c.name).sort();
    expect(withProxy).toEqual(["alloy", "cadvisor", "docker-socket-proxy"]);
    expect(networksOf(run, "docker-socket-proxy")).toEqual(["observability-docker-api"]);
  });

  it("runs Prometheus without --web.enable-lifecycle: containers are replaced, nothing reloads, and nobody can POST /-/quit", () => {
    const args = container(run, "prometheus").command ?? [];
    expect(args.some((a) => a.startsWith("--web.enable-lifecycle"))).toBe(false);
    expect(args).not.toContain("--web.enable-admin-api");
  });

  it("turns Loki's delete API off unless loki.deletionEnabled asks for it", async () => {
    const loki = run.stack.files.find((f) => f.path === "loki/loki.yml")!.content;
    expect(loki).toMatch(/deletion_mode: disabled/);
    const withDeletes = await runWith({ target: "docker", loki: { deletionEnabled: true } });
    expect(withDeletes.stack.files.find((f) => f.path === "loki/loki.yml")!.content).toMatch(/deletion_mode: filter-and-delete/);
  });
});

describe("Docker: what each container may do", () => {
  let run: ProgramRun;
  beforeAll(async () => {
    run = await runWith({ target: "docker", targets: TUTORDEX_TARGETS, exporters: { redis: { enabled: true } } });
  });

  it("drops every capability, forbids privilege escalation, mounts the root filesystem read-only and bounds processes, in every container", () => {
    for (const c of containers(run)) {
      expect([c.name, c.capabilities]).toEqual([c.name, { drops: ["ALL"] }]);
      expect([c.name, c.securityOpts]).toEqual([c.name, ["no-new-privileges:true"]]);
      expect([c.name, c.readOnly, c.privileged]).toEqual([c.name, true, false]);
      expect([c.name, c.tmpfs?.["/tmp"]]).toEqual([c.name, expect.stringContaining("noexec")]);
      expect([c.name, c.ulimits]).toEqual([c.name, [{ name: "nproc", soft: DOCKER_NPROC_LIMIT, hard: DOCKER_NPROC_LIMIT }]]);
    }
  });

  it("turns off redis-exporter's /scrape endpoint, which would take the cache's password to any address asked for", () => {
    expect(containers(run).find((c) => c.name === "redis-exporter")!.envs).toContain("REDIS_EXPORTER_DISABLE_SCRAPE_ENDPOINT=true");
  });

  it("uses nproc because the pinned @pulumi/docker Container takes no cgroup pids limit (set that instead once a release has it)", () => {
    // 5.2.0 is the newest @pulumi/docker on npm (checked 2026-12); its ContainerArgs has `ulimits`, no pids field.
    const pkg = JSON.parse(fs.readFileSync(path.join(PROJECT_DIR, "package.json"), "utf8")) as { dependencies: Record<string, string> };
    expect(pkg.dependencies["@pulumi/docker"]).toBe("5.2.0");
    const declared = fs.readFileSync(require.resolve("@pulumi/docker/container.d.ts"), "utf8");
    const args = declared.slice(declared.indexOf("export interface ContainerArgs"));
    expect(args).toContain("ulimits?:");
    expect(args).not.toMatch(/pids/i);
  });

  it("runs as a non-root user wherever the image has one; root only for the socket proxy, cAdvisor and Promtail", () => {
    const users = Object.fromEntries(containers(run).map((c) => [c.name, c.user]));
    expect(users).toMatchObject({
      prometheus: "65534:65534",
      alertmanager: "65534:65534",
      loki: "10001:10001",
      alloy: "473:473",
      grafana: "472:472",
      "node-exporter": "65534:65534",
      "blackbox-exporter": "65534:65534",
      "redis-exporter": "59000:59000",
      tempo: "10001:10001",
      "otel-collector": "10001:10001",
      "docker-socket-proxy": "0:0",
      cadvisor: "0:0",
    });
    const root = containers(run).filter((c) => c.user === undefined || c.user.startsWith("0:")).map((c) => c.name).sort();
    expect(root).toEqual(["cadvisor", "docker-socket-proxy"]);
  });

  it("mounts the Docker socket into the proxy alone; the log agent and cAdvisor talk to the proxy", () => {
    const withSocket = containers(run).filter((c) => (c.volumes ?? []).some((v) => v.hostPath === "/var/run/docker.sock")).map((c) => c.name);
    expect(withSocket).toEqual(["docker-socket-proxy"]);
    expect(container(run, "docker-socket-proxy").volumes).toContainEqual({ hostPath: "/var/run/docker.sock", containerPath: "/var/run/docker.sock", readOnly: true });
    expect((container(run, "cadvisor").volumes ?? []).map((v) => v.hostPath)).not.toContain("/var/run");
    expect(container(run, "cadvisor").command).toContain("--docker=tcp://docker-socket-proxy:2375");
    const alloy = run.stack.files.find((f) => f.path === "alloy/config.alloy")!.content;
    expect(alloy.match(/^\s*host\s*=\s*"(.*)"$/gm)?.map((l) => l.replace(/^\s*host\s*=\s*/, ""))).toEqual(['"tcp://docker-socket-proxy:2375"', '"tcp://docker-socket-proxy:2375"']);
  });

  it("lets through the proxy only GET requests to the sections the log agent and cAdvisor read", () => {
    expect(named(run, "docker:index/remoteImage:RemoteImage", "docker-socket-proxy-image").inputs.name).toBe(IMAGES.dockerSocketProxy);
    const env = envOf(container(run, "docker-socket-proxy"));
    const allowed = Object.entries(env).filter(([, v]) => v === "1").map(([k]) => k).sort();
    expect(allowed).toEqual(["CONTAINERS", "DISABLE_IPV6", "INFO", "NETWORKS", "PING", "VERSION"]);
    // The image's defaults allow EVENTS; every write and every dangerous section is off explicitly.
    for (const k of ["POST", "EVENTS", "EXEC", "IMAGES", "VOLUMES", "ALLOW_START", "ALLOW_STOP", "ALLOW_RESTARTS", "BUILD", "SECRETS", "SYSTEM"]) {
      expect([k, env[k]]).toEqual([k, "0"]);
    }
  });

  it("uploads config into per-container anonymous volumes, the one place the engine copies to beside a read-only root", () => {
    const anonymous = (name: string) => (container(run, name).volumes ?? []).filter((v) => !v.volumeName && !v.hostPath).map((v) => v.containerPath);
    expect(anonymous("prometheus")).toEqual(["/etc/prometheus"]);
    expect(anonymous("loki")).toEqual(["/etc/loki"]);
    for (const c of containers(run)) {
      for (const u of c.uploads ?? []) {
        const covered = (c.volumes ?? []).some((v) => !v.hostPath && u.file.startsWith(`${v.containerPath}/`));
        expect([c.name, u.file, covered]).toEqual([c.name, u.file, true]);
      }
    }
  });

  it("runs cAdvisor without privileges, reading host paths read-only", () => {
    const c = container(run, "cadvisor");
    expect(c.privileged).toBe(false);
    for (const v of (c.volumes ?? []).filter((m) => m.hostPath)) expect([v.hostPath, v.readOnly]).toEqual([v.hostPath, true]);
  });
});

describe("Grafana's secrets and what it may fetch", () => {
  let run: ProgramRun;
  beforeAll(async () => {
    run = await runWith({ target: "docker", grafana: { adminPassword: "a-long-enough-password" } }, ["grafana"]);
  });

  it("reads the admin password and a generated secret_key from mounted files, never from the environment", () => {
    const c = container(run, "grafana");
    const env = envOf(c);
    expect(env).toMatchObject({
      GF_SECURITY_ADMIN_PASSWORD__FILE: "/etc/grafana/secrets/admin-password",
      GF_SECURITY_SECRET_KEY__FILE: "/etc/grafana/secrets/secret-key",
    });
    expect(Object.keys(env).filter((k) => /PASSWORD$|SECRET_KEY$/.test(k))).toEqual([]);
    expect(JSON.stringify(c.envs)).not.toContain("a-long-enough-password");
    const uploads = Object.fromEntries(((c as unknown as { uploads: { file: string; content: string }[] }).uploads).map((u) => [u.file, u.content]));
    expect(uploads["/etc/grafana/secrets/admin-password"]).toBe("a-long-enough-password");
    expect(named(run, "random:index/randomPassword:RandomPassword", "grafana-secret-key").inputs).toMatchObject({ length: 40 });
  });

  it("sets the admin password from that file at every start, so a changed grafana.adminPassword reaches a running Grafana", () => {
    const c = container(run, "grafana") as Container & { entrypoints?: string[] };
    expect(c.entrypoints?.slice(0, 2)).toEqual(["/bin/sh", "-c"]);
    const script = c.entrypoints![2];
    expect(script).toMatch(/^grafana cli .*admin reset-admin-password --password-from-stdin < "\$GF_SECURITY_ADMIN_PASSWORD__FILE"/);
    // Then the image's own entrypoint, with the container's arguments.
    expect(script).toMatch(/; exec \/run\.sh "\$@"$/);
  });

  it("turns off public dashboards, plugin preinstall and the plugin catalog, and runs as grafana:grafana (gid not 0)", () => {
    const c = container(run, "grafana");
    expect(envOf(c)).toMatchObject({ GF_PUBLIC_DASHBOARDS_ENABLED: "false", GF_PLUGINS_PREINSTALL_DISABLED: "true", GF_PLUGINS_PLUGIN_ADMIN_ENABLED: "false" });
    expect(c.user).toBe("472:472");
  });
});
