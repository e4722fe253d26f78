/**
 * The one-screen summary `npm run render` prints after writing the files: what
 * would run and where to reach it, what alerts and who gets them, and what the
 * user still has to do (secrets render stood in for, warnings). Read from the
 * rendered files and the validated settings, so it says what was written.
 */
import { parseRendered } from "../configs/files";
import { ruleCatalogOptions } from "../settings/rules";
import { CONFIG_NAMESPACE } from "../settings/schema";
import { formatBytes, headroom } from "../sizing/model";
import type { RenderResult } from "./render";

interface RuleFile {
  groups?: { rules?: { alert?: string; record?: string }[] }[];
}

/** Alerting and recording rules in the rendered rule files under `dir` (prometheus/ or loki/). */
function countRules(result: RenderResult, dir: string): { alerts: number; records: number } {
  let alerts = 0;
  let records = 0;
  for (const f of result.files) {
    if (!f.path.startsWith(`${dir}/rules/`) || !/\.ya?ml$/.test(f.path)) continue;
    const doc = parseRendered(f.content) as RuleFile | null;
    for (const g of doc?.groups ?? []) {
      for (const r of g.rules ?? []) {
        if (r.alert !== undefined) alerts++;
        else if (r.record !== undefined) records++;
      }
    }
  }
  return { alerts, records };
}

function scrapeJobs(result: RenderResult): string[] {
  const file = result.files.find((f) => f.path === "prometheus/prometheus.yml");
  const config = (file ? parseRendered(file.content) : {}) as { scrape_configs?: { job_name: string }[] };
  return (config.scrape_configs ?? []).map((j) => j.job_name);
}

const row = (label: string, text: string) => `  ${label.padEnd(10)} ${text}`;
/** One row per item, the label on the first. */
const rows = (label: string, items: readonly string[]) => items.map((text, i) => row(i === 0 ? label : "", text));

/** One line per store of the sizing estimate (sizing.md has the detail). */
function sizingLines(result: RenderResult): string[] {
  return result.run.sizing.rows
    .filter((r) => r.expectedBytes !== undefined)
    .map((r) => {
      const room = headroom(r);
      const configured = r.configuredBytes === undefined ? "no cap" : formatBytes(r.configuredBytes);
      return `${r.store} ${r.resource}: about ${formatBytes(r.expectedBytes!)} of ${configured}${room === undefined ? "" : ` (${Math.round(room * 100)} % headroom)`}`;
    });
}

/** The summary, one line per fact, meant to fit a terminal screen. */
export function renderSummary(result: RenderResult, stackName: string, outDir: string): string {
  const s = result.run.settings;
  const outputs = result.run.outputs as { urls?: Record<string, string>; otlp?: Record<string, string>; grafanaAdminUser?: string };
  const lines = [`rendered stack '${stackName}' (target ${s.target}): ${result.files.length} files in ${outDir}`, ""];

  const services = Object.entries(outputs.urls ?? {}).map(([name, url]) => `${name.padEnd(13)} ${url}`);
  if (outputs.otlp) services.push(`${"otlp".padEnd(13)} ${Object.entries(outputs.otlp).map(([k, v]) => `${k} ${v}`).join(", ")}`);
  lines.push(...rows("services", services));
  if (outputs.grafanaAdminUser) {
    lines.push(row("grafana", `user ${outputs.grafanaAdminUser}; password: pulumi stack output --show-secrets grafanaAdminPassword (after deploy)`));
  }

  const jobs = scrapeJobs(result);
  const yours = s.targets.map((t) => t.name);
  const probes = s.targets.reduce((n, t) => n + t.healthPaths.length, 0) + s.probes.length;
  lines.push(row("scrape", `${jobs.length} jobs; yours: ${yours.length > 0 ? yours.join(", ") : "none (add targets[])"}; ${probes} health probe${probes === 1 ? "" : "s"}`));

  const prom = countRules(result, "prometheus");
  const loki = countRules(result, "loki");
  lines.push(row("alerts", `${prom.alerts} Prometheus alerts, ${loki.alerts} log alerts, ${prom.records} recording rules (packs: ${ruleCatalogOptions(s).packs.join(", ") || "none"})`));
  lines.push(...rows("slos", s.alerting.slos.map((o) => `${o.name}: ${o.objective}% over ${o.window} (${o.kind} of ${o.target})`)));

  const receivers = s.alerting.receivers;
  const routed = receivers.map((r) => `${r.name} (${r.type}): ${r.severities.join(", ") || "no severities"}${r.name === s.alerting.deadMansSwitch ? "; Watchdog heartbeat (dead man's switch)" : ""}`);
  lines.push(...rows("receivers", routed.length > 0 ? routed : ["none: alerts show in Alertmanager and notify nobody"]));
  lines.push(...rows("sizing", sizingLines(result)));
  lines.push(...rows("not set", result.unsetSecrets.map((key) => `${key}: placeholder rendered; deploy needs: pulumi config set --secret --path '${CONFIG_NAMESPACE}:${key}' <value>`)));
  lines.push(...rows("warning", result.run.warnings));

  lines.push("", "Routing in plain words: alertmanager/alertmanager.yml (its opening comment) and alertmanager/routing.md. Sizing: sizing.md. Every resource: plan.json.");
  return lines.join("\n") + "\n";
}
