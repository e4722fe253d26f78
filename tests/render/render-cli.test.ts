/**
 * `npm run render` as a newcomer meets it: --help, the one-screen summary
 * after the files are written, a declared-but-unset secret rendered as a
 * placeholder (deploy still refuses it), and problems reported as
 * "nothing was rendered".
 */
import { execFileSync } from "child_process";
import * as fs from "fs";
import * as os from "os";
import * as path from "path";
import { renderCli } from "../../scripts/render";
import { SECRET_PLACEHOLDER } from "../../render/stack-config";
import { runWith } from "../stack/harness";
import { FIXTURE_STACKS_DIR, PROJECT_DIR } from "../support/stacks";
import { check } from "../support/tools";

jest.setTimeout(120_000);

const tmp = (prefix: string) => fs.mkdtempSync(path.join(os.tmpdir(), prefix));

/** A stacks directory holding one stack file with the given YAML body. */
function stacksWith(name: string, yaml: string): string {
  const dir = tmp("render-cli-stacks-");
  fs.writeFileSync(path.join(dir, `Pulumi.${name}.yaml`), yaml);
  return dir;
}

describe("npm run render -- --help", () => {
  it("explains the flags, the stacks there are, what the directory holds and plan.json, and exits 0", () => {
    // Through npm, as the README says to run it.
    const out = execFileSync("npm", ["run", "--silent", "render", "--", "--help"], { cwd: PROJECT_DIR, encoding: "utf8" });
    expect(out).toMatch(/^usage: npm run render -- --stack <name> --out <dir>/);
    expect(out).toContain("--stack <name>   a stack of this project (here: dev, example, prod)");
    expect(out).toContain("plan.json");
    expect(out).toContain("alertmanager/alertmanager.yml");
    expect(out).toContain(SECRET_PLACEHOLDER);
  });

  it("answers a missing flag with what is missing and the usage, exit 2", async () => {
    const r = await renderCli(["--stack", "dev"]);
    expect(r.code).toBe(2);
    expect(r.stderr).toMatch(/^missing --out\nusage: /);
  });
});

describe("the summary printed after rendering the TutorDex dev fixture", () => {
  let out: string;
  let summary: string;
  beforeAll(async () => {
    out = tmp("render-cli-dev-");
    const r = await renderCli(["--stack", "dev", "--out", out], PROJECT_DIR, FIXTURE_STACKS_DIR);
    expect(r).toMatchObject({ code: 0, stderr: "" });
    summary = r.stdout;
  });

  it("fits one screen (under 30 lines of at most 200 characters)", () => {
    const lines = summary.trimEnd().split("\n");
    expect(lines.length).toBeLessThan(30);
    for (const l of lines) expect(l.length).toBeLessThanOrEqual(200);
  });

  it("names the stack, its target, the file count and the directory", () => {
    const files = execFileSync("find", [out, "-type", "f"], { encoding: "utf8" }).trim().split("\n").length;
    expect(summary.split("\n")[0]).toBe(`rendered stack 'dev' (target docker): ${files} files in ${out}`);
  });

  it("lists each service with the address (port) to open, OTLP, and how to read Grafana's password", () => {
    expect(summary).toMatch(/services +grafana +http:\/\/127\.0\.0\.1:3300\n/);
    for (const [name, port] of [["prometheus", 9090], ["alertmanager", 9093], ["loki", 3100], ["tempo", 3200]]) {
      expect(summary).toMatch(new RegExp(`\\n +${name} +http://127\\.0\\.0\\.1:${port}\\n`));
    }
    expect(summary).toContain("otlp          grpc http://127.0.0.1:4317, http http://127.0.0.1:4318");
    expect(summary).toContain("user admin; password: pulumi stack output --show-secrets grafanaAdminPassword");
  });

  it("counts the alerts and recording rules as the rule files on disk hold them", () => {
    const count = (dir: string, re: RegExp) =>
      execFileSync("find", [path.join(out, dir), "-name", "*.y*ml"], { encoding: "utf8" })
        .trim()
        .split("\n")
        .reduce((n, f) => n + (fs.readFileSync(f, "utf8").match(re) ?? []).length, 0);
    const alerts = count("prometheus/rules", /^ *- alert: /gm);
    const records = count("prometheus/rules", /^ *- record: /gm);
    const logAlerts = count("loki/rules", /^ *- alert: /gm);
    expect(alerts).toBeGreaterThan(20);
    expect(summary).toContain(`alerts     ${alerts} Prometheus alerts, ${logAlerts} log alerts, ${records} recording rules (packs: tutordex, service, http, host, container, queue, probes, slo)`);
  });

  it("shows the scrape targets, the SLO, and that no receiver is set (dev pages nobody)", () => {
    expect(summary).toMatch(/scrape +\d+ jobs; yours: tutordex_collector, tutordex_worker, tutordex_backend; 4 health probes/);
    expect(summary).toContain("slos       backend-availability: 99.9% over 30d (availability of tutordex_backend)");
    expect(summary).toContain("receivers  none: alerts show in Alertmanager and notify nobody");
    expect(summary).not.toMatch(/not set|warning/);
  });
});

