/**
 * npm run backup -- <stack> [--out <file.tar.gz>] [--only prometheus,alertmanager,grafana] [--dry-run]
 *
 * Backs up the deployed stack's state into one archive: a Prometheus TSDB
 * snapshot (needs prometheus.adminApi), Alertmanager's silences and Grafana's
 * database, through `docker exec` (stack on Docker) or `kubectl exec` (on
 * Kubernetes) against the containers the program created (backup/). Exit 1
 * when a step fails, 2 on a usage or config error. --dry-run prints the
 * commands instead of running them.
 */
import * as fs from "fs";
import * as os from "os";
import * as path from "path";
import { parseArgs, printingRunner, stackRequest } from "../backup/cli";
import { backup, backupToDir, defaultArchiveName } from "../backup/run";
import { projectDir } from "./build";

const USAGE = "usage: npm run backup -- <stack> [--out <file.tar.gz>] [--only prometheus,alertmanager,grafana] [--dry-run]";

async function main(argv: string[]): Promise<number> {
  let args;
  try {
    args = parseArgs(argv);
    if (args.positional.length !== 1) throw new Error("give exactly one stack name");
  } catch (err) {
    process.stderr.write(`${err instanceof Error ? err.message : String(err)}\n${USAGE}\n`);
    return 2;
  }
  const stack = args.positional[0] as string;
  const root = projectDir(__dirname);
  let prepared;
  try {
    prepared = stackRequest(root, stack, args, args.dryRun ? printingRunner((l) => process.stdout.write(`${l}\n`)) : undefined);
  } catch (err) {
    process.stderr.write(`${err instanceof Error ? err.message : String(err)}\n`);
    return 2;
  }
  const { request, skipped } = prepared;
  for (const s of skipped) process.stderr.write(`skipped ${s}\n`);
  if (request.parts.length === 0) {
    process.stderr.write("nothing to back up\n");
    return 1;
  }
  const out = args.out ?? path.join(root, "backups", defaultArchiveName(stack));
  if (args.dryRun) {
    const scratch = fs.mkdtempSync(path.join(os.tmpdir(), "obs-backup-dry-"));
    try {
      await backupToDir(request, path.join(scratch, "backup"));
    } finally {
      fs.rmSync(scratch, { recursive: true, force: true });
    }
    process.stdout.write(`(dry run: would write ${out})\n`);
    return 0;
  }
  fs.mkdirSync(path.dirname(out), { recursive: true });
  const manifest = await backup(request, out);
  process.stdout.write(`backed up ${manifest.parts.join(", ")} of stack '${stack}' (${manifest.target}) to ${out}\n`);
  return 0;
}

if (require.main === module) {
  main(process.argv.slice(2)).then(
    (code) => process.exit(code),
    (err: unknown) => {
      process.stderr.write(`backup failed: ${err instanceof Error ? err.message : String(err)}\n`);
      process.exit(1);
    },
  );
}
