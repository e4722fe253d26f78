/**
 * External Grafana mode: where a Grafana outside the stack reaches the
 * datasources. It is not on the Docker network or in the cluster, so the
 * stack-internal names (`http://prometheus:9090`) do not resolve there; it
 * needs the addresses people use: `grafana.datasourceUrls.<name>` when set,
 * otherwise the service's published URL (the Docker host port; on
 * Kubernetes the Ingress, which of the four only Prometheus and Alertmanager
 * can have, and only behind `kubernetes.ingressAuthAnnotations`).
 */
import { type IngressSettings, type Publishing, publishedUrl as publishedUrlOf, USER_FACING_SERVICES } from "../addressing";
import { SERVICES } from "../topology";
import type { DatasourceUrls } from "./provisioning";

export type DatasourceName = keyof DatasourceUrls;
export const DATASOURCE_NAMES: readonly DatasourceName[] = ["prometheus", "loki", "tempo", "alertmanager"];

/** The parts of the stack settings that decide where services are published. */
export interface PublishedServices {
  readonly publishing: Publishing["publishing"];
  readonly docker: { readonly bindAddress: string };
  readonly kubernetes: IngressSettings;
  /** Docker host port of each datasource's service. */
  readonly hostPorts: Readonly<Record<DatasourceName, number>>;
  /** `grafana.datasourceUrls`: explicit URLs win. */
  readonly overrides: Readonly<Partial<Record<DatasourceName, string>>>;
}

/**
 * Datasources whose service has a `userFacing` port, so may get an Ingress on
 * Kubernetes (whether it does is `ingressUrl`'s call: only with authentication
 * annotations, as neither has a login of its own).
 */
export const INGRESS_SERVICES: readonly DatasourceName[] = DATASOURCE_NAMES.filter((n) => USER_FACING_SERVICES.includes(SERVICES[n].name));

/**
 * The URL an outside Grafana uses for each datasource (`urls`, set when all
 * four are known), and the ones nothing publishes, which config must name.
 */
export function externalDatasourceUrls(p: PublishedServices): { urls: DatasourceUrls | undefined; missing: DatasourceName[] } {
  const urls: Partial<Record<DatasourceName, string>> = {};
  const missing: DatasourceName[] = [];
  for (const name of DATASOURCE_NAMES) {
    const url = p.overrides[name] ?? publishedUrl(p, name);
    if (url === undefined) missing.push(name);
    else urls[name] = url.replace(/\/+$/, "");
  }
  return { urls: missing.length === 0 ? (urls as DatasourceUrls) : undefined, missing };
}

function publishedUrl(p: PublishedServices, name: DatasourceName): string | undefined {
  const service = SERVICES[name];
  return publishedUrlOf(p, service.name, { name: "http", port: service.ports.http, hostPort: p.hostPorts[name], userFacing: INGRESS_SERVICES.includes(name) });
}

/** The stack settings publishedServicesOf reads (a structural slice, so configs/ needs nothing from settings/). */
export interface PublishingSettings {
  readonly docker: PublishedServices["docker"];
  readonly kubernetes: IngressSettings;
  readonly prometheus: { readonly hostPort: number };
  readonly loki: { readonly hostPort: number };
  readonly tempo: { readonly hostPort: number };
  readonly alertmanager: { readonly hostPort: number };
  readonly grafana: { readonly datasourceUrls: PublishedServices["overrides"] };
}

/** PublishedServices from validated stack settings and the target's way of publishing (the checks and the stack read it the same way). */
export function publishedServicesOf(s: PublishingSettings, publishing: Publishing["publishing"]): PublishedServices {
  return {
    publishing,
    docker: s.docker,
    kubernetes: s.kubernetes,
    hostPorts: { prometheus: s.prometheus.hostPort, loki: s.loki.hostPort, tempo: s.tempo.hostPort, alertmanager: s.alertmanager.hostPort },
    overrides: s.grafana.datasourceUrls,
  };
}
