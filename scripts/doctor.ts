/**
 * npm run doctor -- <stack> [--urls <file>] [--expect-down <name,...>] [--timeout <ms>]
 *
 * Seed 000's doctor.sh for a deployed stack: one line per check, exit 1 when
 * anything is wrong (2 on a usage error).
 *   - every service in the stack outputs answers its health endpoint;
 *   - which Prometheus scrape targets are down;
 *   - which rules are in error;
 *   - whether Watchdog fires in Prometheus and reaches Alertmanager;
 *   - whether alerts reach anyone: a receiver with an integration, and a dead
 *     man's switch for the Watchdog (a warning, not a failure: a dev stack
 *     often has neither).
 *   - which of the stack's own health alerts (the always-on `stack` rules:
 *     Prometheus cannot reach Alertmanager, Alertmanager cannot notify, Loki
 *     or the collector drop data, ...) are firing or pending.
 *
 * Where the URLs come from, first that applies:
 *   --urls <file>             JSON as `pulumi stack output --json` prints it ({"urls": {...}});
 *   OBSERVABILITY_URLS        the same JSON, inline;
 *   pulumi stack output --json --show-secrets=false -s <stack>.
 * --expect-down lists services (output names) or scrape jobs known not to run
 * in this environment: they are reported as `skip`, not as failures.
 */
import { spawnSync } from "child_process";
import { stackAlertNames } from "../configs/prometheus/rules";
import * as fs from "fs";
import * as path from "path";
import { parse as parseYaml } from "yaml";
import { WATCHDOG_ALERT } from "../configs/alertmanager/alertmanager";
import { projectDir } from "./build";

/**
 * Health endpoint per stack output name. Kept equal to each component's
 * ServiceSpec.health path (tests/e2e/live.test.ts checks they agree).
 */
export const HEALTH_PATHS: Readonly<Record<string, string>> = {
  prometheus: "/-/ready",
  alertmanager: "/-/ready",
  grafana: "/api/health",
  loki: "/ready",
  tempo: "/ready",
};

/** `warn` is reported but does not fail the run. */
type Status = "ok" | "FAIL" | "skip" | "warn";

export interface Check {
  readonly status: Status;
  readonly what: string;
  readonly detail: string;
}

export interface DoctorOptions {
  /** Output name -> base URL (the stack output `urls`). */
  readonly urls: Readonly<Record<string, string>>;
  readonly expectDown: ReadonlySet<string>;
  readonly timeoutMs: number;
}

async function get(url: string, timeoutMs: number): Promise<{ status: number; text: string; ms: number }> {
  const started = Date.now();
  const res = await fetch(url, { signal: AbortSignal.timeout(timeoutMs) });
  return { status: res.status, text: await res.text(), ms: Date.now() - started };
}

function reason(err: unknown): string {
  if (err instanceof Error) {
    const cause = (err as Error & { cause?: { code?: string; message?: string } }).cause;
    return cause?.code ?? cause?.message ?? err.message;
  }
  return String(err);
}

async function api<T>(base: string, path: string, timeoutMs: number): Promise<T> {
  const r = await get(`${base}${path}`, timeoutMs);
  if (r.status !== 200) throw new Error(`HTTP ${r.status}`);
  const body = JSON.parse(r.text) as { data: T };
  return body.data;
}

const STACK_ALERTS: ReadonlySet<string> = new Set(stackAlertNames());

/**
 * The stack's own health alerts among Prometheus' active alerts: FAIL while
 * any fires (the stack itself is failing: alerts may not be delivered, data
 * may be lost), ok otherwise, naming the pending ones.
 */
