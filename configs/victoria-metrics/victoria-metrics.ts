/**
 * VictoriaMetrics as the long-term store (metrics.longTerm): where Prometheus
 * writes and Grafana reads, and the flags each part runs with. URL layout and
 * flags from VictoriaMetrics' docs (docs.victoriametrics.com, "Single-node
 * version" and "Cluster version"): single node takes remote write at
 * `/api/v1/write` and serves PromQL at `/` (`/api/v1/query`); the cluster takes
 * writes at vminsert `/insert/<accountID>/prometheus/api/v1/write` and serves
 * PromQL at vmselect `/select/<accountID>/prometheus`.
 */
import { durationSeconds } from "../durations";
import { headlessServiceName, internalUrl, SERVICES } from "../topology";

export type VictoriaMetricsMode = "single" | "cluster";

/** The cluster's tenant (accountID) the stack writes and reads: one stack, one tenant. */
export const VM_TENANT = 0;

/** Where Prometheus remote-writes and where Grafana queries, inside the stack. */
export function victoriaMetricsUrls(mode: VictoriaMetricsMode): { readonly write: string; readonly query: string } {
  return mode === "single"
    ? { write: `${internalUrl("victoriaMetrics")}/api/v1/write`, query: internalUrl("victoriaMetrics") }
    : {
        write: `${internalUrl("vminsert")}/insert/${VM_TENANT}/prometheus/api/v1/write`,
        query: `${internalUrl("vmselect")}/select/${VM_TENANT}/prometheus`,
      };
}

/**
 * `-retentionPeriod` from a duration: VictoriaMetrics takes h, d, w, y suffixes
 * (a bare number means months), so whole days are written in days, the rest in hours.
 */
export function retentionPeriod(duration: string): string {
  const seconds = durationSeconds(duration);
  return seconds % 86400 === 0 ? `${seconds / 86400}d` : `${Math.ceil(seconds / 3600)}h`;
}

/** The shortest retention VictoriaMetrics accepts (lib/storage: retention below 1 day is refused). */
export const MIN_RETENTION_SECONDS = 86400;

/**
 * `-dedup.minScrapeInterval`: both replicas write every series; keeping one
 * sample per scrape interval leaves one copy (and, in cluster mode, folds the
 * replicationFactor copies vmselect reads back). Upstream: set it to the scrape interval.
 */
export function dedupFlag(scrapeInterval: string): string {
  return `-dedup.minScrapeInterval=${scrapeInterval}`;
}

/** vmstorage replica addresses on one of its ports, for `-storageNode` of vminsert/vmselect. */
export function storageNodes(replicas: number, port: number): string {
  const { name } = SERVICES.vmstorage;
  return Array.from({ length: replicas }, (_, i) => `${name}-${i}.${headlessServiceName(name)}:${port}`).join(",");
}

/** Smallest vmstorage count that keeps every sample readable and writable with replicationFactor-1 of them down. */
export function minStorageReplicas(replicationFactor: number): number {
  return 2 * replicationFactor - 1;
}
