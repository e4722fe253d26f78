/**
 * Log-based alerts evaluated by the Loki ruler (seed 000, "Log-Based Alerts":
 * a FATAL line; error log volume jumping 5x). The ruler sends them to the
 * same Alertmanager as Prometheus, so they follow the same severity routes,
 * receivers and templates.
 *
 * Pure data, serialised at the edge: one rule file per tenant directory
 * (`loki/rules/fake/log-alerts.yaml`; auth is disabled, so the tenant is
 * `fake`). Every stream label the LogQL selects or groups by comes from
 * `configs/logs/labels.ts`, the labels both log agents attach: a typo there
 * would select nothing and the alert could never fire (tests/loki checks it).
 */
import { makeAlertBuilder, num } from "../prometheus/rules/builder";
import { validateThresholds, type RuleThresholds } from "../prometheus/rules/thresholds";
import type { AlertRule, RuleGroup } from "../prometheus/rules/types";
import { yamlFile, type ConfigFile } from "../files";
import { SERVICE_LABEL } from "../logs/labels";
import { LOKI_RULES_TENANT } from "./loki";

export interface LokiRuleOptions {
  /** Every threshold of the rule catalog; the `fatalLog*` / `errorLogSpike*` keys apply here. */
  readonly thresholds: RuleThresholds;
  /** Base URL of the runbooks; each alert links `<runbookBaseUrl>/<AlertName>.md`. */
  readonly runbookBaseUrl: string;
  /**
   * `env` label on every alert. Prometheus adds it as an external label; the
   * Loki ruler has no equivalent, so the rules carry it as a static label and
   * log alerts group and inhibit like metric alerts.
   */
  readonly environment: string;
}

/** Render path of the rule file, relative to the render root. */
export const LOKI_RULE_FILE = `loki/rules/${LOKI_RULES_TENANT}/log-alerts.yaml`;

/** Render directory that maps onto the ruler's local storage directory. */
export const LOKI_RULES_RENDER_DIR = "loki/rules";

/** Stream label holding the log level (promoted from the JSON `level` field by both agents). */
export const LEVEL_LABEL = "level";

/**
 * Levels meaning "the process is going down": Python's CRITICAL (its FATAL
 * alias logs as CRITICAL), Go/Java FATAL and PANIC. Loki anchors label regexes.
 */
export const FATAL_LEVELS = "(?i)(fatal|critical|crit|panic|emerg)";
/** Error levels: Python ERROR, Go/zap `error`, syslog-style `err`. */
export const ERROR_LEVELS = "(?i)(err|error)";

/** Every stream of every service: Loki needs one matcher that cannot match the empty string. */
const ALL_SERVICES = `${SERVICE_LABEL}=~".+"`;

function selector(extra?: string): string {
  return `{${[ALL_SERVICES, ...(extra ? [extra] : [])].join(", ")}}`;
}

/** Problems with the options, keyed like the catalog's (`thresholds.errorLogSpikeFactor: ...`). Empty when valid. */
export function validateLokiRuleOptions(o: LokiRuleOptions): string[] {
  const problems = validateThresholds(o.thresholds as unknown as Record<string, unknown>);
  if (problems.length === 0 && !(o.thresholds.errorLogSpikeFactor > 1)) {
    problems.push(`thresholds.errorLogSpikeFactor: ${o.thresholds.errorLogSpikeFactor} must be greater than 1 (a jump to 5x the baseline is 5)`);
  }
  if (!/^[a-z0-9][a-z0-9-]*$/.test(o.environment)) problems.push(`environment: ${JSON.stringify(o.environment)} must be lower-case letters, digits and '-'`);
  return problems;
}

