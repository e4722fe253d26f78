/**
 * Grafana provisioning files as Grafana reads them, folders, and dashboards a
 * user exports from the UI and drops into `dashboards/`.
 */
import * as fs from "fs";
import * as os from "os";
import * as path from "path";
import { parse } from "yaml";
import {
  dashboardsForTarget,
  FOLDERS,
  isKubernetesDashboard,
  KUBERNETES_DASHBOARD_TAG,
  loadDashboards,
  normaliseDashboard,
  uidFromFileName,
  unknownDatasourceUids,
  withConstants,
} from "../../configs/grafana/dashboards";
import { DEFAULT_KUBERNETES_RULE_OPTIONS } from "../../configs/prometheus/rules/packs/kubernetes";
import { validateStack } from "../../settings/stack";
import {
  dashboardMountPath,
  GRAFANA_DASHBOARDS_DIR,
  grafanaDashboardProviderFile,
  grafanaDatasources,
  grafanaDatasourcesFile,
  INTERNAL_DATASOURCE_URLS,
} from "../../configs/grafana/provisioning";
import { DATASOURCE_UIDS } from "../../configs/topology";
import * as Q from "../dashboards/queries";
import { PLATFORM_PROFILES } from "../../targets";

const REPO_DASHBOARDS = path.join(__dirname, "..", "..", "dashboards");

/** A dashboard as Grafana's "Export > Export for sharing externally" writes it. */
const EXPORTED = {
  __inputs: [
    { name: "DS_PROMETHEUS", label: "Prometheus", type: "datasource", pluginId: "prometheus", pluginName: "Prometheus" },
    { name: "DS_LOKI", label: "Loki", type: "datasource", pluginId: "loki", pluginName: "Loki" },
    { name: "VAR_ENV", type: "constant", label: "env", value: "prod" },
  ],
  __requires: [{ type: "grafana", id: "grafana", name: "Grafana", version: "13.2.0" }],
  id: 42,
  uid: "my-service",
  title: "My service",
  tags: [],
  panels: [
    { id: 1, type: "timeseries", title: "RPS", datasource: { type: "prometheus", uid: "${DS_PROMETHEUS}" }, targets: [{ refId: "A", expr: 'sum(rate(http_requests_total{env="${VAR_ENV}"}[5m]))', datasource: { type: "prometheus", uid: "${DS_PROMETHEUS}" } }] },
    { id: 2, type: "logs", title: "Logs", datasource: { type: "loki", uid: "${DS_LOKI}" }, targets: [{ refId: "A", expr: '{compose_service="api"}' }] },
  ],
  templating: { list: [{ name: "job", type: "query", datasource: { type: "prometheus", uid: "${DS_PROMETHEUS}" }, query: "label_values(up, job)" }] },
};

function tempDashboards(files: Record<string, string>): string {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), "dashboards-"));
  for (const [name, content] of Object.entries(files)) fs.writeFileSync(path.join(dir, name), content);
  return dir;
}

