/**
 * Dashboards as Grafana receives them, the same for file provisioning (the
 * container reads `grafana/dashboards/<file>.json`) and for an external
 * Grafana (the provider posts the same JSON): which folder each goes to, and
 * the one normalisation a dashboard exported "for sharing externally" needs.
 *
 * Render keeps the flat `grafana/dashboards/*.json` layout of DESIGN.md; the
 * folder only decides where the file is mounted inside the container (one
 * file provider per folder, see provisioning.ts) or which Folder resource the
 * external dashboard is created in.
 */
import * as fs from "fs";
import * as path from "path";
import type { ConfigFile } from "../files";
import type { PlatformProfile } from "../platform";
import { ProblemListError } from "../problem-list";
import type { KubernetesRuleOptions } from "../prometheus/rules/types";
import { DATASOURCE_UIDS } from "../topology";

/** A Grafana folder: fixed uid so links and the external Grafana agree. */
export interface GrafanaFolder {
  readonly uid: string;
  readonly title: string;
  /** A dashboard carrying any of these tags goes here (first folder in FOLDERS order wins). */
  readonly tags: readonly string[];
}

/**
 * Folders, in precedence order: `tutordex-infra` is tagged `tutordex` and
 * `infra` and belongs with the other TutorDex dashboards. A dashboard whose
 * tags match no folder (typically one a user exported from the UI and dropped
 * into `dashboards/`) goes to Grafana's root folder, "Dashboards"/General,
 * exactly where Grafana itself puts dashboards saved without a folder; adding
 * one of these tags moves it.
 */
export const FOLDERS: readonly GrafanaFolder[] = [
  { uid: "tutordex", title: "TutorDex", tags: ["tutordex"] },
  { uid: "services", title: "Services", tags: ["api", "http", "worker", "queue", "business", "slo"] },
  { uid: "infrastructure", title: "Infrastructure", tags: ["infra", "host", "containers", "database", "cache"] },
  { uid: "observability", title: "Observability", tags: ["observability", "meta"] },
];

/** A dashboard file ready for Grafana. */
export interface ProvisionedDashboard {
  /** `grafana/dashboards/<file>.json`, content normalised (byte for byte the input when nothing needed changing). */
  readonly file: ConfigFile;
  readonly uid: string;
  readonly title: string;
  /** Folder it belongs to; undefined: Grafana's root (General) folder. */
  readonly folder: GrafanaFolder | undefined;
  /** The dashboard's tags (they choose its folder, and whether it ships on Docker). */
  readonly tags: readonly string[];
}

/** Plugin id of each provisioned datasource, for resolving an export's `__inputs`. */
const DATASOURCE_UID_BY_PLUGIN: Readonly<Record<string, string>> = {
  prometheus: DATASOURCE_UIDS.prometheus,
  loki: DATASOURCE_UIDS.loki,
  tempo: DATASOURCE_UIDS.tempo,
  alertmanager: DATASOURCE_UIDS.alertmanager,
};

/** The folder a dashboard's tags put it in (undefined: the root folder). */
export function folderOf(tags: readonly unknown[] | undefined): GrafanaFolder | undefined {
  const own = (tags ?? []).map((t) => String(t));
  return FOLDERS.find((f) => f.tags.some((t) => own.includes(t)));
}

/** A uid Grafana accepts (1-40 of [A-Za-z0-9_-]) derived from a file name, for dashboards without one. */
export function uidFromFileName(file: string): string {
  const slug = path.basename(file, ".json").toLowerCase().replace(/[^a-z0-9_-]+/g, "-").replace(/^-+|-+$/g, "");
  return (slug || "dashboard").slice(0, 40);
}

type JsonObject = Record<string, unknown>;

/** Replace `${NAME}` in every string of a JSON value. */
function substitute(value: unknown, replacements: ReadonlyMap<string, string>): unknown {
  if (typeof value === "string") {
    return value.replace(/\$\{([A-Za-z0-9_]+)\}/g, (m, name: string) => replacements.get(name) ?? m);
  }
  if (Array.isArray(value)) return value.map((v) => substitute(v, replacements));
  if (value !== null && typeof value === "object") {
    return Object.fromEntries(Object.entries(value).map(([k, v]) => [k, substitute(v, replacements)]));
  }
  return value;
}

/**
 * Grafana's own pseudo-datasources, valid in any dashboard: the built-in
 * "-- Grafana --" (annotations, test data), mixed panels, "-- Dashboard --"
 * (reuse another panel's query) and server-side expressions.
 */
const BUILT_IN_DATASOURCE_UIDS: readonly string[] = ["grafana", "-- Grafana --", "-- Mixed --", "-- Dashboard --", "__expr__"];

/**
 * Datasource uids a dashboard names (panels, their queries, rows, variables,
 * annotations: every `datasource: { uid }` anywhere) that the stack does not
 * provision. A panel pointing at one shows "datasource not found" on first
 * boot. A uid that is a dashboard variable (`$ds`, `${ds}`) is resolved by
 * Grafana at view time and is not checked; nor is the legacy string form
 * (`"datasource": "Prometheus"`), which names a datasource, not a uid.
 */
