import { IMAGES } from "../../versions";
import { ConfigFile, yamlFile } from "../files";
import { SERVICE_LABEL } from "../logs/labels";
import { DATASOURCE_UIDS, internalUrl, LONG_TERM_DATASOURCE_UID } from "../topology";
import { FOLDERS, type GrafanaFolder, type ProvisionedDashboard } from "./dashboards";

/** Where provisioned dashboards live inside the Grafana container: one directory per folder. */
export const GRAFANA_DASHBOARDS_DIR = "/etc/grafana/dashboards";
/** Directory (under GRAFANA_DASHBOARDS_DIR) of dashboards in Grafana's root folder. */
export const GENERAL_FOLDER_DIR = "general";

/** Prometheus release of the pinned image (`quay.io/prometheus/prometheus:v3.14.0` -> `3.14.0`). */
export const PROMETHEUS_VERSION: string = imageVersion(IMAGES.prometheus);

/**
 * Exemplar labels that carry a trace id, each linked to Tempo: `traceID` is
 * what Tempo's metrics generator attaches to span-metric exemplars
 * (modules/generator/registry, the default trace id label name), `trace_id`
 * what Prometheus' OTLP receiver attaches to exemplars of OTLP metrics.
 * Grafana links only exemplars whose label matches a destination's `name`.
 */
export const EXEMPLAR_TRACE_ID_LABELS = ["trace_id", "traceID"] as const;

/**
 * A span's links to its service's metrics, over Tempo's span metrics
 * (`traces_spanmetrics_calls_total`, `traces_spanmetrics_latency`; labels
 * `service`, `span_name`, `span_kind`, `status_code`). `$__tags` becomes
 * `service="<service.name>"`. Grafana shows no metrics link without queries.
 */
export const SPAN_METRICS_QUERIES: readonly { readonly name: string; readonly query: string }[] = [
  { name: "Request rate", query: "sum(rate(traces_spanmetrics_calls_total{$__tags}[5m]))" },
  { name: "Error rate", query: 'sum(rate(traces_spanmetrics_calls_total{$__tags, status_code="STATUS_CODE_ERROR"}[5m]))' },
  { name: "Latency p95", query: "histogram_quantile(0.95, sum by (le) (rate(traces_spanmetrics_latency_bucket{$__tags}[5m])))" },
];

function imageVersion(image: string): string {
  const m = /:v?(\d+\.\d+\.\d+)$/.exec(image);
  if (!m) throw new Error(`${image}: expected an image pinned to a vX.Y.Z tag`);
  return m[1];
}

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
  /** Prometheus' scrape interval (`prometheus.scrapeInterval`): Grafana's smallest step, so no panel asks between samples. Default: "15s". */
  readonly scrapeInterval?: string;
  /**
   * The long-term store's PromQL base URL (metrics.longTerm): adds the `victoriametrics` datasource.
   * Default: none.
   */
  readonly longTermUrl?: string;
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
        timeInterval: variant.scrapeInterval ?? "15s",
        // Grafana picks Prometheus APIs by flavour and version (provisioning docs, `prometheusType`/`prometheusVersion`);
        // unset, a provisioned datasource never learns them. The version is the pinned image's.
        prometheusType: "Prometheus",
        prometheusVersion: PROMETHEUS_VERSION,
        exemplarTraceIdDestinations: EXEMPLAR_TRACE_ID_LABELS.map((name) => ({ name, datasourceUid: DATASOURCE_UIDS.tempo })),
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
        tracesToLogsV2: {
          datasourceUid: DATASOURCE_UIDS.loki,
          spanStartTimeShift: "-5m",
          spanEndTimeShift: "5m",
          // Without tags Grafana matches cluster/hostname/namespace/pod/service_name, none of which our
          // streams carry, and shows no link at all; the span's service is the stream's SERVICE_LABEL.
          tags: [{ key: "service.name", value: SERVICE_LABEL }],
          filterByTraceID: true,
          customQuery: false,
        },
        tracesToMetrics: {
          datasourceUid: DATASOURCE_UIDS.prometheus,
          spanStartTimeShift: "-5m",
          spanEndTimeShift: "5m",
          // Tempo's span metrics label the service `service`; Grafana builds a metrics link per query only.
          tags: [{ key: "service.name", value: "service" }],
          queries: SPAN_METRICS_QUERIES.map((q) => ({ ...q })),
        },
        serviceMap: { datasourceUid: DATASOURCE_UIDS.prometheus },
        nodeGraph: { enabled: true },
        // No `lokiSearch`: Grafana 11 removed the Tempo datasource's Loki tab (grafana/grafana#84346); trace to logs replaces it.
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
  if (variant.longTermUrl !== undefined) {
    // Same PromQL API as Prometheus, for ranges beyond its retention; never the default (recent data,
    // exemplars and alert state are Prometheus'). VictoriaMetrics keeps no exemplars: no trace links.
    datasources.push({
      name: "VictoriaMetrics (long-term)",
      uid: LONG_TERM_DATASOURCE_UID,
      type: "prometheus",
      access: "proxy",
      url: variant.longTermUrl,
      editable: false,
      jsonData: { httpMethod: "POST", timeInterval: variant.scrapeInterval ?? "15s" },
    });
  }
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

