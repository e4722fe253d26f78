/**
 * Issue 19 ("upstream fit"), read back from what `npm run render` writes for
 * the shipped stacks (dev: Docker, prod: Kubernetes with 3 Alertmanagers),
 * each fact checked against the pinned release's source:
 *
 * - Alertmanager 0.34 cluster/advertise.go: no advertise address and a
 *   0.0.0.0 listener means "no private IP found" on pods without one. The live
 *   proof is tests/alertmanager/alertmanager.cluster.test.ts.
 * - Loki 3.7.3 (same in 3.7.5): `query_range.cache_results` defaults to false, so a
 *   `results_cache` block alone caches nothing (pkg/querier/queryrange).
 * - Prometheus 3.14: `--storage.tsdb.retention.*` deprecated for
 *   `storage.tsdb.retention` (cmd/prometheus/main.go, config/config.go);
 *   OTLP batches may arrive out of order (out_of_order_time_window; live
 *   proof in tests/e2e/live.test.ts).
 * - Tempo 3.0.2 (same in 3.0.3): the scheduler never reads `block_retention`
 *   (modules/backendscheduler/provider/compaction.go).
 * - Grafana 13.x: provisioning keys as the provisioning reference documents
 *   them (docs/sources/administration/provisioning/index.md: datasources'
 *   `apiVersion`, `deleteDatasources`, `prune` (11.1+), `datasources` fields;
 *   dashboard providers' fields).
 */
import * as fs from "fs";
import * as os from "os";
import * as path from "path";
import { parse, parseAllDocuments } from "yaml";
import { POD_IP_ENV } from "../../components/alertmanager";
import { GRAFANA_DATA_DIR } from "../../components/grafana";
import { lokiCacheSizesMb } from "../../configs/loki/loki";
import { OUT_OF_ORDER_TIME_WINDOW, retentionSize } from "../../configs/prometheus/prometheus";
import { SERVICES } from "../../configs/topology";
import { renderStack, writeRendered } from "../../render/render";
import { SETTINGS_SCHEMA } from "../../settings/schema";
import { FIXTURE_STACKS_DIR, PROJECT_DIR } from "../support/stacks";

const ROOT = PROJECT_DIR;

/** Keys the Grafana provisioning reference documents. */
const DATASOURCE_FILE_KEYS = ["apiVersion", "deleteDatasources", "prune", "datasources"];
const DATASOURCE_KEYS = ["name", "type", "access", "orgId", "uid", "url", "user", "database", "basicAuth", "basicAuthUser", "withCredentials", "isDefault", "jsonData", "secureJsonData", "version", "editable"];
const DASHBOARD_FILE_KEYS = ["apiVersion", "providers"];
const PROVIDER_KEYS = ["name", "orgId", "folder", "folderUid", "type", "disableDeletion", "updateIntervalSeconds", "allowUiUpdates", "options"];
const PROVIDER_OPTION_KEYS = ["path", "foldersFromFilesStructure"];

const unknownKeys = (o: object, known: readonly string[]) => Object.keys(o).filter((k) => !known.includes(k));

/** Stack config as the stack file says it (the schema defaults apply where it is silent). */
function stackConfig(stack: string): Record<string, Record<string, unknown>> {
  const file = parse(fs.readFileSync(path.join(ROOT, `Pulumi.${stack}.yaml`), "utf8")) as { config: Record<string, unknown> };
  return Object.fromEntries(Object.entries(file.config).map(([k, v]) => [k.replace(/^observability:/, ""), v as Record<string, unknown>]));
}

