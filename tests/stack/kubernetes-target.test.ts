import type { ProgramRun } from "../../render/run";
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
    expect(names("Deployment")).toEqual(["blackbox-exporter", "otel-collector"]);
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
        expect(w.metadata.namespace).toBe("obs");
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
    for (const name of ["prometheus-discovery", "alloy-discovery"]) {
      for (const rule of rules(name)) for (const verb of rule.verbs) expect(["get", "list", "watch"]).toContain(verb);
    }
    expect(ofType(run, "kubernetes:rbac.authorization.k8s.io/v1:ClusterRole").map((r) => r.name).sort()).toEqual(["alloy-discovery", "prometheus-discovery"]);
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
