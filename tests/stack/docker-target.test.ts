import * as pulumi from "@pulumi/pulumi";
import { parse } from "yaml";
import type { ProgramRun } from "../../render/run";
import { IMAGES } from "../../versions";
import { SECRET_MASK } from "../../render/run";
import { named, ofType, rawNamed, runWith, TUTORDEX_TARGETS } from "./harness";

const CONTAINER = "docker:index/container:Container";
type Container = {
  name: string;
  image: string;
  envs?: string[];
  restart: string;
  memory: number;
  ports?: { internal: number; external?: number; ip?: string }[];
  uploads?: { file: string; content: string }[];
  volumes?: { volumeName?: string; hostPath?: string; containerPath: string; readOnly?: boolean }[];
  networksAdvanced: { name: string; aliases: string[] }[];
  healthcheck?: { tests: string[] };
};
/** A container's inputs with secrets in the clear. */
const container = (run: ProgramRun, name: string) => rawNamed(run, CONTAINER, name) as unknown as Container;
const imageOf = (run: ProgramRun, service: string) => named(run, "docker:index/remoteImage:RemoteImage", `${service}-image`).inputs.name;

describe("the stack on the Docker target", () => {
  let run: ProgramRun;
  beforeAll(async () => {
    run = await runWith({ target: "docker", targets: TUTORDEX_TARGETS });
  });

  it("runs one container per piece, plus the read-only Docker API proxy, each on the stack's internal network under its service name", () => {
    const names = ofType(run, CONTAINER).map((r) => r.name).sort();
    expect(names).toEqual(
      ["alertmanager", "alloy", "blackbox-exporter", "cadvisor", "docker-socket-proxy", "grafana", "loki", "node-exporter", "otel-collector", "prometheus", "tempo"].sort(),
    );
    for (const r of ofType(run, CONTAINER).filter((c) => c.name !== "docker-socket-proxy")) {
      const c = r.inputs as unknown as Container;
      expect(c.networksAdvanced).toContainEqual({ name: "observability-internal", aliases: [r.name] });
    }
  });

  it("pins every image to the release recorded in versions.ts", () => {
    expect(imageOf(run, "prometheus")).toBe(IMAGES.prometheus);
    expect(imageOf(run, "alertmanager")).toBe(IMAGES.alertmanager);
    expect(imageOf(run, "cadvisor")).toBe(IMAGES.cadvisor);
    for (const r of ofType(run, "docker:index/remoteImage:RemoteImage")) {
      expect(Object.values(IMAGES)).toContain(r.inputs.name);
      expect(r.inputs.name).toMatch(/:v?\d+\.\d+\.\d+$/);
    }
  });

  it("publishes user-facing ports on 127.0.0.1 only, and the exporters not at all", () => {
    const published = (name: string) => (container(run, name).ports ?? []).map((p) => `${p.ip}:${p.external}->${p.internal}`);
    expect(published("grafana")).toEqual(["127.0.0.1:3300->3000"]);
    expect(published("prometheus")).toEqual(["127.0.0.1:9090->9090"]);
    expect(published("alertmanager")).toEqual(["127.0.0.1:9093->9093"]);
    expect(published("otel-collector")).toEqual(["127.0.0.1:4317->4317", "127.0.0.1:4318->4318"]);
    expect(published("node-exporter")).toEqual([]);
    expect(published("cadvisor")).toEqual([]);
  });

  it("keeps every piece of state on a named volume", () => {
    const volumeOf = (name: string) => (container(run, name).volumes ?? []).filter((v) => v.volumeName).map((v) => `${v.volumeName}:${v.containerPath}`);
    expect(volumeOf("prometheus")).toEqual(["observability-prometheus-data:/prometheus"]);
    expect(volumeOf("alertmanager")).toEqual(["observability-alertmanager-data:/alertmanager"]);
    expect(volumeOf("loki")).toEqual(["observability-loki-data:/loki"]);
    expect(volumeOf("tempo")).toEqual(["observability-tempo-data:/var/tempo"]);
    expect(volumeOf("grafana")).toEqual(["observability-grafana-data:/var/lib/grafana"]);
    expect(ofType(run, "docker:index/volume:Volume").map((v) => v.inputs.name)).toEqual(
      expect.arrayContaining(["observability-prometheus-data", "observability-alertmanager-data", "observability-loki-data", "observability-tempo-data", "observability-grafana-data"]),
    );
  });

  it("restarts, limits memory and health-checks the containers", () => {
    for (const r of ofType(run, CONTAINER)) {
      const c = r.inputs as unknown as Container;
      expect(c.restart).toBe("unless-stopped");
      expect(c.memory).toBeGreaterThan(0);
    }
    expect(container(run, "prometheus").healthcheck?.tests).toEqual(["CMD", "wget", "-q", "-O", "/dev/null", "http://127.0.0.1:9090/-/ready"]);
    expect(container(run, "grafana").healthcheck?.tests).toContain("http://127.0.0.1:3000/api/health");
  });

  it("delivers each config file into its container, byte for byte what render writes", () => {
    const upload = (name: string, file: string) => container(run, name).uploads?.find((u) => u.file === file)?.content;
    const rendered = (p: string) => run.stack.files.find((f) => f.path === p)?.content;
    expect(upload("prometheus", "/etc/prometheus/prometheus.yml")).toBe(rendered("prometheus/prometheus.yml"));
    expect(upload("alertmanager", "/etc/alertmanager/alertmanager.yml")).toBe(rendered("alertmanager/alertmanager.yml"));
    expect(upload("loki", "/etc/loki/loki.yml")).toBe(rendered("loki/loki.yml"));
    expect(upload("alloy", "/etc/alloy/config.alloy")).toBe(rendered("alloy/config.alloy"));
    expect(upload("grafana", "/etc/grafana/provisioning/datasources/datasources.yml")).toBe(rendered("grafana/provisioning/datasources/datasources.yml"));
    const ruleUploads = container(run, "prometheus").uploads?.filter((u) => u.file.startsWith("/etc/prometheus/rules/")) ?? [];
    expect(ruleUploads.length).toBeGreaterThan(0);
  });

  it("scrapes the TutorDex services at 15 s and probes their health endpoints", () => {
    const config = parse(run.stack.files.find((f) => f.path === "prometheus/prometheus.yml")!.content);
    const job = (name: string) => config.scrape_configs.find((j: { job_name: string }) => j.job_name === name);
    expect(job("tutordex_backend")).toMatchObject({ scrape_interval: "15s", static_configs: [{ targets: ["backend:8000"], labels: { component: "backend" } }] });
    const probed = job("blackbox_http").static_configs.flatMap((g: { targets: string[] }) => g.targets);
    expect(probed).toEqual([
      "http://collector-tail:9001/health/collector",
      "http://aggregator-worker:9002/health/worker",
      "http://backend:8000/health/backend",
      "http://backend:8000/health/dependencies",
    ]);
    for (const stackJob of ["prometheus", "alertmanager", "loki", "tempo", "otel_collector", "grafana", "node_exporter", "cadvisor", "blackbox_exporter", "log_agent"]) {
      expect(job(stackJob)).toBeDefined();
    }
  });

  it("gives Grafana a generated admin password, never admin/admin, exported only as a secret", async () => {
    const envs = container(run, "grafana").envs ?? [];
    expect(envs).toContain("GF_SECURITY_ADMIN_USER=admin");
    expect(envs).toContain("GF_AUTH_ANONYMOUS_ENABLED=false");
    expect(envs).toContain("GF_USERS_ALLOW_SIGN_UP=false");
    // The password is a mounted file, not an environment variable `docker inspect` would show.
    expect(envs.some((e) => e.startsWith("GF_SECURITY_ADMIN_PASSWORD="))).toBe(false);
    expect(envs).toContain("GF_SECURITY_ADMIN_PASSWORD__FILE=/etc/grafana/secrets/admin-password");
    const upload = (container(run, "grafana").uploads ?? []).find((u) => u.file === "/etc/grafana/secrets/admin-password");
    expect(upload?.content).toBe("REDACTED-GENERATED-PASSWORD");
    expect(named(run, "random:index/randomPassword:RandomPassword", "grafana-admin-password").inputs).toMatchObject({ length: 24 });
    expect(await pulumi.isSecret(run.stack.grafanaAdminPassword)).toBe(true);
    // plan.json masks the two secret files alone: the dashboards and provisioning files stay reviewable.
    const planned = named(run, CONTAINER, "grafana").inputs.uploads as { file: string; content: string }[];
    expect(planned.filter((u) => u.content === SECRET_MASK).map((u) => u.file)).toEqual(["/etc/grafana/secrets/admin-password", "/etc/grafana/secrets/secret-key"]);
    expect(planned.find((u) => u.file === "/etc/grafana/provisioning/dashboards/dashboards.yml")?.content).toContain("apiVersion: 1");
    expect(JSON.stringify(planned)).not.toContain("REDACTED-GENERATED-PASSWORD");
  });

  it("outputs a URL for every service and the OTLP endpoints", () => {
    expect(run.outputs.urls).toEqual({
      grafana: "http://127.0.0.1:3300",
      prometheus: "http://127.0.0.1:9090",
      alertmanager: "http://127.0.0.1:9093",
      loki: "http://127.0.0.1:3100",
      tempo: "http://127.0.0.1:3200",
    });
    expect(run.outputs.otlp).toEqual({ grpc: "http://127.0.0.1:4317", http: "http://127.0.0.1:4318" });
    expect(run.outputs.grafanaAdminUser).toBe("admin");
  });

  it("parents every resource under the stack component or the target", () => {
    const top = run.resources.filter((r) => r.parent === undefined).map((r) => r.type);
    expect(top.sort()).toEqual(["observability:index:ObservabilityStack", "observability:target:Docker", "pulumi:pulumi:Stack"].sort());
    expect(named(run, "docker:index/network:Network", "docker-network").parent).toBe("observability:target:Docker::docker");
    expect(named(run, CONTAINER, "prometheus").parent).toBe("observability:index:Prometheus::prometheus");
  });
});

