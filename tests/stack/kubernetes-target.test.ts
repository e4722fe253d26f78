import { parse } from "yaml";
import type { ProgramRun } from "../../render/run";
import { IMAGES } from "../../versions";
import { named, ofType, rawNamed, runWith, TUTORDEX_TARGETS } from "./harness";

type Workload = {
  metadata: { name: string; namespace: string };
  spec: {
    replicas?: number;
    template: {
      spec: {
        serviceAccountName: string;
        securityContext: { seccompProfile: { type: string } };
        containers: {
          image: string;
          args?: string[];
          resources: { limits: { memory: string }; requests: { cpu: string } };
          securityContext: { capabilities: { drop: string[] }; readOnlyRootFilesystem: boolean; allowPrivilegeEscalation: boolean };
          readinessProbe?: { httpGet: { path: string } };
        }[];
      };
    };
    volumeClaimTemplates?: { metadata: { name: string }; spec: { resources: { requests: { storage: string } } } }[];
  };
};

describe("the stack on the Kubernetes target", () => {
  let run: ProgramRun;
  const workload = (kind: string, name: string) => rawNamed(run, `kubernetes:apps/v1:${kind}`, name) as unknown as Workload;
  beforeAll(async () => {
    run = await runWith({ target: "kubernetes", kubernetes: { namespace: "obs" }, alertmanager: { replicas: 3 }, targets: TUTORDEX_TARGETS }, [], "prod");
  });

  it("runs stateful pieces as StatefulSets with persistent volumes, agents as DaemonSets", () => {
    const names = (kind: string) => ofType(run, `kubernetes:apps/v1:${kind}`).map((r) => r.name).sort();
    expect(names("StatefulSet")).toEqual(["alertmanager", "grafana", "loki", "prometheus", "tempo"]);
    expect(names("DaemonSet")).toEqual(["alloy", "node-exporter"]);
    expect(names("Deployment")).toEqual(["blackbox-exporter", "kube-state-metrics", "otel-collector"]);
    expect(workload("StatefulSet", "prometheus").spec.volumeClaimTemplates?.[0]).toMatchObject({ metadata: { name: "data" }, spec: { resources: { requests: { storage: "20Gi" } } } });
  });

  it("tells each log agent its node, so every pod's lines are shipped once", () => {
    const alloy = rawNamed(run, "kubernetes:apps/v1:DaemonSet", "alloy") as { spec: { template: { spec: { containers: { env: unknown[] }[]; volumes: { hostPath?: unknown }[] } } } };
    expect(alloy.spec.template.spec.containers[0].env).toContainEqual({ name: "NODE_NAME", valueFrom: { fieldRef: { fieldPath: "spec.nodeName" } } });
    expect(alloy.spec.template.spec.volumes.filter((v) => v.hostPath)).toEqual([]);
    const config = run.stack.files.find((f) => f.path === "alloy/config.alloy")!.content;
    expect(config).toContain('sys.env("NODE_NAME")');
  });

  it("clusters Alertmanager replicas through the StatefulSet's stable names", () => {
    const am = workload("StatefulSet", "alertmanager");
    expect(am.spec.replicas).toBe(3);
    expect(am.spec.template.spec.containers[0].args).toEqual(
      expect.arrayContaining(["--cluster.peer=alertmanager-0.alertmanager-headless:9094", "--cluster.peer=alertmanager-2.alertmanager-headless:9094"]),
    );
  });

  it("drops every capability, uses RuntimeDefault seccomp, and sets limits and probes on every workload", () => {
    for (const kind of ["StatefulSet", "DaemonSet", "Deployment"]) {
      for (const r of ofType(run, `kubernetes:apps/v1:${kind}`)) {
        const w = workload(kind, r.name);
        // Node agents that need the host run in their own, privileged, namespace; Alloy reads logs
        // through the API as a non-root user and stays in the restricted one.
        expect(w.metadata.namespace).toBe(r.name === "node-exporter" ? "obs-node" : "obs");
        expect(w.spec.template.spec.securityContext.seccompProfile.type).toBe("RuntimeDefault");
        const c = w.spec.template.spec.containers[0];
        expect(c.securityContext.capabilities.drop).toEqual(["ALL"]);
        expect(c.securityContext.readOnlyRootFilesystem).toBe(true);
        expect(c.resources.limits.memory).toMatch(/^\d+Mi$/);
        expect(c.image).toMatch(/:v?\d+\.\d+\.\d+$/);
      }
    }
    expect(workload("StatefulSet", "prometheus").spec.template.spec.containers[0].readinessProbe?.httpGet.path).toBe("/-/ready");
  });

  it("grants discovery read-only access, nothing more", () => {
    const rules = (name: string) => (rawNamed(run, "kubernetes:rbac.authorization.k8s.io/v1:ClusterRole", name) as { rules: { verbs: string[] }[] }).rules;
    for (const name of ["prometheus-read", "alloy-read", "kube-state-metrics-read"]) {
      for (const rule of rules(name)) for (const verb of rule.verbs) expect(["get", "list", "watch"]).toContain(verb);
    }
    expect(ofType(run, "kubernetes:rbac.authorization.k8s.io/v1:ClusterRole").map((r) => r.name).sort()).toEqual(["alloy-read", "kube-state-metrics-read", "prometheus-read"]);
    const binding = rawNamed(run, "kubernetes:rbac.authorization.k8s.io/v1:ClusterRoleBinding", "alloy-read") as { subjects: { name: string; namespace: string }[] };
    expect(binding.subjects).toEqual([{ kind: "ServiceAccount", name: "alloy", namespace: "obs" }]);
  });

  it("gives every service a Service named as its peers address it", () => {
    const services = ofType(run, "kubernetes:core/v1:Service").map((r) => (r.inputs.metadata as { name: string }).name);
    expect(services).toEqual(expect.arrayContaining(["prometheus", "alertmanager", "loki", "tempo", "otel-collector", "grafana", "node-exporter", "blackbox-exporter", "alloy"]));
  });

  it("outputs port-forward commands when no ingress is configured", () => {
    expect((run.outputs.urls as Record<string, string>).grafana).toBe("kubectl -n obs port-forward svc/grafana 3000:3000");
  });

  it("outputs ingress URLs, with TLS, when an ingress is configured", async () => {
    const withIngress = await runWith({ target: "kubernetes", kubernetes: { ingressClass: "nginx", ingressDomain: "obs.example.com", tlsSecretName: "wildcard" } }, [], "prod");
    expect((withIngress.outputs.urls as Record<string, string>).grafana).toBe("https://grafana.obs.example.com");
    const ingress = named(withIngress, "kubernetes:networking.k8s.io/v1:Ingress", "grafana-ingress").inputs as { spec: { ingressClassName: string; tls: { secretName: string }[] } };
    expect(ingress.spec.ingressClassName).toBe("nginx");
    expect(ingress.spec.tls[0].secretName).toBe("wildcard");
  });
});

