import { parse } from "yaml";
import { renderRun } from "../../render/render";
import { validateSettings } from "../../settings/validate";
import { contractSeries, estimateSizing, expectedJobs, headroom, prometheusDiskBytes, prometheusMemoryBytes } from "../../sizing/model";
import { sizingJson, sizingMarkdown, sizingWarnings } from "../../sizing/report";
import { problemsOf } from "../settings/problems";
import { runWith, TUTORDEX_TARGETS } from "../stack/harness";

const settingsOf = (values: Record<string, unknown>) => validateSettings({ values, secretKeys: new Set() });
const row = (values: Record<string, unknown>, store: string, resource: string) => {
  const found = estimateSizing(settingsOf(values)).rows.find((r) => r.store === store && r.resource === resource);
  if (!found) throw new Error(`no ${store} ${resource} row`);
  return found;
};
const manyTargets = (n: number, extra: Record<string, unknown> = {}) =>
  Array.from({ length: n }, (_, i) => ({ name: `app_${i}`, address: `app-${i}:8080`, component: "app", ...extra }));

describe("the sizing model's scrape jobs", () => {
  const configs: Record<string, Record<string, unknown>> = {
    "docker with TutorDex targets": { targets: TUTORDEX_TARGETS },
    "kubernetes with replicas, exporters and the control plane": {
      target: "kubernetes",
      kubernetes: { controlPlane: true },
      alertmanager: { replicas: 3 },
      targets: TUTORDEX_TARGETS,
      exporters: { postgres: { enabled: true, dataSourceName: "postgresql://x@db/y" }, redis: { enabled: true } },
    },
    "external Grafana, promtail and external probes": {
      logAgent: "promtail",
      grafana: { mode: "external", url: "https://g.example.com", apiToken: "t" },
      probes: [{ name: "site", url: "https://example.com/" }, { name: "port", url: "example.com:443", module: "tcp_connect" }],
    },
  };

  it.each(Object.keys(configs))("are exactly the jobs of the rendered prometheus.yml (%s)", async (name) => {
    const values = configs[name];
    const secret = name.startsWith("kubernetes") ? ["exporters"] : name.startsWith("external") ? ["grafana"] : [];
    const run = await runWith(values, secret);
    const rendered = renderRun(run, "test").find((f) => f.path === "prometheus/prometheus.yml")!;
    const jobs = (parse(rendered.content).scrape_configs as { job_name: string }[]).map((j) => j.job_name).sort();
    expect(run.sizing.jobs.map((j) => j.job).sort()).toEqual(jobs);
  });

  it("adds Prometheus' five synthetic series per target and the measured per-probe series", () => {
    const jobs = expectedJobs(settingsOf({ targets: [{ name: "api", address: "api:80", component: "api", expectedSeries: 1000, healthPaths: ["/a", "/b"] }] }));
    expect(jobs.find((j) => j.job === "api")?.series).toBe(1005);
    expect(jobs.find((j) => j.job === "blackbox_http")?.series).toBe(2 * (17 + 5));
  });

  it("estimates a TutorDex service from the metrics contract, and anything else from the default unless expectedSeries says", () => {
    const jobs = expectedJobs(settingsOf({ targets: [...TUTORDEX_TARGETS, ...manyTargets(1)] }));
    expect(jobs.find((j) => j.job === "tutordex_worker")?.series).toBe(contractSeries("worker") + 5);
    expect(contractSeries("worker")).toBeGreaterThan(contractSeries("collector"));
    expect(jobs.find((j) => j.job === "app_0")).toMatchObject({ series: 505, basis: "default per target" });
  });

  it("counts samples per second from each job's own scrape interval", () => {
    const fast = estimateSizing(settingsOf({ targets: manyTargets(1, { expectedSeries: 10000, scrapeInterval: "5s" }) }));
    const slow = estimateSizing(settingsOf({ targets: manyTargets(1, { expectedSeries: 10000, scrapeInterval: "60s" }) }));
    expect(fast.samplesPerSecond - slow.samplesPerSecond).toBeCloseTo(10005 / 5 - 10005 / 60, 3);
  });

  it("scales node agents and per-pod exporters with the cluster's expected nodes and pods", () => {
    const small = estimateSizing(settingsOf({ target: "kubernetes", kubernetes: { expectedNodes: 3, expectedPods: 50 } }));
    const large = estimateSizing(settingsOf({ target: "kubernetes", kubernetes: { expectedNodes: 30, expectedPods: 900 }, prometheus: { storageGi: 200 } }));
    const nodeExporter = (e: typeof small) => e.jobs.find((j) => j.job === "node_exporter")!.series;
    expect(nodeExporter(large)).toBe(10 * nodeExporter(small));
    expect(large.series).toBeGreaterThan(5 * small.series);
  });
});

