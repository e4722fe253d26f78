/**
 * Remote-write throughput on loopback, for `npm run benchmark` (not imported
 * by the program): Debian's Prometheus scrapes N generated targets every
 * second and remote-writes everything to Debian's single-node VictoriaMetrics,
 * with the queue settings the program renders by default
 * (configs/prometheus/remote-write.ts). Measured over a fixed window: samples/s
 * Prometheus sent and VictoriaMetrics inserted, what was still pending at the
 * end, and the resident memory of each.
 */
import { ChildProcess, spawn } from "child_process";
import * as fs from "fs";
import * as http from "http";
import * as os from "os";
import * as path from "path";
import { stringify } from "yaml";
import { DEFAULT_REMOTE_WRITE_QUEUE, remoteWriteConfig } from "../configs/prometheus/remote-write";
import { freePort } from "./ports";
import { exposition, get, listen, metricValue, prometheusBinary } from "./sizing-calibration";

export interface ThroughputRun {
  readonly targets: number;
  readonly seriesPerTarget: number;
  /** Measurement window after a warm-up of the same length. */
  readonly seconds: number;
}

export interface ThroughputMeasurement extends ThroughputRun {
  /** Samples/s scraped (targets x series at a 1 s interval). */
  readonly scrapedPerSecond: number;
  /** Samples/s Prometheus' queue delivered (prometheus_remote_storage_samples_total). */
  readonly sentPerSecond: number;
  /** Rows/s VictoriaMetrics inserted from remote write (vm_rows_inserted_total{type="promremotewrite"}). */
  readonly insertedPerSecond: number;
  /** prometheus_remote_storage_samples_pending at the end: near 0 when the queue keeps up. */
  readonly pending: number;
  readonly prometheusRssBytes: number;
  readonly victoriaMetricsRssBytes: number;
}

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

async function ready(url: string, child: ChildProcess, what: string): Promise<void> {
  const deadline = Date.now() + 30_000;
  for (;;) {
    try {
      await get(url);
      return;
    } catch (err) {
      if (Date.now() > deadline || child.exitCode !== null) throw new Error(`${what} did not become ready: ${String(err)}`);
      await sleep(200);
    }
  }
}

/** The `victoria-metrics` binary on PATH, or undefined. */
export function victoriaMetricsBinary(): string | undefined {
  return (process.env.PATH ?? "").split(path.delimiter).map((d) => path.join(d, "victoria-metrics")).find((p) => fs.existsSync(p));
}

function sum(page: string, name: string, labelFilter = ""): number {
  const re = new RegExp(`^${name}(\\{[^}]*\\})? (\\S+)$`, "gm");
  let total = 0;
  for (const m of page.matchAll(re)) if ((m[1] ?? "").includes(labelFilter)) total += Number(m[2]);
  return total;
}

export async function measureRemoteWrite(run: ThroughputRun): Promise<ThroughputMeasurement> {
  const prometheus = prometheusBinary();
  const vm = victoriaMetricsBinary();
  if (!prometheus || !vm) throw new Error("needs Debian's prometheus and victoria-metrics packages");
  let tick = 0;
  const exporter = http.createServer((_req, res) => {
    res.writeHead(200, { "content-type": "text/plain; version=0.0.4" });
    res.end(exposition(run.seriesPerTarget, tick));
  });
  const exporterPort = await listen(exporter);
  const ticker = setInterval(() => tick++, 1000);
  const workDir = fs.mkdtempSync(path.join(os.tmpdir(), "obs-rw-"));
  const [vmPort, promPort] = [await freePort(), await freePort()];
  const children: ChildProcess[] = [];
  try {
    const vmChild = spawn(vm, [`-storageDataPath=${path.join(workDir, "vm")}`, `-httpListenAddr=127.0.0.1:${vmPort}`, "-retentionPeriod=1d", "-loggerLevel=ERROR"], { stdio: "ignore" });
    children.push(vmChild);
    await ready(`http://127.0.0.1:${vmPort}/health`, vmChild, "VictoriaMetrics");
    const config = {
      global: { scrape_interval: "1s", evaluation_interval: "1m" },
      remote_write: [remoteWriteConfig({ name: "bench", url: `http://127.0.0.1:${vmPort}/api/v1/write`, queue: DEFAULT_REMOTE_WRITE_QUEUE, writeRelabelConfigs: [] })],
      scrape_configs: [
        { job_name: "bench", static_configs: Array.from({ length: run.targets }, (_, i) => ({ targets: [`127.0.0.1:${exporterPort}`], labels: { shard: `s${i}` } })) },
      ],
    };
    fs.writeFileSync(path.join(workDir, "prometheus.yml"), stringify(config));
    const promChild = spawn(
      prometheus,
      [`--config.file=${path.join(workDir, "prometheus.yml")}`, `--storage.tsdb.path=${path.join(workDir, "prom")}`, `--web.listen-address=127.0.0.1:${promPort}`, "--log.level=warn"],
      { stdio: "ignore" },
    );
    children.push(promChild);
    await ready(`http://127.0.0.1:${promPort}/-/ready`, promChild, "Prometheus");
    await sleep(run.seconds * 1000);
    const read = async () => ({ prom: await get(`http://127.0.0.1:${promPort}/metrics`), vm: await get(`http://127.0.0.1:${vmPort}/metrics`), at: Date.now() });
    const a = await read();
    await sleep(run.seconds * 1000);
    const b = await read();
    const perSecond = (x: number, y: number) => (y - x) / ((b.at - a.at) / 1000);
    return {
      ...run,
      scrapedPerSecond: run.targets * run.seriesPerTarget,
      sentPerSecond: perSecond(sum(a.prom, "prometheus_remote_storage_samples_total"), sum(b.prom, "prometheus_remote_storage_samples_total")),
      insertedPerSecond: perSecond(sum(a.vm, "vm_rows_inserted_total", 'type="promremotewrite"'), sum(b.vm, "vm_rows_inserted_total", 'type="promremotewrite"')),
      pending: sum(b.prom, "prometheus_remote_storage_samples_pending"),
      prometheusRssBytes: metricValue(b.prom, "process_resident_memory_bytes"),
      victoriaMetricsRssBytes: metricValue(b.vm, "process_resident_memory_bytes"),
    };
  } finally {
    clearInterval(ticker);
    for (const c of children.reverse()) {
      c.kill("SIGKILL");
      await new Promise<void>((r) => (c.exitCode !== null ? r() : c.once("exit", () => r())));
    }
    await new Promise<void>((r) => exporter.close(() => r()));
    fs.rmSync(workDir, { recursive: true, force: true });
  }
}