type PodTemplate = {
  metadata: { annotations: Record<string, string> };
  spec: { containers: { name: string; image: string; args?: string[]; volumeMounts: { mountPath: string; readOnly?: boolean }[] }[] };
};
const templateOf = (run: ProgramRun, kind: string, name: string) =>
  (rawNamed(run, `kubernetes:apps/v1:${kind}`, name) as { spec: { template: PodTemplate } }).spec.template;
const hashOf = (run: ProgramRun, kind: string, name: string) => templateOf(run, kind, name).metadata.annotations["observability/restart-hash"];
const base = { target: "kubernetes", kubernetes: { namespace: "obs" }, targets: TUTORDEX_TARGETS };
/** ingress-nginx basic auth: what an operator puts in kubernetes.ingressAuthAnnotations. */
const AUTH = { "nginx.ingress.kubernetes.io/auth-type": "basic", "nginx.ingress.kubernetes.io/auth-secret": "obs-basic-auth" };

describe("config changes on Kubernetes: reload in place, roll only what cannot reload", () => {
  let run: ProgramRun;
  beforeAll(async () => {
    run = await runWith(base, [], "prod");
  });

  it("gives each service with a reload endpoint a reloader that watches its mounted config and POSTs the endpoint", () => {
    const expected: [string, string, string][] = [
      ["StatefulSet", "prometheus", "http://127.0.0.1:9090/-/reload"],
      ["StatefulSet", "alertmanager", "http://127.0.0.1:9093/-/reload"],
      ["Deployment", "blackbox-exporter", "http://127.0.0.1:9115/-/reload"],
      ["DaemonSet", "alloy", "http://127.0.0.1:12345/-/reload"],
    ];
    for (const [kind, name, url] of expected) {
      const [main, reloader] = templateOf(run, kind, name).spec.containers;
      expect(reloader.name).toBe("config-reloader");
      expect(reloader.image).toBe(IMAGES.configReloader);
      expect(reloader.args).toContain(`--webhook-url=${url}`);
      // It watches every directory the main container reads config from, read-only.
      const configDirs = main.volumeMounts.filter((m) => m.readOnly && m.mountPath.startsWith("/etc/")).map((m) => m.mountPath);
      expect(configDirs.length).toBeGreaterThan(0);
      expect(reloader.args!.filter((a) => a.startsWith("--volume-dir=")).map((a) => a.slice("--volume-dir=".length))).toEqual(configDirs);
      expect(reloader.volumeMounts.every((m) => m.readOnly)).toBe(true);
    }
    for (const [kind, name] of [["StatefulSet", "loki"], ["StatefulSet", "tempo"], ["Deployment", "otel-collector"], ["StatefulSet", "grafana"]]) {
      expect(templateOf(run, kind, name).spec.containers.map((c) => c.name)).toEqual([name]);
    }
  });

  it("mounts each config tree as one volume (no nested mounts inside a read-only ConfigMap volume)", () => {
    const mounts = templateOf(run, "StatefulSet", "prometheus").spec.containers[0].volumeMounts.map((m) => m.mountPath);
    expect(mounts).toContain("/etc/prometheus");
    expect(mounts).not.toContain("/etc/prometheus/rules");
  });

  it("keeps a reloadable service's pods when its config changes, and rolls a non-reloadable one's", async () => {
    const changed = await runWith({ ...base, prometheus: { scrapeInterval: "30s", evaluationInterval: "60s" }, loki: { retention: "240h" } }, [], "prod");
    expect(changed.stack.files.find((f) => f.path === "prometheus/prometheus.yml")!.content).not.toEqual(run.stack.files.find((f) => f.path === "prometheus/prometheus.yml")!.content);
    expect(hashOf(changed, "StatefulSet", "prometheus")).toBe(hashOf(run, "StatefulSet", "prometheus"));
    expect(hashOf(changed, "StatefulSet", "loki")).not.toBe(hashOf(run, "StatefulSet", "loki"));
  });

  it("rolls pods whose environment comes from a changed secret, without showing the secret", async () => {
    const one = await runWith({ ...base, grafana: { adminPassword: "first-password" } }, ["grafana"], "prod");
    const two = await runWith({ ...base, grafana: { adminPassword: "second-password" } }, ["grafana"], "prod");
    const [a, b] = [hashOf(one, "StatefulSet", "grafana"), hashOf(two, "StatefulSet", "grafana")];
    expect(a).toMatch(/^[0-9a-f]{16}$/);
    expect(a).not.toBe(b);
    // The pod template stays reviewable (not masked as a whole) and holds no password.
    const planned = named(one, "kubernetes:apps/v1:StatefulSet", "grafana").inputs as { spec: unknown };
    expect(typeof planned.spec).toBe("object");
    expect(JSON.stringify(planned)).not.toContain("first-password");
  });
});

