/**
 * The command lines of `npm run backup` and `npm run restore` (scripts/backup.ts,
 * scripts/restore.ts): argument parsing and the stack they act on, shared so
 * both read a stack the same way.
 */
import { ConfigValidationError } from "../settings/validate";
import type { Runner } from "./parts";
import { CONTAINER_LAYOUT, stackParts, stackSettings, stackTransport } from "./stack";
import type { BackupRequest } from "./run";
import type { BackupService } from "./transport";

export interface CliArgs {
  readonly positional: string[];
  readonly out?: string;
  readonly dryRun: boolean;
  readonly only?: BackupService[];
}

const SERVICES: readonly BackupService[] = ["prometheus", "alertmanager", "grafana"];

/** Parse argv; throws a usage message on anything unknown. */
export function parseArgs(argv: readonly string[]): CliArgs {
  const positional: string[] = [];
  let out: string | undefined;
  let dryRun = false;
  let only: BackupService[] | undefined;
  for (let i = 0; i < argv.length; i++) {
    const a = argv[i] as string;
    if (a === "--dry-run") dryRun = true;
    else if (a === "--out" || a === "--only") {
      const v = argv[++i];
      if (v === undefined) throw new Error(`${a} needs a value`);
      if (a === "--out") out = v;
      else {
        const names = v.split(",").map((x) => x.trim());
        const bad = names.filter((n) => !SERVICES.includes(n as BackupService));
        if (bad.length > 0) throw new Error(`--only: unknown part ${bad.join(", ")}; valid: ${SERVICES.join(", ")}`);
        only = names as BackupService[];
      }
    } else if (a.startsWith("--")) throw new Error(`unknown option ${a}`);
    else positional.push(a);
  }
  return { positional, out, dryRun, ...(only ? { only } : {}) };
}

/**
 * The request for `stack`: its transport, the container layout and its parts
 * (narrowed by --only). `skipped` says which parts are left out and why.
 */
export function stackRequest(projectDir: string, stack: string, args: CliArgs, runner?: Runner): { request: BackupRequest; skipped: string[] } {
  let settings;
  try {
    settings = stackSettings(projectDir, stack);
  } catch (err) {
    if (err instanceof ConfigValidationError) throw new Error(`stack '${stack}' has configuration problems:\n${err.message}`);
    throw err;
  }
  const { parts, skipped } = stackParts(settings);
  const chosen = args.only ? parts.filter((p) => args.only?.includes(p)) : parts;
  for (const p of args.only ?? []) if (!parts.includes(p)) skipped.push(`${p}: asked for with --only, but ${skipped.find((s) => s.startsWith(`${p}:`))?.slice(p.length + 2) ?? "not available"}`);
  return {
    request: { stack, transport: stackTransport(settings), layout: CONTAINER_LAYOUT, parts: chosen, ...(runner ? { runner } : {}), log: (l) => process.stderr.write(`${l}\n`) },
    skipped,
  };
}

/**
 * A runner that runs nothing and prints each command (`--dry-run`): the snapshot
 * call answers with a stand-in name so the commands after it can be shown.
 */
export function printingRunner(write: (line: string) => void): Runner {
  return {
    async run(argv, io = {}) {
      const quoted = argv.map((a) => (/^[\w@%+=:,./-]+$/.test(a) ? a : `'${a.replace(/'/g, `'\\''`)}'`)).join(" ");
      write(`${quoted}${io.stdinFile ? ` < ${io.stdinFile}` : ""}${io.stdoutFile ? ` > ${io.stdoutFile}` : ""}`);
      return argv.some((a) => a.includes("/api/v1/admin/tsdb/snapshot")) ? JSON.stringify({ status: "success", data: { name: "SNAPSHOT" } }) : "";
    },
  };
}
