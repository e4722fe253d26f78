/**
 * The metrics half of issue 13, live: two Prometheus processes run the
 * rendered HA config (the dev stack's scrape jobs, plus the `cluster`/`replica`
 * external labels, alert_relabel_configs and remote_write of the Kubernetes
 * render) and remote-write to Debian's single-node VictoriaMetrics started
 * with the rendered VictoriaMetrics command line (dedup at the scrape interval).
 *
 * Proven here: the store holds one series per target and one sample per
 * interval for the pair; every dashboard PromQL query evaluates against it at
 * the rendered Grafana datasource URL; Alertmanager holds one alert for the
 * pair and the dead man's switch gets one notification; killing one replica
 * leaves no gap in the store; restarting VictoriaMetrics loses nothing.
 *
 * What is adapted, and why: Debian's Prometheus 2.42 needs
 * `--enable-feature=expand-external-labels` (Prometheus 3 expands `${POD_NAME}`
 * by default) and `POD_NAME` is set by hand (the Downward API on Kubernetes);
 * the second replica listens on its own port with its own data directory, as a
 * second pod would; `-storageDataPath` points at a directory here. Times:
 * VictoriaMetrics hides the newest 30 s from queries (-search.latencyOffset),
 * so windows are read 35 s in the past. Wall time about 2.5 minutes.
 */
import * as fs from "fs";
import * as os from "os";
import * as path from "path";
import { spawnSync } from "child_process";
import { parse, stringify } from "yaml";
import type { ServiceComponent } from "../../components/service-component";
import { renderRun } from "../../render/render";
import { runProgram } from "../../render/run";
import { SERVICES } from "../../configs/topology";
import { StackApi } from "../../e2e/api";
import { LiveStack, openLiveStack, prepareLiveStack } from "../../e2e/live-stack";
import { Namespace, namespaceUnavailable, until } from "../../e2e/namespace";
import { E2E_BASE_STACK, E2E_INTERVAL, e2eStackConfig, RECEIVERS } from "../../e2e/stack-config";
import * as Q from "../dashboards/queries";

const VM = SERVICES.victoriaMetrics;
const PROM_B_PORT = 9091;
/** VictoriaMetrics' default -search.latencyOffset (30s) plus a margin: newer samples are not served yet. */
const SETTLED_S = 35;
const INTERVAL_S = parseInt(E2E_INTERVAL, 10);

let workDir: string;
let stack: LiveStack;
let ns: Namespace | undefined;
let api: StackApi;
let vmArgv: string[];
let vmQueryUrl: string;

function prerequisites(): string[] {
  const problems: string[] = [];
  for (const [bin, pkg] of [["prometheus", "prometheus"], ["prometheus-alertmanager", "prometheus-alertmanager"], ["victoria-metrics", "victoria-metrics"]]) {
    if (spawnSync(bin, ["--version"]).status !== 0 && spawnSync(bin, ["-version"]).status !== 0) problems.push(`\`${bin}\` is missing: apt-get install -y ${pkg}`);
  }
  const nsProblem = namespaceUnavailable();
  if (nsProblem) problems.push(nsProblem);
  return problems;
}

/** An instant query against VictoriaMetrics at the rendered datasource URL, `at` unix seconds. */
async function vmQuery(expr: string, at: number): Promise<{ metric: Record<string, string>; value: [number, string] }[]> {
  const r = await ns!.get(`${vmQueryUrl}/api/v1/query?${new URLSearchParams({ query: expr, time: String(at), nocache: "1" })}`);
  const body = r.json<{ status: string; error?: string; data?: { result: { metric: Record<string, string>; value: [number, string] }[] } }>();
  if (body.status !== "success") throw new Error(`VictoriaMetrics: ${expr}: ${body.error}`);
  return body.data?.result ?? [];
}

const nowS = () => Math.floor(Date.now() / 1000);
const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

/** The same command line for replica `i`: its pod name, its port and data directory for the second. */
function replicaArgv(argv: readonly string[], i: number): string[] {
  const own = argv.map((a) => {
    if (i > 0 && a.startsWith("--storage.tsdb.path=")) return `${a}-replica-${i}`;
    if (i > 0 && a.startsWith("--web.listen-address=")) return `--web.listen-address=:${PROM_B_PORT}`;
    return a;
  });
  return ["env", `POD_NAME=prometheus-${i}`, ...own, "--enable-feature=expand-external-labels"];
}

