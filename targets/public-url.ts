/**
 * The addresses people (and tools outside the stack) reach services at.
 * Pure functions of settings, so config checks, config builders and both
 * targets agree on one spelling.
 */
import { SERVICES } from "../configs/topology";

/** A port published on the Docker host. 0.0.0.0 (or ::) binds every interface; localhost reaches it from this machine. */
export function dockerPublishedUrl(bindAddress: string, hostPort: number): string {
  // 0.0.0.0 and :: bind every interface; an IPv6 address goes in brackets in a URL.
  const host = bindAddress === "0.0.0.0" || bindAddress === "::" ? "localhost" : bindAddress.includes(":") ? `[${bindAddress}]` : bindAddress;
  return `http://${host}:${hostPort}`;
}

/** The `kubernetes` settings that decide whether and how an Ingress serves a service. */
export interface IngressSettings {
  readonly ingressClass?: string;
  readonly ingressDomain?: string;
  readonly tlsSecretName?: string;
  /**
   * Annotations that make the ingress controller authenticate requests
   * (`kubernetes.ingressAuthAnnotations`). Services without a login of their
   * own get an Ingress only when these are set. Default: none.
   */
  readonly ingressAuthAnnotations?: Readonly<Record<string, string>>;
}

/**
 * Services with a login of their own (Grafana), which an Ingress may publish
 * as they are. Prometheus and Alertmanager have none: anyone who reaches them
 * can POST /-/quit (Prometheus runs with --web.enable-lifecycle for the
 * reloader), write samples to the remote-write/OTLP receivers, or silence
 * every alert, so they are published only behind the controller's auth.
 */
export const OWN_LOGIN_SERVICES: readonly string[] = [SERVICES.grafana.name];

/** The Ingress of a service's user-facing port: its URL and the annotations it carries. */
export interface PublishedIngress {
  readonly url: string;
  readonly annotations: Readonly<Record<string, string>>;
}

/**
 * Whether an Ingress publishes `service` (a service with a user-facing port),
 * and how: undefined without ingressClass + ingressDomain, and for a service
 * without its own login unless authentication annotations are configured.
 * The URL is `<service>.<ingressDomain>`, https when a TLS secret is set.
 */
export function ingressFor(ingress: IngressSettings, service: string): PublishedIngress | undefined {
  if (!ingress.ingressClass || !ingress.ingressDomain) return undefined;
  const ownLogin = OWN_LOGIN_SERVICES.includes(service);
  const auth = ingress.ingressAuthAnnotations ?? {};
  if (!ownLogin && Object.keys(auth).length === 0) return undefined;
  return {
    url: `${ingress.tlsSecretName ? "https" : "http"}://${service}.${ingress.ingressDomain}`,
    // Grafana keeps its own login; a second one in front would only get in the way.
    annotations: ownLogin ? {} : { ...auth },
  };
}

/** The Ingress URL of `service`; undefined when no Ingress publishes it (see ingressFor). */
export function ingressUrl(ingress: IngressSettings, service: string): string | undefined {
  return ingressFor(ingress, service)?.url;
}
