/**
 * Backup and restore against Debian's real Prometheus (2.42) and Alertmanager
 * (0.25), in the e2e network namespace (e2e/namespace.ts) where `prometheus`
 * and `alertmanager` resolve to its loopback and listen on the stack's ports.
 * The commands are backup/parts.ts's own, run through a transport that enters
 * the namespace with nsenter instead of `docker exec` / `kubectl exec` (the
 * one thing that differs; tests/backup/commands.test.ts checks those command
 * lines). Data written, backed up, daemon wiped, restored, data back.
 */
import { spawnSync } from "child_process";
import * as fs from "fs";
import * as os from "os";
import * as path from "path";
import { ARCHIVE_FILES, type ServiceLayout } from "../../backup/parts";
import { backupToDir, processRunner, restoreFromDir, type BackupRequest } from "../../backup/run";
import type { BackupService, Transport } from "../../backup/transport";
import { SERVICES } from "../../configs/topology";
import { Namespace, namespaceUnavailable, until } from "../../e2e/namespace";

const PROM_PORT = SERVICES.prometheus.ports.http;
const AM_PORT = SERVICES.alertmanager.ports.http;
const PROM = `http://${SERVICES.prometheus.name}:${PROM_PORT}`;
const AM_URL = `--alertmanager.url=http://127.0.0.1:${AM_PORT}`;

let ns: Namespace | undefined;
let work = "";
let layout: Record<BackupService, ServiceLayout>;

/** Like docker exec / kubectl exec, but into the test's namespace: nsenter by the pid of a process living there. */
async function namespaceTransport(): Promise<Transport> {
  const anchor = (await ns!.ps()).find((p) => p.name === "anchor" && p.running);
  if (!anchor) throw new Error("the namespace's anchor process is gone");
  return {
    kind: "local",
    exec: (_service, command) => ["nsenter", "-t", String(anchor.pid), "-n", "-m", ...command],
    restart: () => [], // the test restarts the daemons itself
  };
}

function prometheusConfig(generation: string): string {
  const file = path.join(work, `prometheus-${generation}.yml`);
  // Scrapes itself every second; the generation label tells data written before the wipe from data after it.
  fs.writeFileSync(
    file,
    [
      "global:",
      "  scrape_interval: 1s",
      "scrape_configs:",
      "  - job_name: backup_marker",
      "    static_configs:",
      `      - targets: ["${SERVICES.prometheus.name}:${PROM_PORT}"]`,
      `        labels: { generation: ${generation} }`,
      "",
    ].join("\n"),
  );
  return file;
}

async function startPrometheus(generation: string): Promise<void> {
  await ns!.start("prometheus", [
    "prometheus",
    `--config.file=${prometheusConfig(generation)}`,
    `--storage.tsdb.path=${layout.prometheus.dataDir}`,
    `--web.listen-address=127.0.0.1:${PROM_PORT}`,
    "--web.enable-admin-api",
  ]);
  await until("prometheus ready", async () => ((await ns!.ok(`${PROM}/-/ready`)) ? true : undefined), 60_000, () => ns!.logOf("prometheus"));
}

async function startAlertmanager(): Promise<void> {
  const config = path.join(work, "alertmanager.yml");
  fs.writeFileSync(config, "route:\n  receiver: none\nreceivers:\n  - name: none\n");
  await ns!.start("alertmanager", [
    "prometheus-alertmanager",
    `--config.file=${config}`,
    `--storage.path=${layout.alertmanager.dataDir}`,
    `--web.listen-address=127.0.0.1:${AM_PORT}`,
    "--cluster.listen-address=",
  ]);
  await until("alertmanager ready", async () => ((await ns!.ok(`http://${SERVICES.alertmanager.name}:${AM_PORT}/-/ready`)) ? true : undefined), 60_000, () => ns!.logOf("alertmanager"));
}

async function query(expr: string): Promise<{ metric: Record<string, string>; value: [number, string] }[]> {
  const r = await ns!.get(`${PROM}/api/v1/query?query=${encodeURIComponent(expr)}`);
  return r.json<{ data: { result: { metric: Record<string, string>; value: [number, string] }[] } }>().data.result;
}

interface Silence {
  id: string;
  comment: string;
  createdBy: string;
  matchers: { name: string; value: string }[];
  status: { state: string };
}
async function silences(): Promise<Silence[]> {
  const r = await ns!.exec(["amtool", AM_URL, "silence", "query", "-o", "json"]);
  if (r.code !== 0) throw new Error(`amtool: ${r.stderr}`);
  return JSON.parse(r.stdout) as Silence[];
}

function request(transport: Transport): BackupRequest {
  return { stack: "live", transport, layout, parts: ["prometheus", "alertmanager"], runner: processRunner };
}

