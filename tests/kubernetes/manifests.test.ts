import { KUBE_STATE_METRICS_RESOURCES } from "../../components/exporters";
import { FLOWS, METRICS_PORTS, SERVICES, ServiceKey } from "../../configs/topology";
import { IMAGES } from "../../versions";
import { admits, Endpoint } from "./network";
import { fullManifests, Manifest, prodManifests, schemaProblems, workloads } from "./fixtures";
import { restrictedViolations } from "./pod-security";

const sets: [string, () => Promise<Manifest[]>][] = [
  ["render --stack prod", prodManifests],
  ["prod with ingress, promtail, exporters and receivers", fullManifests],
];

/** Pods that cannot meet `restricted`, and why: each needs the node (host namespaces, host paths) or root. */
const NODE_AGENTS: Record<string, RegExp> = {
  "node-exporter": /hostNetwork|hostPID|hostPath/,
  promtail: /hostPath|runAsNonRoot/,
};

describe.each(sets)("Kubernetes manifests: %s", (_name, load) => {
  let manifests: Manifest[];
  beforeAll(async () => {
    manifests = await load();
  });
  const ofKind = (kind: string) => manifests.filter((m) => m.kind === kind);
  const namespaces = () => ofKind("Namespace");
  const mainNs = () => namespaces().find((n) => n.metadata.labels?.["pod-security.kubernetes.io/enforce"] === "restricted")!.metadata.name;
  const nodeNs = () => namespaces().find((n) => n.metadata.labels?.["pod-security.kubernetes.io/enforce"] === "privileged")!.metadata.name;

  it("validates every manifest against the Kubernetes OpenAPI schema", () => {
    expect(manifests.length).toBeGreaterThan(40);
    expect(schemaProblems(manifests)).toEqual([]);
  });

  it("would notice a manifest the schema rejects (the validator is live)", () => {
    const statefulSet = manifests.find((m) => m.kind === "StatefulSet")!;
    const broken = { ...statefulSet, spec: { ...statefulSet.spec, replicas: "three" } };
    expect(schemaProblems([broken])).toEqual([expect.objectContaining({ kind: "StatefulSet", error: expect.stringContaining("replicas must be integer") })]);
  });

  it("carries no secret value: Secrets keep their keys with the render placeholder", () => {
    const text = JSON.stringify(manifests);
    for (const secret of ["123:abc", "postgres://u:p@db", '"pw"']) expect(text).not.toContain(secret);
    for (const s of ofKind("Secret")) {
      expect(Object.keys(s.stringData as object).length).toBeGreaterThan(0);
      for (const v of Object.values(s.stringData as object)) expect(v).toBe("REDACTED-BY-RENDER");
    }
  });

  it("gives every container requests (cpu, memory) and a memory limit", () => {
    for (const { m, pod } of workloads(manifests)) {
      for (const c of pod.containers) {
        expect({ at: `${m.metadata.name}/${c.name}`, requests: Object.keys(c.resources?.requests ?? {}).sort() }).toEqual({ at: `${m.metadata.name}/${c.name}`, requests: ["cpu", "memory"] });
        expect(c.resources?.limits?.memory).toMatch(/^\d+Mi$/);
        // The request never exceeds the limit, or the pod would not schedule.
        expect(parseInt(c.resources!.requests!.memory, 10)).toBeLessThanOrEqual(parseInt(c.resources!.limits!.memory, 10));
      }
    }
  });

  it("probes readiness and liveness of every container", () => {
    for (const { m, pod } of workloads(manifests)) {
      for (const c of pod.containers) {
        expect({ at: `${m.metadata.name}/${c.name}`, readiness: c.readinessProbe !== undefined, liveness: c.livenessProbe !== undefined }).toEqual({
          at: `${m.metadata.name}/${c.name}`,
          readiness: true,
          liveness: true,
        });
      }
    }
  });

  it("runs every container with all capabilities dropped, no privilege escalation, a read-only root and RuntimeDefault seccomp", () => {
    for (const { m, pod } of workloads(manifests)) {
      expect((pod.securityContext as { seccompProfile?: { type: string } }).seccompProfile?.type).toBe("RuntimeDefault");
      for (const c of pod.containers) {
        const sc = c.securityContext as { allowPrivilegeEscalation: boolean; readOnlyRootFilesystem: boolean; privileged: boolean };
        expect([m.metadata.name, c.name, c.securityContext?.capabilities]).toEqual([m.metadata.name, c.name, { drop: ["ALL"] }]);
        expect([m.metadata.name, c.name, sc.allowPrivilegeEscalation, sc.privileged, sc.readOnlyRootFilesystem]).toEqual([m.metadata.name, c.name, false, false, true]);
      }
    }
  });

  it("runs as non-root everywhere but Promtail, which reads host log files and lives in the node namespace", () => {
    for (const { m, pod } of workloads(manifests)) {
      for (const c of pod.containers) {
        const sc = c.securityContext as { runAsNonRoot: boolean; runAsUser: number };
        const rootAllowed = m.metadata.name === "promtail" && c.name === m.metadata.name;
        if (rootAllowed) expect(m.metadata.namespace).toBe(nodeNs());
        else expect([m.metadata.name, c.name, sc.runAsNonRoot, sc.runAsUser > 0]).toEqual([m.metadata.name, c.name, true, true]);
      }
    }
  });

  it("pins every image to a release from versions.ts", () => {
    const pinned = new Set<string>(Object.values(IMAGES));
    for (const { pod } of workloads(manifests)) {
      for (const c of pod.containers) {
        expect(pinned.has(c.image)).toBe(true);
        expect(c.image).toMatch(/:v?\d+\.\d+\.\d+$/);
        expect(c.image).not.toMatch(/:latest$/);
      }
    }
  });

  it("grants only read verbs (get, list, watch), never wildcards, and binds each role to its own service account", () => {
    const roles = [...ofKind("ClusterRole"), ...ofKind("Role")];
    expect(roles.length).toBeGreaterThan(0);
    for (const role of roles) {
      for (const rule of role.rules as { apiGroups?: string[]; resources?: string[]; nonResourceURLs?: string[]; verbs: string[] }[]) {
        for (const verb of rule.verbs) expect(["get", "list", "watch"]).toContain(verb);
        expect([...(rule.apiGroups ?? []), ...(rule.resources ?? []), ...(rule.nonResourceURLs ?? [])]).not.toContain("*");
        // nodes/proxy amounts to exec on every node; the kubelets' /metrics* paths need nodes/metrics only.
        expect(rule.resources ?? []).not.toContain("nodes/proxy");
        // Non-resource URLs: the API server's (and scheduler's, controller-manager's) /metrics, nothing else.
        if (rule.nonResourceURLs) expect({ role: role.metadata.name, urls: rule.nonResourceURLs, verbs: rule.verbs }).toEqual({ role: role.metadata.name, urls: ["/metrics"], verbs: ["get"] });
      }
    }
    const accounts = new Set(ofKind("ServiceAccount").map((sa) => `${sa.metadata.namespace}/${sa.metadata.name}`));
    for (const binding of ofKind("ClusterRoleBinding")) {
      const role = (binding.roleRef as { name: string }).name;
      // The one built-in role bound: TokenReview/SubjectAccessReview for kube-rbac-proxy in front of node-exporter.
      if (role === "system:auth-delegator") expect((binding.subjects as { name: string }[]).map((s) => s.name)).toEqual(["node-exporter"]);
      else expect(roles.map((r) => r.metadata.name)).toContain(role);
      for (const s of binding.subjects as { kind: string; name: string; namespace: string }[]) expect(accounts).toContain(`${s.namespace}/${s.name}`);
    }
    // The kubelet mounts no token on its own; the API token volume reaches only pods whose account is bound to a role.
    const readers = new Set(ofKind("ClusterRoleBinding").flatMap((b) => (b.subjects as { name: string }[]).map((s) => s.name)));
    for (const { pod } of workloads(manifests)) {
      expect([pod.serviceAccountName, pod.automountServiceAccountToken]).toEqual([pod.serviceAccountName, false]);
      const tokenMounted = pod.containers.some((c) => (c.volumeMounts ?? []).some((m) => m.mountPath === "/var/run/secrets/kubernetes.io/serviceaccount"));
      expect([pod.serviceAccountName, tokenMounted]).toEqual([pod.serviceAccountName, readers.has(pod.serviceAccountName!)]);
    }
  });

  it("lets kube-state-metrics list and watch exactly what it exports, and nothing secret", () => {
    const role = ofKind("ClusterRole").find((r) => r.metadata.name.endsWith("-kube-state-metrics-read"))!;
    const rules = role.rules as { apiGroups: string[]; resources: string[]; verbs: string[] }[];
    expect(rules.map((r) => [r.apiGroups, r.resources, r.verbs])).toEqual(Object.entries(KUBE_STATE_METRICS_RESOURCES).map(([g, rs]) => [[g], rs, ["list", "watch"]]));
    expect(rules.flatMap((r) => r.resources)).not.toEqual(expect.arrayContaining(["secrets"]));
    const ksm = workloads(manifests).find(({ m }) => m.metadata.name === "kube-state-metrics")!;
    const flag = ksm.pod.containers[0].args!.find((a) => a.startsWith("--resources="))!;
    expect(flag.slice("--resources=".length).split(",").sort()).toEqual(rules.flatMap((r) => r.resources).sort());
  });

  it("puts every pod that can meet the restricted Pod Security Standard in the restricted namespace", () => {
    expect(namespaces().map((n) => n.metadata.labels?.["pod-security.kubernetes.io/enforce"]).sort()).toEqual(["privileged", "restricted"]);
    for (const { m, pod } of workloads(manifests)) {
      const violations = restrictedViolations(pod);
      if (m.metadata.namespace === mainNs()) {
        expect([m.metadata.name, violations]).toEqual([m.metadata.name, []]);
      } else {
        // The privileged namespace holds only what has to be there, for the reason it has to.
        expect(m.metadata.namespace).toBe(nodeNs());
        expect(NODE_AGENTS[m.metadata.name]).toBeDefined();
        expect(violations.join("; ")).toMatch(NODE_AGENTS[m.metadata.name]);
      }
    }
  });

  it("keeps every non-node workload restricted-clean (the checker itself catches a root, host-network pod)", () => {
    const bad = { hostNetwork: true, securityContext: {}, containers: [{ name: "x", image: "x:1.0.0", securityContext: { runAsUser: 0 } }], volumes: [{ name: "h", hostPath: { path: "/" } }] };
    const found = restrictedViolations(bad).join("; ");
    for (const expected of ["hostNetwork", "hostPath", "runAsNonRoot", "runAsUser 0", "allowPrivilegeEscalation", "seccomp", "ALL"]) expect(found).toContain(expected);
  });

  it("keeps every ConfigMap and Secret under the API server's 1 MiB limit", () => {
    for (const m of [...ofKind("ConfigMap"), ...ofKind("Secret")]) {
      const data = { ...(m.data as object), ...(m.stringData as object) };
      const bytes = Object.entries(data).reduce((n, [k, v]) => n + Buffer.byteLength(k) + Buffer.byteLength(String(v)), 0);
      expect([m.metadata.name, bytes < 1024 * 1024]).toEqual([m.metadata.name, true]);
    }
  });

  it("budgets disruptions for every replicated workload and only those", () => {
    const replicated = workloads(manifests)
      .filter(({ m }) => m.kind !== "DaemonSet" && ((m.spec as { replicas?: number }).replicas ?? 1) > 1)
      .map(({ m }) => m.metadata.name)
      .sort();
    const pdbs = ofKind("PodDisruptionBudget");
    expect(pdbs.map((p) => p.metadata.name).sort()).toEqual(replicated);
    for (const p of pdbs) expect(p.spec).toMatchObject({ maxUnavailable: 1, selector: { matchLabels: { "app.kubernetes.io/name": p.metadata.name } } });
  });

  describe("network policies", () => {
    const policies = () => ofKind("NetworkPolicy");
    const pods = () => new Map(workloads(manifests).map(({ m, labels }) => [m.metadata.name, { namespace: m.metadata.namespace!, labels } as Endpoint]));
    const pod = (key: ServiceKey) => pods().get(SERVICES[key].name);
    // An application namespace labelled for OTLP (kubernetes.otlpNamespaceLabels' default).
    const app: Endpoint = { namespace: "tutordex", namespaceLabels: { "observability/otlp": "enabled" }, labels: { app: "backend" } };

    it("deny ingress by default in both namespaces", () => {
      for (const ns of [mainNs(), nodeNs()]) {
        expect(policies().find((p) => p.metadata.namespace === ns && p.metadata.name === "default-deny-ingress")?.spec).toEqual({ podSelector: {}, policyTypes: ["Ingress"] });
      }
    });

    it("admit every connection of the FLOWS table between deployed pieces", () => {
      let checked = 0;
      for (const flow of FLOWS) {
        const to = pod(flow.to);
        const from = flow.from === "applications" ? app : pod(flow.from);
        if (!to || !from) continue;
        const exposed = workloads(manifests).find(({ m }) => m.metadata.name === SERVICES[flow.to].name)!.pod.containers[0].ports!.map((p) => p.containerPort);
        for (const port of flow.ports.filter((p) => exposed.includes(p))) {
          for (const protocol of flow.protocols ?? ["TCP"]) {
            expect([flow.from, flow.to, port, protocol, admits(policies(), from, to, port, protocol)]).toEqual([flow.from, flow.to, port, protocol, true]);
            checked++;
          }
        }
      }
      expect(checked).toBeGreaterThan(15);
    });

    it("refuse what the table does not list", () => {
      const refused: [Endpoint, ServiceKey, number][] = [
        [app, "prometheus", SERVICES.prometheus.ports.http],
        [app, "loki", SERVICES.loki.ports.http],
        [app, "alertmanager", SERVICES.alertmanager.ports.http],
        [app, "otelCollector", SERVICES.otelCollector.ports.metrics],
        // OTLP from a namespace not labelled for it (kubernetes.otlpNamespaceLabels).
        [{ namespace: "other", labels: { app: "backend" } }, "otelCollector", SERVICES.otelCollector.ports.otlpGrpc],
        [pod("otelCollector")!, "grafana", SERVICES.grafana.ports.http],
        [pod("blackboxExporter")!, "prometheus", SERVICES.prometheus.ports.http],
        [pod("kubeStateMetrics")!, "loki", SERVICES.loki.ports.http],
        // Same labels in a foreign namespace are not the stack's Grafana.
        [{ namespace: "tutordex", labels: pod("grafana")!.labels }, "prometheus", SERVICES.prometheus.ports.http],
      ];
      for (const [from, to, port] of refused) expect([from.labels, to, admits(policies(), from, pod(to)!, port)]).toEqual([from.labels, to, false]);
    });

    it("let Prometheus scrape every piece on its metrics port", () => {
      for (const [name, to] of pods()) {
        const key = (Object.keys(SERVICES) as ServiceKey[]).find((k) => SERVICES[k].name === name)!;
        if (key === "prometheus") continue;
        expect([name, admits(policies(), pod("prometheus")!, to, METRICS_PORTS[key])]).toEqual([name, true]);
      }
    });

    it("let the ingress controller reach user-facing ports only when an Ingress exists", () => {
      const ingresses = ofKind("Ingress");
      const controller = (ns: string): Endpoint => ({ namespace: ns, labels: { "app.kubernetes.io/name": "ingress-nginx" } });
      const grafana = pod("grafana")!;
      if (ingresses.length === 0) {
        expect(admits(policies(), controller("ingress-nginx"), grafana, SERVICES.grafana.ports.http)).toBe(false);
      } else {
        expect(admits(policies(), controller("ingress"), grafana, SERVICES.grafana.ports.http)).toBe(true);
        expect(admits(policies(), controller("elsewhere"), grafana, SERVICES.grafana.ports.http)).toBe(false);
        // Not a user-facing port: the collector's OTLP is for applications, not the ingress.
        expect(admits(policies(), controller("ingress"), pod("loki")!, SERVICES.loki.ports.http)).toBe(false);
      }
      // Whatever the shape: the controller reaches exactly the services an Ingress serves.
      for (const key of ["grafana", "prometheus", "alertmanager"] as const) {
        const served = ingresses.some((i) => i.metadata.name === SERVICES[key].name);
        const reached = ["ingress", "ingress-nginx"].some((ns) => admits(policies(), controller(ns), pod(key)!, SERVICES[key].ports.http));
        expect([key, reached]).toEqual([key, served]);
      }
    });
  });
});