describe("datasources provisioning file", () => {
  const file = grafanaDatasourcesFile();
  const doc = parse(file.content);

  it("lists the four datasources with their fixed uids and internal URLs, Prometheus the default", () => {
    expect(doc.apiVersion).toBe(1);
    expect(doc.datasources.map((d: { uid: string; url: string }) => [d.uid, d.url])).toEqual([
      [DATASOURCE_UIDS.prometheus, "http://prometheus:9090"],
      [DATASOURCE_UIDS.loki, "http://loki:3100"],
      [DATASOURCE_UIDS.tempo, "http://tempo:3200"],
      [DATASOURCE_UIDS.alertmanager, "http://alertmanager:9093"],
    ]);
    expect(doc.datasources.filter((d: { isDefault?: boolean }) => d.isDefault).map((d: { uid: string }) => d.uid)).toEqual(["prometheus"]);
  });

  it("escapes `$` as `$$` so Grafana's environment expansion leaves ${__value.raw} intact, and is otherwise the shared definition", () => {
    expect(file.content).toContain("$${__value.raw}");
    const unescaped = JSON.parse(JSON.stringify(doc.datasources).replace(/\$\$/g, "$"));
    expect(unescaped).toEqual(JSON.parse(JSON.stringify(grafanaDatasources(INTERNAL_DATASOURCE_URLS))));
  });

  it("links exemplars and trace ids to Tempo, spans to Loki and Prometheus", () => {
    const [prom, loki, tempo] = grafanaDatasources();
    expect(prom.jsonData.exemplarTraceIdDestinations).toEqual([
      { name: "trace_id", datasourceUid: "tempo" },
      { name: "traceID", datasourceUid: "tempo" },
    ]);
    expect((loki.jsonData.derivedFields as { datasourceUid: string }[])[0].datasourceUid).toBe("tempo");
    expect(tempo.jsonData).toMatchObject({ tracesToLogsV2: { datasourceUid: "loki" }, tracesToMetrics: { datasourceUid: "prometheus" }, serviceMap: { datasourceUid: "prometheus" } });
  });

  it("takes other URLs (external mode) without changing anything else", () => {
    const urls = { prometheus: "https://p.example.com", loki: "https://l.example.com", tempo: "https://t.example.com", alertmanager: "https://a.example.com" };
    const ext = grafanaDatasources(urls);
    expect(ext.map((d) => d.url)).toEqual(Object.values(urls));
    expect(ext.map(({ url: _u, ...rest }) => rest)).toEqual(grafanaDatasources().map(({ url: _u, ...rest }) => rest));
  });
});

describe("dashboard providers and folders", () => {
  const shipped = loadDashboards(REPO_DASHBOARDS);
  const providersOf = (dashboards: typeof shipped) =>
    parse(grafanaDashboardProviderFile(dashboards).content).providers as { name: string; folder: string; folderUid?: string; type: string; options: { path: string } }[];

  it("has one file provider per folder of the shipped dashboards, with the folder's title and fixed uid, each reading its own directory", () => {
    const providers = providersOf(shipped);
    expect(providers.map((p) => [p.folder, p.folderUid, p.options.path])).toEqual(FOLDERS.map((f) => [f.title, f.uid, `${GRAFANA_DASHBOARDS_DIR}/${f.uid}`]));
    expect(new Set(providers.map((p) => p.name)).size).toBe(providers.length);
    expect(providers.every((p) => p.type === "file")).toBe(true);
  });

  it("adds the root-folder provider only when a dashboard has no folder, and drops folders left empty", () => {
    const dropped = { ...shipped[0], uid: "mine", folder: undefined };
    expect(providersOf([...shipped, dropped]).map((p) => [p.folder, p.options.path]).at(-1)).toEqual(["", `${GRAFANA_DASHBOARDS_DIR}/general`]);
    expect(providersOf([dropped]).map((p) => p.name)).toEqual(["general"]);
  });

  it("keeps Grafana's files well inside a Kubernetes ConfigMap's 1 MiB limit", () => {
    const bytes = [grafanaDatasourcesFile(), grafanaDashboardProviderFile(shipped), ...shipped.map((d) => d.file)].reduce((n, f) => n + Buffer.byteLength(f.content), 0);
    expect(bytes).toBeLessThan(800 * 1024);
  });

  it("mounts each shipped dashboard in its folder's directory while render keeps the flat grafana/dashboards/<file>", () => {
    const mounts = Object.fromEntries(loadDashboards(REPO_DASHBOARDS).map((d) => [d.file.path, dashboardMountPath(d)]));
    expect(mounts["grafana/dashboards/tutordex-overview.json"]).toBe("/etc/grafana/dashboards/tutordex/tutordex-overview.json");
    expect(mounts["grafana/dashboards/system-health.json"]).toBe("/etc/grafana/dashboards/infrastructure/system-health.json");
    expect(mounts["grafana/dashboards/api-performance.json"]).toBe("/etc/grafana/dashboards/services/api-performance.json");
    expect(mounts["grafana/dashboards/observability-self.json"]).toBe("/etc/grafana/dashboards/observability/observability-self.json");
    expect(Object.keys(mounts).every((p) => /^grafana\/dashboards\/[^/]+\.json$/.test(p))).toBe(true);
  });

  it("provisions the shipped dashboards byte for byte (they need no normalisation)", () => {
    for (const d of loadDashboards(REPO_DASHBOARDS)) {
      expect(d.file.content).toBe(fs.readFileSync(path.join(REPO_DASHBOARDS, path.basename(d.file.path)), "utf8"));
    }
  });
});

