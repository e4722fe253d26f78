/**
 * End to end with Debian's real Alertmanager daemon (0.25) on loopback: the
 * rendered config, secrets filled in as deploy would, webhook receivers
 * pointing at a local HTTP server. Alerts are posted to the API and we record
 * who gets notified, which checks what amtool cannot: fan-out, inhibition
 * on the label sets the real rules emit (the worker-down outage; including
 * the "missing label equals missing label" guard) and maintenance muting on
 * the leaf routes.
 *
 * Takes ~35 s: warning routes wait group_wait 30s before the first notification.
 */
import { ChildProcess, spawn, spawnSync } from "child_process";
import * as fs from "fs";
import * as http from "http";
import * as path from "path";
import { ALERTMANAGER_CONFIG_RENDER_PATH, AlertmanagerConfigOptions, alertmanagerConfig } from "../../configs/alertmanager/alertmanager";
import { fillSecretSlots } from "../../configs/secrets";
import { removeTempDirs, writeRendered } from "./amtool";
import { freePort } from "../../e2e/ports";
import { promtoolAlertLabelSets } from "../rules/fixtures";

const DAEMON = process.env.ALERTMANAGER ?? "prometheus-alertmanager";

jest.setTimeout(120_000);

// Each webhook's secret handle is the path its URL ends in (the test's webhook server listens on a free port).
const options: AlertmanagerConfigOptions<string> = {
  receivers: [
    { type: "webhook", name: "pager", severities: ["critical"], url: "pager", sendResolved: false },
    { type: "webhook", name: "chat", severities: ["critical", "warning"], url: "chat", sendResolved: false },
    { type: "webhook", name: "heartbeat", severities: [], url: "heartbeat", sendResolved: false },
  ],
  deadMansSwitch: "heartbeat",
  groupBy: ["alertname", "component", "pipeline_version"],
  // Always active, but only for component="maintained".
  maintenanceWindows: [{ name: "always-for-maintained", times: [{ start: "00:00", end: "24:00" }], matchers: ['component="maintained"'] }],
  externalUrl: "http://127.0.0.1:9093",
  secretsDir: "/etc/alertmanager/secrets",
};

/**
 * Alerts as production emits them: label sets the promtool unit tests prove
 * Prometheus produces (`promtoolAlertLabelSets`), plus Prometheus' `env`
 * external label. Where a case needs a second target, only a label's value
 * changes (`instance`, `name`); label names stay the rules'.
 */
const real = promtoolAlertLabelSets();
function rule(alertname: string, pick: (l: Record<string, string>) => boolean = () => true, change: Record<string, string> = {}): Record<string, string> {
  const l = real.find((x) => x.alertname === alertname && pick(x));
  if (!l) throw new Error(`no promtool-verified label set for ${alertname}`);
  return { ...l, env: "dev", ...change };
}
const workerDown = rule("ServiceDown", (l) => l.component === "worker");
const node = { job: "node_exporter", instance: "node-exporter:9100" };
const memoryCritical = rule("ContainerMemoryHigh", (l) => l.severity === "critical" && l.namespace !== undefined);