export function stackAlertsCheck(
  alerts: readonly { labels: Readonly<Record<string, string>>; state: string }[],
  expectDown: ReadonlySet<string> = new Set(),
): [Status, string, string] {
  // An alert about a job that does not run here (GrafanaDown where no Grafana runs) is no news.
  const relevant = alerts.filter((a) => STACK_ALERTS.has(a.labels.alertname ?? "") && !expectDown.has(a.labels.job ?? ""));
  const describe = (state: string) => [...new Set(relevant.filter((a) => a.state === state).map((a) => a.labels.alertname as string))].sort();
  const firing = describe("firing");
  const pending = describe("pending");
  const pendingText = pending.length > 0 ? `; pending: ${pending.join(", ")}` : "";
  return firing.length > 0
    ? ["FAIL", "stack alerts", `firing: ${firing.join(", ")}${pendingText} (docs/runbooks/<alert>.md)`]
    : ["ok", "stack alerts", `none of the ${STACK_ALERTS.size} stack-health alerts firing${pendingText}`];
}

/** Run every check; never throws (an unreachable service is a failed check). */
export async function diagnose(o: DoctorOptions): Promise<Check[]> {
  const checks: Check[] = [];
  const add = (status: Status, what: string, detail: string) => checks.push({ status, what, detail });

  for (const [name, base] of Object.entries(o.urls).sort()) {
    const path = HEALTH_PATHS[name] ?? "/";
    const url = `${base.replace(/\/+$/, "")}${path}`;
    if (o.expectDown.has(name)) {
      add("skip", `health ${name}`, `${url} not checked (expected down here)`);
      continue;
    }
    try {
      const r = await get(url, o.timeoutMs);
      add(r.status >= 200 && r.status < 300 ? "ok" : "FAIL", `health ${name}`, `${url} -> HTTP ${r.status} in ${r.ms} ms`);
    } catch (err) {
      add("FAIL", `health ${name}`, `${url} -> ${reason(err)}`);
    }
  }

  const prom = o.urls.prometheus?.replace(/\/+$/, "");
  const am = o.urls.alertmanager?.replace(/\/+$/, "");
  if (!prom) {
    add("FAIL", "prometheus", "no `prometheus` URL in the stack outputs: cannot check targets, rules or Watchdog");
    return checks;
  }

  try {
    const { activeTargets } = await api<{ activeTargets: { labels: Record<string, string>; health: string; lastError: string }[] }>(prom, "/api/v1/targets?state=active", o.timeoutMs);
    const down = activeTargets.filter((t) => t.health !== "up");
    for (const t of down) {
      const expected = o.expectDown.has(t.labels.job);
      add(expected ? "skip" : "FAIL", `target ${t.labels.job}`, `${t.labels.instance} is ${t.health}${expected ? " (expected down here)" : ""}: ${t.lastError || "not scraped yet"}`);
    }
    const up = activeTargets.length - down.length;
    add(down.every((t) => o.expectDown.has(t.labels.job)) ? "ok" : "FAIL", "scrape targets", `${up}/${activeTargets.length} up`);
  } catch (err) {
    add("FAIL", "scrape targets", `cannot read ${prom}/api/v1/targets: ${reason(err)}`);
  }

  try {
    const { groups } = await api<{ groups: { name: string; rules: { name: string; health: string; lastError?: string }[] }[] }>(prom, "/api/v1/rules", o.timeoutMs);
    const rules = groups.flatMap((g) => g.rules.map((r) => ({ ...r, group: g.name })));
    const bad = rules.filter((r) => r.health === "err");
    for (const r of bad) add("FAIL", `rule ${r.name}`, `group ${r.group}: ${r.lastError ?? "error"}`);
    add(bad.length === 0 && rules.length > 0 ? "ok" : "FAIL", "rules", rules.length === 0 ? "no rules loaded" : `${rules.length - bad.length}/${rules.length} evaluate without error`);
  } catch (err) {
    add("FAIL", "rules", `cannot read ${prom}/api/v1/rules: ${reason(err)}`);
  }

  try {
    const { alerts } = await api<{ alerts: { labels: Record<string, string>; state: string }[] }>(prom, "/api/v1/alerts", o.timeoutMs);
    const firing = alerts.some((a) => a.labels.alertname === "Watchdog" && a.state === "firing");
    add(firing ? "ok" : "FAIL", "watchdog in prometheus", firing ? "Watchdog is firing" : "Watchdog is not firing: the watchdog rule is missing or not evaluated");
    add(...stackAlertsCheck(alerts, o.expectDown));
  } catch (err) {
    add("FAIL", "watchdog in prometheus", `cannot read ${prom}/api/v1/alerts: ${reason(err)}`);
    add("FAIL", "stack alerts", `cannot read ${prom}/api/v1/alerts: ${reason(err)}`);
  }
  if (!am) {
    add("FAIL", "watchdog in alertmanager", "no `alertmanager` URL in the stack outputs");
  } else {
    try {
      const r = await get(`${am}/api/v2/alerts?filter=${encodeURIComponent('alertname="Watchdog"')}`, o.timeoutMs);
      if (r.status !== 200) throw new Error(`HTTP ${r.status}`);
      const reached = (JSON.parse(r.text) as unknown[]).length > 0;
      add(reached ? "ok" : "FAIL", "watchdog in alertmanager", reached ? "Alertmanager holds the Watchdog alert" : "Alertmanager has no Watchdog alert: Prometheus does not reach it");
    } catch (err) {
      add("FAIL", "watchdog in alertmanager", `cannot read ${am}/api/v2/alerts: ${reason(err)}`);
    }
    try {
      const r = await get(`${am}/api/v2/status`, o.timeoutMs);
      if (r.status !== 200) throw new Error(`HTTP ${r.status}`);
      checks.push(...alertRoutingChecks((JSON.parse(r.text) as { config: { original: string } }).config.original));
    } catch (err) {
      add("FAIL", "alert routing", `cannot read ${am}/api/v2/status: ${reason(err)}`);
    }
  }
  return checks;
}