describe("kube-state-metrics and discovery on Kubernetes", () => {
  let run: ProgramRun;
  let config: { alerting: { alertmanagers: Record<string, unknown>[] }; scrape_configs: Record<string, unknown>[] };
  beforeAll(async () => {
    run = await runWith({ ...base, alertmanager: { replicas: 3 } }, [], "prod");
    config = parse(run.stack.files.find((f) => f.path === "prometheus/prometheus.yml")!.content);
  });
  const job = (name: string) => config.scrape_configs.find((j) => j.job_name === name)!;

  it("runs kube-state-metrics pinned, and scrapes it as job kube-state-metrics keeping the objects' labels", () => {
    expect(templateOf(run, "Deployment", "kube-state-metrics").spec.containers[0].image).toBe(IMAGES.kubeStateMetrics);
    expect(job("kube-state-metrics")).toMatchObject({ honor_labels: true, static_configs: [{ targets: ["kube-state-metrics:8080"] }] });
  });

  it("scrapes every node's exporter and every log agent pod, not one pod behind a Service", () => {
    for (const [name, service, port] of [["node_exporter", "node-exporter", "9100"], ["log_agent", "alloy", "12345"]]) {
      const j = job(name) as { kubernetes_sd_configs: unknown[]; relabel_configs: unknown[]; static_configs?: unknown };
      expect(j.static_configs).toBeUndefined();
      expect(j.kubernetes_sd_configs).toEqual([
        { role: "pod", namespaces: { names: ["obs", "obs-node"] }, selectors: [{ role: "pod", label: `app.kubernetes.io/name=${service},app.kubernetes.io/instance=observability` }] },
      ]);
      expect(j.relabel_configs).toContainEqual({ source_labels: ["__meta_kubernetes_pod_container_port_number"], action: "keep", regex: port });
    }
  });

  it("sends alerts to every Alertmanager replica", () => {
    expect(config.alerting.alertmanagers[0]).toMatchObject({ kubernetes_sd_configs: [{ role: "pod", selectors: [{ label: expect.stringContaining("app.kubernetes.io/name=alertmanager") }] }] });
  });

  it("has the Loki ruler send log-based alerts to every Alertmanager replica too", () => {
    const loki = parse(run.stack.files.find((f) => f.path === "loki/loki.yml")!.content) as { ruler: { alertmanager_url: string } };
    expect(loki.ruler.alertmanager_url.split(",")).toEqual([0, 1, 2].map((i) => `http://alertmanager-${i}.alertmanager-headless:9093`));
  });

  it("resolves the stack's names from the node namespace through ExternalName aliases (Promtail there pushes to loki)", async () => {
    const withPromtail = await runWith({ ...base, logAgent: "promtail" }, [], "prod");
    const alias = named(withPromtail, "kubernetes:core/v1:Service", "loki-alias").inputs as { metadata: { namespace: string }; spec: unknown };
    expect(alias.metadata.namespace).toBe("obs-node");
    expect(alias.spec).toEqual({ type: "ExternalName", externalName: "loki.obs.svc.cluster.local" });
  });
});

