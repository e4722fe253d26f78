/**
 * The opt-in inputs of issue 16 as both targets deploy them: Jaeger/Zipkin on the collector and syslog on
 * the log agent (TCP and UDP ports: Docker publishes `<port>/udp`, Kubernetes declares UDP on the
 * containerPort and the Service, and the NetworkPolicy admits it), one collector replica under tail
 * sampling, and Grafana's PostgreSQL datasource whose password stays a secret file.
 */
import { parse } from "yaml";
import { kubernetesManifests, renderRun } from "../../render/render";
import type { ProgramRun } from "../../render/run";
import { schemaProblems, type Manifest, workloads } from "../kubernetes/fixtures";
import { admits } from "../kubernetes/network";
import { rawNamed, runWith } from "./harness";

const CONTAINER = "docker:index/container:Container";
type Container = {
  ports?: { internal: number; external?: number; protocol?: string }[];
  envs?: string[];
  networksAdvanced: { name: string }[];
  uploads?: { file: string; content: string }[];
};
const container = (run: ProgramRun, name: string) => rawNamed(run, CONTAINER, name) as unknown as Container;

const INPUTS = {
  otelCollector: { receivers: { jaeger: true, zipkin: true }, sampling: { mode: "tail", percentage: 10, slowThresholdMs: 1000 } },
  syslog: { enabled: true, protocols: ["tcp", "udp"] },
};
const PG_PASSWORD = "s3cret-ro-pass";
const POSTGRES = {
  postgres: { enabled: true, dataSourceName: "postgresql://exporter:x@db:5432/postgres", grafana: { host: "db:5432", database: "tutordex", user: "grafana_ro", password: PG_PASSWORD } },
};

describe("on Docker", () => {
  let run: ProgramRun;
  beforeAll(async () => {
    run = await runWith({ target: "docker", ...INPUTS, exporters: POSTGRES }, ["exporters"]);
  });

  it("publishes the Jaeger and Zipkin ports on the host, the Thrift agent ports as UDP", () => {
    const ports = container(run, "otel-collector").ports ?? [];
    for (const [port, protocol] of [[14250, "tcp"], [14268, "tcp"], [6831, "udp"], [6832, "udp"], [9411, "tcp"]] as const) {
      expect(ports).toContainEqual(expect.objectContaining({ internal: port, external: port, protocol }));
    }
  });

  it("publishes syslog on TCP and UDP at syslog.hostPort, and puts the agent on the applications' network", () => {
    const alloy = container(run, "alloy");
    expect(alloy.ports).toEqual(expect.arrayContaining([
      expect.objectContaining({ internal: 1514, external: 1514, protocol: "tcp" }),
      expect.objectContaining({ internal: 1514, external: 1514, protocol: "udp" }),
    ]));
    expect(alloy.networksAdvanced.map((n) => n.name)).toContain("observability");
  });

  it("provisions the PostgreSQL datasource with the password read from a secret file, never written in a file", () => {
    const files = renderRun(run, "test");
    const ds = parse(files.find((f) => f.path === "grafana/provisioning/datasources/datasources.yml")!.content).datasources;
    const pg = ds.find((d: { uid: string }) => d.uid === "postgres");
    expect(pg).toEqual(expect.objectContaining({
      type: "grafana-postgresql-datasource",
      url: "db:5432",
      user: "grafana_ro",
      editable: false,
      jsonData: expect.objectContaining({ database: "tutordex", sslmode: "require" }),
      secureJsonData: { password: "$GF_DATASOURCE_POSTGRES_PASSWORD" },
    }));
    for (const f of files) expect(f.content).not.toContain(PG_PASSWORD);
    const grafana = container(run, "grafana");
    expect(grafana.envs).toContain("GF_DATASOURCE_POSTGRES_PASSWORD__FILE=/etc/grafana/secrets/postgres-password");
    expect(grafana.uploads).toContainEqual(expect.objectContaining({ file: "/etc/grafana/secrets/postgres-password", content: PG_PASSWORD }));
    // The database is outside the stack: Grafana joins the applications' network to reach it.
    expect(grafana.networksAdvanced.map((n) => n.name)).toContain("observability");
  });

  it("provisions no PostgreSQL datasource without exporters.postgres.grafana.host", async () => {
    const plain = await runWith({ target: "docker", exporters: { postgres: { enabled: true, dataSourceName: "postgresql://e:x@db:5432/postgres" } } }, ["exporters"]);
    const ds = parse(renderRun(plain, "test").find((f) => f.path === "grafana/provisioning/datasources/datasources.yml")!.content).datasources;
    expect(ds.map((d: { uid: string }) => d.uid)).not.toContain("postgres");
    expect(container(plain, "grafana").networksAdvanced.map((n) => n.name)).not.toContain("observability");
  });
});