interface AmRoute {
  receiver?: string;
  matchers?: string[];
  routes?: AmRoute[];
}

/**
 * Whether the running Alertmanager's config notifies anyone: some receiver
 * has an integration (`*_configs`), and the Watchdog's route leads to one (a
 * dead man's switch). Either missing is a warning: alerts go nowhere, or
 * nobody notices when the stack itself stops alerting.
 */
export function alertRoutingChecks(configYaml: string): Check[] {
  const config = parseYaml(configYaml) as { receivers?: Record<string, unknown>[]; route?: AmRoute };
  const notifies = (name: string | undefined) =>
    (config.receivers ?? []).some((r) => r.name === name && Object.entries(r).some(([k, v]) => k.endsWith("_configs") && Array.isArray(v) && v.length > 0));
  const receivers = (config.receivers ?? []).map((r) => String(r.name)).filter(notifies);
  const watchdog = (config.route?.routes ?? []).find((r) => (r.matchers ?? []).includes(`alertname="${WATCHDOG_ALERT}"`));
  return [
    receivers.length > 0
      ? { status: "ok", what: "alert routing", detail: `alerts reach ${receivers.join(", ")}` }
      : { status: "warn", what: "alert routing", detail: "alerts go nowhere: no receiver has an integration; set alerting.receivers (README, Alerting)" },
    notifies(watchdog?.receiver)
      ? { status: "ok", what: "dead man's switch", detail: `${WATCHDOG_ALERT} reaches ${watchdog?.receiver}` }
      : { status: "warn", what: "dead man's switch", detail: `${WATCHDOG_ALERT} reaches no one: nobody notices when this stack stops alerting; set alerting.deadMansSwitch` },
  ];
}

export function formatChecks(checks: readonly Check[]): string {
  const width = Math.max(...checks.map((c) => c.what.length));
  return checks.map((c) => `${`[${c.status}]`.padEnd(6)} ${c.what.padEnd(width)}  ${c.detail}`).join("\n");
}

function usage(message: string): never {
  process.stderr.write(`${message}\nusage: npm run doctor -- <stack> [--urls <file>] [--expect-down <name,...>] [--timeout <ms>]\n`);
  process.exit(2);
}