describe("dashboards per target (Kubernetes dashboards where there is a cluster)", () => {
  const shipped = loadDashboards(REPO_DASHBOARDS);
  const fileNames = (ds: readonly { file: { path: string } }[]) => ds.map((d) => path.basename(d.file.path));
  const constant = (content: string, name: string) =>
    (JSON.parse(content).templating.list as { name: string; type: string; query: string; current: unknown; options: unknown[] }[]).find((v) => v.name === name && v.type === "constant");

  it("Docker ships every dashboard but those tagged kubernetes", () => {
    const docker = dashboardsForTarget(shipped, PLATFORM_PROFILES.docker, DEFAULT_KUBERNETES_RULE_OPTIONS);
    expect(fileNames(docker)).toEqual(fileNames(shipped.filter((d) => !d.tags.includes(KUBERNETES_DASHBOARD_TAG))));
    expect(fileNames(docker).filter((f) => f.startsWith("kubernetes-"))).toEqual([]);
    expect(fileNames(docker)).toEqual(expect.arrayContaining(["observability-self.json", "prometheus-overview.json", "alertmanager-overview.json", "stack-ingest.json"]));
  });

  it("Kubernetes ships every dashboard, the shipped ones byte for byte with the pack's default selectors", () => {
    const k8s = dashboardsForTarget(shipped, PLATFORM_PROFILES.kubernetes, DEFAULT_KUBERNETES_RULE_OPTIONS);
    expect(fileNames(k8s)).toEqual(fileNames(shipped));
    for (const d of k8s) expect(d.file.content).toBe(fs.readFileSync(path.join(REPO_DASHBOARDS, path.basename(d.file.path)), "utf8"));
  });

  it("Kubernetes sets the constants of the Kubernetes dashboards from kubernetes.clusterLabel and kubernetes.ruleSelectors, and nothing else", () => {
    const o = { ...DEFAULT_KUBERNETES_RULE_OPTIONS, clusterLabel: "k8s_cluster", kubeStateMetricsSelector: 'job="ksm", env="prod"' };
    const k8s = dashboardsForTarget(shipped, PLATFORM_PROFILES.kubernetes, o);
    const pod = k8s.find((d) => d.uid === "kubernetes-pod")!;
    expect(constant(pod.file.content, "cluster_label")).toMatchObject({ query: "k8s_cluster", current: { text: "k8s_cluster", value: "k8s_cluster" } });
    expect(constant(pod.file.content, "kube_state_metrics_selector")).toMatchObject({ query: 'job="ksm", env="prod"', options: [{ selected: true, value: 'job="ksm", env="prod"' }] });
    expect(constant(pod.file.content, "kubelet_selector")?.query).toBe('job="kubelet"');
    const before = JSON.parse(shipped.find((d) => d.uid === "kubernetes-pod")!.file.content);
    const after = JSON.parse(pod.file.content);
    expect({ ...after, templating: null }).toEqual({ ...before, templating: null });
    for (const d of k8s.filter((x) => !isKubernetesDashboard(x))) expect(d).toBe(shipped.find((x) => x.uid === d.uid));
  });

  it("leaves a dashboard without those constants untouched", () => {
    const d = shipped.find((x) => x.uid === "system-health")!;
    expect(withConstants(d, new Map([["cluster_label", "k8s_cluster"]]))).toBe(d);
  });

  it("validateStack hands the program what the target ships: no Kubernetes dashboard on Docker, the configured selectors on Kubernetes", () => {
    const docker = validateStack({ values: { target: "docker" }, secretKeys: new Set() }, "dev", REPO_DASHBOARDS);
    expect(docker.dashboards.filter(isKubernetesDashboard)).toEqual([]);
    const k8s = validateStack({ values: { target: "kubernetes", kubernetes: { clusterLabel: "k8s_cluster", ruleSelectors: { cadvisor: 'job="kubelet-cadvisor"' } } }, secretKeys: new Set() }, "prod", REPO_DASHBOARDS);
    const node = k8s.dashboards.find((d) => d.uid === "kubernetes-node")!;
    expect([constant(node.file.content, "cluster_label")?.query, constant(node.file.content, "cadvisor_selector")?.query]).toEqual(["k8s_cluster", 'job="kubelet-cadvisor"']);
  });
});