describe("the address people reach (Target.publicUrl) in Alertmanager's links", () => {
  const amLinks = async (values: Record<string, unknown>) => {
    const r = await runWith(values, [], "prod");
    return r.stack.files.filter((f) => f.path.startsWith("alertmanager/")).map((f) => f.content).join("\n");
  };

  it("is the ingress host on Kubernetes with an Ingress, the port-forward end without, the published port on Docker", async () => {
    const ingress = { ingressClass: "nginx", ingressDomain: "obs.example.com", tlsSecretName: "t" };
    expect(await amLinks({ target: "kubernetes", kubernetes: { ...ingress, ingressAuthAnnotations: AUTH } })).toContain("https://alertmanager.obs.example.com");
    // No authentication configured: Alertmanager gets no Ingress, so its links must not point at one.
    const unauthenticated = await amLinks({ target: "kubernetes", kubernetes: ingress });
    expect(unauthenticated).toContain("http://localhost:9093");
    expect(unauthenticated).not.toContain("alertmanager.obs.example.com");
    const noIngress = await amLinks({ target: "kubernetes" });
    expect(noIngress).toContain("http://localhost:9093");
    expect(noIngress).not.toContain("http://alertmanager:9093/#");
    expect(await amLinks({ target: "docker", docker: { bindAddress: "0.0.0.0" }, alertmanager: { hostPort: 19093 } })).toContain("http://localhost:19093");
    expect(await amLinks({ target: "docker", docker: { bindAddress: "10.0.0.5" } })).toContain("http://10.0.0.5:9093");
  });
});