beforeAll(async () => {
  const missing = prerequisites();
  if (missing.length) throw new Error(`the live HA suite needs (scripts/test.sh installs them):\n  ${missing.join("\n  ")}`);
  workDir = fs.mkdtempSync(path.join(os.tmpdir(), "obs-ha-"));
  const cfg = e2eStackConfig();
  const config: Record<string, string> = { ...cfg.config, "observability:metrics": JSON.stringify({ longTerm: "victoriametrics" }) };
  const dev = { ...cfg, config };
  stack = await prepareLiveStack(workDir, dev);

  // The HA blocks as the Kubernetes target renders them for the same config.
  const k8sConfig = {
    ...config,
    "observability:target": "kubernetes",
    // The 5 s e2e scrape interval needs a bigger volume than dev's default, or sizing refuses the Kubernetes stack.
    "observability:prometheus": JSON.stringify({ ...JSON.parse(config["observability:prometheus"] ?? "{}"), storageGi: 100 }),
    "observability:metrics": JSON.stringify({ longTerm: "victoriametrics", victoriametrics: { mode: "single" } }),
  };
  const k8sRun = await runProgram(k8sConfig, dev.secretKeys, { project: dev.project, stack: E2E_BASE_STACK });
  const k8sYml = parse(renderRun(k8sRun, E2E_BASE_STACK).find((f) => f.path === "prometheus/prometheus.yml")!.content);
  const liveYmlPath = path.join(stack.liveDir, "prometheus/prometheus.yml");
  const live = parse(fs.readFileSync(liveYmlPath, "utf8"));
  expect(live.remote_write).toEqual(k8sYml.remote_write);
  live.global.external_labels = k8sYml.global.external_labels;
  live.alerting.alert_relabel_configs = k8sYml.alerting.alert_relabel_configs;
  fs.writeFileSync(liveYmlPath, stringify(live));

  const vmSpec = (stack.run.stack.components as readonly ServiceComponent[]).find((c) => c.spec.name === VM.name)!.spec;
  const vmData = path.join(workDir, "data", "victoria-metrics");
  vmArgv = ["victoria-metrics", ...(vmSpec.args ?? []).map((a) => (a.startsWith("-storageDataPath=") ? `-storageDataPath=${vmData}` : a))];
  const datasources = parse(stack.rendered.find((f) => f.path === "grafana/provisioning/datasources/datasources.yml")!.content).datasources as { uid: string; url: string }[];
  vmQueryUrl = datasources.find((d) => d.uid === "victoriametrics")!.url;

  const prom = stack.daemons.find((d) => d.service === SERVICES.prometheus.name)!;
  const haStack: LiveStack = { ...stack, daemons: stack.daemons.map((d) => (d === prom ? { ...d, argv: replicaArgv(d.argv, 0) } : d)) };
  ns = await openLiveStack(workDir, haStack);
  api = new StackApi(ns, haStack);
  await ns.start(VM.name, vmArgv);
  await ns.start("prometheus-b", replicaArgv(prom.argv, 1));
  for (const [name, url] of [[VM.name, `${vmQueryUrl}/health`], ["prometheus-b", `http://${SERVICES.prometheus.name}:${PROM_B_PORT}/-/ready`]]) {
    await until(`${name} ready`, async () => ((await ns!.ok(url)) ? true : undefined), 30_000, () => ns!.logOf(name), 200);
  }
}, 150_000);

afterAll(async () => {
  await ns?.close();
  if (workDir && !process.env.E2E_KEEP) fs.rmSync(workDir, { recursive: true, force: true });
}, 30_000);

