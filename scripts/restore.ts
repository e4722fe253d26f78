/**
 * npm run restore -- <stack> <archive.tar.gz> [--only prometheus,alertmanager,grafana] [--dry-run]
 *
 * Puts an archive of `npm run backup` back into the deployed stack: Prometheus'
 * blocks beside what it has (then a restart loads them), Alertmanager's
 * silences imported, Grafana's database replaced (then a restart). Refuses an
 * archive of another stack or target. Exit 1 when a step fails, 2 on a usage
 * or config error. --dry-run prints the commands instead of running them.
 */
import { parseArgs, printingRunner, stackRequest } from "../backup/cli";
import { restore } from "../backup/run";
import { projectDir } from "./build";

const USAGE = "usage: npm run restore -- <stack> <archive.tar.gz> [--only prometheus,alertmanager,grafana] [--dry-run]";

async function main(argv: string[]): Promise<number> {
  let args;
  try {
    args = parseArgs(argv);
    if (args.positional.length !== 2) throw new Error("give a stack name and an archive");
    if (args.out !== undefined) throw new Error("--out is for backup");
  } catch (err) {
    process.stderr.write(`${err instanceof Error ? err.message : String(err)}\n${USAGE}\n`);
    return 2;
  }
  const [stack, archive] = args.positional as [string, string];
  let prepared;
  try {
    prepared = stackRequest(projectDir(__dirname), stack, args, args.dryRun ? printingRunner((l) => process.stdout.write(`${l}\n`)) : undefined);
  } catch (err) {
    process.stderr.write(`${err instanceof Error ? err.message : String(err)}\n`);
    return 2;
  }
  for (const s of prepared.skipped) process.stderr.write(`skipped ${s}\n`);
  const manifest = await restore(prepared.request, archive);
  const restored = prepared.request.parts.filter((p) => manifest.parts.includes(p));
  process.stdout.write(`${args.dryRun ? "(dry run) would restore" : "restored"} ${restored.join(", ") || "nothing"} of stack '${stack}' from ${archive} (taken ${manifest.createdAt})\n`);
  return 0;
}

if (require.main === module) {
  main(process.argv.slice(2)).then(
    (code) => process.exit(code),
    (err: unknown) => {
      process.stderr.write(`restore failed: ${err instanceof Error ? err.message : String(err)}\n`);
      process.exit(1);
    },
  );
}
