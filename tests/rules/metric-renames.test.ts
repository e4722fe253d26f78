/**
 * Per-target metric and label renames (`targets[].metricRenames` /
 * `labelRenames`) that map what a service exports onto the metrics contract,
 * as `metric_relabel_configs` of that target's scrape job:
 *
 * - the generated relabel rules, and their effect emulated on sample series;
 * - `promtool check config` on the rendered prometheus.yml;
 * - Debian's real Prometheus scraping a local endpoint that exports the
 *   TutorDex backend's names (`backend_http_requests_total{status_code}`,
 *   `backend_http_request_latency_seconds`), queried back under the contract's.
 * - stack config validation of the renames.
 */
import { ChildProcess, spawn } from "child_process";
import * as fs from "fs";
import * as http from "http";
import * as os from "os";
import * as path from "path";
import { parse, stringify } from "yaml";
import { metricRelabelConfigs, prometheusConfigFile, type MetricRelabelConfig, type ScrapeTarget } from "../../configs/prometheus/prometheus";
import { validateSettings } from "../../settings/validate";
import { problemsOf } from "../settings/problems";
import { findPromtool, run } from "./fixtures";
import { freePort } from "../../e2e/ports";
import { PLATFORM_PROFILES } from "../../targets";

jest.setTimeout(60_000);

const BACKEND_RENAMES = {
  metricRenames: { backend_http_requests_total: "http_requests_total", backend_http_request_latency_seconds: "http_request_duration_seconds" },
  labelRenames: { status_code: "status" },
};
const backend: ScrapeTarget = {
  name: "tutordex_backend",
  address: "backend:8000",
  component: "backend",
  metricsPath: "/metrics",
  scrapeInterval: "15s",
  healthPaths: ["/health/backend"],
  ...BACKEND_RENAMES,
};

function config(targets: ScrapeTarget[]) {
  return prometheusConfigFile({
    scrapeInterval: "15s",
    evaluationInterval: "30s",
    environment: "test",
    ruleFiles: [],
    stackJobs: [],
    targets,
    probes: [],
    platform: PLATFORM_PROFILES.docker,
  });
}

type Labels = Record<string, string>;

/** Prometheus' relabelling for the two actions the renames use: anchored RE2 regexes, `${1}` expansion, empty label = absent. */
function relabel(series: Labels, rules: readonly MetricRelabelConfig[]): Labels {
  let out = { ...series };
  for (const r of rules) {
    const re = new RegExp(`^(?:${r.regex})$`);
    if (r.action === "labeldrop") {
      out = Object.fromEntries(Object.entries(out).filter(([k]) => !re.test(k)));
      continue;
    }
    const value = (r.source_labels ?? []).map((l) => out[l] ?? "").join(";");
    const m = re.exec(value);
    if (!m || !r.target_label) continue;
    const v = (r.replacement ?? "$1").replace(/\$\{(\d+)\}|\$(\d+)/g, (_s, a: string | undefined, b: string | undefined) => m[Number(a ?? b)] ?? "");
    if (v === "") delete out[r.target_label];
    else out[r.target_label] = v;
  }
  return out;
}

