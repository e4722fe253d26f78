import type { Manifest } from "./fixtures";

/** A pod as NetworkPolicies see it: namespace (with its labels) and pod labels. */
export interface Endpoint {
  readonly namespace: string;
  /** Labels of the namespace besides `kubernetes.io/metadata.name`, which the API server sets. */
  readonly namespaceLabels?: Readonly<Record<string, string>>;
  readonly labels: Readonly<Record<string, string>>;
}

type Selector = { matchLabels?: Record<string, string>; matchExpressions?: { key: string; operator: string; values?: string[] }[] };
type Peer = { namespaceSelector?: Selector; podSelector?: Selector; ipBlock?: unknown };
type Rule = { from?: Peer[]; ports?: { port?: number | string; protocol?: string }[] };

function matches(sel: Selector | undefined, labels: Readonly<Record<string, string>>): boolean {
  if (!sel) return true;
  for (const [k, val] of Object.entries(sel.matchLabels ?? {})) if (labels[k] !== val) return false;
  for (const e of sel.matchExpressions ?? []) {
    const has = e.key in labels;
    const value = labels[e.key];
    if (e.operator === "In" && !(has && e.values?.includes(value))) return false;
    if (e.operator === "NotIn" && has && e.values?.includes(value)) return false;
    if (e.operator === "Exists" && !has) return false;
    if (e.operator === "DoesNotExist" && has) return false;
  }
  return true;
}

/**
 * Whether `from` may open a connection to `to` on `port/protocol` under the
 * given NetworkPolicies (ingress semantics of networking.k8s.io/v1): a pod
 * selected by no ingress policy accepts everything; a selected pod accepts
 * what any selecting policy's rule admits. Namespace labels are the API
 * server's `kubernetes.io/metadata.name`.
 */
export function admits(policies: readonly Manifest[], from: Endpoint, to: Endpoint, port: number, protocol = "TCP"): boolean {
  const nsLabels = (ns: string) => ({ ...(ns === from.namespace ? from.namespaceLabels : {}), "kubernetes.io/metadata.name": ns });
  const selecting = policies.filter((p) => {
    const spec = p.spec as { podSelector: Selector; policyTypes?: string[] };
    return p.metadata.namespace === to.namespace && (spec.policyTypes ?? ["Ingress"]).includes("Ingress") && matches(spec.podSelector, to.labels);
  });
  if (selecting.length === 0) return true;
  return selecting.some((p) =>
    ((p.spec as { ingress?: Rule[] }).ingress ?? []).some((rule) => {
      const portOk = !rule.ports || rule.ports.some((rp) => (rp.port === undefined || rp.port === port) && (rp.protocol ?? "TCP") === protocol);
      const peerOk =
        !rule.from ||
        rule.from.some((peer) => {
          if (peer.ipBlock) return false;
          const nsOk = peer.namespaceSelector ? matches(peer.namespaceSelector, nsLabels(from.namespace)) : from.namespace === p.metadata.namespace;
          return nsOk && matches(peer.podSelector, from.labels);
        });
      return portOk && peerOk;
    }),
  );
}