/** testcase -> labels (with alertname); severity decides the route. */
const alerts: Record<string, Record<string, string>> = {
  // The reviewer's outage: the worker is down. Only its ServiceDown may page.
  WorkerServiceDown: workerDown,
  WorkerTargetDown: rule("PrometheusTargetDown", (l) => l.job === workerDown.job),
  WorkerHeartbeatMissing: rule("WorkerHeartbeatMissing", (l) => l.job === workerDown.job),
  WorkerBacklog: rule("QueueBacklogGrowingNoThroughput"),
  WorkerLLMFailures: rule("LLMFailureSpike"),
  // ... while other services' alerts still notify
  CollectorStalled: rule("CollectorStalled"),
  BackendErrors: rule("HighErrorRate", (l) => l.severity === "critical", { job: "tutordex_backend" }),
  // One scrape target down mutes its own job+instance's alerts only
  NodeTargetDown: rule("PrometheusTargetDown", () => true, node),
  NodeMemory: rule("HostMemoryHigh", (l) => l.severity === "critical" && l.job === node.job && l.instance === node.instance),
  OtherNodeMemory: rule("HostMemoryHigh", (l) => l.severity === "critical", { instance: "node-exporter-2:9100" }),
  // Critical mutes the same container's warning only
  MemoryCritical: memoryCritical,
  MemoryWarningSameContainer: { ...memoryCritical, severity: "warning" },
  MemoryWarningOtherContainer: { ...memoryCritical, severity: "warning", container: "backend", pod: "backend-5c6d", name: "backend" },
  // Not what the rules emit: a down alert without a job must not mute a job-less alert by "" == ""
  JoblessServiceDown: { alertname: "ServiceDown", severity: "critical", component: "aggregate" },
  UnlabelledWarning: { severity: "warning", component: "aggregate" },
  // Maintenance (routing, not inhibition)
  MaintainedCritical: { severity: "critical", component: "maintained" },
  MaintainedWarning: { severity: "warning", component: "maintained" },
  Watchdog: rule("Watchdog"),
};

const received: Record<string, Set<string>> = { pager: new Set(), chat: new Set(), heartbeat: new Set() };
let daemon: ChildProcess | undefined;
let daemonLog = "";
let hooks: http.Server | undefined;

async function until(what: string, done: () => boolean, timeoutMs: number): Promise<void> {
  const end = Date.now() + timeoutMs;
  while (!done()) {
    if (Date.now() > end) throw new Error(`timed out waiting for ${what}; received ${JSON.stringify(summary())}\nalertmanager log:\n${daemonLog}`);
    await new Promise((r) => setTimeout(r, 250));
  }
}

function summary(): Record<string, string[]> {
  return Object.fromEntries(Object.entries(received).map(([k, v]) => [k, [...v].sort()]));
}

beforeAll(async () => {
  const probe = spawnSync(DAEMON, ["--version"], { encoding: "utf8" });
  if (probe.error || probe.status !== 0) {
    throw new Error(
      `the Alertmanager daemon is required by this test and could not be run (${probe.error?.message ?? probe.stderr}). ` +
        "Install it with `apt-get install -y prometheus-alertmanager` (or point ALERTMANAGER at a binary).",
    );
  }

  const hookPort = await freePort();
  hooks = http.createServer((req, res) => {
    let body = "";
    req.on("data", (c) => (body += c));
    req.on("end", () => {
      const name = (req.url ?? "/").slice(1);
      const payload = JSON.parse(body) as { alerts: { labels: Record<string, string> }[] };
      for (const a of payload.alerts) (received[name] ??= new Set()).add(a.labels.testcase);
      res.end("ok");
    });
  });
  await new Promise<void>((r) => hooks!.listen(hookPort, "127.0.0.1", r));

  const result = alertmanagerConfig(options);
  const url = (handle: string) => `http://127.0.0.1:${hookPort}/${handle}`;
  const files = result.files.map((f) =>
    f.path === ALERTMANAGER_CONFIG_RENDER_PATH ? { ...f, content: fillSecretSlots(f.content, result.secretSlots, url) } : f,
  );
  const dir = writeRendered(files, "am-daemon-");
  const storage = path.join(dir, "data");
  fs.mkdirSync(storage);

  const port = await freePort();
  daemon = spawn(
    DAEMON,
    [
      `--config.file=${path.join(dir, ALERTMANAGER_CONFIG_RENDER_PATH)}`,
      `--storage.path=${storage}`,
      `--web.listen-address=127.0.0.1:${port}`,
      "--cluster.listen-address=",
    ],
    { cwd: "/", stdio: ["ignore", "pipe", "pipe"] },
  );
  daemon.stdout!.on("data", (d) => (daemonLog += d));
  daemon.stderr!.on("data", (d) => (daemonLog += d));
  const base = `http://127.0.0.1:${port}`;
  let ready = false;
  const end = Date.now() + 20_000;
  while (!ready && Date.now() < end) {
    if (daemon.exitCode !== null) throw new Error(`alertmanager exited with ${daemon.exitCode}:\n${daemonLog}`);
    ready = await fetch(`${base}/-/ready`).then((r) => r.ok, () => false);
    if (!ready) await new Promise((r) => setTimeout(r, 200));
  }
  if (!ready) throw new Error(`alertmanager did not become ready:\n${daemonLog}`);

  const body = Object.entries(alerts).map(([testcase, labels]) => ({
    labels: { alertname: testcase, ...labels, testcase },
    annotations: { summary: `test ${testcase}` },
  }));
  const post = await fetch(`${base}/api/v2/alerts`, { method: "POST", headers: { "content-type": "application/json" }, body: JSON.stringify(body) });
  if (!post.ok) throw new Error(`posting alerts: ${post.status} ${await post.text()}`);

  // Critical groups flush after 5s, warning after 30s: once this warning
  // (which no rule may inhibit) arrived, every group posted with it has
  // flushed too, give or take the 3 s margin below.
  await until("every expected notification", () => received.chat.has("CollectorStalled"), 60_000);
  await new Promise((r) => setTimeout(r, 3_000));
});

