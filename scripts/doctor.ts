/**
 * npm run doctor -- <stack> [--urls <file>] [--expect-down <name,...>] [--timeout <ms>]
 *
 * Seed 000's doctor.sh for a deployed stack: one line per check, exit 1 when
 * anything is wrong (2 on a usage error).
 *   - every service in the stack outputs answers its health endpoint;
 *   - which Prometheus scrape targets are down;
 *   - which rules are in error;
 *   - whether Watchdog fires in Prometheus and reaches Alertmanager.
 *
 * Where the URLs come from, first that applies:
 *   --urls <file>             JSON as `pulumi stack output --json` prints it ({"urls": {...}});
 *   OBSERVABILITY_URLS        the same JSON, inline;
 *   pulumi stack output --json --show-secrets=false -s <stack>.
 * --expect-down lists services (output names) or scrape jobs known not to run
 * in this environment: they are reported as `skip`, not as failures.
 */
import { spawnSync } from "child_process";
import * as fs from "fs";
import * as path from "path";
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

type Status = "ok" | "FAIL" | "skip";

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
  } catch (err) {
    add("FAIL", "watchdog in prometheus", `cannot read ${prom}/api/v1/alerts: ${reason(err)}`);
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
  }
  return checks;
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
      usage(`cannot read the outputs of stack '${stack}' (${r.error?.message ?? r.stderr.trim()}); pass --urls <file> or set OBSERVABILITY_URLS`);
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
