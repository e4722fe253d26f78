/**
 * Live calibration of the sizing model (not imported by the program): runs a
 * real Prometheus (Debian's `prometheus` binary) on loopback against a static
 * exposition server with a known number of targets and series, and measures
 * what the model predicts: head series, resident memory and bytes on disk
 * after a fixed time. The sizing test and `npm run benchmark` both use it.
 *
 * Every socket is on 127.0.0.1; the run stops itself after `seconds`.
 */
import { ChildProcess, spawn } from "child_process";
import * as fs from "fs";
import * as http from "http";
import type { AddressInfo } from "net";
import * as os from "os";
import * as path from "path";
import { freePort } from "./ports";

export interface CalibrationRun {
  /** Scrape targets (each its own target of one job, told apart by a `shard` label). */
  readonly targets: number;
  /** Series each target exposes. */
  readonly seriesPerTarget: number;
  /** Scrape interval in seconds. */
  readonly scrapeIntervalSeconds: number;
  /** How long Prometheus ingests before the measurement. */
  readonly seconds: number;
}

export interface CalibrationMeasurement extends CalibrationRun {
  /** `prometheus_tsdb_head_series` at the end. */
  readonly headSeries: number;
  /** `prometheus_tsdb_head_samples_appended_total` at the end. */
  readonly samplesAppended: number;
  /** Prometheus' resident memory (`process_resident_memory_bytes`). */
  readonly rssBytes: number;
  /** Bytes under the TSDB directory (WAL and head chunks: no block is cut this early). */
  readonly tsdbBytes: number;
}

/** One exposition page: `seriesPerTarget` series of a job, values moving like counters and gauges do. */
export function exposition(seriesPerTarget: number, tick: number): string {
  const lines: string[] = ["# TYPE calibration_requests_total counter", "# TYPE calibration_queue_depth gauge"];
  for (let i = 0; i < seriesPerTarget; i++) {
    // Half counters (monotonic, uneven steps), half gauges (bounded wander): the mix real exporters serve.
    if (i % 2 === 0) lines.push(`calibration_requests_total{route="r${i}"} ${tick * (i % 7 + 1) + (tick % 3)}`);
    else lines.push(`calibration_queue_depth{queue="q${i}"} ${(tick * 13 + i) % 50}`);
  }
  return lines.join("\n") + "\n";
}

export function listen(server: http.Server): Promise<number> {
  return new Promise((resolve, reject) => {
    server.once("error", reject);
    server.listen(0, "127.0.0.1", () => resolve((server.address() as AddressInfo).port));
  });
}

export function get(url: string): Promise<string> {
  return new Promise((resolve, reject) => {
    http
      .get(url, (res) => {
        let body = "";
        res.setEncoding("utf8");
        res.on("data", (c: string) => (body += c));
        res.on("end", () => (res.statusCode === 200 ? resolve(body) : reject(new Error(`${url}: HTTP ${res.statusCode}`))));
      })
      .on("error", reject);
  });
}

export function metricValue(page: string, name: string): number {
  const m = new RegExp(`^${name}(?:\\{[^}]*\\})? (\\S+)$`, "m").exec(page);
  if (!m) throw new Error(`Prometheus does not export ${name}`);
  return Number(m[1]);
}

export function directoryBytes(dir: string): number {
  let total = 0;
  for (const entry of fs.readdirSync(dir, { withFileTypes: true })) {
    const p = path.join(dir, entry.name);
    total += entry.isDirectory() ? directoryBytes(p) : fs.statSync(p).size;
  }
  return total;
}

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

/** The `prometheus` binary, or why there is none. */
export function prometheusBinary(): string | undefined {
  for (const dir of (process.env.PATH ?? "").split(path.delimiter)) {
    const candidate = path.join(dir, "prometheus");
    if (fs.existsSync(candidate)) return candidate;
  }
  return undefined;
}

/** Run one calibration point and measure it. */
export async function measure(run: CalibrationRun): Promise<CalibrationMeasurement> {
  const binary = prometheusBinary();
  if (!binary) throw new Error("calibration needs Debian's prometheus package (apt-get install prometheus)");
  let tick = 0;
  const exporter = http.createServer((_req, res) => {
    res.writeHead(200, { "content-type": "text/plain; version=0.0.4" });
    res.end(exposition(run.seriesPerTarget, tick));
  });
  const exporterPort = await listen(exporter);
  const ticker = setInterval(() => tick++, run.scrapeIntervalSeconds * 1000);
  const workDir = fs.mkdtempSync(path.join(os.tmpdir(), "obs-sizing-"));
  const dataDir = path.join(workDir, "data");
  const staticConfigs = Array.from({ length: run.targets }, (_, i) => `      - targets: ["127.0.0.1:${exporterPort}"]\n        labels: {shard: "s${i}"}`);
  fs.writeFileSync(
    path.join(workDir, "prometheus.yml"),
    `global:\n  scrape_interval: ${run.scrapeIntervalSeconds}s\n  evaluation_interval: 1m\nscrape_configs:\n  - job_name: calibration\n    static_configs:\n${staticConfigs.join("\n")}\n`,
  );
  const port = await freePort();
  const child: ChildProcess = spawn(
    binary,
    [`--config.file=${path.join(workDir, "prometheus.yml")}`, `--storage.tsdb.path=${dataDir}`, `--web.listen-address=127.0.0.1:${port}`, "--log.level=warn"],
    { stdio: "ignore" },
  );
  const base = `http://127.0.0.1:${port}`;
  try {
    const deadline = Date.now() + 30_000;
    for (;;) {
      try {
        await get(`${base}/-/ready`);
        break;
      } catch (err) {
        if (Date.now() > deadline || child.exitCode !== null) throw new Error(`Prometheus did not become ready: ${String(err)}`);
        await sleep(200);
      }
    }
    await sleep(run.seconds * 1000);
    const page = await get(`${base}/metrics`);
    return {
      ...run,
      headSeries: metricValue(page, "prometheus_tsdb_head_series"),
      samplesAppended: metricValue(page, "prometheus_tsdb_head_samples_appended_total"),
      rssBytes: metricValue(page, "process_resident_memory_bytes"),
      tsdbBytes: directoryBytes(dataDir),
    };
  } finally {
    clearInterval(ticker);
    child.kill("SIGKILL");
    await new Promise<void>((r) => (child.exitCode !== null ? r() : child.once("exit", () => r())));
    await new Promise<void>((r) => exporter.close(() => r()));
    fs.rmSync(workDir, { recursive: true, force: true });
  }
}
