import { ConfigFile, yamlFile } from "../files";
import { DATASOURCE_UIDS, internalUrl } from "../topology";
import { FOLDERS, loadDashboards, type GrafanaFolder, type ProvisionedDashboard } from "./dashboards";

/** Where provisioned dashboards live inside the Grafana container: one directory per folder. */
export const GRAFANA_DASHBOARDS_DIR = "/etc/grafana/dashboards";
/** Directory (under GRAFANA_DASHBOARDS_DIR) of dashboards in Grafana's root folder. */
export const GENERAL_FOLDER_DIR = "general";

/** Where Grafana reaches each datasource. */
export interface DatasourceUrls {
  readonly prometheus: string;
  readonly loki: string;
  readonly tempo: string;
  readonly alertmanager: string;
}

/** Addresses inside the stack's network: what a Grafana deployed with the stack uses. */
export const INTERNAL_DATASOURCE_URLS: DatasourceUrls = {
  prometheus: internalUrl("prometheus"),
  loki: internalUrl("loki"),
  tempo: internalUrl("tempo"),
  alertmanager: internalUrl("alertmanager"),
};

/** How an external Grafana's copy differs from the provisioned one: labels only, never uids or links. */
export interface DatasourceVariant {
  /** Appended to each display name (e.g. ` (prod)`). Default: none. */
  readonly nameSuffix?: string;
  /** Mark Prometheus as the org's default datasource. Default: true. */
  readonly markDefault?: boolean;
}

/** One datasource as Grafana's provisioning file and HTTP API both describe it. */
export interface GrafanaDatasource {
  readonly name: string;
  readonly uid: string;
  readonly type: "prometheus" | "loki" | "tempo" | "alertmanager";
  readonly access: "proxy";
  readonly url: string;
  readonly isDefault?: boolean;
  readonly editable: boolean;
  readonly jsonData: Readonly<Record<string, unknown>>;
}

/**
 * Datasources with fixed uids, linked the way operators debug: exemplars open
 * traces, trace ids in logs open traces, spans open their logs and metrics.
 * The one definition behind both the provisioning file and the external
 * Grafana's DataSource resources; only the URLs differ.
 */
export function grafanaDatasources(urls: DatasourceUrls = INTERNAL_DATASOURCE_URLS, variant: DatasourceVariant = {}): GrafanaDatasource[] {
  const datasources: GrafanaDatasource[] = [
    {
      name: "Prometheus",
      uid: DATASOURCE_UIDS.prometheus,
      type: "prometheus",
      access: "proxy",
      url: urls.prometheus,
      isDefault: true,
      editable: false,
      jsonData: {
        httpMethod: "POST",
        timeInterval: "15s",
        exemplarTraceIdDestinations: [{ name: "trace_id", datasourceUid: DATASOURCE_UIDS.tempo }],
      },
    },
    {
      name: "Loki",
      uid: DATASOURCE_UIDS.loki,
      type: "loki",
      access: "proxy",
      url: urls.loki,
      editable: false,
      jsonData: {
        maxLines: 1000,
        derivedFields: [
          // JSON logs carry "trace_id" (seed 002's log shape); the link opens the trace in Tempo.
          { name: "TraceID", matcherRegex: '"trace_id":\\s*"(\\w+)"', datasourceUid: DATASOURCE_UIDS.tempo, url: "${__value.raw}" },
        ],
      },
    },
    {
      name: "Tempo",
      uid: DATASOURCE_UIDS.tempo,
      type: "tempo",
      access: "proxy",
      url: urls.tempo,
      editable: false,
      jsonData: {
        tracesToLogsV2: { datasourceUid: DATASOURCE_UIDS.loki, spanStartTimeShift: "-5m", spanEndTimeShift: "5m", filterByTraceID: true, customQuery: false },
        tracesToMetrics: { datasourceUid: DATASOURCE_UIDS.prometheus, spanStartTimeShift: "-5m", spanEndTimeShift: "5m" },
        serviceMap: { datasourceUid: DATASOURCE_UIDS.prometheus },
        nodeGraph: { enabled: true },
        lokiSearch: { datasourceUid: DATASOURCE_UIDS.loki },
      },
    },
    {
      name: "Alertmanager",
      uid: DATASOURCE_UIDS.alertmanager,
      type: "alertmanager",
      access: "proxy",
      url: urls.alertmanager,
      editable: false,
      jsonData: { implementation: "prometheus", handleGrafanaManagedAlerts: false },
    },
  ];
  const markDefault = variant.markDefault ?? true;
  return datasources.map(({ isDefault, ...d }) => ({
    ...d,
    name: `${d.name}${variant.nameSuffix ?? ""}`,
    ...(isDefault && markDefault ? { isDefault } : {}),
  }));
}

