/**
 * The addresses people (and tools outside the stack) reach services at, on
 * both targets: which services are user-facing, which get an Ingress, and
 * each published URL. Pure functions of settings, so config checks, config
 * builders (external Grafana, notification links) and both targets agree on
 * one spelling. Addresses inside the stack are configs/topology.ts's
 * (`internalUrl`, `internalAddress`).
 */
import type { PlatformProfile } from "./platform";
import { SERVICES } from "./topology";

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
  /** ClusterIssuer cert-manager issues each Ingress host's certificate from (alternative to tlsSecretName). */
  readonly certManagerClusterIssuer?: string;
}

/** Whether the Ingresses serve https: a TLS Secret is configured, or cert-manager issues one per host. */
export function ingressTls(ingress: IngressSettings): boolean {
  return ingress.tlsSecretName !== undefined || ingress.certManagerClusterIssuer !== undefined;
}

const NGINX = "nginx.ingress.kubernetes.io/";
const TRAEFIK_MIDDLEWARES = "traefik.ingress.kubernetes.io/router.middlewares";
/** A Traefik middleware reference: `<namespace>-<name>@kubernetescrd`, comma-separated. */
const TRAEFIK_MIDDLEWARE_RE = /^[a-z0-9]([-a-z0-9]*[a-z0-9])?@kubernetescrd(\s*,\s*[a-z0-9]([-a-z0-9]*[a-z0-9])?@kubernetescrd)*$/;

/** The authentication schemes the program recognises in `kubernetes.ingressAuthAnnotations`, as the user reads them. */
export const RECOGNISED_INGRESS_AUTH: readonly string[] = [
  `ingress-nginx basic/digest auth: ${NGINX}auth-type (basic or digest) + ${NGINX}auth-secret`,
  `ingress-nginx external auth (e.g. oauth2-proxy): ${NGINX}auth-url + ${NGINX}auth-signin (http(s) URLs)`,
  `Traefik: ${TRAEFIK_MIDDLEWARES} naming your authentication middleware (<namespace>-<name>@kubernetescrd)`,
];

/**
 * Which recognised authentication the annotations configure, or undefined. A map of annotations that
 * merely exists (a whitelist, a rate limit, a typo in a key) authenticates nobody; for a controller the
 * program cannot inspect, `kubernetes.ingressAuthAcknowledged` says the operator checked it.
 */
export function recognisedIngressAuth(annotations: Readonly<Record<string, string>>): string | undefined {
  const a = (k: string) => annotations[k]?.trim() ?? "";
  const url = (v: string) => /^https?:\/\/\S+$/.test(v);
  if (["basic", "digest"].includes(a(`${NGINX}auth-type`)) && a(`${NGINX}auth-secret`) !== "") return `ingress-nginx ${a(`${NGINX}auth-type`)} auth`;
  if (url(a(`${NGINX}auth-url`)) && url(a(`${NGINX}auth-signin`))) return "ingress-nginx external auth";
  if (TRAEFIK_MIDDLEWARE_RE.test(a(TRAEFIK_MIDDLEWARES))) return "Traefik middleware";
  return undefined;
}

/**
 * Services with a login of their own (Grafana), which an Ingress may publish
 * as they are. Prometheus and Alertmanager have none: anyone who reaches them
 * can POST /-/quit (Prometheus runs with --web.enable-lifecycle for the
 * reloader), write samples to the remote-write/OTLP receivers, or silence
 * every alert, so they are published only behind the controller's auth.
 */
export const OWN_LOGIN_SERVICES: readonly string[] = [SERVICES.grafana.name];

/**
 * Services whose `http` port people use from outside the stack (browsers,
 * curl, an external Grafana): published on the Docker host, and the only
 * candidates for an Ingress on Kubernetes (ingressFor decides which get one).
 */
export const USER_FACING_SERVICES: readonly string[] = [SERVICES.prometheus.name, SERVICES.alertmanager.name, SERVICES.grafana.name];

/** Where stack settings say services are published (a structural slice of the settings, and the platform's way). */
export interface Publishing {
  /** The target's profile: host ports or Ingress. */
  readonly publishing: PlatformProfile["publishing"];
  readonly docker: { readonly bindAddress: string };
  readonly kubernetes: IngressSettings;
}

/** A service port, as far as publishing goes (targets/target.ts's ServicePort fits). */
export interface PublishablePort {
  readonly name: string;
  readonly port: number;
  readonly hostPort?: number;
  readonly userFacing?: boolean;
}

/**
 * The URL that publishes `service`'s `port` outside the stack, or undefined
 * when nothing does: on Docker its host port, on Kubernetes the Ingress of a
 * user-facing port (ingressFor).
 */
export function publishedUrl(p: Publishing, service: string, port: PublishablePort): string | undefined {
  if (p.publishing === "host-ports") return port.hostPort === undefined ? undefined : dockerPublishedUrl(p.docker.bindAddress, port.hostPort);
  return port.userFacing ? ingressUrl(p.kubernetes, service) : undefined;
}

/**
 * The URL a person uses for `service`'s `port`: the published one; on
 * Kubernetes without an Ingress, the local end of `kubectl port-forward`
 * (the stack outputs say how). A Docker port without a host port has none.
 */
export function publicUrl(p: Publishing, service: string, port: PublishablePort): string {
  const url = publishedUrl(p, service, port);
  if (url !== undefined) return url;
  if (p.publishing === "host-ports") throw new Error(`service ${service} publishes no port named ${port.name}`);
  return `http://localhost:${port.port}`;
}

/**
 * Grafana's public root URL when an Ingress serves it (Kubernetes with
 * ingressClass and ingressDomain): redirects and links use it, and with TLS
 * the session cookie is Secure. Undefined otherwise (the published port).
 */
export function grafanaRootUrl(p: Publishing): string | undefined {
  const url = p.publishing === "ingress" ? ingressUrl(p.kubernetes, SERVICES.grafana.name) : undefined;
  return url && `${url}/`;
}

/** The Ingress of a service's user-facing port: its URL and the annotations it carries. */
export interface PublishedIngress {
  readonly url: string;
  readonly annotations: Readonly<Record<string, string>>;
}

/**
 * Whether an Ingress publishes `service` (a service with a user-facing port),
 * and how: undefined without ingressClass + ingressDomain, and for a service
 * without its own login unless authentication annotations are configured.
 * The URL is `<service>.<ingressDomain>`, https when TLS is configured (ingressTls).
 */
export function ingressFor(ingress: IngressSettings, service: string): PublishedIngress | undefined {
  if (!ingress.ingressClass || !ingress.ingressDomain) return undefined;
  const ownLogin = OWN_LOGIN_SERVICES.includes(service);
  const auth = ingress.ingressAuthAnnotations ?? {};
  if (!ownLogin && Object.keys(auth).length === 0) return undefined;
  return {
    url: `${ingressTls(ingress) ? "https" : "http"}://${service}.${ingress.ingressDomain}`,
    // Grafana keeps its own login; a second one in front would only get in the way.
    annotations: ownLogin ? {} : { ...auth },
  };
}

/** The Ingress URL of `service`; undefined when no Ingress publishes it (see ingressFor). */
export function ingressUrl(ingress: IngressSettings, service: string): string | undefined {
  return ingressFor(ingress, service)?.url;
}
