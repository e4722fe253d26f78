import * as fs from "fs";
import * as path from "path";
import { ConfigFile, yamlFile } from "../files";
import { DATASOURCE_UIDS, internalUrl } from "../topology";

/** Where provisioned dashboards live inside the Grafana container. */
export const GRAFANA_DASHBOARDS_DIR = "/etc/grafana/dashboards";

/**
 * Datasources with fixed uids, linked the way operators debug: exemplars open
 * traces, trace ids in logs open traces, spans open their logs and metrics.
 */
export function grafanaDatasourcesFile(): ConfigFile {
  const datasources = [
    {
      name: "Prometheus",
      uid: DATASOURCE_UIDS.prometheus,
      type: "prometheus",
      access: "proxy",
      url: internalUrl("prometheus"),
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
      url: internalUrl("loki"),
      editable: false,
      jsonData: {
        maxLines: 1000,
        derivedFields: [
          // JSON logs carry "trace_id" (seed 002's log shape); the link opens the trace in Tempo.
          { name: "TraceID", matcherRegex: '"trace_id":\\s*"(\\w+)"', datasourceUid: DATASOURCE_UIDS.tempo, url: "$${__value.raw}" },
        ],
      },
    },
    {
      name: "Tempo",
      uid: DATASOURCE_UIDS.tempo,
      type: "tempo",
      access: "proxy",
      url: internalUrl("tempo"),
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
      url: internalUrl("alertmanager"),
      editable: false,
      jsonData: { implementation: "prometheus", handleGrafanaManagedAlerts: false },
    },
  ];
  return yamlFile("grafana/provisioning/datasources/datasources.yml", { apiVersion: 1, prune: true, datasources });
}

export function grafanaDashboardProviderFile(): ConfigFile {
  return yamlFile("grafana/provisioning/dashboards/dashboards.yml", {
    apiVersion: 1,
    providers: [
      {
        name: "observability",
        folder: "Observability",
        type: "file",
        disableDeletion: true,
        allowUiUpdates: false,
        updateIntervalSeconds: 30,
        options: { path: GRAFANA_DASHBOARDS_DIR, foldersFromFilesStructure: false },
      },
    ],
  });
}

/**
 * Every `*.json` in the dashboards directory, byte for byte: a dashboard
 * exported from the Grafana UI and dropped there is provisioned as it is.
 */
export function grafanaDashboardFiles(dashboardsDir: string): ConfigFile[] {
  return fs
    .readdirSync(dashboardsDir)
    .filter((f) => f.endsWith(".json"))
    .sort()
    .map((f) => ({ path: `grafana/dashboards/${f}`, content: fs.readFileSync(path.join(dashboardsDir, f), "utf8") }));
}