/** The PostgreSQL datasource (`exporters.postgres.grafana`): where Grafana connects, as which read-only role. */
export interface PostgresDatasourceOptions {
  /** `host:port` as Grafana reaches it. */
  readonly host: string;
  readonly database: string;
  readonly user: string;
  readonly sslMode: "disable" | "require" | "verify-ca" | "verify-full";
  /** Environment variable holding the role's password (the image's run.sh fills it from `<name>__FILE`). */
  readonly passwordEnv: string;
}

/** Fixed uid of the PostgreSQL datasource, which the Database dashboard's SQL panels reference. */
export const POSTGRES_DATASOURCE_UID = "postgres";

/** Grafana's PostgreSQL plugin id since Grafana 10.4 (the older `postgres` is an alias). */
export const POSTGRES_DATASOURCE_TYPE = "grafana-postgresql-datasource";

/**
 * The PostgreSQL datasource as a provisioning entry. The password is never in the file: Grafana expands
 * `$NAME` from its environment in every provisioning value (administration/provisioning, "Use environment
 * variables"), and the image's run.sh sets that variable from the mounted secret file named by
 * `NAME__FILE`. Read-only by the role's grants, and `editable: false` in Grafana.
 */
export function postgresDatasource(o: PostgresDatasourceOptions): Record<string, unknown> {
  if (!/^GF_[A-Z0-9_]+$/.test(o.passwordEnv)) throw new Error(`grafana postgres datasource passwordEnv: "${o.passwordEnv}" must be a GF_ variable name`);
  for (const [key, value] of [["database", o.database], ["user", o.user], ["host", o.host]] as const) {
    // Grafana would expand a `$` in any provisioning value; settings patterns already refuse one.
    if (value.includes("$")) throw new Error(`grafana postgres datasource ${key}: "${value}" must not contain '$'`);
  }
  return {
    name: "PostgreSQL",
    uid: POSTGRES_DATASOURCE_UID,
    type: POSTGRES_DATASOURCE_TYPE,
    access: "proxy",
    url: o.host,
    user: o.user,
    editable: false,
    jsonData: { database: o.database, sslmode: o.sslMode, maxOpenConns: 5, maxIdleConns: 2, connMaxLifetime: 14400 },
    secureJsonData: { password: `$${o.passwordEnv}` },
  };
}

export function grafanaDatasourcesFile(
  urls: DatasourceUrls = INTERNAL_DATASOURCE_URLS,
  variant: DatasourceVariant = {},
  postgres?: PostgresDatasourceOptions,
): ConfigFile {
  const datasources = [...grafanaDatasources(urls, variant).map((d) => escapeEnvExpansion(d)), ...(postgres ? [postgresDatasource(postgres)] : [])];
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