beforeAll(async () => {
  const missing: string[] = [];
  for (const [bin, pkg] of [["prometheus", "prometheus"], ["prometheus-alertmanager", "prometheus-alertmanager"], ["amtool", "prometheus-alertmanager"], ["wget", "wget"], ["nsenter", "util-linux"]]) {
    if (spawnSync("sh", ["-c", `command -v ${bin}`]).status !== 0) missing.push(`\`${bin}\` is missing: apt-get install -y ${pkg}`);
  }
  const nsProblem = namespaceUnavailable();
  if (nsProblem) missing.push(nsProblem);
  if (missing.length) throw new Error(`the backup live test needs (scripts/test.sh installs them):\n  ${missing.join("\n  ")}`);
  work = fs.mkdtempSync(path.join(os.tmpdir(), "obs-backup-live-"));
  layout = {
    prometheus: { dataDir: path.join(work, "prometheus-data"), port: PROM_PORT },
    alertmanager: { dataDir: path.join(work, "alertmanager-data"), port: AM_PORT },
    grafana: { dataDir: path.join(work, "grafana-data"), port: SERVICES.grafana.ports.http },
  };
  ns = await Namespace.open(path.join(work, "ns"), [SERVICES.prometheus.name, SERVICES.alertmanager.name]);
  await ns.start("anchor", ["sleep", "3600"]);
  await startPrometheus("before");
  await startAlertmanager();
}, 120_000);

afterAll(async () => {
  await ns?.close();
  if (work && !process.env.E2E_KEEP) fs.rmSync(work, { recursive: true, force: true });
}, 30_000);

describe("backup and restore, live (Debian's Prometheus and Alertmanager)", () => {
  let backupDir = "";

  it("backs up a TSDB snapshot and the active silences, and leaves no snapshot behind", async () => {
    await until("five scrapes of the marker job", async () => {
      const r = await query('count_over_time(up{job="backup_marker", generation="before"}[5m])');
      return Number(r[0]?.value[1] ?? 0) >= 5 ? true : undefined;
    }, 60_000, () => ns!.logOf("prometheus"));
    const add = await ns!.exec(["amtool", AM_URL, "silence", "add", "alertname=HighErrorRate", "job=api", "--duration=2h", "--author=backup-test", "--comment=kept across a restore"]);
    expect(add.code).toBe(0);
    expect((await silences()).map((s) => s.comment)).toEqual(["kept across a restore"]);

    backupDir = path.join(work, "backup");
    const manifest = await backupToDir(request(await namespaceTransport()), backupDir);

    expect(manifest).toMatchObject({ stack: "live", target: "local", parts: ["prometheus", "alertmanager"], prometheusSnapshot: expect.stringMatching(/^\d{8}T\d{6}Z-[0-9a-f]+$/) });
    const listing = spawnSync("tar", ["-tf", path.join(backupDir, ARCHIVE_FILES.prometheus)], { encoding: "utf8" }).stdout;
    expect(listing).toMatch(/\/meta\.json$/m); // at least one block (the head, written by the snapshot)
    expect(listing).toMatch(/\/chunks\/000001$/m);
    const saved = JSON.parse(fs.readFileSync(path.join(backupDir, ARCHIVE_FILES.alertmanager), "utf8")) as Silence[];
    expect(saved.map((s) => ({ comment: s.comment, matchers: s.matchers.map((m) => `${m.name}=${m.value}`).sort() }))).toEqual([
      { comment: "kept across a restore", matchers: ["alertname=HighErrorRate", "job=api"] },
    ]);
    expect(fs.readdirSync(path.join(layout.prometheus.dataDir, "snapshots"))).toEqual([]);
  }, 120_000);

  it("after both daemons are wiped, restore brings back the series and the silence", async () => {
    expect(backupDir).not.toBe("");
    // Wipe: stop, delete the data directories, start empty (Prometheus now writes generation="after").
    expect(await ns!.stop("prometheus")).toBe(0);
    expect(await ns!.stop("alertmanager")).toBe(0);
    fs.rmSync(layout.prometheus.dataDir, { recursive: true, force: true });
    fs.rmSync(layout.alertmanager.dataDir, { recursive: true, force: true });
    await startPrometheus("after");
    await startAlertmanager();
    expect(await query('count_over_time(up{generation="before"}[1h])')).toEqual([]);
    expect(await silences()).toEqual([]);

    await restoreFromDir(request(await namespaceTransport()), backupDir);
    // Restore put the blocks in place; a restart loads them (what docker restart / kubectl rollout restart do).
    expect(await ns!.stop("prometheus")).toBe(0);
    await startPrometheus("after");

    const before = await until("the restored series", async () => {
      const r = await query('count_over_time(up{job="backup_marker", generation="before"}[1h])');
      return r.length > 0 ? r : undefined;
    }, 60_000, () => ns!.logOf("prometheus"));
    expect(Number(before[0]!.value[1])).toBeGreaterThanOrEqual(5);
    // And the server goes on writing beside the restored blocks.
    await until("new samples after the restore", async () => ((await query('up{generation="after"}')).length > 0 ? true : undefined), 30_000);

    const back = await silences();
    expect(back.map((s) => ({ comment: s.comment, by: s.createdBy, state: s.status.state, matchers: s.matchers.map((m) => `${m.name}=${m.value}`).sort() }))).toEqual([
      { comment: "kept across a restore", by: "backup-test", state: "active", matchers: ["alertname=HighErrorRate", "job=api"] },
    ]);
    expect(fs.existsSync(path.join(layout.prometheus.dataDir, "restore"))).toBe(false);
  }, 180_000);

  it("restoring the same archive twice adds nothing: blocks it already has are kept as they are", async () => {
    const blocks = () => fs.readdirSync(layout.prometheus.dataDir).filter((d) => /^[0-9A-Z]{26}$/.test(d)).sort();
    const first = blocks();
    await restoreFromDir({ ...request(await namespaceTransport()), parts: ["prometheus"] }, backupDir);
    expect(blocks()).toEqual(first);
  }, 60_000);
});