/**
 * An output URL doctor can call. Without an Ingress, Kubernetes outputs are
 * `kubectl ... port-forward svc/<name> <local>:<remote>` commands: doctor then
 * calls the local end, which answers while the operator runs that command.
 */
export function reachableUrl(output: string): string | undefined {
  if (/^https?:\/\//.test(output)) return output;
  const forward = /\bport-forward\s+\S+\s+(\d+):\d+\s*$/.exec(output);
  return forward ? `http://localhost:${forward[1]}` : undefined;
}

/** The stack outputs' `urls`, from --urls, OBSERVABILITY_URLS or the Pulumi CLI. */
function readUrls(stack: string, file: string | undefined): Record<string, string> {
  let text: string;
  let from: string;
  if (file) {
    text = fs.readFileSync(file, "utf8");
    from = file;
  } else if (process.env.OBSERVABILITY_URLS) {
    text = process.env.OBSERVABILITY_URLS;
    from = "OBSERVABILITY_URLS";
  } else {
    // The backend `npm run deploy` uses (scripts/pulumi.sh) unless PULUMI_BACKEND_URL names another.
    const backend = process.env.PULUMI_BACKEND_URL ?? `file://${path.join(projectDir(__dirname), ".pulumi-state")}`;
    const r = spawnSync("pulumi", ["stack", "output", "--json", "--show-secrets=false", "-s", stack], {
      encoding: "utf8",
      env: { ...process.env, PULUMI_BACKEND_URL: backend },
    });
    if (r.error || r.status !== 0) {
      const why = (r.error as NodeJS.ErrnoException | undefined)?.code === "ENOENT" ? "pulumi CLI not found: install it from https://www.pulumi.com/docs/install/" : (r.error?.message ?? r.stderr.trim());
      usage(`cannot read the outputs of stack '${stack}' (${why}); pass --urls <file> or set OBSERVABILITY_URLS`);
    }
    text = r.stdout;
    from = "pulumi stack output";
  }
  const outputs = JSON.parse(text) as { urls?: Record<string, unknown> };
  const urls = Object.fromEntries(
    Object.entries(outputs.urls ?? {}).flatMap(([name, value]) => {
      const url = typeof value === "string" ? reachableUrl(value) : undefined;
      return url ? [[name, url]] : [];
    }),
  );
  if (Object.keys(urls).length === 0) usage(`no service URLs in ${from} (expected {"urls": {"prometheus": "http://...", ...}})`);
  return urls;
}

async function main(argv: string[]): Promise<void> {
  const flag = (name: string) => {
    const i = argv.indexOf(name);
    return i >= 0 ? (argv[i + 1] ?? usage(`${name} needs a value`)) : undefined;
  };
  const stack = argv.find((a, i) => !a.startsWith("--") && (i === 0 || !argv[i - 1].startsWith("--"))) ?? usage("missing <stack>");
  const timeoutMs = Number(flag("--timeout") ?? 5000);
  if (!Number.isFinite(timeoutMs) || timeoutMs <= 0) usage("--timeout must be a positive number of milliseconds");
  const urls = readUrls(stack, flag("--urls"));
  const expectDown = new Set((flag("--expect-down") ?? "").split(",").map((s) => s.trim()).filter(Boolean));
  const checks = await diagnose({ urls, expectDown, timeoutMs });
  const failed = checks.filter((c) => c.status === "FAIL").length;
  process.stdout.write(`${formatChecks(checks)}\n${failed === 0 ? `stack '${stack}': healthy` : `stack '${stack}': ${failed} problem(s)`}\n`);
  process.exit(failed === 0 ? 0 : 1);
}

if (require.main === module) {
  main(process.argv.slice(2)).catch((err: unknown) => {
    process.stderr.write(`doctor failed: ${err instanceof Error ? err.message : String(err)}\n`);
    process.exit(2);
  });
}
