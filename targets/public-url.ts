/**
 * The addresses people (and tools outside the stack) reach services at.
 * Pure functions of settings, so config checks, config builders and both
 * targets agree on one spelling.
 */

/** A port published on the Docker host. 0.0.0.0 binds every interface; localhost reaches it from this machine. */
export function dockerPublishedUrl(bindAddress: string, hostPort: number): string {
  const host = bindAddress === "0.0.0.0" ? "localhost" : bindAddress;
  return `http://${host}:${hostPort}`;
}

/** The `kubernetes` settings that decide whether and how an Ingress serves a service. */
export interface IngressSettings {
  readonly ingressClass?: string;
  readonly ingressDomain?: string;
  readonly tlsSecretName?: string;
}

/** `<service>.<ingressDomain>`, https when a TLS secret is set; undefined when no Ingress is configured. */
export function ingressUrl(ingress: IngressSettings, service: string): string | undefined {
  if (!ingress.ingressClass || !ingress.ingressDomain) return undefined;
  return `${ingress.tlsSecretName ? "https" : "http"}://${service}.${ingress.ingressDomain}`;
}