describe("probes on Kubernetes: ready when it serves, alive while it works", () => {
  let run: ProgramRun;
  beforeAll(async () => {
    run = await runWith(base, [], "prod");
  });
  type Probe = { httpGet: { path: string; port: number } };
  const probesOf = (kind: string, name: string) => {
    const c = (templateOf(run, kind, name).spec.containers as unknown as { readinessProbe: Probe; livenessProbe: Probe }[])[0];
    return { ready: c.readinessProbe.httpGet, live: c.livenessProbe.httpGet };
  };

  it("keeps Prometheus and Alertmanager alive on /-/healthy while /-/ready waits (a long WAL replay is not a crash)", () => {
    expect(probesOf("StatefulSet", "prometheus")).toEqual({ ready: { path: "/-/ready", port: 9090 }, live: { path: "/-/healthy", port: 9090 } });
    expect(probesOf("StatefulSet", "alertmanager")).toEqual({ ready: { path: "/-/ready", port: 9093 }, live: { path: "/-/healthy", port: 9093 } });
  });

  it("probes kube-state-metrics as upstream does: /readyz on the telemetry port, /livez on the metrics port", () => {
    expect(probesOf("Deployment", "kube-state-metrics")).toEqual({ ready: { path: "/readyz", port: 8081 }, live: { path: "/livez", port: 8080 } });
  });

  it("uses the readiness endpoint for liveness where the service has no separate one", () => {
    expect(probesOf("StatefulSet", "loki")).toEqual({ ready: { path: "/ready", port: 3100 }, live: { path: "/ready", port: 3100 } });
  });
});

