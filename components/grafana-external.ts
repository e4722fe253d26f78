import * as grafana from "@pulumiverse/grafana";
import * as pulumi from "@pulumi/pulumi";
import type { ConfigFile } from "../configs/files";
import type { GrafanaFolder, ProvisionedDashboard } from "../configs/grafana/dashboards";
import { type DatasourceUrls, type DatasourceVariant, grafanaDashboardProviderFile, grafanaDatasources, grafanaDatasourcesFile } from "../configs/grafana/provisioning";

export interface GrafanaExternalArgs {
  /** Base URL of the existing Grafana (or Grafana Cloud stack), `grafana.url`. */
  readonly url: string;
  /** Service-account token (`grafana.apiToken`); must be a Pulumi secret. */
  readonly apiToken: pulumi.Output<string>;
  /** Where that Grafana reaches each datasource (configs/grafana/external.ts decides). */
  readonly datasourceUrls: DatasourceUrls;
  /**
   * Appended to each datasource's display name (e.g. ` (prod)`): an existing
   * Grafana often has a datasource named "Prometheus" already, and names must
   * be unique in an organisation. Dashboards use uids, so only the label
   * changes. Default: none.
   */
  readonly datasourceNameSuffix?: string;
  /** Prometheus' scrape interval, Grafana's smallest query step. Default: "15s". */
  readonly scrapeInterval?: string;
  /** The dashboards, with their folders, exactly as file provisioning would load them. */
  readonly dashboards: readonly ProvisionedDashboard[];
}

/**
 * The stack's Grafana content in a Grafana it does not run: a provider for
 * that Grafana, then the same folders (same uids), datasources (same uids
 * and settings, built by the same function as the provisioning file) and
 * dashboards (same JSON, same uids) the deployed Grafana gets from files.
 * Nothing runs on the target: no container, no workload.
 */
export class GrafanaExternal extends pulumi.ComponentResource {
  /**
   * What render writes for review: the provisioning-format description of
   * exactly what is sent (datasources with the external URLs, folders) and
   * the dashboards at their flat render paths.
   */
  readonly files: readonly ConfigFile[];
  readonly url: pulumi.Output<string>;
  readonly folders: readonly grafana.oss.Folder[];
  readonly datasources: readonly grafana.oss.DataSource[];
  readonly dashboards: readonly grafana.oss.Dashboard[];

  constructor(name: string, args: GrafanaExternalArgs, opts?: pulumi.ComponentResourceOptions) {
    super("observability:index:GrafanaExternal", name, {}, opts);
    // The provider marks `auth` secret itself; wrapping again keeps it so whatever the provider version does.
    const provider = new grafana.Provider(`${name}-provider`, { url: args.url, auth: pulumi.secret(args.apiToken) }, { parent: this });
    const inGrafana = { parent: this, provider };

    const used = new Map<string, GrafanaFolder>();
    for (const d of args.dashboards) if (d.folder) used.set(d.folder.uid, d.folder);
    const folderByUid = new Map<string, grafana.oss.Folder>();
    for (const f of used.values()) {
      folderByUid.set(f.uid, new grafana.oss.Folder(`${name}-folder-${f.uid}`, { uid: f.uid, title: f.title }, inGrafana));
    }
    this.folders = [...folderByUid.values()];

    // Not the org's default datasource: that belongs to the Grafana's owners, and every shipped panel names its uid.
    const variant: DatasourceVariant = { nameSuffix: args.datasourceNameSuffix, markDefault: false, scrapeInterval: args.scrapeInterval };
    this.datasources = grafanaDatasources(args.datasourceUrls, variant).map(
      (d) =>
        new grafana.oss.DataSource(`${name}-datasource-${d.uid}`, {
          uid: d.uid,
          name: d.name,
          type: d.type,
          url: d.url,
          accessMode: d.access,
          isDefault: d.isDefault ?? false,
          jsonDataEncoded: JSON.stringify(d.jsonData),
        }, inGrafana),
    );

    this.dashboards = args.dashboards.map(
      (d) =>
        new grafana.oss.Dashboard(`${name}-dashboard-${d.uid}`, {
          configJson: d.file.content,
          folder: d.folder ? folderByUid.get(d.folder.uid)!.uid : undefined,
          // The program owns these dashboards: a UI edit is replaced on the next `pulumi up`, as with provisioning.
          overwrite: true,
          message: "Managed by the observability Pulumi program",
        }, { ...inGrafana, dependsOn: [...this.datasources] }),
    );

    this.files = [grafanaDatasourcesFile(args.datasourceUrls, variant), grafanaDashboardProviderFile(args.dashboards), ...args.dashboards.map((d) => d.file)];
    this.url = pulumi.output(args.url);
    this.registerOutputs({ url: this.url });
  }
}
