/**
 * npm run render -- --stack <name> --out <dir> [--stack-file <file>]
 * Writes exactly what the stack would deploy, with no cloud, cluster or Pulumi account.
 * --stack-file reads the stack's config from that file instead of Pulumi.<name>.yaml
 * (a candidate config, or the benchmark's generated stacks).
 */
import * as path from "path";
import { ConfigValidationError } from "../settings/validate";
import { renderStack, writeRendered } from "../render/render";
import { PROJECT_DIR } from "../settings/rules";

function usage(message: string): never {
  process.stderr.write(`${message}\nusage: npm run render -- --stack <name> --out <dir> [--stack-file <file>]\n`);
  process.exit(2);
}

async function main(argv: string[]): Promise<void> {
  const arg = (flag: string) => {
    const i = argv.indexOf(flag);
    return i >= 0 ? argv[i + 1] : undefined;
  };
  const stack = arg("--stack") ?? usage("missing --stack");
  const out = arg("--out") ?? usage("missing --out");
  const stackFile = arg("--stack-file");
  const files = await renderStack(PROJECT_DIR, stack, stackFile && path.resolve(stackFile));
  writeRendered(path.resolve(out), files);
  process.stdout.write(`rendered stack '${stack}': ${files.length} files in ${out}\n`);
  // The sizing estimate (sizing.md: the table and any thin-headroom warning), as preview prints it.
  process.stdout.write(`\n${files.find((f) => f.path === "sizing.md")?.content ?? ""}`);
}

main(process.argv.slice(2)).catch((err: unknown) => {
  // A config or usage problem is the user's to fix: say it plainly. Set DEBUG=1 for the stack trace.
  const detail = err instanceof Error ? (process.env.DEBUG && !(err instanceof ConfigValidationError) ? err.stack ?? err.message : err.message) : String(err);
  process.stderr.write(`render failed: ${detail}\n`);
  process.exit(1);
});
