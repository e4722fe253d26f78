/**
 * Production that survives losing a node (issue 13, metrics): the rendered
 * Kubernetes manifests of an HA Prometheus pair writing to a VictoriaMetrics
 * cluster, and the prometheus.yml every replica runs, checked by schema
 * (kubernetes-models), the restricted Pod Security Standard and promtool.
 */
import * as fs from "fs";
import * as os from "os";
import * as path from "path";
import { parse } from "yaml";
import { kubernetesManifests, renderRun, writeRendered } from "../../render/render";
import type { ProgramRun } from "../../render/run";
import { type Manifest, schemaProblems, workloads } from "../kubernetes/fixtures";
import { restrictedViolations } from "../kubernetes/pod-security";
import { rawNamed, runWith, TUTORDEX_TARGETS } from "../stack/harness";
import { promtoolCheckConfig } from "../support/tools";
import { expectedJobs } from "../../sizing/model";
import { validateSettings } from "../../settings/validate";

const CLUSTER = {
  target: "kubernetes",
  targets: TUTORDEX_TARGETS,
  prometheus: {
    cluster: "prod-eu-1",
    remoteWrite: [{ url: "https://mimir.example.com/api/v1/push", basicAuthUser: "1234", basicAuthPassword: "s3cret-pw", headers: { "X-Scope-OrgID": "tutordex" } }],
  },
  metrics: { longTerm: "victoriametrics", victoriametrics: { mode: "cluster", replicationFactor: 2, retention: "180d" } },
};

let run: ProgramRun;
let manifests: Manifest[];
let prometheusYml: Record<string, any>;
let dir: string;

beforeAll(async () => {
  run = await runWith(CLUSTER, ["prometheus"], "prod");
  manifests = kubernetesManifests(run.resources, run.rawInputs).map((f) => parse(f.content) as Manifest);
  const rendered = renderRun(run, "prod");
  dir = fs.mkdtempSync(path.join(os.tmpdir(), "scaling-"));
  writeRendered(dir, rendered);
  prometheusYml = parse(fs.readFileSync(path.join(dir, "prometheus/prometheus.yml"), "utf8"));
}, 120_000);

afterAll(() => fs.rmSync(dir, { recursive: true, force: true }));

const byKindName = (kind: string, name: string) => {
  const m = manifests.find((x) => x.kind === kind && x.metadata.name === name);
  if (!m) throw new Error(`no ${kind} ${name}; have ${manifests.filter((x) => x.kind === kind).map((x) => x.metadata.name).join(", ")}`);
  return m;
};
const podOf = (m: Manifest) => (m.spec as { template: { spec: { containers: { name: string; args: string[]; env?: unknown[] }[] } } }).template.spec;
const argsOf = (m: Manifest) => podOf(m).containers[0].args;

