/**
 * Production with Loki in HA monolithic mode (3 replicas) and Loki and Tempo
 * on one S3-compatible bucket: the manifests the program registers, valid
 * against the Kubernetes 1.34 schema, with the credentials reaching the
 * daemons only through a Secret.
 */
import { parse } from "yaml";
import { LOKI_MAIN_COMPACTOR_FILE } from "../../configs/loki/loki";
import { OBJECT_STORE_ENV } from "../../configs/object-storage";
import { headlessServiceName, SERVICES } from "../../configs/topology";
import { renderRun } from "../../render/render";
import type { ProgramRun } from "../../render/run";
import { runWith, TUTORDEX_TARGETS } from "../stack/harness";
import { type Container, type Manifest, schemaProblems, workloads } from "./fixtures";

const ACCESS_KEY_ID = "AKIAHA0EXAMPLE0KEY";
const SECRET_ACCESS_KEY = "ha-example/secret+access-key";
const objectStorage = { endpoint: "minio.storage:9000", lokiBucket: "tutordex-telemetry", tempoBucket: "tutordex-telemetry", forcePathStyle: true, insecure: true, accessKeyId: ACCESS_KEY_ID, secretAccessKey: SECRET_ACCESS_KEY };

let run: ProgramRun;
let manifests: Manifest[];
let rendered: { path: string; content: string }[];

const find = (kind: string, name: string) => {
  const m = manifests.find((x) => x.kind === kind && x.metadata.name === name);
  if (!m) throw new Error(`no ${kind} ${name}`);
  return m;
};
const podOf = (name: string) => {
  const w = workloads(manifests).find((x) => x.m.metadata.name === name);
  if (!w) throw new Error(`no workload ${name}`);
  return w.pod;
};
const containerOf = (name: string): Container & { env?: { name: string; value?: string; valueFrom?: Record<string, { name?: string; key?: string; fieldPath?: string }> }[] } =>
  podOf(name).containers.find((c) => c.name === name) as never;

beforeAll(async () => {
  run = await runWith(
    { target: "kubernetes", kubernetes: { namespace: "obs" }, targets: TUTORDEX_TARGETS, loki: { replicas: 3 }, objectStorage },
    ["objectStorage"],
    "prod",
  );
  rendered = renderRun(run, "prod");
  manifests = rendered.filter((f) => f.path.startsWith("kubernetes/")).map((f) => parse(f.content) as Manifest);
}, 120_000);

