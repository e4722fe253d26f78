/**
 * Stand-in for the TutorDex services (collector-tail, aggregator-worker,
 * backend) for the live e2e suite: each serves, on the address the stack
 * scrapes, the metrics of the contract (configs/prometheus/rules/metrics-contract.ts,
 * built from METRICS_CONTRACT itself, so the app follows the contract as it
 * changes) and the health paths blackbox probes.
 *
 * Healthy traffic has no failures (the failure series exist, at 0).
 * Faults are switched over HTTP on any service port:
 *   POST /_control/faults {"failingHealth": ["/health/dependencies"], "stuckQueue": true, "errorBurst": true}
 * (fields merge; GET returns the current switches).
 *   - failingHealth: those paths answer 503 (blackbox probe fails);
 *   - stuckQueue: the worker stops: heartbeat frozen, oldest processing job ages, pending grows;
 *   - errorBurst: failure counters (LLM, Supabase, parse, broadcast, DM, HTTP 5xx, failed jobs) climb fast.
 *
 * usage: node -r ts-node/register/transpile-only sample-app.ts '<json SampleService[]>'
 */
import * as http from "http";
import * as client from "prom-client";
import { METRICS_CONTRACT, MetricSpec } from "../configs/prometheus/rules/metrics-contract";

export interface SampleService {
  /** `component` of the stack target (collector, worker, backend). */
  readonly component: string;
  readonly port: number;
  readonly metricsPath: string;
  readonly healthPaths: readonly string[];
}

export interface Faults {
  failingHealth: string[];
  stuckQueue: boolean;
  errorBurst: boolean;
}

/** Label values the app uses: one small, fixed vocabulary per label (seed 001's cardinality rule). */
export const SAMPLE_LABEL_VALUES: Readonly<Record<string, readonly string[]>> = {
  channel: ["tutordex_main"],
  pipeline_version: ["v2"],
  schema_version: ["3"],
  reason: ["timeout"],
  model: ["gpt-4o-mini"],
  field: ["signals_subjects"],
  kind: ["subject_mismatch"],
  method: ["GET"],
  path: ["/assignments/{id}"],
};

/** Per-metric overrides where one vocabulary does not fit every metric. */
const LABEL_OVERRIDES: Readonly<Record<string, Readonly<Record<string, readonly string[]>>>> = {
  worker_jobs_processed_total: { status: ["ok", "failed"] },
  http_requests_total: { status: ["200", "500"] },
  worker_job_stage_latency_seconds: { operation: ["queue_wait", "llm", "persist"] },
  worker_supabase_requests_total: { operation: ["claim_job", "upsert_assignment"] },
  worker_supabase_fail_total: { operation: ["claim_job", "upsert_assignment"] },
  worker_supabase_latency_seconds: { operation: ["claim_job", "upsert_assignment"] },
};

/** Counters (or label values) that count failures: near zero when healthy, fast during an error burst. */
const FAILURE_NAME = /fail|error|rate_limited|requeued|missing_field|inconsistency/;
const FAILURE_VALUES = new Set(["failed", "500"]);

function valuesFor(spec: MetricSpec, label: string, component: string): readonly string[] {
  if (label === "component") return [component];
  return LABEL_OVERRIDES[spec.name]?.[label] ?? SAMPLE_LABEL_VALUES[label] ?? ["other"];
}

function labelSets(spec: MetricSpec, component: string): Record<string, string>[] {
  let sets: Record<string, string>[] = [{}];
  for (const label of spec.labels) {
    const values = valuesFor(spec, label, component);
    sets = sets.flatMap((s) => values.map((v) => ({ ...s, [label]: v })));
  }
  return sets;
}

type AnyMetric = client.Counter<string> | client.Gauge<string> | client.Histogram<string>;

interface ServiceMetrics {
  readonly service: SampleService;
  readonly registry: client.Registry;
  readonly metrics: { spec: MetricSpec; metric: AnyMetric; sets: Record<string, string>[] }[];
}

/** Every contract metric the component exports, each label set initialised so the series exist from the first scrape. */
export function buildMetrics(service: SampleService): ServiceMetrics {
  const registry = new client.Registry();
  // process_* (RSS, CPU), as every real service's client library exports them; dashboards chart them per job.
  client.collectDefaultMetrics({ register: registry });
  const metrics = METRICS_CONTRACT.filter((m) => m.component === service.component || m.component === "all").map((spec) => {
    const opts = { name: spec.name, help: spec.help, labelNames: [...spec.labels], registers: [registry] };
    const metric: AnyMetric =
      spec.type === "counter"
        ? new client.Counter(opts)
        : spec.type === "gauge"
          ? new client.Gauge(opts)
          : new client.Histogram({ ...opts, buckets: [0.05, 0.1, 0.25, 0.5, 1, 2, 5, 10] });
    const sets = labelSets(spec, service.component);
    for (const s of sets) {
      if (metric instanceof client.Counter) metric.inc(s, 0);
      else if (metric instanceof client.Gauge) metric.set(s, 0);
    }
    return { spec, metric, sets };
  });
  return { service, registry, metrics };
}

