/**
 * What a backup and a restore do for each stateful service, as a sequence of
 * commands run through a Transport (docker exec, kubectl exec, or a test's
 * local one). Everything that crosses the container boundary is a tar stream
 * or JSON on stdin/stdout, so files written into a container belong to the
 * service's own user (the tar inside the container runs as that user), and
 * Docker and Kubernetes need nothing but `exec`.
 *
 * - Prometheus: a TSDB snapshot through the admin API (`POST
 *   /api/v1/admin/tsdb/snapshot`, the head included), tarred out, then deleted.
 *   Restore unpacks the blocks beside whatever the server has (a block it
 *   already has is kept, not overwritten) and restarts it, which loads them.
 * - Alertmanager: the active and pending silences, exported and imported with
 *   amtool (in the image) against the local API. Imported silences get new
 *   ids. The notification log is not kept: after a restore an alert that was
 *   already notified may notify once more.
 * - Grafana: its SQLite database (users, folders, dashboards made in the UI,
 *   annotations; provisioned dashboards come from the stack anyway), restored
 *   with a restart.
 */
import type { BackupService, Transport } from "./transport";

/** Runs one host argv; `stdinFile` is fed to it, its stdout goes to `stdoutFile` or is returned. */
export interface Runner {
  run(argv: readonly string[], io?: { readonly stdinFile?: string; readonly stdoutFile?: string }): Promise<string>;
}

/** Where a service keeps its state in the container and the port its API listens on there. */
export interface ServiceLayout {
  readonly dataDir: string;
  readonly port: number;
}

/** A part's files inside the archive directory. */
export const ARCHIVE_FILES = {
  prometheus: "prometheus/snapshot.tar",
  alertmanager: "alertmanager/silences.json",
  grafana: "grafana/grafana.tar",
} as const satisfies Record<BackupService, string>;

/** Grafana's SQLite file, relative to its data dir (GF_PATHS_DATA). */
export const GRAFANA_DB = "grafana.db";

const SNAPSHOT_NAME = /^[A-Za-z0-9_.-]+$/;

/** Single-quote for `sh -c`. */
function q(s: string): string {
  return `'${s.replace(/'/g, `'\\''`)}'`;
}

function amtool(layout: ServiceLayout, ...args: string[]): string[] {
  return ["amtool", `--alertmanager.url=http://127.0.0.1:${layout.port}`, ...args];
}

export async function backupPrometheus(t: Transport, r: Runner, layout: ServiceLayout, archive: (file: string) => string): Promise<string> {
  const reply = await r.run(t.exec("prometheus", ["wget", "-qO-", "--post-data=", `http://127.0.0.1:${layout.port}/api/v1/admin/tsdb/snapshot`]));
  let name: unknown;
  try {
    name = (JSON.parse(reply) as { data?: { name?: unknown } }).data?.name;
  } catch {
    name = undefined;
  }
  if (typeof name !== "string" || !SNAPSHOT_NAME.test(name)) {
    throw new Error(`prometheus: the snapshot API did not answer with a snapshot name (is prometheus.adminApi on?): ${reply.slice(0, 200)}`);
  }
  const dir = `${layout.dataDir}/snapshots/${name}`;
  try {
    await r.run(t.exec("prometheus", ["tar", "-cf", "-", "-C", dir, "."]), { stdoutFile: archive(ARCHIVE_FILES.prometheus) });
  } finally {
    // A snapshot is a full set of hard links: left behind, it pins every block it names.
    await r.run(t.exec("prometheus", ["rm", "-rf", dir]));
  }
  return name;
}

export async function restorePrometheus(t: Transport, r: Runner, layout: ServiceLayout, archive: (file: string) => string): Promise<void> {
  const d = layout.dataDir;
  const staging = `${d}/restore`;
  // Unpack beside the TSDB, then move each block in unless the server already has it (same ULID).
  const script = [
    "set -e",
    `rm -rf ${q(staging)}`,
    `mkdir ${q(staging)}`,
    `tar -xf - -C ${q(staging)}`,
    `for b in ${q(staging)}/*/; do n=$(basename "$b"); [ -e ${q(d)}/"$n" ] || mv "$b" ${q(d)}/"$n"; done`,
    `rm -rf ${q(staging)}`,
  ].join("; ");
  await r.run(t.exec("prometheus", ["sh", "-c", script], { stdin: true }), { stdinFile: archive(ARCHIVE_FILES.prometheus) });
  for (const argv of t.restart("prometheus")) await r.run(argv);
}

export async function backupAlertmanager(t: Transport, r: Runner, layout: ServiceLayout, archive: (file: string) => string): Promise<void> {
  await r.run(t.exec("alertmanager", amtool(layout, "silence", "query", "-o", "json")), { stdoutFile: archive(ARCHIVE_FILES.alertmanager) });
}

export async function restoreAlertmanager(t: Transport, r: Runner, layout: ServiceLayout, archive: (file: string) => string): Promise<void> {
  await r.run(t.exec("alertmanager", amtool(layout, "silence", "import"), { stdin: true }), { stdinFile: archive(ARCHIVE_FILES.alertmanager) });
}

export async function backupGrafana(t: Transport, r: Runner, layout: ServiceLayout, archive: (file: string) => string): Promise<void> {
  await r.run(t.exec("grafana", ["tar", "-cf", "-", "-C", layout.dataDir, GRAFANA_DB]), { stdoutFile: archive(ARCHIVE_FILES.grafana) });
}

export async function restoreGrafana(t: Transport, r: Runner, layout: ServiceLayout, archive: (file: string) => string): Promise<void> {
  await r.run(t.exec("grafana", ["tar", "-xf", "-", "-C", layout.dataDir], { stdin: true }), { stdinFile: archive(ARCHIVE_FILES.grafana) });
  for (const argv of t.restart("grafana")) await r.run(argv);
}