describe("a dashboard exported from the Grafana UI and dropped into dashboards/", () => {
  it("has its __inputs resolved to the provisioned datasources and constants, its id cleared", () => {
    const { content, json } = normaliseDashboard("my-service.json", JSON.stringify(EXPORTED, null, 2));
    expect(content).not.toContain("${DS_");
    expect(content).not.toContain("__inputs");
    expect(json.id).toBeNull();
    const panels = json.panels as { datasource: { uid: string }; targets: { expr: string; datasource?: { uid: string } }[] }[];
    expect(panels.map((p) => p.datasource.uid)).toEqual(["prometheus", "loki"]);
    expect(panels[0].targets[0]).toMatchObject({ expr: 'sum(rate(http_requests_total{env="prod"}[5m]))', datasource: { uid: "prometheus" } });
    expect((json.templating as { list: { datasource: { uid: string } }[] }).list[0].datasource.uid).toBe("prometheus");
  });

  it("is read by the dashboard checks as Grafana gets it: every datasource a provisioned uid, every query parsing", () => {
    const dir = tempDashboards({ "my-service.json": JSON.stringify(EXPORTED, null, 2) });
    try {
      const [d] = Q.loadDashboards(dir);
      expect(d.parseError).toBeUndefined();
      const provisioned = new Map(grafanaDatasources().map((x) => [x.uid, x.type as string]));
      expect(Q.datasourceUses(d.json).map((u) => u.ref.uid).filter((uid) => !provisioned.has(uid!))).toEqual([]);
      const queries = Q.queriesOf(d, provisioned);
      expect(queries.map((q) => q.language).sort()).toEqual(["logql", "promql", "promql"]);
      for (const q of queries) {
        const parsed = q.language === "promql" ? Q.parsePromQL(Q.substituteVariables(q.expr, d.json)) : Q.parseLogQL(q.expr);
        expect([q.expr, parsed.errors]).toEqual([q.expr, []]);
      }
    } finally {
      fs.rmSync(dir, { recursive: true, force: true });
    }
  });

  it("goes to the root folder (General) unless a folder tag places it, and is mounted there", () => {
    const dir = tempDashboards({
      "my-service.json": JSON.stringify(EXPORTED),
      "my-db.json": JSON.stringify({ ...EXPORTED, uid: "my-db", tags: ["database"] }),
    });
    try {
      const [db, svc] = loadDashboards(dir);
      expect([svc.uid, svc.folder, dashboardMountPath(svc)]).toEqual(["my-service", undefined, "/etc/grafana/dashboards/general/my-service.json"]);
      expect([db.uid, db.folder?.title, dashboardMountPath(db)]).toEqual(["my-db", "Infrastructure", "/etc/grafana/dashboards/infrastructure/my-db.json"]);
    } finally {
      fs.rmSync(dir, { recursive: true, force: true });
    }
  });

  it("gets a stable uid from its file name when it has none", () => {
    const { json } = normaliseDashboard("My Service (v2).json", JSON.stringify({ title: "x", panels: [] }));
    expect(json.uid).toBe("my-service-v2");
    expect(uidFromFileName("a".repeat(60) + ".json")).toHaveLength(40);
  });

  it("loads from the API's { dashboard, meta } wrapper too", () => {
    const { json } = normaliseDashboard("w.json", JSON.stringify({ dashboard: { uid: "w", title: "W", panels: [] }, meta: { slug: "w" } }));
    expect(json).toMatchObject({ uid: "w", title: "W" });
  });

  it.each([
    ["an input for a datasource the stack does not provision", { ...EXPORTED, __inputs: [{ name: "DS_MYSQL", type: "datasource", pluginId: "mysql" }] }, /dashboards\/bad\.json: input DS_MYSQL needs a mysql datasource, which the stack does not provision \(provisioned: prometheus, loki, tempo, alertmanager\)/],
    ["an invalid uid", { ...EXPORTED, __inputs: undefined, uid: "has spaces" }, /dashboards\/bad\.json: uid "has spaces" is not valid; Grafana accepts 1-40 letters, digits/],
    ["no panels", { title: "x" }, /dashboards\/bad\.json: has no "panels" list/],
  ])("is rejected with the file named when it has %s", (_what, dashboard, expected) => {
    expect(() => normaliseDashboard("bad.json", JSON.stringify(dashboard))).toThrow(expected);
  });

  describe("naming a datasource uid the stack does not provision (a dashboard exported without 'for sharing externally')", () => {
    // What Grafana writes for a plain export: the uid of the datasource in the Grafana it came from.
    const FOREIGN = "P1809F7CD0C75ACF3";
    const plain = (where: "panel" | "query" | "variable" | "row") => {
      const ds = { type: "prometheus", uid: FOREIGN };
      const query = { refId: "A", expr: "up", datasource: where === "query" ? ds : { type: "prometheus", uid: "prometheus" } };
      const panel = { id: 1, type: "timeseries", title: "Up", datasource: where === "panel" ? ds : { type: "prometheus", uid: "prometheus" }, targets: [query] };
      return {
        uid: "plain",
        title: "Plain export",
        panels: where === "row" ? [{ id: 9, type: "row", collapsed: true, panels: [{ ...panel, datasource: ds }] }] : [panel],
        templating: { list: where === "variable" ? [{ name: "job", type: "query", datasource: ds, query: "label_values(up, job)" }] : [] },
      };
    };

    it.each(["panel", "query", "variable", "row"] as const)("is rejected with the file, the uid and the provisioned uids named (uid on a %s)", (where) => {
      expect(() => normaliseDashboard("plain.json", JSON.stringify(plain(where)))).toThrow(
        `dashboards/plain.json: names datasource uid "${FOREIGN}", which the stack does not provision (provisioned: prometheus, loki, tempo, alertmanager)`,
      );
    });

    it("names every unknown uid once, sorted", () => {
      const d = { uid: "two", title: "Two", panels: [{ datasource: { uid: "zz" } }, { datasource: { uid: "aa" } }, { datasource: { uid: "zz" } }] };
      expect(unknownDatasourceUids(d)).toEqual(["aa", "zz"]);
    });

    it("accepts the provisioned uids, Grafana's built-in datasources, dashboard variables and the legacy name form", () => {
      const d = {
        panels: [
          ...Object.values(DATASOURCE_UIDS).map((uid) => ({ datasource: { uid } })),
          { datasource: { type: "datasource", uid: "grafana" } },
          { datasource: { type: "datasource", uid: "-- Mixed --" }, targets: [{ datasource: { uid: "-- Dashboard --" } }, { datasource: { type: "__expr__", uid: "__expr__" } }] },
          { datasource: { uid: "$datasource" } },
          { datasource: { uid: "${ds}" } },
          { datasource: "Prometheus" },
        ],
      };
      expect(unknownDatasourceUids(d)).toEqual([]);
    });
  });

  it("is rejected when it is not JSON, or when two files share a uid", () => {
    expect(() => normaliseDashboard("bad.json", "{ nope")).toThrow(/dashboards\/bad\.json: not valid JSON/);
    const dir = tempDashboards({ "a.json": JSON.stringify(EXPORTED), "b.json": JSON.stringify(EXPORTED) });
    try {
      expect(() => loadDashboards(dir)).toThrow(/dashboards\/b\.json: uid "my-service" is already used by dashboards\/a\.json/);
    } finally {
      fs.rmSync(dir, { recursive: true, force: true });
    }
  });
});
