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
 * `--enable-feature=exemplar-storage`, retention flag deprecated but honoured.
 */
import { parse } from "yaml";
import { prometheusConfigFile, PrometheusConfigOptions } from "../../configs/prometheus/prometheus";

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
  platform: "kubernetes",
};

describe("prometheus.yml keys valid in both Prometheus 2.42 and 3.14", () => {
  it.each([
    ["kubernetes", base],
    ["docker", { ...base, platform: "docker" as const, alertmanagerPods: undefined }],
  ])("%s: no key that only one of the two versions accepts", (_name, o) => {
    const found = keys(parse(prometheusConfigFile(o).content));
    expect(REMOVED_IN_3.filter((k) => found.has(k))).toEqual([]);
    expect(ONLY_IN_3.filter((k) => found.has(k))).toEqual([]);
    // The scan reaches nested keys: relabel rules and SD blocks are inside.
    expect(found.has("metric_relabel_configs")).toBe(true);
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