afterAll(async () => {
  if (daemon && daemon.exitCode === null) {
    const exited = new Promise((r) => daemon!.once("exit", r));
    daemon.kill("SIGTERM");
    await exited;
  }
  await new Promise((r) => (hooks ? hooks.close(r) : r(undefined)));
  removeTempDirs();
});

describe("the real Alertmanager daemon, running the rendered config", () => {
  it("fans critical alerts out to every critical receiver, warnings to the warning receivers", () => {
    expect([...received.pager].sort()).toEqual(["BackendErrors", "JoblessServiceDown", "MemoryCritical", "OtherNodeMemory", "WorkerServiceDown"]);
    expect([...received.chat].sort()).toEqual([
      "BackendErrors", "CollectorStalled", "JoblessServiceDown", "MemoryCritical", "MemoryWarningOtherContainer", "NodeTargetDown", "OtherNodeMemory", "UnlabelledWarning", "WorkerServiceDown",
    ]);
  });

  it("sends Watchdog to the dead man's switch alone", () => {
    expect([...received.heartbeat]).toEqual(["Watchdog"]);
  });

  it("with the worker down pages only its ServiceDown: its target-down, heartbeat, backlog and LLM alerts are inhibited", () => {
    for (const r of ["pager", "chat"]) {
      expect([...received[r]].filter((t) => t.startsWith("Worker"))).toEqual(["WorkerServiceDown"]);
    }
    // the real labels: ServiceDown has job+component and no instance; the backlog alert has no job at all
    expect(alerts.WorkerServiceDown).toMatchObject({ job: "tutordex_worker", component: "worker" });
    expect(alerts.WorkerServiceDown.instance).toBeUndefined();
    expect(alerts.WorkerBacklog.job).toBeUndefined();
  });

  it("keeps notifying for services that are not down", () => {
    expect(received.pager.has("BackendErrors")).toBe(true);
    expect(received.chat.has("CollectorStalled")).toBe(true);
  });

  it("inhibits a warning by the critical of the same container only", () => {
    expect(received.chat.has("MemoryWarningSameContainer")).toBe(false);
    expect(received.chat.has("MemoryWarningOtherContainer")).toBe(true);
  });

  it("inhibits alerts of a down target's job and instance, not those of another instance", () => {
    expect(received.pager.has("NodeMemory")).toBe(false);
    expect(received.pager.has("OtherNodeMemory")).toBe(true);
  });

  it("does not let a down alert without job/instance inhibit alerts that also lack them", () => {
    expect(received.chat.has("UnlabelledWarning")).toBe(true);
  });

  it("mutes alerts a maintenance window matches, critical ones included, on every fan-out leaf", () => {
    for (const r of ["pager", "chat"]) {
      expect(received[r].has("MaintainedCritical")).toBe(false);
      expect(received[r].has("MaintainedWarning")).toBe(false);
    }
  });
});
