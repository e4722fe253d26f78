/**
 * End to end with Debian's real Alertmanager daemon (0.25) on loopback: the
 * rendered config, secrets filled in as deploy would, webhook receivers
 * pointing at a local HTTP server. Alerts are posted to the API and we record
 * who gets notified, which checks what amtool cannot: fan-out, inhibition
 * (including the "missing label equals missing label" guard) and maintenance
 * muting on the leaf routes.
 *
 * Takes ~35 s: warning routes wait group_wait 30s before the first notification.
 */
import { ChildProcess, spawn, spawnSync } from "child_process";
import * as fs from "fs";
import * as http from "http";
import * as path from "path";
import { ALERTMANAGER_CONFIG_PATH, AlertmanagerConfigOptions, alertmanagerConfig } from "../../configs/alertmanager/alertmanager";
import { fillSecretSlots } from "../../configs/secrets";
import { removeTempDirs, writeRendered } from "./amtool";
import { freePort } from "../support/ports";

const DAEMON = process.env.ALERTMANAGER ?? "prometheus-alertmanager";

jest.setTimeout(120_000);

const options: AlertmanagerConfigOptions = {
  receivers: [
    { type: "webhook", name: "pager", severities: ["critical"], sendResolved: false },
    { type: "webhook", name: "chat", severities: ["critical", "warning"], sendResolved: false },
    { type: "webhook", name: "heartbeat", severities: [], sendResolved: false },
  ],
  deadMansSwitch: "heartbeat",
  groupBy: ["alertname", "component", "pipeline_version"],
  // Always active, but only for component="maintained".
  maintenanceWindows: [{ name: "always-for-maintained", times: [{ start: "00:00", end: "24:00" }], matchers: ['component="maintained"'] }],
  externalUrl: "http://127.0.0.1:9093",
  secretsDir: "/etc/alertmanager/secrets",
};

/** alertname -> labels; severity decides the route. */
const alerts: Record<string, Record<string, string>> = {
  Backlog: { severity: "critical", component: "queue" },
  BacklogWarning: { alertname: "Backlog", severity: "warning", component: "queue" },
  OtherWarning: { severity: "warning", component: "queue" },
  MemoryCritical: { alertname: "ContainerMemoryHigh", severity: "critical", component: "infra", instance: "node-1", name: "api" },
  MemoryWarningSameContainer: { alertname: "ContainerMemoryHigh", severity: "warning", component: "infra", instance: "node-1", name: "api" },
  MemoryWarningOtherContainer: { alertname: "ContainerMemoryHigh", severity: "warning", component: "infra", instance: "node-1", name: "worker" },
  PrometheusTargetDown: { severity: "critical", job: "backend", instance: "backend:8000" },
  LatencyOnDownTarget: { severity: "warning", job: "backend", instance: "backend:8000", component: "api" },
  LatencyOnOtherInstance: { severity: "warning", job: "backend", instance: "backend:8001", component: "api" },
  ServiceDown: { severity: "critical", component: "aggregate" }, // no job/instance: must not inhibit by "" == ""
  UnlabelledWarning: { severity: "warning", component: "aggregate" },
  MaintainedCritical: { severity: "critical", component: "maintained" },
  MaintainedWarning: { severity: "warning", component: "maintained" },
  Watchdog: { severity: "none" },
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
  const values = Object.fromEntries(
    options.receivers.map((r, i) => [`alerting.receivers[${i}].url`, `http://127.0.0.1:${hookPort}/${r.name}`]),
  );
  const files = result.files.map((f) =>
    f.path === ALERTMANAGER_CONFIG_PATH ? { ...f, content: fillSecretSlots(f.content, result.secretSlots, values) } : f,
  );
  const dir = writeRendered(files, "am-daemon-");
  const storage = path.join(dir, "data");
  fs.mkdirSync(storage);

  const port = await freePort();
  daemon = spawn(
    DAEMON,
    [
      `--config.file=${path.join(dir, ALERTMANAGER_CONFIG_PATH)}`,
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
  await until("every expected notification", () => received.chat.has("LatencyOnOtherInstance"), 60_000);
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
    expect([...received.pager].sort()).toEqual(["Backlog", "MemoryCritical", "PrometheusTargetDown", "ServiceDown"]);
    expect([...received.chat].sort()).toEqual([
      "Backlog", "LatencyOnOtherInstance", "MemoryCritical", "MemoryWarningOtherContainer", "OtherWarning", "PrometheusTargetDown", "ServiceDown", "UnlabelledWarning",
    ]);
  });

  it("sends Watchdog to the dead man's switch alone", () => {
    expect([...received.heartbeat]).toEqual(["Watchdog"]);
  });

  it("inhibits a warning by the critical of the same alertname and component", () => {
    expect(received.chat.has("BacklogWarning")).toBe(false);
  });

  it("inhibits a container's memory warning by that container's critical, not its neighbour's on the same node", () => {
    expect(received.chat.has("MemoryWarningSameContainer")).toBe(false);
    expect(received.chat.has("MemoryWarningOtherContainer")).toBe(true);
  });

  it("inhibits alerts of a down target's job and instance, not those of another instance", () => {
    expect(received.chat.has("LatencyOnDownTarget")).toBe(false);
    expect(received.chat.has("LatencyOnOtherInstance")).toBe(true);
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
