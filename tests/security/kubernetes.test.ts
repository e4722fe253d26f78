/**
 * Security of the Kubernetes target, on the rendered manifests: node-exporter (host network, where
 * NetworkPolicies do not apply) is reachable only through kube-rbac-proxy with TLS and a token the API
 * server vouches for; kube-state-metrics is closed to all but Prometheus; API tokens reach only the
 * containers that call the API.
 */
import { parse } from "yaml";
import { fullManifests, type Manifest, type PodSpec, workloads } from "../kubernetes/fixtures";
import { runWith } from "../stack/harness";
import { IMAGES } from "../../versions";

const TOKEN_DIR = "/var/run/secrets/kubernetes.io/serviceaccount";

describe("Kubernetes: node agents not open on the node", () => {
  let manifests: Manifest[];
  let pod: (name: string) => PodSpec;
  beforeAll(async () => {
    manifests = await fullManifests();
    pod = (name) => workloads(manifests).find(({ m }) => m.metadata.name === name)!.pod;
  });

  it("binds node-exporter to the node's loopback and serves its port through kube-rbac-proxy on the pod (node) address with TLS", () => {
    const p = pod("node-exporter");
    expect(p.hostNetwork).toBe(true);
    const [exporter, proxy] = p.containers;
    expect(exporter.args).toContain("--web.listen-address=127.0.0.1:9100");
    expect(exporter.ports ?? []).toEqual([]);
    expect(proxy.name).toBe("kube-rbac-proxy-http");
    expect(proxy.image).toBe(IMAGES.kubeRbacProxy);
    expect(proxy.image).toMatch(/:v\d+\.\d+\.\d+$/);
    expect(proxy.args).toEqual(
      expect.arrayContaining(["--secure-listen-address=[$(POD_IP)]:9100", "--upstream=http://127.0.0.1:9100/", "--allow-paths=/metrics"]),
    );
    expect(proxy.ports).toEqual([{ name: "http", containerPort: 9100 }]);
    // The exporter's probes run inside its container: the kubelet has no token for the proxy.
    expect(exporter.readinessProbe).toMatchObject({ exec: { command: ["wget", "-q", "-O", "/dev/null", "http://127.0.0.1:9100/"] } });
  });

  it("gives the token to the proxy alone, and lets its account ask the API server to review callers (system:auth-delegator)", () => {
    const p = pod("node-exporter");
    const withToken = p.containers.filter((c) => (c.volumeMounts ?? []).some((m) => m.mountPath === TOKEN_DIR)).map((c) => c.name);
    expect(withToken).toEqual(["kube-rbac-proxy-http"]);
    const binding = manifests.find((m) => m.kind === "ClusterRoleBinding" && (m.roleRef as { name: string }).name === "system:auth-delegator")!;
    expect(binding.subjects).toEqual([{ kind: "ServiceAccount", name: "node-exporter", namespace: "obs-node" }]);
  });

  it("lets Prometheus get /metrics (what the proxy's SubjectAccessReview checks) and scrape node-exporter over https with its token", async () => {
    const role = manifests.find((m) => m.kind === "ClusterRole" && m.metadata.name.endsWith("-prometheus-read"))!;
    expect(role.rules).toContainEqual({ nonResourceURLs: ["/metrics"], verbs: ["get"] });
    const run = await runWith({ target: "kubernetes" }, [], "prod");
    const config = parse(run.stack.files.find((f) => f.path === "prometheus/prometheus.yml")!.content);
    const job = config.scrape_configs.find((j: { job_name: string }) => j.job_name === "node_exporter");
    expect(job).toMatchObject({ scheme: "https", authorization: { credentials_file: `${TOKEN_DIR}/token` }, tls_config: { insecure_skip_verify: true } });
  });

  it("keeps kube-state-metrics on the pod network, where its NetworkPolicy admits Prometheus alone", () => {
    expect(pod("kube-state-metrics").hostNetwork ?? false).toBe(false);
    const policy = manifests.find((m) => m.kind === "NetworkPolicy" && m.metadata.name === "kube-state-metrics")!;
    const rules = (policy.spec as { ingress: { from: { podSelector?: { matchLabels: Record<string, string> } }[] }[] }).ingress;
    expect(rules.flatMap((r) => r.from.map((f) => f.podSelector?.matchLabels["app.kubernetes.io/name"]))).toEqual(["prometheus"]);
  });

  it("mounts API tokens only into the containers that call the API: never into reload sidecars", () => {
    for (const { m, pod: p } of workloads(manifests)) {
      expect([m.metadata.name, p.automountServiceAccountToken]).toEqual([m.metadata.name, false]);
      for (const c of p.containers.filter((c) => c.name === "config-reloader")) {
        expect([m.metadata.name, (c.volumeMounts ?? []).map((v) => v.mountPath)]).not.toEqual([m.metadata.name, expect.arrayContaining([TOKEN_DIR])]);
      }
    }
    const withToken = workloads(manifests).flatMap(({ m, pod: p }) =>
      p.containers.filter((c) => (c.volumeMounts ?? []).some((v) => v.mountPath === TOKEN_DIR)).map((c) => `${m.metadata.name}/${c.name}`),
    );
    expect(withToken.sort()).toEqual(["kube-state-metrics/kube-state-metrics", "node-exporter/kube-rbac-proxy-http", "prometheus/prometheus", "promtail/promtail"]);
  });

  it("admits OTLP to the collector only from namespaces labelled for it (kubernetes.otlpNamespaceLabels), on the OTLP ports only", () => {
    const policy = manifests.find((m) => m.kind === "NetworkPolicy" && m.metadata.name === "otel-collector")!;
    type Rule = { from: { namespaceSelector?: { matchLabels?: Record<string, string> }; podSelector?: unknown }[]; ports: { port: number }[] };
    const fromApplications = (policy.spec as { ingress: Rule[] }).ingress.filter((r) => r.from.some((f) => f.podSelector === undefined));
    expect(fromApplications).toEqual([{ from: [{ namespaceSelector: { matchLabels: { "observability/otlp": "enabled" } } }], ports: [{ port: 4317, protocol: "TCP" }, { port: 4318, protocol: "TCP" }] }]);
    expect(policy.metadata.annotations?.["observability/allows"]).toContain("applications (namespaces labelled observability/otlp=enabled)");
  });

  it("takes the OTLP namespace labels from config", async () => {
    const run = await runWith({ target: "kubernetes", kubernetes: { otlpNamespaceLabels: { team: "tutordex" } } }, [], "prod");
    const policy = run.resources.find((r) => r.type === "kubernetes:networking.k8s.io/v1:NetworkPolicy" && r.name === "otel-collector-ingress-policy")!;
    expect(JSON.stringify(policy.inputs)).toContain('"namespaceSelector":{"matchLabels":{"team":"tutordex"}}');
    expect(JSON.stringify(policy.inputs)).not.toContain('"namespaceSelector":{}');
  });

  it("limits samples and labels per scrape of every application job, not the stack's own", async () => {
    const run = await runWith({ target: "kubernetes", targets: [{ name: "app", address: "app.tutordex:8000", component: "backend" }], prometheus: { applicationSampleLimit: 20000 } }, [], "prod");
    const config = parse(run.stack.files.find((f) => f.path === "prometheus/prometheus.yml")!.content);
    const job = (name: string) => config.scrape_configs.find((j: { job_name: string }) => j.job_name === name);
    expect(job("app")).toMatchObject({ sample_limit: 20000, label_limit: 64 });
    expect(job("kubernetes_pods")).toMatchObject({ sample_limit: 20000, label_limit: 64 });
    expect(job("prometheus").sample_limit).toBeUndefined();
  });

  it("limits egress in the stack's namespace to DNS, the FLOWS peers and the API server; leaves open only what reaches applications or the outside", () => {
    const egress = manifests.filter((m) => m.kind === "NetworkPolicy" && (m.spec as { policyTypes: string[] }).policyTypes.includes("Egress"));
    expect(egress.every((m) => m.metadata.namespace === "obs")).toBe(true);
    const byService = Object.fromEntries(egress.map((m) => [m.metadata.name.replace(/-egress$/, ""), m]));
    expect(Object.keys(byService).sort()).toEqual(["grafana", "kube-state-metrics", "loki", "otel-collector", "tempo"].sort());
    type Rule = { to: { namespaceSelector?: { matchLabels?: Record<string, string> }; podSelector?: { matchLabels: Record<string, string> }; ipBlock?: { cidr: string } }[]; ports: { port: number; protocol: string }[] };
    const rules = (name: string) => (byService[name].spec as { egress: Rule[] }).egress;
    const peers = (name: string) => rules(name).flatMap((r) => r.to.flatMap((t) => (t.podSelector ? [`${t.podSelector.matchLabels["app.kubernetes.io/name"]}:${r.ports.map((p) => p.port).join(",")}`] : [])));
    for (const name of Object.keys(byService)) {
      expect(rules(name)[0]).toEqual({ to: [{ namespaceSelector: { matchLabels: { "kubernetes.io/metadata.name": "kube-system" } } }], ports: [{ port: 53, protocol: "UDP" }, { port: 53, protocol: "TCP" }] });
    }
    expect(peers("otel-collector").sort()).toEqual(["loki:3100", "prometheus:9090", "tempo:4317"]);
    expect(peers("loki")).toEqual(["alertmanager:9093"]);
    expect(peers("tempo")).toEqual(["prometheus:9090"]);
    // The long-term store's query ports are FLOWS peers too (metrics.longTerm); with none deployed no pod matches them.
    expect(peers("grafana").sort()).toEqual(["alertmanager:9093", "loki:3100", "prometheus:9090", "tempo:3200", "victoria-metrics:8428", "vmselect:8481"]);
    // kube-state-metrics talks to the API server only.
    expect(rules("kube-state-metrics").slice(1)).toEqual([{ to: [{ ipBlock: { cidr: "0.0.0.0/0" } }, { ipBlock: { cidr: "::/0" } }], ports: [{ port: 443, protocol: "TCP" }, { port: 6443, protocol: "TCP" }] }]);
    // Prometheus (scrapes applications anywhere), blackbox (probes), Alertmanager (receivers) and the DB/cache exporters are not limited.
    for (const open of ["prometheus", "blackbox-exporter", "alertmanager", "postgres-exporter", "redis-exporter"]) expect(byService[open]).toBeUndefined();
  });

  it("keeps --web.enable-lifecycle on Kubernetes, where the reloader needs POST /-/reload and only the pod itself reaches it", () => {
    const prometheus = pod("prometheus").containers[0];
    expect(prometheus.args).toContain("--web.enable-lifecycle");
  });
});
