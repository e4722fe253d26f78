/**
 * prometheus.yml must load in Prometheus 3.14 (deployed) and in Debian's
 * promtool 2.42 (the local check). Keys that exist on only one side are
 * pinned out here, since promtool 2.42 cannot see the 3.x side.
 *
 * Sources: prometheus/prometheus docs/configuration/configuration.md and the
 * 3.0 migration guide (`scrape_classic_histograms` renamed to
 * `always_scrape_classic_histograms`; `otlp`, `scrape_protocols`,
 * `fallback_scrape_protocol`, `metric_name_validation_scheme`,
 * `convert_classic_histograms_to_nhcb`, `storage.tsdb.retention` are newer
 * keys that promtool 2.42 rejects with "field ... not found", each checked
 * by hand against /usr/bin/promtool);
 * docs/command-line/prometheus.md (3.x): `--web.enable-otlp-receiver`,
 * `--enable-feature=exemplar-storage`.
 *
 * The one 3.x-only block the file carries on purpose: `storage.tsdb.retention`.
 * Prometheus 3.14 cmd/prometheus/main.go marks `--storage.tsdb.retention.time`
 * and `.size` "[DEPRECATED] ... use the storage.tsdb.retention.time field in
 * the config file instead"; config/config.go (v3.14.0) defines TSDBConfig
 * {out_of_order_time_window, stale_series_compaction_threshold,
 * chunk_encoding, retention} and TSDBRetentionConfig {time (model.Duration),
 * size (units.Base2Bytes), percentage (experimental)}; the block is read on
 * every reload (main.go "TSDB retention updated"). It first appears in v3.8.0.
 * Debian's 2.42 checks the file without it (e2e/prometheus-242.ts).
 */
import { execFileSync } from "child_process";
import * as fs from "fs";
import * as os from "os";
import * as path from "path";
import { parse, stringify } from "yaml";
import { OUT_OF_ORDER_TIME_WINDOW, prometheusConfigFile, PrometheusConfigOptions } from "../../configs/prometheus/prometheus";
import { withoutRetentionBlock } from "../../e2e/prometheus-242";
import { PLATFORM_PROFILES } from "../../targets";

/** Accepted by neither: added after 2.42 (2.45) and renamed in 3.0 to `always_scrape_classic_histograms`. */
const REMOVED_IN_3 = ["scrape_classic_histograms"];
/** Valid in 3.x only: promtool 2.42 rejects them. */
const ONLY_IN_3 = ["otlp", "scrape_protocols", "fallback_scrape_protocol", "always_scrape_classic_histograms", "retention", "metric_name_validation_scheme", "convert_classic_histograms_to_nhcb"];

function keys(value: unknown, out: Set<string> = new Set()): Set<string> {
  if (Array.isArray(value)) value.forEach((v) => keys(v, out));
  else if (value !== null && typeof value === "object") {
    for (const [k, v] of Object.entries(value)) {
      out.add(k);
      keys(v, out);
    }
  }
  return out;
}

/** Prometheus 3.14 config/config.go: yaml tags of TSDBConfig and TSDBRetentionConfig. */
const TSDB_KEYS_314 = ["out_of_order_time_window", "stale_series_compaction_threshold", "chunk_encoding", "retention"];
const RETENTION_KEYS_314 = ["time", "size", "percentage"];
/** model.Duration (prometheus/common) and units.Base2Bytes as ParseBase2Bytes reads them ("A unit is required"). */
const PROM_DURATION = /^(\d+(y|w|d|h|m|s|ms))+$/;
const BASE2_BYTES = /^\d+(B|KB|MB|GB|TB|PB|EB)$/;

const base: PrometheusConfigOptions = {
  scrapeInterval: "15s",
  evaluationInterval: "30s",
  environment: "prod",
  ruleFiles: ["rules/a.rules.yml"],
  stackJobs: [
    { job: "node_exporter", address: "node-exporter:9100", component: "infra", pods: { namespaces: ["observability"], service: "node-exporter", port: 9100 } },
    { job: "kube-state-metrics", address: "kube-state-metrics:8080", component: "infra", honorLabels: true },
  ],
  targets: [
    {
      name: "tutordex_backend",
      address: "backend:8000",
      component: "backend",
      metricsPath: "/metrics",
      scrapeInterval: "15s",
      healthPaths: ["/health"],
      metricRenames: { http_request_seconds: "http_request_duration_seconds" },
      labelRenames: { svc: "service" },
    },
  ],
  probes: [{ name: "site", url: "https://example.com", module: "http_2xx" }],
  alertmanagerPods: { namespaces: ["observability"], service: "alertmanager", port: 9093 },
  platform: PLATFORM_PROFILES.kubernetes,
  tsdb: { retentionTime: "15d", retentionSize: "17GB" },
};

