/**
 * The stack's namespaces on Kubernetes (pure: the stack's Prometheus config
 * needs them too, without the provider SDK).
 */
export interface NamespaceSettings {
  readonly namespace: string;
  readonly nodeNamespace?: string;
}

/** Namespace of the node agents that need the host: `<namespace>-node` unless configured. */
export function nodeNamespaceOf(s: NamespaceSettings): string {
  return s.nodeNamespace ?? `${s.namespace}-node`;
}

/** Both namespaces, main first: where Prometheus looks for the stack's own pods. */
export function stackNamespaces(s: NamespaceSettings): string[] {
  return [s.namespace, nodeNamespaceOf(s)];
}