describe("an HA Prometheus pair writing to VictoriaMetrics", () => {
  it("runs the rendered VictoriaMetrics command line, with deduplication at the scrape interval", () => {
    expect(vmArgv).toEqual(expect.arrayContaining([`-dedup.minScrapeInterval=${E2E_INTERVAL}`, `-httpListenAddr=:${VM.ports.http}`]));
    expect(vmQueryUrl).toBe(`http://${VM.name}:${VM.ports.http}`);
  });

  it("stores one series per target and one sample per scrape interval for the pair", async () => {
    const t0 = nowS();
    // Both replicas scrape and send; wait until the store serves 30 s of their samples.
    await until("30 s of samples in VictoriaMetrics", async () => {
      const r = await vmQuery('count_over_time(up{job="node_exporter"}[30s])', nowS() - SETTLED_S).catch(() => []);
      return nowS() - t0 > 30 + SETTLED_S && r.length > 0 ? true : undefined;
    }, 120_000, () => `${ns!.logOf(VM.name, 10)}\n${ns!.logOf("prometheus-b", 10)}`, 2000);
    const at = nowS() - SETTLED_S;
    // Both replicas really are scraping (each has its own `up`).
    for (const port of [SERVICES.prometheus.ports.http, PROM_B_PORT]) {
      const r = await ns!.get(`http://${SERVICES.prometheus.name}:${port}/api/v1/query?query=${encodeURIComponent('up{job="node_exporter"}')}`);
      expect(r.json<{ data: { result: unknown[] } }>().data.result).toHaveLength(1);
    }
    const perTarget = await vmQuery("count by (job, instance) (up)", at);
    expect(perTarget.length).toBeGreaterThan(3);
    expect(perTarget.filter((s) => s.value[1] !== "1")).toEqual([]);
    expect(await vmQuery('up{replica!=""}', at)).toEqual([]);
    const series = await vmQuery('up{job="node_exporter"}', at);
    expect(series).toHaveLength(1);
    expect(series[0].metric).toEqual(expect.objectContaining({ env: "dev", cluster: "dev" }));
    // 30 s at a 5 s interval is 6 samples (7 on a boundary); both replicas' copies would be 12.
    const samples = Number((await vmQuery('count_over_time(up{job="node_exporter"}[30s])', at))[0].value[1]);
    expect(samples).toBeGreaterThanOrEqual(5);
    expect(samples).toBeLessThanOrEqual(7);
  }, 180_000);

  it("evaluates every PromQL query of the dashboards a single host ships at the rendered Grafana datasource URL", async () => {
    const at = nowS() - SETTLED_S;
    const errors: string[] = [];
    let evaluated = 0;
    let withData = 0;
    const dashboards = Q.loadSingleHostDashboards();
    for (const d of dashboards) {
      for (const q of Q.queriesOf(d, new Map([["prometheus", "prometheus"], ["victoriametrics", "prometheus"], ["loki", "loki"], ["tempo", "tempo"], ["alertmanager", "alertmanager"]])).filter((x) => x.language === "promql")) {
        const expr = Q.substituteVariables(q.expr.replace(/\$\{?[a-z_]+(?::[^}]*)?\}?/g, (m) => (Q.isBuiltinVariable(m.replace(/[${}]/g, "").split(":")[0]) ? m : ".*")), d.json);
        evaluated++;
        try {
          if ((await vmQuery(expr, at)).length > 0) withData++;
        } catch (e) {
          errors.push(`${q.file} › ${q.where}: ${(e as Error).message}`);
        }
      }
    }
    expect(errors).toEqual([]);
    expect(evaluated).toBeGreaterThan(50);
    expect(withData).toBeGreaterThan(evaluated / 3);
  }, 120_000);

  it("gives Alertmanager one alert for the pair, and the dead man's switch one notification", async () => {
    const watchdog = async () => (await api.amAlerts()).filter((a) => a.labels.alertname === "Watchdog");
    await until("the Watchdog in Alertmanager", async () => ((await watchdog()).length > 0 ? true : undefined), 60_000, () => ns!.logOf("alertmanager"));
    // Both replicas have evaluated and sent by now (evaluation every 5 s).
    await sleep(3 * INTERVAL_S * 1000);
    const alerts = await watchdog();
    expect(alerts).toHaveLength(1);
    expect(alerts[0].labels).not.toHaveProperty("replica");
    const sent = (await api.notifications()).filter((n) => n.body.receiver === RECEIVERS.deadman);
    expect(sent).toHaveLength(1);
    expect(sent[0].body.alerts).toHaveLength(1);
  }, 90_000);

  it("loses no samples in the store when one replica is killed", async () => {
    const killedAt = nowS();
    await ns!.stop(SERVICES.prometheus.name);
    // Read a 40 s window that starts 10 s before the kill, once it has settled.
    await sleep((30 + SETTLED_S + 2) * 1000);
    const at = killedAt + 30;
    const samples = Number((await vmQuery('count_over_time(up{job="node_exporter"}[40s])', at))[0]?.value[1] ?? 0);
    expect(samples).toBeGreaterThanOrEqual(40 / INTERVAL_S - 1);
    // The survivor keeps the alert alive in Alertmanager, still one.
    expect((await api.amAlerts()).filter((a) => a.labels.alertname === "Watchdog")).toHaveLength(1);
  }, 120_000);

  it("loses nothing when VictoriaMetrics restarts (the survivor resends from its WAL)", async () => {
    const before = nowS() - SETTLED_S;
    const earlier = Number((await vmQuery('count_over_time(up{job="node_exporter"}[30s])', before))[0].value[1]);
    const stoppedAt = nowS();
    await ns!.stop(VM.name);
    await sleep(15_000);
    await ns!.start(VM.name, vmArgv);
    await until("VictoriaMetrics back", async () => ((await ns!.ok(`${vmQueryUrl}/health`)) ? true : undefined), 30_000, () => ns!.logOf(VM.name));
    await sleep((20 + SETTLED_S) * 1000);
    // What was stored before the restart is still there ...
    expect(Number((await vmQuery('count_over_time(up{job="node_exporter"}[30s])', before))[0].value[1])).toBe(earlier);
    // ... and the 15 s it was down were filled in afterwards: a 30 s window around the outage is whole.
    const around = Number((await vmQuery('count_over_time(up{job="node_exporter"}[30s])', stoppedAt + 22))[0]?.value[1] ?? 0);
    expect(around).toBeGreaterThanOrEqual(30 / INTERVAL_S - 1);
  }, 150_000);
});