describe.each(["dev", "prod"])("the rendered %s stack fits the pinned releases", (stack) => {
  let out: string;
  const read = (p: string) => fs.readFileSync(path.join(out, p), "utf8");
  const yaml = <T>(p: string) => parse(read(p)) as T;

  beforeAll(async () => {
    out = fs.mkdtempSync(path.join(os.tmpdir(), `upstream-fit-${stack}-`));
    writeRendered(out, await renderStack(ROOT, stack, { stacksDir: FIXTURE_STACKS_DIR }));
  });
  afterAll(() => fs.rmSync(out, { recursive: true, force: true }));

  it("Loki caches range-query results, in caches sized from its memory limit", () => {
    const loki = yaml<{ query_range: { cache_results: boolean; results_cache: { cache: { embedded_cache: { max_size_mb: number } } } }; chunk_store_config: { chunk_cache_config: { embedded_cache: { max_size_mb: number } } } }>("loki/loki.yml");
    const memory = (stackConfig(stack).loki?.memoryLimitMb as number | undefined) ?? SETTINGS_SCHEMA.loki.fields.memoryLimitMb.default;
    expect(loki.query_range.cache_results).toBe(true);
    expect(loki.query_range.results_cache.cache.embedded_cache.max_size_mb).toBe(lokiCacheSizesMb(memory).results);
    expect(loki.chunk_store_config.chunk_cache_config.embedded_cache.max_size_mb).toBe(lokiCacheSizesMb(memory).chunks);
  });

  it("Tempo states block_retention once, in the backend worker that reads it", () => {
    const tempo = read("tempo/tempo.yml");
    expect(tempo.match(/block_retention/g)).toHaveLength(1);
    expect((parse(tempo) as { backend_worker: { compaction: { block_retention: string } } }).backend_worker.compaction.block_retention).toMatch(/h$/);
    expect(parse(tempo)).not.toHaveProperty("backend_scheduler");
  });

  it("Prometheus takes retention from prometheus.yml and accepts out-of-order OTLP samples", () => {
    const prom = yaml<{ storage: { tsdb: { out_of_order_time_window: string; retention: { time: string; size?: string } } } }>("prometheus/prometheus.yml");
    const cfg = stackConfig(stack).prometheus ?? {};
    expect(prom.storage.tsdb.out_of_order_time_window).toBe(OUT_OF_ORDER_TIME_WINDOW);
    expect(prom.storage.tsdb.retention).toEqual({
      time: (cfg.retention as string | undefined) ?? SETTINGS_SCHEMA.prometheus.fields.retention.default,
      ...(stack === "prod" ? { size: retentionSize((cfg.storageGi as number | undefined) ?? SETTINGS_SCHEMA.prometheus.fields.storageGi.default) } : {}),
    });
    const plan = read("plan.json");
    expect(plan).not.toContain("--storage.tsdb.retention");
  });

  it("Grafana's provisioning files use only keys Grafana documents", () => {
    const ds = yaml<{ datasources: Record<string, unknown>[] }>("grafana/provisioning/datasources/datasources.yml");
    expect(unknownKeys(ds, DATASOURCE_FILE_KEYS)).toEqual([]);
    for (const d of ds.datasources) expect({ name: d.name, unknown: unknownKeys(d, DATASOURCE_KEYS) }).toEqual({ name: d.name, unknown: [] });
    const dash = yaml<{ providers: { name: string; options: object }[] }>("grafana/provisioning/dashboards/dashboards.yml");
    expect(unknownKeys(dash, DASHBOARD_FILE_KEYS)).toEqual([]);
    expect(dash.providers.length).toBeGreaterThan(0);
    for (const p of dash.providers) {
      expect({ name: p.name, unknown: unknownKeys(p, PROVIDER_KEYS), options: unknownKeys(p.options, PROVIDER_OPTION_KEYS) }).toEqual({ name: p.name, unknown: [], options: [] });
    }
  });

  if (stack === "prod") {
    type Doc = { kind: string; metadata: { name: string }; spec: { template: { spec: { containers: { name: string; args?: string[]; env?: { name: string; value?: string; valueFrom?: unknown }[] }[] } } } };
    const manifest = (file: string) => parseAllDocuments(read(path.join("kubernetes", file))).map((d) => d.toJSON() as Doc)[0];
    const main = (d: Doc) => d.spec.template.spec.containers[0];

    it("clustered Alertmanagers advertise their pod IP from the Downward API", () => {
      const am = main(manifest("observability-statefulset-alertmanager.yaml"));
      expect(am.args).toContain(`--cluster.advertise-address=[$(${POD_IP_ENV})]:${SERVICES.alertmanager.ports.cluster}`);
      expect(am.env).toContainEqual({ name: POD_IP_ENV, valueFrom: { fieldRef: { fieldPath: "status.podIP" } } });
    });

    it("Grafana writes under its data volume, not the read-only root", () => {
      const grafana = main(manifest("observability-statefulset-grafana.yaml"));
      const env = Object.fromEntries((grafana.env ?? []).map((e) => [e.name, e.value]));
      expect([env.GF_PATHS_DATA, env.GF_PATHS_PLUGINS, env.GF_PATHS_LOGS].every((p) => p?.startsWith(GRAFANA_DATA_DIR))).toBe(true);
    });
  }
});