describe("metric_relabel_configs from renames", () => {
  const rules = metricRelabelConfigs(BACKEND_RENAMES.metricRenames, BACKEND_RENAMES.labelRenames);

  it("renames exact metric names (histogram series included) and moves the label", () => {
    expect(rules).toEqual([
      { source_labels: ["__name__"], regex: "backend_http_requests_total(_bucket|_count|_sum|_created)?", target_label: "__name__", replacement: "http_requests_total${1}", action: "replace" },
      {
        source_labels: ["__name__"],
        regex: "backend_http_request_latency_seconds(_bucket|_count|_sum|_created)?",
        target_label: "__name__",
        replacement: "http_request_duration_seconds${1}",
        action: "replace",
      },
      { source_labels: ["status_code"], regex: "(.+)", target_label: "status", replacement: "${1}", action: "replace" },
      { regex: "status_code", action: "labeldrop" },
    ]);
  });

  it.each([
    [{ __name__: "backend_http_requests_total", method: "GET", path: "/assignments", status_code: "500" }, { __name__: "http_requests_total", method: "GET", path: "/assignments", status: "500" }],
    [{ __name__: "backend_http_request_latency_seconds_bucket", method: "GET", path: "/a", le: "0.5" }, { __name__: "http_request_duration_seconds_bucket", method: "GET", path: "/a", le: "0.5" }],
    [{ __name__: "backend_http_request_latency_seconds_count", method: "GET", path: "/a" }, { __name__: "http_request_duration_seconds_count", method: "GET", path: "/a" }],
    [{ __name__: "backend_http_request_latency_seconds_sum" }, { __name__: "http_request_duration_seconds_sum" }],
    // anchored: a longer name with the same prefix is not renamed
    [{ __name__: "backend_http_requests_total_extra" }, { __name__: "backend_http_requests_total_extra" }],
    [{ __name__: "xbackend_http_requests_total" }, { __name__: "xbackend_http_requests_total" }],
    // a series without the old label keeps its own new one
    [{ __name__: "worker_jobs_processed_total", status: "ok" }, { __name__: "worker_jobs_processed_total", status: "ok" }],
    // the label moves on every metric of the job, not only renamed ones
    [{ __name__: "backend_other_total", status_code: "200" }, { __name__: "backend_other_total", status: "200" }],
  ])("%j -> %j", (input, expected) => {
    expect(relabel(input, rules)).toEqual(expected);
  });

  it("only the target with renames gets metric_relabel_configs", () => {
    const plain: ScrapeTarget = { ...backend, name: "tutordex_worker", address: "aggregator-worker:9002", metricRenames: {}, labelRenames: {} };
    const doc = parse(config([backend, plain]).content) as { scrape_configs: { job_name: string; metric_relabel_configs?: unknown[] }[] };
    expect(doc.scrape_configs.find((j) => j.job_name === "tutordex_backend")?.metric_relabel_configs).toHaveLength(4);
    expect(doc.scrape_configs.find((j) => j.job_name === "tutordex_worker")).not.toHaveProperty("metric_relabel_configs");
  });

  it("promtool check config accepts the rendered prometheus.yml", () => {
    const promtool = findPromtool();
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), "renames-"));
    try {
      fs.writeFileSync(path.join(dir, "prometheus.yml"), config([backend]).content);
      const res = run(promtool, ["check", "config", "prometheus.yml"], dir);
      if (res.code !== 0) throw new Error(res.out);
      expect(res.out).toMatch(/SUCCESS/);
    } finally {
      fs.rmSync(dir, { recursive: true, force: true });
    }
  });
});

async function getJson(url: string): Promise<unknown> {
  return new Promise((resolve, reject) => {
    http
      .get(url, (res) => {
        let body = "";
        res.on("data", (c) => (body += c));
        res.on("end", () => {
          try {
            resolve(JSON.parse(body));
          } catch (e) {
            reject(e);
          }
        });
      })
      .on("error", reject);
  });
}

describe("renames under the real Prometheus (Debian 2.42)", () => {
  const BACKEND_METRICS = [
    "# TYPE backend_http_requests_total counter",
    'backend_http_requests_total{method="GET",path="/assignments",status_code="200"} 42',
    'backend_http_requests_total{method="GET",path="/assignments",status_code="500"} 3',
    "# TYPE backend_http_request_latency_seconds histogram",
    'backend_http_request_latency_seconds_bucket{method="GET",path="/assignments",le="0.5"} 40',
    'backend_http_request_latency_seconds_bucket{method="GET",path="/assignments",le="+Inf"} 45',
    'backend_http_request_latency_seconds_sum{method="GET",path="/assignments"} 9.5',
    'backend_http_request_latency_seconds_count{method="GET",path="/assignments"} 45',
    "",
  ].join("\n");

  let exporter: http.Server | undefined;
  let daemon: ChildProcess | undefined;
  let dir = "";
  let api = "";
  let log = "";

  beforeAll(async () => {
    const binary = process.env.PROMETHEUS ?? "/usr/bin/prometheus";
    if (!fs.existsSync(binary)) throw new Error(`Prometheus not found at ${binary} (Debian: apt-get install prometheus, or set PROMETHEUS)`);
    const [exporterPort, promPort] = [await freePort(), await freePort()];
    exporter = http.createServer((_req, res) => {
      res.writeHead(200, { "Content-Type": "text/plain; version=0.0.4" });
      res.end(BACKEND_METRICS);
    });
    await new Promise<void>((r) => exporter!.listen(exporterPort, "127.0.0.1", r));

    // The backend job exactly as rendered, pointed at the local exporter and scraped every second.
    const rendered = parse(config([backend]).content) as { scrape_configs: Record<string, unknown>[] };
    const job = { ...rendered.scrape_configs.find((j) => j.job_name === "tutordex_backend"), scrape_interval: "1s", static_configs: [{ targets: [`127.0.0.1:${exporterPort}`], labels: { component: "backend" } }] };
    dir = fs.mkdtempSync(path.join(os.tmpdir(), "renames-prom-"));
    fs.writeFileSync(path.join(dir, "prometheus.yml"), stringify({ global: { scrape_interval: "1s" }, scrape_configs: [job] }));
    api = `http://127.0.0.1:${promPort}`;
    daemon = spawn(binary, [`--config.file=${path.join(dir, "prometheus.yml")}`, `--storage.tsdb.path=${path.join(dir, "data")}`, `--web.listen-address=127.0.0.1:${promPort}`], { stdio: ["ignore", "pipe", "pipe"] });
    daemon.stdout?.on("data", (d) => (log += d));
    daemon.stderr?.on("data", (d) => (log += d));

    // Wait for the first scrape to land.
    for (let i = 0; i < 100; i++) {
      await new Promise((r) => setTimeout(r, 200));
      try {
        const res = (await getJson(`${api}/api/v1/query?query=up`)) as { data?: { result?: unknown[] } };
        if ((res.data?.result ?? []).length > 0) {
          await new Promise((r) => setTimeout(r, 1500));
          return;
        }
      } catch {
        /* not up yet */
      }
    }
    throw new Error(`Prometheus did not scrape within 20 s:\n${log}`);
  });

  afterAll(async () => {
    daemon?.kill("SIGTERM");
    await new Promise<void>((r) => (exporter ? exporter.close(() => r()) : r()));
    if (dir) fs.rmSync(dir, { recursive: true, force: true });
  });

  const query = async (q: string) =>
    ((await getJson(`${api}/api/v1/query?query=${encodeURIComponent(q)}`)) as { data: { result: { metric: Labels; value: [number, string] }[] } }).data.result;

  it("stores the contract names with the contract label, and none of the exported ones", async () => {
    const errors = await query('http_requests_total{job="tutordex_backend",status="500"}');
    expect(errors.map((r) => [r.metric.method, r.metric.path, r.value[1]])).toEqual([["GET", "/assignments", "3"]]);
    expect(errors[0].metric).not.toHaveProperty("status_code");
    expect(await query('{__name__=~"backend_http_.*"}')).toEqual([]);
    expect(await query('{job="tutordex_backend", status_code!=""}')).toEqual([]);
  });

  it("renames every histogram series, so the contract's p95 and SLO queries work", async () => {
    const names = (await query('{__name__=~"http_request_duration_seconds.*"}')).map((r) => r.metric.__name__).sort();
    expect([...new Set(names)]).toEqual(["http_request_duration_seconds_bucket", "http_request_duration_seconds_count", "http_request_duration_seconds_sum"]);
    const p = await query("histogram_quantile(0.5, sum by (le) (http_request_duration_seconds_bucket))");
    expect(p).toHaveLength(1);
    expect(Number(p[0].value[1])).toBeLessThanOrEqual(0.5);
  });
});