describe("the stores' estimates", () => {
  it("memory grows with head series and scrape targets from the measured base", () => {
    expect(prometheusMemoryBytes(0, 0)).toBe(44 * 2 ** 20);
    expect(prometheusMemoryBytes(100000, 0) - prometheusMemoryBytes(0, 0)).toBe(100000 * 2 * 1024);
    expect(prometheusMemoryBytes(0, 100) - prometheusMemoryBytes(0, 0)).toBe(100 * 150 * 1024);
  });

  it("disk holds the retention at 2 bytes per sample plus three hours of WAL", () => {
    const oneDay = prometheusDiskBytes(0, 1000, 86400);
    const twoDays = prometheusDiskBytes(0, 1000, 2 * 86400);
    expect(twoDays - oneDay).toBe(1000 * 86400 * 2);
  });

  it("sets Prometheus' disk against 85% of the volume on Kubernetes and against nothing on Docker", () => {
    expect(row({ target: "kubernetes", prometheus: { storageGi: 100 } }, "prometheus", "disk").configuredBytes).toBe(85 * 2 ** 30);
    expect(row({}, "prometheus", "disk").configuredBytes).toBeUndefined();
  });

  it("estimates Loki and Tempo disk only from the expected volumes the config gives", () => {
    expect(row({}, "loki", "disk").expectedBytes).toBeUndefined();
    const loki = row({ loki: { expectedLogBytesPerDay: 4 * 2 ** 30, retention: "240h" } }, "loki", "disk");
    // 10 days of 4 GiB at 4x compression plus 2% index, plus 2 h of raw WAL.
    expect(loki.expectedBytes).toBeCloseTo(10 * 2 ** 30 * 1.02 + (4 * 2 ** 30) / 12, -3);
    const tempo = row({ tempo: { expectedSpansPerSecond: 100, retention: "24h" } }, "tempo", "disk");
    expect(tempo.expectedBytes).toBe(100 * 86400 * 250);
  });
});

describe("refusing limits that cannot hold the load (before any resource is registered)", () => {
  it("refuses a Prometheus memory limit below the estimate, naming the key and a value that fits", async () => {
    const values = { prometheus: { memoryLimitMb: 64 }, targets: manyTargets(20, { expectedSeries: 5000 }) };
    const problems = problemsOf(values);
    expect(problems).toHaveLength(1);
    expect(problems[0]).toMatch(/^prometheus\.memoryLimitMb: prometheus needs about \d+ MiB of memory \(\d+ head series, \d+ targets\), more than the memory limit holds \(64 MiB\); set it to at least \d+ MiB/);
    const fits = Number(/at least (\d+) MiB/.exec(problems[0])![1]);
    expect(problemsOf({ ...values, prometheus: { memoryLimitMb: fits } })).toEqual([]);
    await expect(runWith(values)).rejects.toThrow(/nothing was deployed[\s\S]*observability:prometheus\.memoryLimitMb/);
  });

  it("refuses a Prometheus volume whose size-based retention would cut the configured retention", () => {
    const problems = problemsOf({ target: "kubernetes", prometheus: { storageGi: 1, retention: "365d" }, targets: manyTargets(10, { expectedSeries: 5000 }) });
    expect(problems).toEqual([expect.stringMatching(/^prometheus\.storageGi: .*85% of the volume \(size-based retention would silently delete data younger than prometheus\.retention\).*set it to at least \d+ GiB/)]);
  });

  it("refuses Loki and Tempo volumes that cannot hold the declared volume for the retention", () => {
    const problems = problemsOf({
      target: "kubernetes",
      loki: { storageGi: 1, expectedLogBytesPerDay: 10 * 2 ** 30, retention: "720h" },
      tempo: { storageGi: 1, expectedSpansPerSecond: 1000, retention: "168h" },
    });
    expect(problems.map((p) => p.split(":")[0]).sort()).toEqual(["loki.storageGi", "tempo.storageGi"]);
  });

  it("refuses a target declared to export more series than one application scrape may return", () => {
    const target = { name: "big", address: "big:8080", component: "big", expectedSeries: 60000 };
    expect(problemsOf({ targets: [target], prometheus: { memoryLimitMb: 4096 } })).toEqual([
      expect.stringMatching(/^targets\[0\]\.expectedSeries: 60000 series is more than prometheus\.applicationSampleLimit \(50000\) .*raise prometheus\.applicationSampleLimit to at least 60000/),
    ]);
    expect(problemsOf({ targets: [target], prometheus: { memoryLimitMb: 4096, applicationSampleLimit: 60000 } })).toEqual([]);
  });

  it("does not judge Docker volumes, which share the host's disk", () => {
    expect(problemsOf({ loki: { expectedLogBytesPerDay: 1e12 }, tempo: { expectedSpansPerSecond: 1e6 } })).toEqual([]);
  });
});

