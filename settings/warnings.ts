/**
 * Config that is valid but will not do what its author expects (an SLO without
 * data, a limit with under 30 % headroom for the load the config declares): shown as
 * warnings by `pulumi preview`/`up` (pulumi.log.warn) and by render's summary,
 * never an error, because the program cannot see the running services.
 *
 * An SLO of kind errorRate or latency reads HTTP metrics from its target's
 * job. For the TutorDex services the program knows what each exports (the
 * metrics contract and its known differences); when the target exports none
 * of what the SLO reads, even after its renames, the SLO has no data and its
 * burn alerts can never fire. For any other service nothing is known, so
 * nothing is said.
 */
import { KNOWN_DEVIATIONS, METRICS_CONTRACT, TUTORDEX_COMPONENTS, type MetricSpec } from "../configs/prometheus/rules/metrics-contract";
import { estimateSizing } from "../sizing/model";
import { sizingWarnings } from "../sizing/report";
import { CONFIG_NAMESPACE, type Settings, type TargetSettings } from "./schema";
import type { ConfigProblem } from "./problems";
import { PLATFORM_PROFILES } from "../targets";

/** The contract metric and label each HTTP SLO kind reads. */
const SLO_NEEDS: Readonly<Record<"errorRate" | "latency", { metric: string; labels: readonly string[] }>> = {
  errorRate: { metric: "http_requests_total", labels: ["status"] },
  latency: { metric: "http_request_duration_seconds", labels: [] },
};

/** Metric names a TutorDex component exports today (contract names, except where it is known to differ). */
function knownExports(component: string): string[] {
  return METRICS_CONTRACT.filter((m) => m.component === component || m.component === "all").map(
    (m) => KNOWN_DEVIATIONS.find((d) => d.component === component && d.contract === m.name)?.exported ?? m.name,
  );
}

const braces = (renames: Readonly<Record<string, string>>) => `{${Object.entries(renames).map(([from, to]) => `${from}: ${to}`).join(", ")}}`;

function sloWarnings(s: Settings): ConfigProblem[] {
  const warnings: ConfigProblem[] = [];
  s.alerting.slos.forEach((o, i) => {
    // Only the HTTP kinds read metrics a TutorDex service may not export (processingTime and queueLag read the worker's own).
    if (o.kind !== "errorRate" && o.kind !== "latency") return;
    const index = s.targets.findIndex((t) => t.name === o.target);
    const target: TargetSettings | undefined = s.targets[index];
    if (!target || !TUTORDEX_COMPONENTS.includes(target.component)) return;
    const need = SLO_NEEDS[o.kind];
    const component = target.component as MetricSpec["component"];
    const exported = knownExports(component).map((name) => target.metricRenames[name] ?? name);
    const deviation = KNOWN_DEVIATIONS.find((d) => d.component === component && d.contract === need.metric);
    const key = `alerting.slos[${i}]`;
    const at = `targets[${index}]`;
    if (!exported.includes(need.metric)) {
      const fix = deviation
        ? `it exports ${deviation.exported} instead (docs/metrics-contract.md, "Differences"): add to ${at} metricRenames: ${braces({ [deviation.exported]: need.metric })}` +
          (deviation.labelRenames && need.labels.some((l) => Object.values(deviation.labelRenames ?? {}).includes(l)) ? ` and labelRenames: ${braces(deviation.labelRenames)}` : "")
        : `if it serves HTTP under another name, add to ${at} metricRenames: {<its name>: ${need.metric}}; or use kind availability with healthPaths`;
      warnings.push({
        key,
        message: `${o.kind} SLO '${o.name}' reads ${need.metric} from job '${o.target}', but the TutorDex ${component} exports none of it, so the SLO has no data and its burn alerts cannot fire; ${fix}`,
      });
      return;
    }
    const missingLabels = Object.entries(deviation?.labelRenames ?? {}).filter(([from, to]) => need.labels.includes(to) && target.labelRenames[from] !== to);
    if (missingLabels.length > 0) {
      warnings.push({
        key,
        message: `${o.kind} SLO '${o.name}' reads the label ${missingLabels.map(([, to]) => to).join(", ")} of ${need.metric}, which the TutorDex ${component} exports as ${missingLabels.map(([from]) => from).join(", ")}: add to ${at} labelRenames: ${braces(Object.fromEntries(missingLabels))}`,
      });
    }
  });
  return warnings;
}

/** Every warning about valid settings, keyed by config path like problems are. */
export function configWarnings(s: Settings): ConfigProblem[] {
  // Sizing: limits and volumes with under 30 % headroom for what the config declares (sizing/).
  return [...sloWarnings(s), ...sizingWarnings(estimateSizing(s))];
}

/*
 * A production stack left silent: no receiver
 * (alerts go nowhere) or no dead man's switch (nobody notices when the stack
 * itself stops alerting). Allowed, since a first deploy often comes before
 * the on-call channel exists, but said at every preview and render
 * (`pulumi.log.warn`), and checked on a running stack by `npm run doctor`.
 */

/**
 * Environments where silence is normal: a name that is, or has a part that
 * is, dev, local, test, sandbox, ci, e2e or demo (`dev`, `alice-dev`, `ci-42`).
 * Anything else (prod, staging, eu-west) is treated as production.
 */
export const DEV_LIKE_ENVIRONMENT = /(^|-)(dev|develop|development|local|test|testing|sandbox|ci|e2e|demo)(-|$)/;

/** Whether a stack with no receiver or no dead man's switch deserves a warning. */
export function isProductionLike(s: Pick<Settings, "target">, environment: string): boolean {
  return PLATFORM_PROFILES[s.target].alwaysProduction || !DEV_LIKE_ENVIRONMENT.test(environment);
}

/** The warnings for this stack; empty for a dev-like Docker stack or one that notifies someone. */
export function silentAlertingWarnings(s: Pick<Settings, "target" | "alerting">, environment: string): string[] {
  if (!isProductionLike(s, environment)) return [];
  const where = `environment '${environment}', target ${s.target}`;
  const warnings: string[] = [];
  if (s.alerting.receivers.length === 0) {
    warnings.push(
      `${CONFIG_NAMESPACE}:alerting.receivers is empty (${where}): alerts go nowhere. Add one, e.g.: ` +
        `pulumi config set --path '${CONFIG_NAMESPACE}:alerting.receivers[0].type' telegram; ` +
        `pulumi config set --path '${CONFIG_NAMESPACE}:alerting.receivers[0].name' oncall; ` +
        `pulumi config set --path '${CONFIG_NAMESPACE}:alerting.receivers[0].chatId' -1001234567890; ` +
        `pulumi config set --secret --path '${CONFIG_NAMESPACE}:alerting.receivers[0].botToken' <token>`,
    );
  }
  if (s.alerting.deadMansSwitch === undefined) {
    warnings.push(
      `${CONFIG_NAMESPACE}:alerting.deadMansSwitch is unset (${where}): the always-firing Watchdog reaches no one, so nobody notices when this stack stops alerting. ` +
        `Add a webhook receiver for a dead man's switch service (e.g. healthchecks.io) and name it: pulumi config set --path '${CONFIG_NAMESPACE}:alerting.deadMansSwitch' healthchecks`,
    );
  }
  return warnings;
}