describe("the Docker target's options", () => {
  it("runs Promtail instead of Alloy when logAgent is promtail", async () => {
    const run = await runWith({ logAgent: "promtail" });
    const names = ofType(run, CONTAINER).map((r) => r.name);
    expect(names).toContain("promtail");
    expect(names).not.toContain("alloy");
    // Promtail reads the Docker API through the proxy, like Alloy: no socket in its container.
    expect((container(run, "promtail").volumes ?? []).filter((v) => v.hostPath)).toEqual([]);
    expect(container(run, "promtail").networksAdvanced.map((n) => n.name)).toEqual(["observability-internal", "observability-docker-api"]);
  });

  it("binds published ports to the configured address", async () => {
    const run = await runWith({ docker: { bindAddress: "0.0.0.0" } });
    expect(container(run, "grafana").ports).toEqual([{ internal: 3000, external: 3300, ip: "0.0.0.0", protocol: "tcp" }]);
    expect(run.outputs.urls).toMatchObject({ grafana: "http://localhost:3300" });
  });

  it("runs the postgres and redis exporters only when enabled, their credentials as secrets", async () => {
    expect(ofType(await runWith({}), CONTAINER).map((r) => r.name)).not.toContain("postgres-exporter");
    const run = await runWith(
      { exporters: { postgres: { enabled: true, dataSourceName: "postgresql://u:pw@db:5432/app" }, redis: { enabled: true, address: "redis://cache:6379" } } },
      ["exporters"],
    );
    expect(container(run, "postgres-exporter").envs).toEqual(["DATA_SOURCE_NAME=postgresql://u:pw@db:5432/app"]);
    expect(named(run, CONTAINER, "postgres-exporter").inputs.envs).toEqual([SECRET_MASK]);
    expect(container(run, "redis-exporter").envs).toEqual(["REDIS_ADDR=redis://cache:6379", "REDIS_EXPORTER_DISABLE_SCRAPE_ENDPOINT=true"]);
    const jobs = parse(run.stack.files.find((f) => f.path === "prometheus/prometheus.yml")!.content).scrape_configs.map((j: { job_name: string }) => j.job_name);
    expect(jobs).toEqual(expect.arrayContaining(["postgres_exporter", "redis_exporter"]));
  });

  it("uses a configured Grafana admin password instead of generating one", async () => {
    const run = await runWith({ grafana: { adminPassword: "s3cret-from-config" } }, ["grafana"]);
    expect(ofType(run, "random:index/randomPassword:RandomPassword").map((r) => r.name)).not.toContain("grafana-admin-password");
    const upload = (container(run, "grafana").uploads ?? []).find((u) => u.file === "/etc/grafana/secrets/admin-password");
    expect(upload?.content).toBe("s3cret-from-config");
  });

  it("refuses an invalid config with the validation error, before the target exists", async () => {
    await expect(runWith({ target: "swarm" })).rejects.toThrow(/observability:target: must be one of/);
  });
});