describe("a receiver declared before its secret is set", () => {
  const STACK = ["config:", "  observability:alerting:", "    receivers:", "      - { type: telegram, name: oncall, chatId: -100123, severities: [critical] }", "      - { type: slack, name: team, channel: '#alerts', severities: [warning] }", ""].join("\n");
  let out: string;
  let stdout: string;
  beforeAll(async () => {
    out = tmp("render-cli-unset-");
    const r = await renderCli(["--stack", "newcomer", "--out", out], PROJECT_DIR, stacksWith("newcomer", STACK));
    expect(r).toMatchObject({ code: 0, stderr: "" });
    stdout = r.stdout;
  });

  it("renders, with the placeholder where the secret goes, and Alertmanager's config still passes amtool", () => {
    // Slack reads its URL from a file (the placeholder in it); Telegram's token sits in the config as a masked slot.
    expect(fs.readFileSync(path.join(out, "alertmanager/secrets/receiver-1-apiUrl"), "utf8").trim()).toBe(SECRET_PLACEHOLDER);
    expect(fs.readFileSync(path.join(out, "alertmanager/alertmanager.yml"), "utf8")).toMatch(/bot_token: REDACTED-SECRET-\d+\n/);
    expect(check("amtool", ["check-config", path.join(out, "alertmanager/alertmanager.yml")])).toMatch(/SUCCESS/);
  });

  it("shows the routing that will apply: critical to one receiver, warnings to the other", () => {
    const am = fs.readFileSync(path.join(out, "alertmanager/alertmanager.yml"), "utf8");
    expect(am).toMatch(/#\s+severity="critical"\s+-> oncall\b/);
    expect(am).toMatch(/#\s+severity="warning"\s+-> team\b/);
    expect(stdout).toContain("receivers  oncall (telegram): critical\n             team (slack): warning");
  });

  it("tells the user which secrets to set before deploy, with the exact command", () => {
    expect(stdout).toContain("not set    alerting.receivers[0].botToken: placeholder rendered; deploy needs: pulumi config set --secret --path 'observability:alerting.receivers[0].botToken' <value>");
    expect(stdout).toContain("alerting.receivers[1].apiUrl: placeholder rendered; deploy needs: pulumi config set --secret --path 'observability:alerting.receivers[1].apiUrl' <value>");
  });

  it("is still refused by the program pulumi up runs, naming the same command", async () => {
    await expect(runWith({ alerting: { receivers: [{ type: "telegram", name: "oncall", chatId: -100123 }] } })).rejects.toThrow(
      "observability:alerting.receivers[0].botToken: is required; set it with: pulumi config set --secret --path 'observability:alerting.receivers[0].botToken' <value>",
    );
  });
});

describe("a stack with problems", () => {
  it("says nothing was rendered, lists every problem with its key, writes nothing and exits 1", async () => {
    const out = path.join(tmp("render-cli-bad-"), "out");
    const r = await renderCli(["--stack", "bad", "--out", out], PROJECT_DIR, stacksWith("bad", "config:\n  observability:target: dokcer\n  observability:loki: { retention: soon }\n"));
    expect(r.code).toBe(1);
    expect(r.stderr).toMatch(/^render failed: Stack config has 2 problems; nothing was rendered:\n {2}observability:target: must be one of 'docker', 'kubernetes'; got string "dokcer" \(did you mean 'docker'\?\)\n {2}observability:loki\.retention: /);
    expect(fs.existsSync(out)).toBe(false);
  });
});