describe("the Prometheus HA pair", () => {
  it("runs 2 replicas by default on Kubernetes, spread across nodes, with a PodDisruptionBudget", () => {
    const sts = byKindName("StatefulSet", "prometheus");
    expect((sts.spec as { replicas: number }).replicas).toBe(2);
    expect((sts.spec as any).template.spec.topologySpreadConstraints).toEqual([expect.objectContaining({ topologyKey: "kubernetes.io/hostname", maxSkew: 1 })]);
    expect((byKindName("PodDisruptionBudget", "prometheus").spec as { maxUnavailable: number }).maxUnavailable).toBe(1);
  });

  it("labels every series it sends out with cluster and the pod name as replica", () => {
    expect(prometheusYml.global.external_labels).toEqual({ env: "prod", cluster: "prod-eu-1", replica: "${POD_NAME}" });
    expect(podOf(byKindName("StatefulSet", "prometheus")).containers[0].env).toContainEqual({ name: "POD_NAME", valueFrom: { fieldRef: { fieldPath: "metadata.name" } } });
  });

  it("drops the replica label from alerts, so Alertmanager sees the pair's alerts as one", () => {
    expect(prometheusYml.alerting.alert_relabel_configs).toEqual([{ regex: "replica", action: "labeldrop" }]);
  });

  it("writes to the vminsert tenant path without the replica label, and to the user's store with it", () => {
    expect(prometheusYml.remote_write).toEqual([
      expect.objectContaining({ name: "victoriametrics", url: "http://vminsert:8480/insert/0/prometheus/api/v1/write", write_relabel_configs: [{ regex: "replica", action: "labeldrop" }] }),
      {
        name: "remote-write-0",
        url: "https://mimir.example.com/api/v1/push",
        basic_auth: { username: "1234", password_file: "/etc/prometheus-secrets/remote-write-0-password" },
        headers: { "X-Scope-OrgID": "tutordex" },
        queue_config: { capacity: 10000, max_shards: 50, max_samples_per_send: 2000, batch_send_deadline: "5s" },
      },
    ]);
  });

  it("mounts the remote-write password from a Secret, never in the ConfigMap or render output", () => {
    const secret = byKindName("Secret", "prometheus-secret") as Manifest & { stringData: Record<string, string> };
    // Rendered masked; what the program hands Pulumi holds the value (as a secret).
    expect(Object.values(secret.stringData)).toEqual(["REDACTED-BY-RENDER"]);
    expect(JSON.stringify(rawNamed(run, "kubernetes:core/v1:Secret", "prometheus-secret"))).toContain("s3cret-pw");
    const cm = JSON.stringify(manifests.filter((m) => m.kind === "ConfigMap"));
    expect(cm).not.toContain("s3cret-pw");
    const renderedText = fs.readdirSync(dir, { recursive: true }).map(String).filter((f) => fs.statSync(path.join(dir, f)).isFile()).map((f) => fs.readFileSync(path.join(dir, f), "utf8")).join("\n");
    expect(renderedText).not.toContain("s3cret-pw");
    expect(fs.existsSync(path.join(dir, "prometheus/secrets/remote-write-0-password"))).toBe(true);
  });

  it("mounts the credentials in a directory of their own, so the config directory stays ConfigMap-only and keeps its reloader", () => {
    type Mount = { name: string; mountPath: string };
    const pod = podOf(byKindName("StatefulSet", "prometheus")) as unknown as {
      containers: { name: string; volumeMounts: Mount[] }[];
      volumes: { name: string; projected?: { sources: Record<string, unknown>[] } }[];
    };
    const [main, ...sidecars] = pod.containers;
    const sourcesOf = (m: Mount) => pod.volumes.find((v) => v.name === m.name)?.projected?.sources.map((x) => Object.keys(x)[0]) ?? [];
    const secretMount = main.volumeMounts.find((m) => sourcesOf(m).includes("secret"));
    expect(secretMount?.mountPath).toBe("/etc/prometheus-secrets");
    // No Secret mounted inside another (read-only) volume's directory.
    expect(main.volumeMounts.filter((m) => m.mountPath.startsWith("/etc/prometheus/")).map((m) => m.mountPath)).toEqual([]);
    const configMount = main.volumeMounts.find((m) => m.mountPath === "/etc/prometheus");
    expect(sourcesOf(configMount!)).toEqual(["configMap"]);
    const reloader = sidecars.find((c) => c.volumeMounts.some((m) => m.mountPath === "/etc/prometheus"));
    expect(reloader).toBeDefined();
    expect(reloader!.volumeMounts.map((m) => m.mountPath)).not.toContain("/etc/prometheus-secrets");
  });

  it("gets what is pushed to it (Tempo's span metrics, the collector's OTLP metrics) on every replica, not one at random", () => {
    const replicas = ["prometheus-0.prometheus-headless:9090", "prometheus-1.prometheus-headless:9090"];
    const tempo = parse(fs.readFileSync(path.join(dir, "tempo/tempo.yml"), "utf8"));
    expect(tempo.metrics_generator.storage.remote_write.map((w: { url: string }) => w.url)).toEqual(replicas.map((r) => `http://${r}/api/v1/write`));
    const collector = parse(fs.readFileSync(path.join(dir, "otel-collector/config.yml"), "utf8"));
    const exporters = collector.service.pipelines.metrics.exporters as string[];
    expect(exporters.map((e) => collector.exporters[e].endpoint)).toEqual(replicas.map((r) => `http://${r}/api/v1/otlp`));
  });

  it("passes promtool check config (Prometheus' own parser: remote_write, alert_relabel_configs, external labels)", () => {
    expect(promtoolCheckConfig(path.join(dir, "prometheus/prometheus.yml"))).toMatch(/SUCCESS/);
  });
});