describe("on Kubernetes", () => {
  let manifests: Manifest[];
  beforeAll(async () => {
    const run = await runWith({ target: "kubernetes", ...INPUTS, exporters: POSTGRES }, ["exporters"]);
    manifests = kubernetesManifests(run.resources, run.rawInputs).map((f) => parse(f.content) as Manifest);
  });
  const service = (name: string) => manifests.find((m) => m.kind === "Service" && m.metadata.name === name)!;
  const servicePorts = (name: string) => (service(name).spec as { ports: { name: string; port: number; protocol: string }[] }).ports;
  const containerPorts = (name: string) => workloads(manifests).find((w) => w.m.metadata.name === name)!.pod.containers.find((c) => c.name === name)!.ports ?? [];

  it("declares the collector's UDP ports as UDP on the containerPort and the Service", () => {
    expect(servicePorts("otel-collector")).toEqual(expect.arrayContaining([
      { name: "jaeger-grpc", port: 14250, targetPort: "jaeger-grpc", protocol: "TCP" },
      { name: "jaeger-compact", port: 6831, targetPort: "jaeger-compact", protocol: "UDP" },
      { name: "jaeger-binary", port: 6832, targetPort: "jaeger-binary", protocol: "UDP" },
      { name: "zipkin", port: 9411, targetPort: "zipkin", protocol: "TCP" },
    ]));
    expect(containerPorts("otel-collector")).toContainEqual({ name: "jaeger-compact", containerPort: 6831, protocol: "UDP" });
    expect(servicePorts("alloy")).toEqual(expect.arrayContaining([
      { name: "syslog-tcp", port: 1514, targetPort: "syslog-tcp", protocol: "TCP" },
      { name: "syslog-udp", port: 1514, targetPort: "syslog-udp", protocol: "UDP" },
    ]));
  });

  it("lets labelled application namespaces reach them, TCP and UDP, and nothing else", () => {
    const policies = manifests.filter((m) => m.kind === "NetworkPolicy");
    const app = { namespace: "tutordex", namespaceLabels: { "observability/otlp": "enabled" }, labels: { app: "api" } };
    const stranger = { namespace: "other", namespaceLabels: {}, labels: { app: "api" } };
    const collector = { namespace: "observability", labels: { "app.kubernetes.io/name": "otel-collector", "app.kubernetes.io/instance": "observability" } };
    const alloy = { namespace: "observability", labels: { "app.kubernetes.io/name": "alloy", "app.kubernetes.io/instance": "observability" } };
    for (const [port, protocol] of [[14250, "TCP"], [14268, "TCP"], [6831, "UDP"], [6832, "UDP"], [9411, "TCP"]] as const) {
      expect([port, protocol, admits(policies, app, collector, port, protocol)]).toEqual([port, protocol, true]);
      expect([port, protocol, admits(policies, stranger, collector, port, protocol)]).toEqual([port, protocol, false]);
    }
    for (const protocol of ["TCP", "UDP"]) {
      expect(admits(policies, app, alloy, 1514, protocol)).toBe(true);
      expect(admits(policies, stranger, alloy, 1514, protocol)).toBe(false);
    }
  });

  it("runs one collector replica, so tail sampling sees every span of a trace", () => {
    const collector = manifests.find((m) => m.kind === "Deployment" && m.metadata.name === "otel-collector")!;
    expect((collector.spec as { replicas: number }).replicas).toBe(1);
  });

  it("keeps every manifest valid against the Kubernetes schema", () => {
    expect(schemaProblems(manifests)).toEqual([]);
  });
});