/** One second of traffic. */
export function tick(m: ServiceMetrics, faults: Faults, now: number, stuckSince: number | undefined): void {
  const nowS = now / 1000;
  for (const { spec, metric, sets } of m.metrics) {
    for (const s of sets) {
      const failing = FAILURE_NAME.test(spec.name) || Object.values(s).some((v) => FAILURE_VALUES.has(v));
      if (metric instanceof client.Counter) {
        if (faults.stuckQueue && m.service.component === "worker" && !failing) continue; // nothing gets done
        // Healthy: no failures (a single one early on would already be "2 % of requests" over a
        // short window and set HighErrorRate pending). Burst: 5/s, above every failure threshold.
        const n = failing ? (faults.errorBurst ? 5 : 0) : 2 + Math.floor(Math.random() * 3);
        if (n > 0) metric.inc(s, n);
      } else if (metric instanceof client.Histogram) {
        metric.observe(s, 0.02 + Math.random() * 0.3);
      } else {
        metric.set(s, gaugeValue(spec.name, nowS, faults, stuckSince));
      }
    }
  }
}

function gaugeValue(name: string, nowS: number, faults: Faults, stuckSince: number | undefined): number {
  const stuckFor = faults.stuckQueue && stuckSince !== undefined ? nowS - stuckSince / 1000 : 0;
  switch (name) {
    case "collector_last_message_timestamp_seconds":
      return nowS;
    case "worker_last_heartbeat_timestamp_seconds":
      return faults.stuckQueue && stuckSince !== undefined ? stuckSince / 1000 : nowS;
    case "queue_pending":
      return 12 + Math.floor(stuckFor);
    case "queue_processing":
      return 2;
    case "queue_failed":
      return 1;
    case "queue_ok":
      return 1000;
    case "queue_oldest_pending_age_seconds":
      return 30 + stuckFor;
    case "queue_oldest_processing_age_seconds":
      // A job the worker claimed and never finished; past QueueStuckProcessing's 900 s at once.
      return faults.stuckQueue ? 1000 + stuckFor : 5;
    case "tutordex_build_info":
      return 1;
    default:
      return 1;
  }
}

function main(): void {
  const services = JSON.parse(process.argv[2] ?? "[]") as SampleService[];
  if (services.length === 0) throw new Error("usage: sample-app.ts '<json SampleService[]>'");
  const faults: Faults = { failingHealth: [], stuckQueue: false, errorBurst: false };
  let stuckSince: number | undefined;
  const all = services.map(buildMetrics);
  const step = () => all.forEach((m) => tick(m, faults, Date.now(), stuckSince));
  step();
  setInterval(step, 1000);

  for (const m of all) {
    const server = http.createServer((req, res) => {
      const url = new URL(req.url ?? "/", "http://app");
      if (url.pathname === "/_control/faults") {
        let body = "";
        req.on("data", (c) => (body += c));
        req.on("end", () => {
          if (req.method === "POST") {
            const patch = JSON.parse(body || "{}") as Partial<Faults>;
            if (patch.stuckQueue && !faults.stuckQueue) stuckSince = Date.now();
            Object.assign(faults, patch);
            step();
          }
          res.writeHead(200, { "content-type": "application/json" });
          res.end(JSON.stringify(faults));
        });
        return;
      }
      if (url.pathname === m.service.metricsPath) {
        m.registry.metrics().then(
          (text) => {
            res.writeHead(200, { "content-type": m.registry.contentType });
            res.end(text);
          },
          (err: Error) => {
            res.writeHead(500);
            res.end(err.message);
          },
        );
        return;
      }
      if (m.service.healthPaths.includes(url.pathname)) {
        const failing = faults.failingHealth.includes(url.pathname);
        res.writeHead(failing ? 503 : 200, { "content-type": "application/json" });
        res.end(JSON.stringify({ status: failing ? "failing" : "ok", component: m.service.component }));
        return;
      }
      res.writeHead(404);
      res.end("not found");
    });
    server.listen(m.service.port, "0.0.0.0", () => process.stdout.write(`${m.service.component} listening on :${m.service.port}\n`));
  }
}

if (require.main === module) main();