export function unknownDatasourceUids(dashboard: unknown): string[] {
  const known = new Set<string>([...Object.values(DATASOURCE_UIDS), ...BUILT_IN_DATASOURCE_UIDS]);
  const found = new Set<string>();
  const walk = (v: unknown): void => {
    if (Array.isArray(v)) return v.forEach(walk);
    if (v === null || typeof v !== "object") return;
    for (const [k, x] of Object.entries(v as JsonObject)) {
      if (k === "datasource" && x !== null && typeof x === "object" && !Array.isArray(x)) {
        const uid = (x as JsonObject).uid;
        if (typeof uid === "string" && uid !== "" && !uid.startsWith("$") && !known.has(uid)) found.add(uid);
      }
      walk(x);
    }
  };
  walk(dashboard);
  return [...found].sort();
}

/**
 * The dashboard Grafana should load from one file. File provisioning, unlike
 * the UI's import dialog, does not resolve an "export for sharing externally"
 * (`__inputs` with `${DS_PROMETHEUS}` placeholders), so those are resolved
 * here: a datasource input becomes the provisioned datasource of its plugin,
 * a constant input its value; `__inputs` is dropped. A missing uid is derived
 * from the file name (stable across deploys), a database `id` is cleared.
 * Files that need none of this are returned byte for byte.
 *
 * Throws with the file name and what would be valid when the file cannot be
 * provisioned, so a bad drop-in fails the deploy before any resource exists.
 */
export function normaliseDashboard(fileName: string, text: string): { content: string; json: JsonObject } {
  let json: unknown;
  try {
    json = JSON.parse(text);
  } catch (e) {
    throw new Error(`dashboards/${fileName}: not valid JSON (${(e as Error).message}); export the dashboard from Grafana with Share > Export > Save to file`);
  }
  if (json === null || typeof json !== "object" || Array.isArray(json)) {
    throw new Error(`dashboards/${fileName}: must hold one dashboard object (a JSON object with "panels"); got ${Array.isArray(json) ? "a list" : typeof json}`);
  }
  let d = json as JsonObject;
  // The HTTP API wraps dashboards as { dashboard: {...}, meta: {...} }; a file saved from it works too.
  if (d.dashboard !== null && typeof d.dashboard === "object" && !Array.isArray(d.dashboard) && d.panels === undefined) {
    d = d.dashboard as JsonObject;
  }
  if (!Array.isArray(d.panels) && !Array.isArray(d.rows)) {
    throw new Error(`dashboards/${fileName}: has no "panels" list, so it is not a Grafana dashboard`);
  }
  let changed = d !== json;

  if (d.__inputs !== undefined) {
    if (!Array.isArray(d.__inputs)) throw new Error(`dashboards/${fileName}: __inputs must be a list`);
    const replacements = new Map<string, string>();
    const problems: string[] = [];
    for (const input of d.__inputs as JsonObject[]) {
      const name = String(input?.name ?? "");
      if (input?.type === "datasource") {
        const uid = DATASOURCE_UID_BY_PLUGIN[String(input.pluginId)];
        if (uid === undefined) {
          problems.push(`input ${name} needs a ${String(input.pluginId)} datasource, which the stack does not provision (provisioned: ${Object.keys(DATASOURCE_UID_BY_PLUGIN).join(", ")})`);
        } else replacements.set(name, uid);
      } else if (input?.type === "constant") {
        replacements.set(name, String(input.value ?? ""));
      } else {
        problems.push(`input ${name} has type ${JSON.stringify(input?.type)}; only datasource and constant inputs can be resolved without the import dialog`);
      }
    }
    if (problems.length > 0) throw new Error(`dashboards/${fileName}: ${problems.join("; ")}`);
    const { __inputs: _inputs, ...rest } = d;
    d = substitute(rest, replacements) as JsonObject;
    changed = true;
  }
  const unknown = unknownDatasourceUids(d);
  if (unknown.length > 0) {
    throw new Error(
      `dashboards/${fileName}: names datasource uid ${unknown.map((u) => JSON.stringify(u)).join(", ")}, which the stack does not provision ` +
        `(provisioned: ${Object.values(DATASOURCE_UIDS).join(", ")}); set each panel's datasource uid to one of those, or export the dashboard "for sharing externally" so its __inputs are resolved`,
    );
  }
  if (typeof d.uid !== "string" || d.uid === "") {
    d = { ...d, uid: uidFromFileName(fileName) };
    changed = true;
  } else if (!/^[A-Za-z0-9_-]{1,40}$/.test(d.uid)) {
    throw new Error(`dashboards/${fileName}: uid ${JSON.stringify(d.uid)} is not valid; Grafana accepts 1-40 letters, digits, '-' and '_'`);
  }
  if (d.id !== undefined && d.id !== null) {
    d = { ...d, id: null };
    changed = true;
  }
  return { content: changed ? JSON.stringify(d, null, 2) + "\n" : text, json: d };
}

/** Every dashboard file that cannot be provisioned, each named with what would be valid. */
export class DashboardError extends ProblemListError {
  constructor(readonly problems: readonly string[]) {
    super("Dashboards", problems);
    this.name = "DashboardError";
  }
}