describe("Ingress: Grafana with its own login; Prometheus and Alertmanager only behind the controller's authentication", () => {
  const INGRESS = "kubernetes:networking.k8s.io/v1:Ingress";
  const POLICY = "kubernetes:networking.k8s.io/v1:NetworkPolicy";
  const ingressSettings = { namespace: "obs", ingressClass: "nginx", ingressDomain: "obs.example.com", tlsSecretName: "wildcard", ingressNamespace: "ingress" };
  type Ingress = { metadata: { name: string; annotations?: Record<string, string> }; spec: { ingressClassName: string; rules: { host: string }[] } };
  type Policy = { spec: { ingress: { from: { namespaceSelector?: { matchLabels?: Record<string, string> } }[]; ports: { port: number }[] }[] } };
  let open: ProgramRun;
  let authenticated: ProgramRun;
  beforeAll(async () => {
    open = await runWith({ ...base, kubernetes: ingressSettings }, [], "prod");
    authenticated = await runWith({ ...base, kubernetes: { ...ingressSettings, ingressAuthAnnotations: AUTH } }, [], "prod");
  });
  const ingresses = (run: ProgramRun) => ofType(run, INGRESS).map((r) => r.inputs as unknown as Ingress);
  /** Ports the ingress controller's namespace may reach on a service's pods. */
  const controllerPorts = (run: ProgramRun, service: string) =>
    (rawNamed(run, POLICY, `${service}-ingress-policy`) as unknown as Policy).spec.ingress
      .filter((r) => r.from.some((f) => f.namespaceSelector?.matchLabels?.["kubernetes.io/metadata.name"] === "ingress"))
      .flatMap((r) => r.ports.map((p) => p.port));
  const urls = (run: ProgramRun) => run.outputs.urls as Record<string, string>;
  const prometheusArgs = (run: ProgramRun) => templateOf(run, "StatefulSet", "prometheus").spec.containers[0].args ?? [];

  it("without authentication annotations: only Grafana gets an Ingress, the others stay behind port-forward", () => {
    expect(ingresses(open).map((i) => i.metadata.name)).toEqual(["grafana"]);
    expect(ingresses(open)[0].metadata.annotations).toBeUndefined();
    expect(urls(open)).toMatchObject({
      grafana: "https://grafana.obs.example.com",
      prometheus: "kubectl -n obs port-forward svc/prometheus 9090:9090",
      alertmanager: "kubectl -n obs port-forward svc/alertmanager 9093:9093",
    });
    expect(controllerPorts(open, "grafana")).toEqual([3000]);
    expect(controllerPorts(open, "prometheus")).toEqual([]);
    expect(controllerPorts(open, "alertmanager")).toEqual([]);
    expect(prometheusArgs(open)).toContain("--web.external-url=http://localhost:9090");
  });

  it("with them: Prometheus and Alertmanager get an Ingress carrying exactly those annotations; Grafana's is unchanged", () => {
    const byName = Object.fromEntries(ingresses(authenticated).map((i) => [i.metadata.name, i]));
    expect(Object.keys(byName).sort()).toEqual(["alertmanager", "grafana", "prometheus"]);
    expect(byName.prometheus.metadata.annotations).toEqual(AUTH);
    expect(byName.alertmanager.metadata.annotations).toEqual(AUTH);
    expect(byName.prometheus.spec.rules[0].host).toBe("prometheus.obs.example.com");
    expect(byName.grafana).toEqual(ingresses(open)[0]);
    expect(urls(authenticated)).toMatchObject({ prometheus: "https://prometheus.obs.example.com", alertmanager: "https://alertmanager.obs.example.com" });
    expect(controllerPorts(authenticated, "prometheus")).toEqual([9090]);
    expect(controllerPorts(authenticated, "alertmanager")).toEqual([9093]);
    // Alert "Source" links lead to the Ingress; the URL has no path, so the route prefix (which defaults to
    // it) stays / for the reloader and the probes.
    expect(prometheusArgs(authenticated)).toContain("--web.external-url=https://prometheus.obs.example.com");
    expect(prometheusArgs(authenticated).some((a) => a.startsWith("--web.route-prefix="))).toBe(false);
  });
});

describe("Prometheus' own address and disk on each target", () => {
  const promArgs = async (values: Record<string, unknown>) => {
    const run = await runWith(values, [], "prod");
    if (values.target === "kubernetes") return templateOf(run, "StatefulSet", "prometheus").spec.containers[0].args ?? [];
    return (rawNamed(run, "docker:index/container:Container", "prometheus") as { command?: string[] }).command ?? [];
  };
  const flag = (args: string[], name: string) => args.filter((a) => a.startsWith(`${name}=`)).map((a) => a.slice(name.length + 1));

  const retentionOf = async (values: Record<string, unknown>) => {
    const run = await runWith(values, [], "prod");
    const config = parse(run.stack.files.find((f) => f.path === "prometheus/prometheus.yml")!.content) as { storage: { tsdb: { retention: unknown } } };
    return config.storage.tsdb.retention;
  };

  // Prometheus 3.14 deprecates the --storage.tsdb.retention.* flags for prometheus.yml's storage.tsdb.retention.
  it("caps the TSDB at 85% of the PVC on Kubernetes (Prometheus' GB are GiB), and leaves Docker to time retention", async () => {
    expect(await retentionOf({ ...base, prometheus: { storageGi: 100 } })).toEqual({ time: "15d", size: "85GB" });
    expect(await retentionOf({ ...base, prometheus: { storageGi: 20 } })).toEqual({ time: "15d", size: "17GB" });
    expect(await retentionOf({ ...base, prometheus: { storageGi: 1, retention: "1d" } })).toEqual({ time: "1d", size: "870MB" });
    expect(await retentionOf({ target: "docker", prometheus: { storageGi: 100, retention: "30d" } })).toEqual({ time: "30d" });
  });

  it("passes no deprecated retention flag on either target", async () => {
    for (const values of [{ ...base }, { target: "docker" }]) {
      expect((await promArgs(values)).filter((a) => a.startsWith("--storage.tsdb.retention"))).toEqual([]);
    }
  });

  it("gives alert Source links the published address on Docker too, never a container name", async () => {
    const docker = await promArgs({ target: "docker", docker: { bindAddress: "10.0.0.5" }, prometheus: { hostPort: 19090 } });
    expect(flag(docker, "--web.external-url")).toEqual(["http://10.0.0.5:19090"]);
    // No path in any external URL: Prometheus' route prefix defaults to that path, and the reloader and probes use /.
    for (const url of [...flag(docker, "--web.external-url"), ...flag(await promArgs(base), "--web.external-url")]) expect([url, new URL(url).pathname]).toEqual([url, "/"]);
  });
});

