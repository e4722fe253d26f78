/**
 * `npm run diff -- --stack <name> --base <git-ref>` end to end, in a temp git
 * repository holding this project: the base commit is the project as it is,
 * the working tree edits a dashboard query and the stack config (a threshold
 * override and a receiver with a secret), and the command's report says so.
 */
import { execFileSync, spawnSync } from "child_process";
import * as fs from "fs";
import * as os from "os";
import * as path from "path";

jest.setTimeout(300_000);

const ROOT = path.resolve(__dirname, "..", "..");
let repo: string;

function sh(cmd: string, args: string[], cwd = repo): string {
  return execFileSync(cmd, args, { cwd, encoding: "utf8", stdio: ["ignore", "pipe", "pipe"] });
}

function diff(args: string[]) {
  return spawnSync(path.join(repo, "node_modules/.bin/ts-node"), ["--transpile-only", "scripts/diff.ts", ...args], { cwd: repo, encoding: "utf8" });
}

const CIPHERTEXT = "v1:AAAAAAAAAAAAAAAA:dGhpcyBpcyBub3QgYSByZWFsIGNpcGhlcnRleHQ=";

beforeAll(() => {
  repo = fs.mkdtempSync(path.join(os.tmpdir(), "diff-cli-"));
  const files = sh("git", ["ls-files", "--cached", "--others", "--exclude-standard", "-z"], ROOT).split("\0").filter(Boolean);
  for (const f of files) {
    if (!fs.existsSync(path.join(ROOT, f))) continue; // deleted in the working tree
    fs.mkdirSync(path.dirname(path.join(repo, f)), { recursive: true });
    fs.copyFileSync(path.join(ROOT, f), path.join(repo, f));
  }
  sh("git", ["init", "-q", "-b", "main"]);
  sh("git", ["-c", "user.name=t", "-c", "user.email=t@example.com", "add", "-A"]);
  sh("git", ["-c", "user.name=t", "-c", "user.email=t@example.com", "commit", "-qm", "base"]);
  // After the commit: `node_modules/` in .gitignore matches directories, not a symlink.
  fs.symlinkSync(path.join(ROOT, "node_modules"), path.join(repo, "node_modules"), "dir");

  const dash = path.join(repo, "dashboards/system-health.json");
  fs.writeFileSync(dash, fs.readFileSync(dash, "utf8").replace('"title": "Uptime"', '"title": "Host uptime"'));
  const stackFile = path.join(repo, "Pulumi.dev.yaml");
  fs.writeFileSync(
    stackFile,
    fs
      .readFileSync(stackFile, "utf8")
      .replace(
        "    collectorStalledEnabled: false\n",
        "    collectorStalledEnabled: false\n    thresholds:\n      llmFailureRatePerS: 0.5\n" +
          `    receivers:\n      - type: telegram\n        name: me\n        chatId: 123456789\n        severities: [critical]\n        botToken:\n          secure: ${CIPHERTEXT}\n`,
      ),
  );
});

afterAll(() => fs.rmSync(repo, { recursive: true, force: true }));

describe("npm run diff against the base commit", () => {
  let report: string;
  beforeAll(() => {
    const r = diff(["--stack", "dev", "--base", "main", "--out", "report.md"]);
    if (r.status !== 0) throw new Error(`diff exited ${r.status}:\n${r.stderr}`);
    report = r.stdout;
  });

  it("prints the report and writes the same bytes to --out", () => {
    expect(report.split("\n")[1]).toBe("## Observability review: stack `dev` (`main` -> working tree)");
    expect(fs.readFileSync(path.join(repo, "report.md"), "utf8")).toBe(report);
  });

  it("reports the threshold override of the stack config as a threshold change", () => {
    expect(report).toContain("- `LLMFailureSpike`: threshold 0.2 -> 0.5; annotation description reworded\n");
  });

  it("reports the renamed panel of the edited dashboard file", () => {
    expect(report).toContain("- changed `System Health`\n  - panel added `Host uptime` (stat): `");
    expect(report).toContain("  - panel removed `Uptime`\n");
  });

  it("routes critical alerts to the new receiver and says its secret was added, never its ciphertext", () => {
    expect(report).toContain("| ServiceDown | receivers null -> me |\n");
    expect(report).toContain("- `observability:alerting.receivers[0].botToken`: added\n");
    expect(report).not.toContain(CIPHERTEXT);
  });

  it("says which uploaded files replace the dev containers, each container's state kept on its volume", () => {
    expect(report).toContain("Dashboards changed: 1.");
    // Grafana's uploads include its password and secret key; only those two are masked, so the dashboard edit
    // shows as what replaces Grafana's container.
    expect(report).toContain(
      "- replaced docker Container `grafana` (files /etc/grafana/dashboards/infrastructure/system-health.json changed): state on `observability-grafana-data`: a separate volume, kept and mounted again\n",
    );
    expect(report).toContain(
      "- replaced docker Container `prometheus` (files /etc/prometheus/rules/tutordex.rules.yml changed): state on `observability-prometheus-data`: a separate volume, kept and mounted again\n",
    );
  });
});

it("refuses a base that is not a commit, saying what would be valid", () => {
  const r = diff(["--stack", "dev", "--base", "no-such-ref"]);
  expect(r.status).toBe(2);
  expect(r.stderr).toContain('--base: "no-such-ref" is not a commit of this repository (try main, origin/main or a commit id)');
});
