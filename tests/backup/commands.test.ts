/**
 * What `npm run backup` and `npm run restore` would run on each target. No
 * Docker engine or cluster exists here, so these check the command lines (the
 * container, pod, namespace and paths come from the names the program gives
 * its resources) with a runner that records instead of running; the same
 * procedures run for real in tests/backup/live.test.ts.
 */
import * as fs from "fs";
import * as os from "os";
import * as path from "path";
import { ALERTMANAGER_DATA_DIR } from "../../components/alertmanager";
import { GRAFANA_DATA_DIR } from "../../components/grafana";
import { PROMETHEUS_ADMIN_API_FLAG, PROMETHEUS_DATA_DIR } from "../../components/prometheus";
import { parseArgs } from "../../backup/cli";
import { ARCHIVE_FILES, type Runner } from "../../backup/parts";
import { backup, backupToDir, defaultArchiveName, restore, restoreFromDir, type BackupRequest } from "../../backup/run";
import { CONTAINER_LAYOUT, stackParts, stackSettings, stackTransport } from "../../backup/stack";
import { dockerTransport, kubernetesTransport } from "../../backup/transport";
import { PROJECT_DIR } from "../../settings/rules";
import { named, runWith } from "../stack/harness";

const STACKS = path.join(PROJECT_DIR, "e2e", "stacks");

interface Call {
  argv: string[];
  stdinFile?: string;
  stdoutFile?: string;
}

/** Records every command; answers the snapshot call as Prometheus does, and writes something to each stdout file. */
function recorder(): { runner: Runner; calls: Call[] } {
  const calls: Call[] = [];
  return {
    calls,
    runner: {
      async run(argv, io = {}) {
        calls.push({ argv: [...argv], ...io });
        if (io.stdoutFile) fs.writeFileSync(io.stdoutFile, "[]");
        return argv.some((a) => a.endsWith("/api/v1/admin/tsdb/snapshot")) ? '{"status":"success","data":{"name":"20261201T120000Z-1a2b3c4d5e6f7a8b"}}' : "";
      },
    },
  };
}

let work = "";
beforeEach(() => {
  work = fs.mkdtempSync(path.join(os.tmpdir(), "backup-commands-"));
});
afterEach(() => fs.rmSync(work, { recursive: true, force: true }));

const req = (transport: BackupRequest["transport"], runner: Runner): BackupRequest => ({
  stack: "dev",
  transport,
  layout: CONTAINER_LAYOUT,
  parts: ["prometheus", "alertmanager", "grafana"],
  runner,
});

describe("Docker (docker exec into <networkName>-<service>)", () => {
  it("backs up with a snapshot, tars it out and deletes it, exports the silences and tars Grafana's database", async () => {
    const { runner, calls } = recorder();
    const dir = path.join(work, "b");
    const manifest = await backupToDir(req(dockerTransport("observability"), runner), dir);
    const snap = `${PROMETHEUS_DATA_DIR}/snapshots/20261201T120000Z-1a2b3c4d5e6f7a8b`;
    expect(calls.map((c) => c.argv)).toEqual([
      ["docker", "exec", "observability-prometheus", "wget", "-qO-", "--post-data=", "http://127.0.0.1:9090/api/v1/admin/tsdb/snapshot"],
      ["docker", "exec", "observability-prometheus", "tar", "-cf", "-", "-C", snap, "."],
      ["docker", "exec", "observability-prometheus", "rm", "-rf", snap],
      ["docker", "exec", "observability-alertmanager", "amtool", "--alertmanager.url=http://127.0.0.1:9093", "silence", "query", "-o", "json"],
      ["docker", "exec", "observability-grafana", "tar", "-cf", "-", "-C", GRAFANA_DATA_DIR, "grafana.db"],
    ]);
    expect(calls.map((c) => c.stdoutFile && path.relative(dir, c.stdoutFile))).toEqual([undefined, ARCHIVE_FILES.prometheus, undefined, ARCHIVE_FILES.alertmanager, ARCHIVE_FILES.grafana]);
    expect(manifest).toMatchObject({ stack: "dev", target: "docker", parts: ["prometheus", "alertmanager", "grafana"], prometheusSnapshot: "20261201T120000Z-1a2b3c4d5e6f7a8b" });
    expect(JSON.parse(fs.readFileSync(path.join(dir, "manifest.json"), "utf8"))).toEqual(manifest);
  });

  it("restores with stdin streams (docker exec -i) and restarts what must reload its data", async () => {
    const { runner: r1 } = recorder();
    const dir = path.join(work, "b");
    await backupToDir(req(dockerTransport("tutordex-net"), r1), dir);
    const { runner, calls } = recorder();
    await restoreFromDir(req(dockerTransport("tutordex-net"), runner), dir);
    expect(calls.map((c) => c.argv.slice(0, 4))).toEqual([
      ["docker", "exec", "-i", "tutordex-net-prometheus"],
      ["docker", "restart", "tutordex-net-prometheus"],
      ["docker", "exec", "-i", "tutordex-net-alertmanager"],
      ["docker", "exec", "-i", "tutordex-net-grafana"],
      ["docker", "restart", "tutordex-net-grafana"],
    ]);
    expect(calls.map((c) => c.stdinFile && path.relative(dir, c.stdinFile))).toEqual([ARCHIVE_FILES.prometheus, undefined, ARCHIVE_FILES.alertmanager, ARCHIVE_FILES.grafana, undefined]);
    expect(calls[0]!.argv.slice(4, 6)).toEqual(["sh", "-c"]);
    expect(calls[0]!.argv[6]).toContain(`tar -xf - -C '${PROMETHEUS_DATA_DIR}/restore'`);
    expect(calls[2]!.argv.slice(4)).toEqual(["amtool", "--alertmanager.url=http://127.0.0.1:9093", "silence", "import"]);
    expect(calls[3]!.argv.slice(4)).toEqual(["tar", "-xf", "-", "-C", GRAFANA_DATA_DIR]);
  });
});