describe("what preview and render print", () => {
  it("warns below 30 % headroom, with the value that would leave 30 %", () => {
    const e = estimateSizing(settingsOf({ alertmanager: { memoryLimitMb: 48 } }));
    const am = e.rows.find((r) => r.store === "alertmanager")!;
    expect(headroom(am)).toBeGreaterThan(0);
    expect(headroom(am)).toBeLessThan(0.3);
    expect(sizingWarnings(e)).toEqual([{ key: "alertmanager.memoryLimitMb", message: expect.stringMatching(/^alertmanager memory headroom is \d+ %.*58 MiB would leave 30 %$/) }]);
    expect(sizingMarkdown(e)).toContain("Warnings (under 30 % headroom):");
  });

  it("is among the program's warnings, which preview shows", async () => {
    const run = await runWith({ alertmanager: { memoryLimitMb: 48 } });
    expect(run.warnings).toEqual(expect.arrayContaining([expect.stringMatching(/^observability:alertmanager\.memoryLimitMb: alertmanager memory headroom is \d+ %/)]));
  });

  it("has no warning with generous limits", () => {
    expect(sizingWarnings(estimateSizing(settingsOf({ targets: TUTORDEX_TARGETS })))).toEqual([]);
  });

  it("writes sizing.md and sizing.json into the render output", async () => {
    const run = await runWith({ target: "kubernetes", targets: TUTORDEX_TARGETS, loki: { expectedLogBytesPerDay: 2 ** 30 } });
    const files = renderRun(run, "test");
    const md = files.find((f) => f.path === "sizing.md")!.content;
    expect(md).toMatch(/^\| prometheus \| memory \| \d+ MiB \| 2\.0 GiB \| \d+ % \| \d+ head series, \d+ targets \|$/m);
    expect(md).toMatch(/^\| loki \| disk \| [\d.]+ GiB \| 20\.0 GiB \| \d+ % \| 1\.0 GiB\/day for 168h \|$/m);
    expect(md).toMatch(/^\| tempo \| disk \| not estimated \(set tempo\.expectedSpansPerSecond\) \| 10\.0 GiB \| — \|/m);
    const json = JSON.parse(files.find((f) => f.path === "sizing.json")!.content);
    expect(json.series).toBe(Math.round(run.sizing.series));
    expect(json.stores.map((s: { store: string; resource: string }) => `${s.store}/${s.resource}`)).toEqual([
      "prometheus/memory",
      "prometheus/disk",
      "alertmanager/memory",
      "loki/disk",
      "tempo/disk",
    ]);
    expect(sizingJson(run.sizing)).toBe(files.find((f) => f.path === "sizing.json")!.content);
  });
});
