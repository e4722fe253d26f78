/**
 * Kubernetes RBAC is built from what each component declares it reads from the API
 * (`ServiceSpec.apiRead`): Prometheus' discovery, the log agents' pod discovery,
 * kube-state-metrics' objects. The target keeps no list of its own.
 */
import { parse } from "yaml";
import { renderRun } from "../../render/render";
import type { ApiReadRule } from "../../targets/target";
import { runWith } from "../stack/harness";
import type { Manifest } from "./fixtures";

/** A declared rule as the ClusterRole must spell it. */
const asPolicyRule = (r: ApiReadRule) =>
  "nonResourceURLs" in r ? { nonResourceURLs: r.nonResourceURLs, verbs: r.verbs } : { apiGroups: [r.apiGroup], resources: r.resources, verbs: r.verbs };

describe.each(["alloy", "promtail"])("Kubernetes RBAC with %s", (logAgent) => {
  let declared: { service: string; rules: unknown[] }[];
  let manifests: Manifest[];
  beforeAll(async () => {
    const run = await runWith({ target: "kubernetes", logAgent }, [], "prod");
    declared = run.stack.components
      .filter((c) => (c.spec.apiRead ?? []).length > 0)
      .map((c) => ({ service: c.spec.name, rules: (c.spec.apiRead ?? []).map(asPolicyRule) }));
    manifests = renderRun(run, "prod")
      .filter((f) => f.path.startsWith("kubernetes/"))
      .map((f) => parse(f.content) as Manifest);
  });
  const service = (m: Manifest) => m.metadata.labels?.["app.kubernetes.io/name"];
  const byService = (a: { service?: string }, b: { service?: string }) => String(a.service).localeCompare(String(b.service));

  it("Prometheus, the log agent and kube-state-metrics declare what they read", () => {
    expect(declared.map((d) => d.service).sort()).toEqual([logAgent, "kube-state-metrics", "prometheus"].sort());
  });

  it("gives each declaring component one ClusterRole with exactly its declared rules, in its order; no other component gets one", () => {
    const roles = manifests.filter((m) => m.kind === "ClusterRole").map((m) => ({ service: service(m), rules: m.rules }));
    expect(roles.sort(byService)).toEqual([...declared].sort(byService));
  });

  it("binds each such role to the component's own service account and nothing else", () => {
    for (const role of manifests.filter((m) => m.kind === "ClusterRole")) {
      const bindings = manifests.filter((m) => m.kind === "ClusterRoleBinding" && (m.roleRef as { name: string }).name === role.metadata.name);
      expect(bindings.map((b) => (b.subjects as { kind: string; name: string }[]).map((s) => `${s.kind}/${s.name}`))).toEqual([[`ServiceAccount/${service(role)}`]]);
    }
  });
});