describe("Kubernetes (kubectl exec into pod <service>-0, container <service>)", () => {
  it("names the context, the namespace, the pod and the container, and restarts with a rollout it waits for", async () => {
    const dir = path.join(work, "b");
    const t = kubernetesTransport({ namespace: "monitoring", context: "prod" });
    const { runner, calls } = recorder();
    await backupToDir({ ...req(t, runner), stack: "prod" }, dir);
    expect(calls[0]!.argv).toEqual(["kubectl", "--context", "prod", "-n", "monitoring", "exec", "prometheus-0", "-c", "prometheus", "--", "wget", "-qO-", "--post-data=", "http://127.0.0.1:9090/api/v1/admin/tsdb/snapshot"]);
    expect(calls[3]!.argv.slice(0, 11)).toEqual(["kubectl", "--context", "prod", "-n", "monitoring", "exec", "alertmanager-0", "-c", "alertmanager", "--", "amtool"]);
    const restored = recorder();
    await restoreFromDir({ ...req(t, restored.runner), stack: "prod" }, dir);
    expect(restored.calls[0]!.argv.slice(0, 10)).toEqual(["kubectl", "--context", "prod", "-n", "monitoring", "exec", "-i", "prometheus-0", "-c", "prometheus"]);
    expect(restored.calls.slice(1, 3).map((c) => c.argv)).toEqual([
      ["kubectl", "--context", "prod", "-n", "monitoring", "rollout", "restart", "statefulset/prometheus"],
      ["kubectl", "--context", "prod", "-n", "monitoring", "rollout", "status", "statefulset/prometheus", "--timeout=10m"],
    ]);
  });

  it("leaves --context out when the stack uses the current context", () => {
    expect(kubernetesTransport({ namespace: "observability" }).exec("grafana", ["true"])).toEqual(["kubectl", "-n", "observability", "exec", "grafana-0", "-c", "grafana", "--", "true"]);
  });
});