describe("Loki HA and object storage on Kubernetes", () => {
  it("renders manifests the Kubernetes 1.34 schema accepts", () => {
    expect(schemaProblems(manifests)).toEqual([]);
  });

  it("runs Loki as a 3-replica StatefulSet spread across nodes, one replica down at a time", () => {
    const ss = find("StatefulSet", "loki").spec as { replicas: number; serviceName: string; template: { spec: { topologySpreadConstraints?: { topologyKey: string }[] } } };
    expect(ss.replicas).toBe(3);
    expect(ss.serviceName).toBe(headlessServiceName("loki"));
    expect(ss.template.spec.topologySpreadConstraints?.map((t) => t.topologyKey)).toEqual(["kubernetes.io/hostname"]);
    expect((find("PodDisruptionBudget", "loki").spec as { maxUnavailable: number }).maxUnavailable).toBe(1);
  });

  it("lets replicas find each other through the headless Service (ready or not) and serves clients through the normal one", () => {
    const headless = find("Service", headlessServiceName("loki")).spec as { clusterIP: string; publishNotReadyAddresses: boolean; ports: { port: number }[] };
    expect(headless.clusterIP).toBe("None");
    expect(headless.publishNotReadyAddresses).toBe(true);
    expect(headless.ports.map((p) => p.port)).toContain(SERVICES.loki.ports.memberlist);
    expect((find("Service", "loki").spec as { clusterIP?: string }).clusterIP).toBeUndefined();
  });

  it("starts replica 0 on the main compactor's file and the others on loki.yml", () => {
    const loki = containerOf("loki");
    expect(loki.args).toEqual([`-config.file=/etc/loki/$(POD_NAME).yml,/etc/loki/loki.yml`, "-config.expand-env=true"]);
    expect(loki.env).toEqual(expect.arrayContaining([{ name: "POD_NAME", valueFrom: { fieldRef: { fieldPath: "metadata.name" } } }]));
    const data = find("ConfigMap", "loki-config").data as Record<string, string>;
    const files = Object.keys(data);
    expect(files).toEqual(expect.arrayContaining(["etc_loki_loki.yml", `etc_loki_${LOKI_MAIN_COMPACTOR_FILE}`]));
    // The file name is what $(POD_NAME) expands to on replica 0 of the StatefulSet.
    expect(LOKI_MAIN_COMPACTOR_FILE).toBe(`${find("StatefulSet", "loki").metadata.name}-0.yml`);
    expect(parse(data[`etc_loki_${LOKI_MAIN_COMPACTOR_FILE}`]).compactor.horizontal_scaling_mode).toBe("main");
    expect(parse(data["etc_loki_loki.yml"]).compactor.horizontal_scaling_mode).toBe("worker");
  });

  it.each(["loki", "tempo"])("gives %s the credentials from its Secret, never from a ConfigMap", (service) => {
    const c = containerOf(service);
    expect(c.args).toContain("-config.expand-env=true");
    for (const name of Object.values(OBJECT_STORE_ENV)) {
      expect(c.env).toContainEqual({ name, valueFrom: { secretKeyRef: { name: `${service}-secret`, key: `env-${name}` } } });
    }
    const config = JSON.stringify(find("ConfigMap", `${service}-config`));
    expect(config).toContain("${OBJECT_STORE_ACCESS_KEY_ID}");
    expect(config).not.toContain(ACCESS_KEY_ID);
    expect(config).not.toContain(SECRET_ACCESS_KEY);
    // The Secret carries both values (as Pulumi secrets; render masks them).
    expect(Object.keys((run.rawInputs("kubernetes:core/v1:Secret", `${service}-secret`) as { stringData: Record<string, unknown> }).stringData)).toEqual(
      expect.arrayContaining(Object.values(OBJECT_STORE_ENV).map((n) => `env-${n}`)),
    );
  });

  it("keeps the credentials out of every rendered file and the stack outputs", () => {
    for (const f of rendered) {
      expect({ path: f.path, hasKey: f.content.includes(ACCESS_KEY_ID) || f.content.includes(SECRET_ACCESS_KEY) }).toEqual({ path: f.path, hasKey: false });
    }
    expect(JSON.stringify(run.outputs)).not.toContain(SECRET_ACCESS_KEY);
  });

  it("admits Loki replicas to each other on the gossip and gRPC ports only", () => {
    const policy = find("NetworkPolicy", "loki").spec as { ingress: { from: { podSelector?: { matchLabels: Record<string, string> } }[]; ports: { port: number; protocol: string }[] }[] };
    const fromLoki = policy.ingress.filter((r) => r.from.some((p) => p.podSelector?.matchLabels["app.kubernetes.io/name"] === "loki"));
    expect(fromLoki.flatMap((r) => r.ports.map((p) => p.port)).sort()).toEqual([SERVICES.loki.ports.grpc, SERVICES.loki.ports.memberlist].sort());
  });

  it("lets Loki and Tempo reach the bucket wherever it is (no egress allow-list for them)", () => {
    const egress = manifests.filter((m) => m.kind === "NetworkPolicy" && m.metadata.name.endsWith("-egress")).map((m) => m.metadata.name);
    expect(egress).not.toContain("loki-egress");
    expect(egress).not.toContain("tempo-egress");
    // Everything else keeps its allow-list.
    expect(egress).toContain("grafana-egress");
  });
});

describe("object storage on Docker", () => {
  it("passes the credentials as the containers' secret environment and keeps one Loki", async () => {
    const docker = await runWith({ target: "docker", objectStorage: { ...objectStorage, lokiBucket: "tutordex-logs", tempoBucket: "tutordex-traces" } }, ["objectStorage"], "dev");
    for (const service of ["loki", "tempo"]) {
      const raw = docker.rawInputs("docker:index/container:Container", service) as { envs: string[]; command?: string[] };
      expect(raw.envs).toEqual(expect.arrayContaining([`${OBJECT_STORE_ENV.accessKeyId}=${ACCESS_KEY_ID}`, `${OBJECT_STORE_ENV.secretAccessKey}=${SECRET_ACCESS_KEY}`]));
    }
    const files = renderRun(docker, "dev");
    const lokiYml = parse(files.find((f) => f.path === "loki/loki.yml")!.content);
    expect(lokiYml.storage_config.object_store.s3.bucket_name).toBe("tutordex-logs");
    expect(lokiYml.common.replication_factor).toBe(1);
    expect(files.some((f) => f.path === `loki/${LOKI_MAIN_COMPACTOR_FILE}`)).toBe(false);
    expect(parse(files.find((f) => f.path === "tempo/tempo.yml")!.content).storage.trace.s3.bucket).toBe("tutordex-traces");
    for (const f of files) expect(f.content.includes(SECRET_ACCESS_KEY) ? f.path : "").toBe("");
  }, 120_000);
});
