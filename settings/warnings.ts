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
import { KNOWN_DEVIATIONS, METRICS_CONTRACT, type MetricSpec } from "../configs/prometheus/rules/metrics-contract";
import { estimateSizing } from "../sizing/model";
import { sizingWarnings } from "../sizing/report";
import type { Settings, TargetSettings } from "./schema";
import type { ConfigProblem } from "./validate";

/** The contract metric and label each HTTP SLO kind reads. */
const SLO_NEEDS: Readonly<Record<"errorRate" | "latency", { metric: string; labels: readonly string[] }>> = {
  errorRate: { metric: "http_requests_total", labels: ["status"] },
  latency: { metric: "http_request_duration_seconds", labels: [] },
};

const TUTORDEX_COMPONENTS: readonly string[] = ["collector", "worker", "backend"];

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
    if (o.kind === "availability") return;
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
