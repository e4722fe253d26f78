/**
 * Back up and restore a stack: run the parts' commands (parts.ts) through its
 * transport and pack their files into one `.tar.gz` with a manifest.
 */
import { spawn } from "child_process";
import * as fs from "fs";
import * as os from "os";
import * as path from "path";
import {
  ARCHIVE_FILES,
  backupAlertmanager,
  backupGrafana,
  backupPrometheus,
  restoreAlertmanager,
  restoreGrafana,
  restorePrometheus,
  type Runner,
  type ServiceLayout,
} from "./parts";
import type { BackupService, Transport } from "./transport";

export const MANIFEST_FILE = "manifest.json";

/** What an archive holds; restore refuses an archive of another stack or target. */
export interface BackupManifest {
  readonly stack: string;
  readonly target: string;
  /** ISO time the backup started. */
  readonly createdAt: string;
  readonly parts: readonly BackupService[];
  /** Prometheus snapshot name, when Prometheus is in the archive. */
  readonly prometheusSnapshot?: string;
}

/** Runs host commands as child processes; a failure names the command and its stderr. */
export const processRunner: Runner = {
  run(argv, io = {}) {
    return new Promise((resolve, reject) => {
      const [cmd, ...args] = argv;
      if (!cmd) return reject(new Error("empty command"));
      const child = spawn(cmd, args, { stdio: ["pipe", "pipe", "pipe"] });
      const out: Buffer[] = [];
      const err: Buffer[] = [];
      let sink: fs.WriteStream | undefined;
      if (io.stdoutFile) {
        sink = fs.createWriteStream(io.stdoutFile);
        child.stdout.pipe(sink);
      } else child.stdout.on("data", (b: Buffer) => out.push(b));
      child.stderr.on("data", (b: Buffer) => err.push(b));
      if (io.stdinFile) fs.createReadStream(io.stdinFile).pipe(child.stdin);
      else child.stdin.end();
      child.on("error", (e) => reject(new Error(`${argv.join(" ")}: ${e.message}`)));
      child.on("close", (code) => {
        const done = () =>
          code === 0
            ? resolve(Buffer.concat(out).toString("utf8"))
            : reject(new Error(`${argv.join(" ")} exited ${code}: ${Buffer.concat(err).toString("utf8").trim().slice(0, 2000)}`));
        if (sink && !sink.closed) sink.on("close", done);
        else done();
      });
    });
  },
};

export interface BackupRequest {
  readonly stack: string;
  readonly transport: Transport;
  readonly layout: Readonly<Record<BackupService, ServiceLayout>>;
  readonly parts: readonly BackupService[];
  readonly runner?: Runner;
  /** Called with a line of progress. */
  readonly log?: (line: string) => void;
}

/** Back up `parts` into the directory `dir` (created; must not exist). Returns the manifest written there. */
export async function backupToDir(req: BackupRequest, dir: string): Promise<BackupManifest> {
  const r = req.runner ?? processRunner;
  const log = req.log ?? (() => undefined);
  fs.mkdirSync(dir);
  const archive = (file: string) => {
    const p = path.join(dir, file);
    fs.mkdirSync(path.dirname(p), { recursive: true });
    return p;
  };
  const createdAt = new Date().toISOString();
  let prometheusSnapshot: string | undefined;
  for (const part of req.parts) {
    log(`${part}: backing up`);
    if (part === "prometheus") prometheusSnapshot = await backupPrometheus(req.transport, r, req.layout.prometheus, archive);
    else if (part === "alertmanager") await backupAlertmanager(req.transport, r, req.layout.alertmanager, archive);
    else await backupGrafana(req.transport, r, req.layout.grafana, archive);
  }
  const manifest: BackupManifest = { stack: req.stack, target: req.transport.kind, createdAt, parts: [...req.parts], ...(prometheusSnapshot ? { prometheusSnapshot } : {}) };
  fs.writeFileSync(path.join(dir, MANIFEST_FILE), JSON.stringify(manifest, null, 2) + "\n");
  return manifest;
}

/** Restore the parts of the backup directory `dir` that `req.parts` names. */
export async function restoreFromDir(req: BackupRequest, dir: string): Promise<BackupManifest> {
  const r = req.runner ?? processRunner;
  const log = req.log ?? (() => undefined);
  const manifest = readManifest(dir);
  const problems: string[] = [];
  if (manifest.stack !== req.stack) problems.push(`the archive is of stack '${manifest.stack}', not '${req.stack}'`);
  if (manifest.target !== req.transport.kind) problems.push(`the archive was taken on ${manifest.target}, this stack deploys to ${req.transport.kind}`);
  if (problems.length > 0) throw new Error(`restore refused: ${problems.join("; ")}`);
  const archive = (file: string) => path.join(dir, file);
  for (const part of req.parts.filter((p) => manifest.parts.includes(p))) {
    if (!fs.existsSync(archive(ARCHIVE_FILES[part]))) throw new Error(`restore refused: the archive lists ${part} but has no ${ARCHIVE_FILES[part]}`);
    log(`${part}: restoring`);
    if (part === "prometheus") await restorePrometheus(req.transport, r, req.layout.prometheus, archive);
    else if (part === "alertmanager") await restoreAlertmanager(req.transport, r, req.layout.alertmanager, archive);
    else await restoreGrafana(req.transport, r, req.layout.grafana, archive);
  }
  return manifest;
}

export function readManifest(dir: string): BackupManifest {
  const file = path.join(dir, MANIFEST_FILE);
  if (!fs.existsSync(file)) throw new Error(`not a backup: ${MANIFEST_FILE} is missing`);
  return JSON.parse(fs.readFileSync(file, "utf8")) as BackupManifest;
}

/** `<stack>-<UTC time>.tar.gz`, the default archive name. */
export function defaultArchiveName(stack: string, now: Date = new Date()): string {
  return `${stack}-backup-${now.toISOString().replace(/[-:]/g, "").replace(/\.\d+Z$/, "Z")}.tar.gz`;
}

/** Back up into the `.tar.gz` file `archiveFile`. */
export async function backup(req: BackupRequest, archiveFile: string): Promise<BackupManifest> {
  const work = fs.mkdtempSync(path.join(os.tmpdir(), "obs-backup-"));
  try {
    const manifest = await backupToDir(req, path.join(work, "backup"));
    await processRunner.run(["tar", "-czf", path.resolve(archiveFile), "-C", path.join(work, "backup"), "."]);
    return manifest;
  } finally {
    fs.rmSync(work, { recursive: true, force: true });
  }
}

/** Restore from the `.tar.gz` file `archiveFile`. */
export async function restore(req: BackupRequest, archiveFile: string): Promise<BackupManifest> {
  if (!fs.existsSync(archiveFile)) throw new Error(`no archive ${archiveFile}`);
  const work = fs.mkdtempSync(path.join(os.tmpdir(), "obs-restore-"));
  try {
    await processRunner.run(["tar", "-xzf", path.resolve(archiveFile), "-C", work]);
    return await restoreFromDir(req, work);
  } finally {
    fs.rmSync(work, { recursive: true, force: true });
  }
}
