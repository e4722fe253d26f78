import type * as k8s from "@pulumi/kubernetes";
import { FLOWS, FlowSource, SERVICES, ServiceKey, STACK_INSTANCE } from "../../configs/topology";
import type { ServiceSpec } from "../target";

/** Labels every pod of the stack carries; NetworkPolicy peers select on them. */
export const NAME_LABEL = "app.kubernetes.io/name";
export const INSTANCE_LABEL = "app.kubernetes.io/instance";
export const INSTANCE = STACK_INSTANCE;
/** Set by the API server on every namespace (Kubernetes 1.22+), so it cannot be spoofed by a namespace owner. */
const NAMESPACE_NAME_LABEL = "kubernetes.io/metadata.name";

/** The topology key of a deployed service, by its DNS name. */
export function serviceKeyOf(name: string): ServiceKey | undefined {
  return (Object.keys(SERVICES) as ServiceKey[]).find((k) => SERVICES[k].name === name);
}

export interface PolicyContext {
  /** The stack's namespaces (main and node agents): peers of the stack live in one of them. */
  readonly stackNamespaces: readonly string[];
  /** Namespace of the ingress controller, or undefined when no Ingress is created. */
  readonly ingressNamespace?: string;
  /** Labels a namespace must carry for its pods to send OTLP to the collector (`kubernetes.otlpNamespaceLabels`). */
  readonly applicationNamespaceLabels: Readonly<Record<string, string>>;
}

export interface DerivedIngress {
  readonly rules: k8s.types.input.networking.v1.NetworkPolicyIngressRule[];
  /** `source: why, why` per rule, for the policy's annotation (review aid). */
  readonly reasons: string[];
}

/**
 * Ingress rules for one service, derived from the FLOWS table: each source
 * that opens connections to it, on the ports it actually exposes. With the
 * namespace's default-deny policy, everything else is refused.
 */
export function ingressRulesFor(spec: ServiceSpec, ctx: PolicyContext): DerivedIngress {
  const key = serviceKeyOf(spec.name);
  const exposed = new Set(spec.ports.map((p) => p.port));
  const bySource = new Map<FlowSource, { ports: Map<string, { port: number; protocol: string }>; why: string[] }>();
  for (const flow of FLOWS.filter((f) => key !== undefined && f.to === key)) {
    const entry = bySource.get(flow.from) ?? { ports: new Map<string, { port: number; protocol: string }>(), why: [] as string[] };
    let used = false;
    for (const port of flow.ports.filter((p) => exposed.has(p))) {
      for (const protocol of flow.protocols ?? ["TCP"]) {
        entry.ports.set(`${port}/${protocol}`, { port, protocol });
        used = true;
      }
    }
    if (!used) continue;
    if (!entry.why.includes(flow.why)) entry.why.push(flow.why);
    bySource.set(flow.from, entry);
  }
  const rules: k8s.types.input.networking.v1.NetworkPolicyIngressRule[] = [];
  const reasons: string[] = [];
  for (const [from, { ports, why }] of bySource) {
    rules.push({ from: [peerOf(from, ctx)], ports: [...ports.values()] });
    reasons.push(`${from === "applications" ? `applications (namespaces labelled ${labelList(ctx.applicationNamespaceLabels)})` : SERVICES[from].name}: ${why.join(", ")}`);
  }
  const userFacing = spec.ports.filter((p) => p.userFacing);
  if (ctx.ingressNamespace && userFacing.length > 0) {
    rules.push({
      from: [{ namespaceSelector: { matchLabels: { [NAMESPACE_NAME_LABEL]: ctx.ingressNamespace } } }],
      ports: userFacing.map((p) => ({ port: p.port, protocol: "TCP" })),
    });
    reasons.push(`ingress controller (namespace ${ctx.ingressNamespace}): user-facing`);
  }
  return { rules, reasons };
}

function peerOf(from: FlowSource, ctx: PolicyContext): k8s.types.input.networking.v1.NetworkPolicyPeer {
  // Applications run in the namespaces labelled for it; they only reach the collector's OTLP ports.
  if (from === "applications") return { namespaceSelector: { matchLabels: { ...ctx.applicationNamespaceLabels } } };
  return {
    namespaceSelector: { matchExpressions: [{ key: NAMESPACE_NAME_LABEL, operator: "In", values: [...ctx.stackNamespaces] }] },
    podSelector: { matchLabels: { [NAME_LABEL]: SERVICES[from].name, [INSTANCE_LABEL]: INSTANCE } },
  };
}

function labelList(labels: Readonly<Record<string, string>>): string {
  return Object.entries(labels).map(([k, v]) => `${k}=${v}`).join(",");
}

/** Services the given service connects to, by topology key (for name resolution from another namespace). */
export function peersOf(name: string): ServiceKey[] {
  const key = serviceKeyOf(name);
  return [...new Set(FLOWS.filter((f) => f.from === key && f.to !== key).map((f) => f.to))];
}

/** Where the cluster DNS runs (CoreDNS/kube-dns in every mainstream distribution). */
const DNS_NAMESPACE = "kube-system";
/** The API server's usual ports (443 behind the `kubernetes` Service, 6443 on the control plane itself). */
const API_SERVER_PORTS = [443, 6443];

/**
 * Egress rules for one service of the main namespace, or undefined where its connections cannot be listed
 * in advance (`spec.egress`: applications in any namespace, receivers anywhere). DNS, the peers it
 * connects to in the FLOWS table, and the API server when it calls the API (its address is not a pod,
 * so any address on the API server's ports). With the policy in place, everything else is refused.
 */
export function egressRulesFor(
  spec: ServiceSpec,
  ctx: { readonly stackNamespaces: readonly string[]; readonly callsApi: boolean },
): { rules: k8s.types.input.networking.v1.NetworkPolicyEgressRule[]; reasons: string[] } | undefined {
  if (spec.egress) return undefined;
  const key = serviceKeyOf(spec.name);
  const rules: k8s.types.input.networking.v1.NetworkPolicyEgressRule[] = [
    {
      to: [{ namespaceSelector: { matchLabels: { [NAMESPACE_NAME_LABEL]: DNS_NAMESPACE } } }],
      ports: [{ port: 53, protocol: "UDP" }, { port: 53, protocol: "TCP" }],
    },
  ];
  const reasons = ["DNS"];
  for (const flow of FLOWS.filter((f) => key !== undefined && f.from === key && f.to !== key)) {
    rules.push({
      to: [peerOf(flow.to, { ...ctx, applicationNamespaceLabels: {} })],
      ports: flow.ports.flatMap((port) => (flow.protocols ?? ["TCP"]).map((protocol) => ({ port, protocol }))),
    });
    reasons.push(`${SERVICES[flow.to].name}: ${flow.why}`);
  }
  if (ctx.callsApi) {
    rules.push({ to: [{ ipBlock: { cidr: "0.0.0.0/0" } }, { ipBlock: { cidr: "::/0" } }], ports: API_SERVER_PORTS.map((port) => ({ port, protocol: "TCP" })) });
    reasons.push("API server");
  }
  return { rules, reasons };
}