/**
 * Every `*.json` in the dashboards directory, normalised, with its folder.
 * Throws one DashboardError listing every file that cannot be provisioned
 * (and every uid two files share: Grafana would keep only one of them).
 */
export function loadDashboards(dashboardsDir: string): ProvisionedDashboard[] {
  const files = fs.readdirSync(dashboardsDir).filter((f) => f.endsWith(".json")).sort();
  const byUid = new Map<string, string>();
  const problems: string[] = [];
  const dashboards: ProvisionedDashboard[] = [];
  for (const f of files) {
    let normalised: { content: string; json: JsonObject };
    try {
      normalised = normaliseDashboard(f, fs.readFileSync(path.join(dashboardsDir, f), "utf8"));
    } catch (e) {
      problems.push((e as Error).message);
      continue;
    }
    const { content, json } = normalised;
    const uid = String(json.uid);
    const first = byUid.get(uid);
    if (first !== undefined) {
      problems.push(`dashboards/${f}: uid "${uid}" is already used by dashboards/${first}; give each dashboard its own uid`);
      continue;
    }
    byUid.set(uid, f);
    dashboards.push({
      file: { path: `grafana/dashboards/${f}`, content },
      uid,
      title: typeof json.title === "string" ? json.title : uid,
      folder: folderOf(Array.isArray(json.tags) ? json.tags : undefined),
      tags: Array.isArray(json.tags) ? json.tags.map((t) => String(t)) : [],
    });
  }
  if (problems.length > 0) throw new DashboardError(problems);
  return dashboards;
}

// ------------------------------------------------------------------------------------ per target

/**
 * Tag of the dashboards that read the Kubernetes cluster (kube-state-metrics,
 * kubelets, API server): shipped on the Kubernetes target only, like the
 * `kubernetes` rule pack, since on Docker every panel would be empty.
 */
export const KUBERNETES_DASHBOARD_TAG = "kubernetes";

/**
 * Hidden constant variables of the Kubernetes dashboards, set from
 * `kubernetes.clusterLabel` and `kubernetes.ruleSelectors` so the dashboards
 * find the same series as the kubernetes rule pack (kubernetes-mixin's
 * `config.libsonnet` selectors, here as Grafana variables: a query reads
 * `kube_pod_info{$kube_state_metrics_selector, $cluster_label="$cluster"}`).
 */
export const KUBERNETES_DASHBOARD_CONSTANTS = {
  clusterLabel: "cluster_label",
  kubeStateMetricsSelector: "kube_state_metrics_selector",
  kubeletSelector: "kubelet_selector",
  cadvisorSelector: "cadvisor_selector",
  apiserverSelector: "apiserver_selector",
} as const satisfies Record<keyof KubernetesRuleOptions, string>;

/** Constant variable name -> value, from the kubernetes pack's options. */
export function kubernetesDashboardConstants(o: KubernetesRuleOptions): ReadonlyMap<string, string> {
  return new Map((Object.keys(KUBERNETES_DASHBOARD_CONSTANTS) as (keyof KubernetesRuleOptions)[]).map((k) => [KUBERNETES_DASHBOARD_CONSTANTS[k], o[k]]));
}

/** True when the dashboard carries the Kubernetes tag. */
export function isKubernetesDashboard(d: Pick<ProvisionedDashboard, "tags">): boolean {
  return d.tags.includes(KUBERNETES_DASHBOARD_TAG);
}

/**
 * `dashboard` with each constant variable named in `values` set to its value
 * (`query`, `current` and `options`, as Grafana saves a constant). Returned
 * byte for byte when every value is already the file's.
 */
export function withConstants(d: ProvisionedDashboard, values: ReadonlyMap<string, string>): ProvisionedDashboard {
  const json = JSON.parse(d.file.content) as JsonObject;
  const list = (json.templating as { list?: JsonObject[] } | undefined)?.list ?? [];
  let changed = false;
  for (const v of list) {
    const value = typeof v.name === "string" ? values.get(v.name) : undefined;
    if (v.type !== "constant" || value === undefined || v.query === value) continue;
    v.query = value;
    v.current = { text: value, value };
    v.options = [{ selected: true, text: value, value }];
    changed = true;
  }
  return changed ? { ...d, file: { ...d.file, content: JSON.stringify(json, null, 2) + "\n" } } : d;
}

/**
 * The dashboards one target ships: the Kubernetes ones only where the platform is a cluster
 * whose components are monitored (its profile's `clusterComponents`), there with the kubernetes
 * pack's selectors and cluster label.
 */
export function dashboardsForTarget(
  dashboards: readonly ProvisionedDashboard[],
  platform: Pick<PlatformProfile, "clusterComponents">,
  kubernetes: KubernetesRuleOptions,
): ProvisionedDashboard[] {
  if (!platform.clusterComponents) return dashboards.filter((d) => !isKubernetesDashboard(d));
  const constants = kubernetesDashboardConstants(kubernetes);
  return dashboards.map((d) => (isKubernetesDashboard(d) ? withConstants(d, constants) : d));
}
