/**
 * Which alerts of the catalog read which TutorDex service's metrics, so that
 * Alertmanager can let a service's ServiceDown mute the alerts that depend on
 * it (configs/alertmanager/alertmanager.ts, inhibition). Derived from the
 * rules themselves, not listed by hand: every metric an alert selects,
 * directly or through recording rules, is looked up in the metrics contract,
 * whose `component` names the service exporting it. A new alert on worker
 * metrics is therefore muted with the worker without anyone remembering to.
 *
 * Parses the catalog's PromQL with the official grammar, or takes what the
 * build recorded the grammar to say about it (./grammars); no other I/O.
 */
import { grammar, knownSelectedMetrics } from "./grammars";
import { DEFAULT_THRESHOLDS } from "./thresholds";
import { METRICS_CONTRACT, type MetricSpec } from "./metrics-contract";
import { RULE_PACKS, isAlertRule, ruleCatalog } from "./index";
import type { RuleCatalogOptions, RulePlatform } from "./types";

/**
 * A TutorDex service that exports contract metrics (the contract's `all` means
 * "every service" and decides nothing). The other teams' services (scheduler,
 * ai, product) have alerts that are all per `job`, so ServiceDown's per-job
 * inhibition already covers them.
 */
export type ExportingService = Exclude<MetricSpec["component"], "all" | "scheduler" | "ai" | "product">;
export const EXPORTING_SERVICES: readonly ExportingService[] = ["collector", "worker", "backend"];
const isExportingService = (c: string): c is ExportingService => (EXPORTING_SERVICES as readonly string[]).includes(c);

/** Metric names a PromQL expression selects (vector and matrix selectors). */
export function selectedMetricNames(expr: string): string[] {
  // What the build found this very expression to select (./grammars).
  const known = knownSelectedMetrics(expr);
  if (known) return [...known];
  const names = new Set<string>();
  grammar("promql").parse(expr).iterate({
    enter(n) {
      if (n.name !== "VectorSelector") return;
      const id = n.node.getChild("Identifier");
      if (id) names.add(expr.slice(id.from, id.to));
    },
  });
  return [...names];
}

/** Contract name of a selected series (a histogram's `_bucket`/`_count`/`_sum` belong to the histogram). */
function contractEntry(name: string): MetricSpec | undefined {
  const direct = METRICS_CONTRACT.find((m) => m.name === name);
  if (direct) return direct;
  const base = name.replace(/_(bucket|count|sum)$/, "");
  return METRICS_CONTRACT.find((m) => m.name === base && m.type === "histogram");
}

/**
 * Alert name -> services whose metrics it reads, for every alert `o` renders
 * (Watchdog and ServiceDown excluded: they read no service's metrics). Alerts
 * reading only exporter metrics map to an empty list.
 */
export function alertServices(o: RuleCatalogOptions): Map<string, ExportingService[]> {
  const rules = ruleCatalog(o).flatMap((f) => f.groups.flatMap((g) => g.rules));
  // recording rule -> services, to a fixed point (recording rules read each other and themselves)
  const recorded = new Map<string, Set<ExportingService>>();
  const servicesOf = (expr: string): Set<ExportingService> => {
    const out = new Set<ExportingService>();
    for (const m of selectedMetricNames(expr)) {
      const c = contractEntry(m)?.component;
      if (c && isExportingService(c)) out.add(c);
      for (const s of recorded.get(m) ?? []) out.add(s);
    }
    return out;
  };
  for (let changed = true; changed; ) {
    changed = false;
    for (const r of rules) {
      if (isAlertRule(r)) continue;
      const before = recorded.get(r.record) ?? new Set<ExportingService>();
      const after = new Set([...before, ...servicesOf(r.expr)]);
      if (after.size !== before.size) changed = true;
      recorded.set(r.record, after);
    }
  }
  const out = new Map<string, ExportingService[]>();
  for (const r of rules) {
    if (!isAlertRule(r) || r.alert === "Watchdog" || r.alert === "ServiceDown") continue;
    const services = new Set([...(out.get(r.alert) ?? []), ...servicesOf(r.expr)]);
    out.set(r.alert, EXPORTING_SERVICES.filter((s) => services.has(s)));
  }
  return out;
}

/**
 * Options rendering every alert the catalog can emit (all packs, CollectorStalled
 * on). No SLOs: SLO burn alerts measure what users see and stay unmuted when the
 * service behind them is down. Alert names and the metrics they read do not
 * depend on thresholds or platform-specific exporter series.
 */
const EVERY_ALERT: RuleCatalogOptions = {
  packs: RULE_PACKS,
  thresholds: DEFAULT_THRESHOLDS,
  runbookBaseUrl: "runbooks",
  collectorStalledEnabled: true,
  evaluationInterval: "30s",
};

/** Every platform-dependent source on (a cluster's, as the Kubernetes target's profile has them): every alert that can read the API. */
const EVERY_SOURCE: RulePlatform = { containerMetrics: "kubelet", objectState: true, clusterComponents: true };

/** Service -> alerts that read its metrics, in catalog order: what that service's ServiceDown mutes (when the alert has no `job`). */
export function serviceDependents(o: RuleCatalogOptions = EVERY_ALERT): Record<ExportingService, string[]> {
  const out: Record<ExportingService, string[]> = { collector: [], worker: [], backend: [] };
  for (const [alert, services] of alertServices(o)) for (const s of services) out[s].push(alert);
  return out;
}

/**
 * Alerts of the Kubernetes catalog that read the Kubernetes API, directly
 * (`apiserver_*`) or through kube-state-metrics (`kube_*`, which lists and
 * watches the API), through recording rules too: what KubeAPIDown mutes.
 * Derived from the expressions like `serviceDependents`, so a new alert on
 * kube-state-metrics is muted with the API without anyone remembering to.
 */
export function apiDependents(o: RuleCatalogOptions = { ...EVERY_ALERT, platform: EVERY_SOURCE }): string[] {
  const readsApi = (metric: string): boolean => metric.startsWith("kube_") || metric.startsWith("apiserver_");
  const rules = ruleCatalog(o).flatMap((f) => f.groups.flatMap((g) => g.rules));
  const recorded = new Set<string>();
  const reads = (expr: string): boolean => selectedMetricNames(expr).some((m) => readsApi(m) || recorded.has(m));
  for (let changed = true; changed; ) {
    changed = false;
    for (const r of rules) {
      if (!isAlertRule(r) && !recorded.has(r.record) && reads(r.expr)) {
        recorded.add(r.record);
        changed = true;
      }
    }
  }
  return [...new Set(rules.filter(isAlertRule).filter((a) => a.alert !== "KubeAPIDown" && reads(a.expr)).map((a) => a.alert))];
}