/** The log alerts as data. Takes valid options: the stack checks them with `validateLokiRuleOptions` up front (settings/rules.ts). */
export function lokiRuleGroups(o: LokiRuleOptions): RuleGroup[] {
  const t = o.thresholds;
  const build = makeAlertBuilder(o.runbookBaseUrl);
  const alert = (spec: Parameters<typeof build>[0]): AlertRule => build({ ...spec, labels: { env: o.environment, ...(spec.labels ?? {}) } });
  const by = `sum by (${SERVICE_LABEL})`;
  const svc = `{{ $labels.${SERVICE_LABEL} }}`;

  // Structured logs carry the level as a label; plain-text lines (a Go panic,
  // a JVM crash before the JSON logger is up) only have the word in the line.
  // `or` keeps the left side's series, so a line matching both counts once per service.
  const fatal = [
    `(`,
    `  ${by} (count_over_time(${selector(`${LEVEL_LABEL}=~"${FATAL_LEVELS}"`)} [${t.fatalLogWindow}]))`,
    `  or`,
    `  ${by} (count_over_time(${selector()} |~ "\\\\bFATAL\\\\b" [${t.fatalLogWindow}]))`,
    `) > 0`,
  ].join("\n");

  const errorRate = (window: string, offset?: string) =>
    `${by} (rate(${selector(`${LEVEL_LABEL}=~"${ERROR_LEVELS}"`)} [${window}]${offset ? ` offset ${offset}` : ""}))`;
  // Baseline: the window just before the current one, so the spike itself does not raise it.
  // A service that logged no error in the baseline window has no baseline series at all, and
  // a vector comparison drops series without a match on the other side: `current > 5 * baseline`
  // could never fire for the service that starts erroring out of silence, the spike that matters
  // most. `baseline or current * 0` gives such a service a baseline of 0 (same labels, since both
  // sides group by the service), so only the floor below decides.
  // Fully parenthesised: Loki's parser (syntax.y) ranks `or` < `and` < comparisons < `*`, but the
  // lezer grammar Grafana and tests/loki use does not, and the two must read the same tree.
  const current = errorRate(t.errorLogSpikeWindow);
  const spike = [
    `(`,
    `  ${current}`,
    `  > (${num(t.errorLogSpikeFactor)} * (`,
    `    ${errorRate(t.errorLogSpikeBaselineWindow, t.errorLogSpikeWindow)}`,
    `    or`,
    `    (${current} * 0)`,
    `  ))`,
    `)`,
    `and`,
    `(${current} > ${num(t.errorLogSpikeMinPerS)})`,
  ].join("\n");

  return [
    {
      name: "log-alerts",
      rules: [
        alert({
          name: "FatalLogLines",
          expr: fatal,
          severity: "critical",
          component: "logs",
          summary: `FATAL log line from ${svc}`,
          description:
            `${svc} wrote {{ $value | printf "%.0f" }} FATAL/CRITICAL line(s) in the last ${t.fatalLogWindow}; ` +
            `the process is probably exiting or restarting. Loki: {${SERVICE_LABEL}="${svc}"} |~ "(?i)fatal|critical"`,
        }),
        alert({
          name: "ErrorLogVolumeSpike",
          expr: spike,
          for: t.errorLogSpikeFor,
          severity: "warning",
          component: "logs",
          summary: `Error log volume of ${svc} jumped over ${num(t.errorLogSpikeFactor)}x`,
          description:
            `${svc} logs {{ $value | printf "%.2f" }} error lines/s over the last ${t.errorLogSpikeWindow}, more than ` +
            `${num(t.errorLogSpikeFactor)}x its rate over the ${t.errorLogSpikeBaselineWindow} before (and above ${num(t.errorLogSpikeMinPerS)}/s), for ${t.errorLogSpikeFor}. ` +
            `Loki: {${SERVICE_LABEL}="${svc}", ${LEVEL_LABEL}=~"${ERROR_LEVELS}"}`,
        }),
      ],
    },
  ];
}

/** The ruler's rule files, ready to write or mount: deterministic bytes. */
export function lokiRuleFiles(o: LokiRuleOptions): ConfigFile[] {
  return [
    yamlFile(
      LOKI_RULE_FILE,
      { groups: lokiRuleGroups(o) },
      "Loki ruler alerts (LogQL). Generated by configs/loki/rules.ts; change the stack config, not this file.",
    ),
  ];
}