describe("kubelet cAdvisor scrape TLS (kubernetes.kubeletTlsVerify)", () => {
  type Job = { job_name: string; scheme?: string; tls_config?: Record<string, unknown>; authorization?: Record<string, unknown>; kubernetes_sd_configs?: { role: string }[] };
  const cadvisorJob = async (kubernetes: Record<string, unknown>) => {
    const run = await runWith({ ...base, kubernetes: { namespace: "obs", ...kubernetes } }, [], "prod");
    const file = run.stack.files.find((f) => f.path === "prometheus/prometheus.yml");
    if (!file) throw new Error("no prometheus.yml rendered");
    return (parse(file.content) as { scrape_configs: Job[] }).scrape_configs.find((j) => j.job_name === "cadvisor")!;
  };

  it("skips verification by default (self-signed kubelet certificates on kubeadm/kind), still sending the token", async () => {
    const job = await cadvisorJob({});
    expect(job).toMatchObject({ scheme: "https", kubernetes_sd_configs: [{ role: "node" }] });
    expect(job.tls_config).toEqual({ insecure_skip_verify: true });
    expect(job.authorization).toEqual({ credentials_file: "/var/run/secrets/kubernetes.io/serviceaccount/token" });
  });

  it("verifies against the cluster CA when asked", async () => {
    const job = await cadvisorJob({ kubeletTlsVerify: true });
    expect(job.tls_config).toEqual({ ca_file: "/var/run/secrets/kubernetes.io/serviceaccount/ca.crt" });
    expect(job.authorization).toEqual({ credentials_file: "/var/run/secrets/kubernetes.io/serviceaccount/token" });
  });
});

describe("log agents' read positions on Kubernetes", () => {
  type Volume = { name: string; hostPath?: { path: string; type: string }; emptyDir?: object };
  const volumesOf = (run: ProgramRun, name: string) =>
    (rawNamed(run, "kubernetes:apps/v1:DaemonSet", name) as { spec: { template: { spec: { volumes: Volume[] } } } }).spec.template.spec.volumes;

  it("keeps Promtail's positions on the node's disk, so a rollout neither re-ships nor skips lines", async () => {
    const run = await runWith({ ...base, logAgent: "promtail" }, [], "prod");
    expect(volumesOf(run, "promtail").find((v) => v.name === "positions")).toEqual({
      name: "positions",
      hostPath: { path: "/var/lib/obs-node/promtail-positions", type: "DirectoryOrCreate" },
    });
  });

  it("keeps Alloy's (restricted namespace: no host paths) with the pod", async () => {
    const run = await runWith(base, [], "prod");
    expect(volumesOf(run, "alloy").find((v) => v.name === "data")).toEqual({ name: "data", emptyDir: {} });
  });
});