describe("stack config validation of renames", () => {
  const problemsOfTarget = (target: Record<string, unknown>): string[] =>
    problemsOf({ targets: [{ name: "tutordex_backend", address: "backend:8000", component: "backend", ...target }] });

  it("accepts the backend's renames and defaults to none", () => {
    expect(problemsOfTarget(BACKEND_RENAMES)).toEqual([]);
    const s = validateSettings({ values: { targets: [{ name: "x", address: "x:1", component: "x" }] }, secretKeys: new Set() });
    expect(s.targets[0]).toMatchObject({ metricRenames: {}, labelRenames: {} });
  });

  it.each([
    ["an invalid new metric name", { metricRenames: { backend_x: "http-requests" } }, /^targets\[0\]\.metricRenames\.backend_x: "http-requests" is not valid; expected a metric name/],
    ["an invalid old metric name", { metricRenames: { "backend-x": "x" } }, /^targets\[0\]\.metricRenames\.backend-x: 'backend-x' is not a valid metric name to rename/],
    ["a chain", { metricRenames: { a: "b", b: "c" } }, /^targets\[0\]\.metricRenames\.a: 'b' is itself renamed; chains are ambiguous/],
    ["two metrics into one", { metricRenames: { a: "c", b: "c" } }, /^targets\[0\]\.metricRenames\.b: 'b' and 'a' would both become 'c'/],
    ["a rename to itself", { labelRenames: { status: "status" } }, /^targets\[0\]\.labelRenames\.status: renames 'status' to itself/],
    ["a reserved label", { labelRenames: { instance: "host" } }, /^targets\[0\]\.labelRenames\.instance: 'instance' is set by Prometheus or the stack/],
    ["a rename onto a reserved label", { labelRenames: { svc: "job" } }, /^targets\[0\]\.labelRenames\.svc: 'job' is set by Prometheus or the stack/],
    ["a __ label", { labelRenames: { __meta_x: "x" } }, /^targets\[0\]\.labelRenames\.__meta_x: '__meta_x' is not a valid label name to rename/],
    ["a non-string value", { labelRenames: { status_code: 5 } }, /^targets\[0\]\.labelRenames\.status_code: must be a string/],
  ])("rejects %s", (_label, target, pattern) => {
    const problems = problemsOfTarget(target);
    expect(problems.join("\n")).toMatch(pattern);
  });
});
