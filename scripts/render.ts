/**
 * npm run render -- --stack <name> --out <dir> [--stack-file <file>]
 * Writes exactly what the stack would deploy, with no cloud, cluster or Pulumi account.
 * --stack-file reads the stack's config from that file instead of Pulumi.<name>.yaml
 * (a candidate config, or the benchmark's generated stacks).
 */
import * as path from "path";
import { ProblemListError } from "../configs/problem-list";
import { renderStackResult, writeRendered } from "../render/render";
import { SECRET_PLACEHOLDER, stackNames } from "../render/stack-config";
import { renderSummary } from "../render/summary";
import { PROJECT_DIR } from "../settings/rules";

export const HELP = `usage: npm run render -- --stack <name> --out <dir> [--stack-file <file>]

Writes every file and manifest stack <name> would deploy (Pulumi.<name>.yaml) under <dir>,
with no cloud, cluster, Pulumi CLI or Pulumi account, then prints a one-screen summary:
services and their addresses, alerts, receivers, and anything still to do before deploy.

  --stack <name>   a stack of this project (here: ${stackNames(PROJECT_DIR).join(", ")})
  --out <dir>      output directory, created; files of the same name are replaced
  --stack-file <file>  read the stack's config from <file> instead of Pulumi.<name>.yaml
  --help           this text

What <dir> holds:
  prometheus/prometheus.yml, prometheus/rules/   scrape jobs and rule files (rule_files relative)
  alertmanager/alertmanager.yml                  routing, with a plain-English summary at the top
  blackbox/ loki/ alloy/ or promtail/ tempo/ otel-collector/   each tool's config
  grafana/provisioning/, grafana/dashboards/     datasources and dashboards
  kubernetes/*.yaml                              every manifest (Kubernetes stacks only)
  plan.json                                      every resource the program registers (type, name, parent, inputs)
  alertmanager/routing.md                        who gets paged for what (severity, receivers, intervals)
  sizing.md, sizing.json                         expected memory and disk per store against the configured limits

Secrets never appear: a placeholder (${SECRET_PLACEHOLDER}) stands in, also for a secret the stack
declares but has not set yet, so routing can be reviewed before anyone holds the token.
Exit status: 0 rendered; 1 nothing rendered (no such stack, or problems in the config or dashboards,
all listed with their config keys); 2 usage.
`;

/** What the command printed and its exit status. */
export interface CliResult {
  readonly code: number;
  readonly stdout: string;
  readonly stderr: string;
}

/**
 * The command, given its arguments: render `--stack` of `projectDir` (stack
 * files read from `stacksDir`, default the project) into `--out`.
 */
export async function renderCli(argv: readonly string[], projectDir: string = PROJECT_DIR, stacksDir?: string): Promise<CliResult> {
  if (argv.includes("--help") || argv.includes("-h")) return { code: 0, stdout: HELP, stderr: "" };
  const arg = (flag: string) => {
    const i = argv.indexOf(flag);
    return i >= 0 ? argv[i + 1] : undefined;
  };
  const stack = arg("--stack");
  const out = arg("--out");
  if (!stack || !out) return { code: 2, stdout: "", stderr: `missing ${stack ? "--out" : "--stack"}\n${HELP}` };
  try {
    const stackFile = arg("--stack-file");
    const result = await renderStackResult(projectDir, stack, { stacksDir, stackFile: stackFile && path.resolve(stackFile) });
    writeRendered(path.resolve(out), result.files);
    return { code: 0, stdout: renderSummary(result, stack, out), stderr: "" };
  } catch (err) {
    // A config problem is the user's to fix: say it plainly. Set DEBUG=1 for the stack trace.
    const detail =
      err instanceof ProblemListError ? err.describe("rendered") : err instanceof Error ? (process.env.DEBUG ? (err.stack ?? err.message) : err.message) : String(err);
    return { code: 1, stdout: "", stderr: `render failed: ${detail}\n` };
  }
}

if (require.main === module) {
  renderCli(process.argv.slice(2)).then(({ code, stdout, stderr }) => {
    process.stdout.write(stdout);
    process.stderr.write(stderr);
    process.exitCode = code;
  });
}