describe("the VictoriaMetrics cluster", () => {
  it("runs vmstorage as a StatefulSet of 2*RF-1 replicas, each with its own PVC, retention and dedup at the scrape interval", () => {
    const sts = byKindName("StatefulSet", "vmstorage");
    expect((sts.spec as { replicas: number }).replicas).toBe(3);
    expect((sts.spec as any).volumeClaimTemplates).toEqual([expect.objectContaining({ spec: expect.objectContaining({ resources: { requests: { storage: "50Gi" } } }) })]);
    expect(argsOf(sts)).toEqual(expect.arrayContaining(["-retentionPeriod=180d", "-dedup.minScrapeInterval=15s", "-vminsertAddr=:8400", "-vmselectAddr=:8401"]));
    expect(byKindName("PodDisruptionBudget", "vmstorage")).toBeDefined();
  });

  it("runs vminsert and vmselect as Deployments of 2 with PDBs, pointed at every vmstorage replica", () => {
    const nodes = (port: number) => `-storageNode=${[0, 1, 2].map((i) => `vmstorage-${i}.vmstorage-headless:${port}`).join(",")}`;
    const insert = byKindName("Deployment", "vminsert");
    const select = byKindName("Deployment", "vmselect");
    expect((insert.spec as { replicas: number }).replicas).toBe(2);
    expect((select.spec as { replicas: number }).replicas).toBe(2);
    expect(argsOf(insert)).toEqual(expect.arrayContaining([nodes(8400), "-replicationFactor=2"]));
    expect(argsOf(select)).toEqual(expect.arrayContaining([nodes(8401), "-replicationFactor=2", "-dedup.minScrapeInterval=15s"]));
    expect(byKindName("PodDisruptionBudget", "vminsert")).toBeDefined();
    expect(byKindName("PodDisruptionBudget", "vmselect")).toBeDefined();
  });

  it("lets only Prometheus write, only Grafana read, and only vminsert/vmselect reach vmstorage (NetworkPolicies)", () => {
    const from = (name: string, port: number) =>
      ((byKindName("NetworkPolicy", `${name}`).spec as any).ingress as { from: { podSelector?: { matchLabels: Record<string, string> } }[]; ports: { port: number }[] }[])
        .filter((r) => r.ports.some((p) => p.port === port))
        .flatMap((r) => r.from.map((f) => f.podSelector?.matchLabels["app.kubernetes.io/name"]))
        .sort();
    expect(from("vminsert", 8480)).toEqual(["prometheus"]);
    expect(from("vmselect", 8481)).toEqual(["grafana", "prometheus"]);
    expect(from("vmstorage", 8400)).toEqual(["vminsert"]);
    expect(from("vmstorage", 8401)).toEqual(["vmselect"]);
  });

  it("passes the Kubernetes schema and the restricted Pod Security Standard, with probes and memory limits", () => {
    const vm = manifests.filter((m) => ["vmstorage", "vminsert", "vmselect", "prometheus"].includes(m.metadata.name));
    expect(schemaProblems(vm)).toEqual([]);
    for (const { m, pod } of workloads(vm)) {
      expect({ name: m.metadata.name, violations: restrictedViolations(pod) }).toEqual({ name: m.metadata.name, violations: [] });
      const c = pod.containers[0];
      expect(c.readinessProbe).toEqual(expect.objectContaining({ httpGet: expect.objectContaining({ path: m.metadata.name === "prometheus" ? "/-/ready" : "/health" }) }));
      expect(c.livenessProbe).toBeDefined();
      expect(c.resources?.limits?.memory).toMatch(/^\d+Mi$/);
      expect(c.image).toMatch(/^(quay\.io\/prometheus\/prometheus:v|victoriametrics\/(vmstorage|vminsert|vmselect):v\d+\.\d+\.\d+-cluster$)/);
    }
  });

  it("is scraped replica by replica (pod discovery), and the sizing model counts the same jobs", () => {
    const jobs = (prometheusYml.scrape_configs as { job_name: string; kubernetes_sd_configs?: { selectors: { label: string }[] }[] }[]);
    for (const part of ["vmstorage", "vminsert", "vmselect"]) {
      const j = jobs.find((x) => x.job_name === part);
      expect(j?.kubernetes_sd_configs?.[0].selectors[0].label).toContain(`app.kubernetes.io/name=${part}`);
    }
    const settings = validateSettings({ values: CLUSTER, secretKeys: new Set(["prometheus"]) });
    expect(expectedJobs(settings).map((j) => j.job).sort()).toEqual(jobs.map((j) => j.job_name).sort());
  });

  it("is Grafana's `victoriametrics` datasource at vmselect's tenant path, beside the default Prometheus", () => {
    const datasources = parse(fs.readFileSync(path.join(dir, "grafana/provisioning/datasources/datasources.yml"), "utf8")).datasources as { uid: string; url: string; isDefault?: boolean }[];
    expect(datasources.find((d) => d.uid === "victoriametrics")).toEqual(expect.objectContaining({ type: "prometheus", url: "http://vmselect:8481/select/0/prometheus" }));
    expect(datasources.find((d) => d.isDefault)?.uid).toBe("prometheus");
  });

  it("reports its write and query URLs in the stack outputs", async () => {
    const out = await new Promise<Record<string, string>>((resolve) => (run.stack.outputs.longTermStore as any).apply(resolve));
    expect(out).toEqual({
      write: "http://vminsert:8480/insert/0/prometheus/api/v1/write",
      query: "http://vmselect:8481/select/0/prometheus",
      external: expect.stringContaining("port-forward svc/vmselect 8481:8481"),
    });
  });
});

describe("Kubernetes with metrics.longTerm: none and prometheus.replicas: 1", () => {
  it("runs one Prometheus without a PDB and writes nowhere", async () => {
    const one = await runWith({ target: "kubernetes", targets: TUTORDEX_TARGETS, prometheus: { replicas: 1 } }, [], "prod");
    const m = kubernetesManifests(one.resources, one.rawInputs).map((f) => parse(f.content) as Manifest);
    expect((m.find((x) => x.kind === "StatefulSet" && x.metadata.name === "prometheus")!.spec as { replicas: number }).replicas).toBe(1);
    expect(m.some((x) => x.kind === "PodDisruptionBudget" && x.metadata.name === "prometheus")).toBe(false);
    expect(m.some((x) => /^v(m|ictoria)/.test(x.metadata.name))).toBe(false);
  }, 120_000);
});