describe("prometheus.yml keys valid in both Prometheus 2.42 and 3.14", () => {
  it.each([
    ["kubernetes", base],
    ["docker", { ...base, platform: PLATFORM_PROFILES.docker, alertmanagerPods: undefined }],
  ])("%s: no key that only one of the two versions accepts, but storage.tsdb.retention", (_name, o) => {
    const found = keys(withoutRetentionBlock(parse(prometheusConfigFile(o).content)));
    expect(REMOVED_IN_3.filter((k) => found.has(k))).toEqual([]);
    expect(ONLY_IN_3.filter((k) => found.has(k))).toEqual([]);
    // The scan reaches nested keys: relabel rules and SD blocks are inside.
    expect(found.has("metric_relabel_configs")).toBe(true);
  });

  it("states retention in 3.14's storage.tsdb.retention block, with keys and units 3.14 parses", () => {
    const tsdb = (parse(prometheusConfigFile(base).content) as { storage: { tsdb: Record<string, unknown> } }).storage.tsdb;
    expect(Object.keys(tsdb).filter((k) => !TSDB_KEYS_314.includes(k))).toEqual([]);
    expect(tsdb.retention).toEqual({ time: "15d", size: "17GB" });
    const retention = tsdb.retention as Record<string, string>;
    expect(Object.keys(retention).filter((k) => !RETENTION_KEYS_314.includes(k))).toEqual([]);
    expect(retention.time).toMatch(PROM_DURATION);
    expect(retention.size).toMatch(BASE2_BYTES);
    // Docker: time only (a size of 0 or none disables size retention).
    const docker = parse(prometheusConfigFile({ ...base, tsdb: { retentionTime: "30d" } }).content) as { storage: { tsdb: { retention: unknown } } };
    expect(docker.storage.tsdb.retention).toEqual({ time: "30d" });
  });

  it("accepts samples up to OUT_OF_ORDER_TIME_WINDOW out of order, in a key promtool 2.42 checks too", () => {
    const cfg = parse(prometheusConfigFile(base).content) as { storage: { tsdb: { out_of_order_time_window: string } } };
    expect(cfg.storage.tsdb.out_of_order_time_window).toBe(OUT_OF_ORDER_TIME_WINDOW);
    expect(OUT_OF_ORDER_TIME_WINDOW).toMatch(PROM_DURATION);
    // The stripped file keeps it: only the retention block goes.
    expect(withoutRetentionBlock(cfg).storage.tsdb).toEqual({ out_of_order_time_window: OUT_OF_ORDER_TIME_WINDOW });
  });

  it("is rejected by promtool 2.42 only for the retention block, which is why its check strips that block alone", () => {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), "prom-retention-"));
    try {
      const { scrape_configs: _jobs, alerting: _alerting, ...rest } = parse(prometheusConfigFile({ ...base, ruleFiles: [] }).content) as Record<string, unknown>;
      const write = (name: string, cfg: object) => {
        fs.writeFileSync(path.join(dir, name), stringify(cfg));
        return path.join(dir, name);
      };
      const run = (file: string) => {
        try {
          return execFileSync("promtool", ["check", "config", file], { encoding: "utf8", stdio: ["ignore", "pipe", "pipe"] });
        } catch (e) {
          const err = e as { stdout?: string; stderr?: string };
          return `FAILED ${err.stdout ?? ""}${err.stderr ?? ""}`;
        }
      };
      expect(run(write("as-shipped.yml", rest))).toMatch(/field retention not found/);
      expect(run(write("for-242.yml", withoutRetentionBlock(rest)))).toMatch(/SUCCESS/);
    } finally {
      fs.rmSync(dir, { recursive: true, force: true });
    }
  });

  it("leaves the Alertmanager API version at its default (v2; Prometheus 3 removed v1)", () => {
    const cfg = parse(prometheusConfigFile(base).content) as { alerting: { alertmanagers: { api_version?: string }[] } };
    expect(cfg.alerting.alertmanagers.map((a) => a.api_version ?? "v2")).toEqual(["v2"]);
  });

  it("uses `authorization.credentials_file`, the form both versions accept for the kubelet token", () => {
    const cfg = parse(prometheusConfigFile(base).content) as { scrape_configs: { job_name: string; authorization?: unknown }[] };
    const cadvisor = cfg.scrape_configs.find((j) => j.job_name === "cadvisor");
    expect(cadvisor?.authorization).toEqual({ credentials_file: "/var/run/secrets/kubernetes.io/serviceaccount/token" });
  });
});

describe("the kubelet (cAdvisor) scrape's TLS, checked by promtool", () => {
  type Job = { job_name: string; tls_config?: Record<string, string | boolean>; authorization?: { credentials_file: string }; [k: string]: unknown };
  const cadvisor = (o: PrometheusConfigOptions) => (parse(prometheusConfigFile(o).content) as { scrape_configs: Job[] }).scrape_configs.find((j) => j.job_name === "cadvisor")!;

  it.each([
    ["skips verification by default", {}, { insecure_skip_verify: true }],
    ["verifies with the cluster CA when kubeletTlsVerify is set", { kubeletTlsVerify: true }, { ca_file: "/var/run/secrets/kubernetes.io/serviceaccount/ca.crt" }],
  ])("%s, in a form promtool 2.42 accepts", (_what, extra, tls) => {
    const job = cadvisor({ ...base, ...extra });
    expect(job.tls_config).toEqual(tls);
    // Debian's promtool has no Kubernetes discovery and wants the files to exist: a static stand-in, paths moved to a temp dir.
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), "kubelet-tls-"));
    try {
      const local = (p: string) => path.join(dir, path.basename(p));
      const tlsConfig = Object.fromEntries(Object.entries(job.tls_config ?? {}).map(([k, v]) => [k, typeof v === "string" ? local(v) : v]));
      for (const f of [...Object.values(tlsConfig).filter((v): v is string => typeof v === "string"), local(job.authorization!.credentials_file)]) fs.writeFileSync(f, "x");
      const { kubernetes_sd_configs: _sd, relabel_configs: _relabel, ...rest } = job;
      const config = { scrape_configs: [{ ...rest, tls_config: tlsConfig, authorization: { credentials_file: local(job.authorization!.credentials_file) }, static_configs: [{ targets: ["10.0.0.1:10250"] }] }] };
      fs.writeFileSync(path.join(dir, "prometheus.yml"), stringify(config));
      expect(execFileSync("promtool", ["check", "config", path.join(dir, "prometheus.yml")], { encoding: "utf8" })).toMatch(/SUCCESS/);
    } finally {
      fs.rmSync(dir, { recursive: true, force: true });
    }
  });
});