describe("the stack a backup acts on", () => {
  it("reads the fixture stacks: Docker by network name, Kubernetes by namespace", () => {
    const dev = stackSettings(PROJECT_DIR, "dev", STACKS);
    const prod = stackSettings(PROJECT_DIR, "prod", STACKS);
    expect(stackTransport(dev).exec("prometheus", ["true"])).toEqual(["docker", "exec", `${dev.docker.networkName}-prometheus`, "true"]);
    const context = prod.kubernetes.context ? ["--context", prod.kubernetes.context] : [];
    expect(stackTransport(prod).exec("prometheus", ["true"])).toEqual(["kubectl", ...context, "-n", prod.kubernetes.namespace, "exec", "prometheus-0", "-c", "prometheus", "--", "true"]);
  });

  it("backs up Prometheus only where prometheus.adminApi opened the snapshot API, and Grafana only where the stack runs it", () => {
    const dev = stackSettings(PROJECT_DIR, "dev", STACKS);
    expect(stackParts(dev)).toEqual({ parts: ["alertmanager", "grafana"], skipped: [expect.stringContaining("observability:prometheus.adminApi is false")] });
    expect(stackParts({ ...dev, prometheus: { ...dev.prometheus, adminApi: true }, grafana: { ...dev.grafana, mode: "external" } })).toEqual({
      parts: ["prometheus", "alertmanager"],
      skipped: [expect.stringContaining('observability:grafana.mode is "external"')],
    });
  });

  it("uses the data directories and ports the components run with", async () => {
    expect(CONTAINER_LAYOUT).toEqual({
      prometheus: { dataDir: PROMETHEUS_DATA_DIR, port: 9090 },
      alertmanager: { dataDir: ALERTMANAGER_DATA_DIR, port: 9093 },
      grafana: { dataDir: GRAFANA_DATA_DIR, port: 3000 },
    });
    const run = await runWith({ target: "docker", prometheus: { adminApi: true } });
    const prom = named(run, "docker:index/container:Container", "prometheus");
    expect(prom.inputs.command).toEqual(expect.arrayContaining([`--storage.tsdb.path=${PROMETHEUS_DATA_DIR}`, PROMETHEUS_ADMIN_API_FLAG]));
    expect(prom.inputs.volumes).toEqual(expect.arrayContaining([expect.objectContaining({ containerPath: PROMETHEUS_DATA_DIR })]));
  });
});

describe("restore refuses an archive that is not this stack's", () => {
  it("names the stack and target it was taken from", async () => {
    const dir = path.join(work, "b");
    await backupToDir(req(dockerTransport("observability"), recorder().runner), dir);
    await expect(restoreFromDir({ ...req(kubernetesTransport({ namespace: "observability" }), recorder().runner), stack: "prod" }, dir)).rejects.toThrow(
      "restore refused: the archive is of stack 'dev', not 'prod'; the archive was taken on docker, this stack deploys to kubernetes",
    );
  });

  it("rejects a directory without a manifest", async () => {
    fs.mkdirSync(path.join(work, "empty"));
    await expect(restoreFromDir(req(dockerTransport("observability"), recorder().runner), path.join(work, "empty"))).rejects.toThrow("not a backup: manifest.json is missing");
  });

  it("fails clearly when Prometheus answers without a snapshot (admin API off)", async () => {
    const runner: Runner = { run: async () => '{"status":"error","error":"admin APIs disabled"}' };
    await expect(backupToDir({ ...req(dockerTransport("observability"), runner), parts: ["prometheus"] }, path.join(work, "b"))).rejects.toThrow(
      /prometheus: the snapshot API did not answer with a snapshot name \(is prometheus.adminApi on\?\): .*admin APIs disabled/,
    );
  });
});

describe("the archive", () => {
  it("is one .tar.gz with the manifest and each part's file, and restore reads it back", async () => {
    const file = path.join(work, defaultArchiveName("dev", new Date("2026-12-01T12:00:00.123Z")));
    expect(path.basename(file)).toBe("dev-backup-20261201T120000Z.tar.gz");
    await backup(req(dockerTransport("observability"), recorder().runner), file);
    const { runner, calls } = recorder();
    const manifest = await restore(req(dockerTransport("observability"), runner), file);
    expect(manifest.parts).toEqual(["prometheus", "alertmanager", "grafana"]);
    expect(calls.filter((c) => c.stdinFile).map((c) => path.basename(c.stdinFile as string))).toEqual(["snapshot.tar", "silences.json", "grafana.tar"]);
  });
});

describe("command line", () => {
  it("parses --out, --only and --dry-run, and names the valid parts on a typo", () => {
    expect(parseArgs(["dev", "--out", "x.tar.gz", "--only", "alertmanager,grafana", "--dry-run"])).toEqual({ positional: ["dev"], out: "x.tar.gz", dryRun: true, only: ["alertmanager", "grafana"] });
    expect(() => parseArgs(["dev", "--only", "prometheus,loki"])).toThrow("--only: unknown part loki; valid: prometheus, alertmanager, grafana");
    expect(() => parseArgs(["dev", "--force"])).toThrow("unknown option --force");
  });
});