/**
 * Grafana expands `$VAR`/`${VAR}` from its environment in provisioning files
 * and reads `$$` as a literal `$`; the API does not. Escaping at this edge
 * lets the data keep Grafana's own `${__value.raw}` spelling for both.
 */
function escapeEnvExpansion(value: unknown): unknown {
  if (typeof value === "string") return value.replace(/\$/g, "$$$$");
  if (Array.isArray(value)) return value.map(escapeEnvExpansion);
  if (value !== null && typeof value === "object") return Object.fromEntries(Object.entries(value).map(([k, v]) => [k, escapeEnvExpansion(v)]));
  return value;
}

export function grafanaDatasourcesFile(urls: DatasourceUrls = INTERNAL_DATASOURCE_URLS, variant: DatasourceVariant = {}): ConfigFile {
  const datasources = grafanaDatasources(urls, variant).map((d) => escapeEnvExpansion(d));
  return yamlFile("grafana/provisioning/datasources/datasources.yml", { apiVersion: 1, prune: true, datasources });
}

/** Directory of a folder's dashboards inside the container. */
export function folderDir(folder: GrafanaFolder | undefined): string {
  return `${GRAFANA_DASHBOARDS_DIR}/${folder?.uid ?? GENERAL_FOLDER_DIR}`;
}

/** Where one dashboard file is mounted in the container: its folder's directory, its own file name. */
export function dashboardMountPath(d: ProvisionedDashboard): string {
  return `${folderDir(d.folder)}/${d.file.path.slice(d.file.path.lastIndexOf("/") + 1)}`;
}

/**
 * One file provider per folder that holds dashboards, each reading its own
 * container directory, so render keeps the flat `grafana/dashboards/*.json`
 * while Grafana files each dashboard in its folder (fixed folder uids, the
 * same the external mode creates). Root-folder dashboards get a provider
 * without a folder. Folders without dashboards get no provider: Grafana
 * would log a missing directory at every scan.
 */
export function grafanaDashboardProviderFile(dashboards: readonly ProvisionedDashboard[]): ConfigFile {
  const provider = (name: string, folder: GrafanaFolder | undefined) => ({
    name,
    ...(folder ? { folder: folder.title, folderUid: folder.uid } : { folder: "" }),
    type: "file",
    disableDeletion: true,
    allowUiUpdates: false,
    updateIntervalSeconds: 30,
    options: { path: folderDir(folder), foldersFromFilesStructure: false },
  });
  return yamlFile("grafana/provisioning/dashboards/dashboards.yml", {
    apiVersion: 1,
    providers: [
      ...FOLDERS.filter((f) => dashboards.some((d) => d.folder?.uid === f.uid)).map((f) => provider(f.uid, f)),
      ...(dashboards.some((d) => d.folder === undefined) ? [provider(GENERAL_FOLDER_DIR, undefined)] : []),
    ],
  });
}

/**
 * Every `*.json` in the dashboards directory as Grafana loads it, with its
 * folder: byte for byte unless an exported `__inputs` placeholder, a missing
 * uid or a database id needed resolving (configs/grafana/dashboards.ts).
 */
export function grafanaDashboards(dashboardsDir: string): ProvisionedDashboard[] {
  return loadDashboards(dashboardsDir);
}

/** The dashboard files alone, at their flat render paths `grafana/dashboards/<file>.json`. */
export function grafanaDashboardFiles(dashboardsDir: string): ConfigFile[] {
  return loadDashboards(dashboardsDir).map((d) => d.file);
}
