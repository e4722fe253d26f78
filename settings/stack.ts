/**
 * Everything the program reads, checked in one round before any resource is
 * registered: the stack config (per key and across keys, settings/validate.ts),
 * the environment the stack name stands in for, and the dashboards. One
 * `ConfigValidationError` lists every problem; `program()` only ever sees
 * input that passed.
 */
import * as path from "path";
import { DashboardError, dashboardsForTarget, loadDashboards, type ProvisionedDashboard } from "../configs/grafana/dashboards";
import { dashboardMountPath } from "../configs/grafana/provisioning";
import { kubernetesOptions } from "../configs/prometheus/rules/packs/kubernetes";
import { CONFIGMAP_MAX_BYTES, configMapKey } from "../targets/kubernetes/limits";
import { PLATFORM_PROFILES } from "../targets";
import type { Settings } from "./schema";
import { kubernetesRuleOptions, PROJECT_DIR } from "./rules";
import { checkSettings, ConfigValidationError, environmentOf, type ConfigProblem, type RawConfig, type ValidateOptions } from "./validate";

/** The repository's dashboards (found from the project directory, so the compiled bin/ reads them too): every `*.json` there is provisioned. */
export const DASHBOARDS_DIR = path.join(PROJECT_DIR, "dashboards");

/** Room left in Grafana's ConfigMap for its provisioning files beside the dashboards. */
const GRAFANA_PROVISIONING_HEADROOM_BYTES = 64 * 1024;

/** Validated input of one stack. */
export interface StackInput {
  readonly settings: Settings;
  /** `env` label of every series and alert: `environment`, or the stack name. */
  readonly environment: string;
  readonly dashboards: readonly ProvisionedDashboard[];
}

/** Check config and dashboards together; throws one ConfigValidationError listing every problem. */
export function validateStack(raw: RawConfig, stack: string, dashboardsDir: string = DASHBOARDS_DIR, options: Omit<ValidateOptions, "stack"> = {}): StackInput {
  const { settings, problems } = checkSettings(raw, { ...options, stack });
  let dashboards: ProvisionedDashboard[] = [];
  try {
    // Kubernetes dashboards only where there is a cluster, with the kubernetes pack's selectors
    // (defaults while `kubernetes` itself is malformed: that problem is already listed).
    const selectors = settings.kubernetes?.ruleSelectors ? kubernetesRuleOptions(settings) : kubernetesOptions();
    dashboards = dashboardsForTarget(loadDashboards(dashboardsDir), PLATFORM_PROFILES[settings.target], selectors);
  } catch (e) {
    if (!(e instanceof DashboardError)) throw e;
    problems.push(...e.problems.map(fileProblem));
  }
  problems.push(...dashboardProblems(dashboards, settings));
  if (problems.length > 0) throw new ConfigValidationError(problems);
  return { settings, environment: environmentOf(settings, stack), dashboards };
}

/** `dashboards/a.json: message` as a problem of that file. */
function fileProblem(line: string): ConfigProblem {
  const at = line.indexOf(": ");
  return at < 0 ? { key: "dashboards/", file: true, message: line } : { key: line.slice(0, at), file: true, message: line.slice(at + 2) };
}

/**
 * Dashboards that cannot all be shipped: two files stored under one
 * ConfigMap key (Kubernetes keeps one of them), or at render paths that
 * differ only in case (one overwrites the other on macOS and Windows disks);
 * on Kubernetes, more bytes than Grafana's ConfigMap holds.
 */
export function dashboardProblems(dashboards: readonly ProvisionedDashboard[], s: Pick<Settings, "target" | "grafana">): ConfigProblem[] {
  const problems: ConfigProblem[] = [];
  const byKey = new Map<string, string>();
  const byPath = new Map<string, string>();
  for (const d of dashboards) {
    const file = d.file.path.slice(d.file.path.lastIndexOf("/") + 1);
    const key = configMapKey(dashboardMountPath(d));
    const sameKey = byKey.get(key);
    const samePath = byPath.get(d.file.path.toLowerCase());
    if (sameKey !== undefined) {
      problems.push({ key: `dashboards/${file}`, file: true, message: `is stored under the same ConfigMap key (${key}) as dashboards/${sameKey}: Kubernetes would keep only one; rename one of them` });
    } else if (samePath !== undefined) {
      problems.push({ key: `dashboards/${file}`, file: true, message: `differs from dashboards/${samePath} only in case: rendered on a case-insensitive disk one would overwrite the other; rename one of them` });
    }
    byKey.set(key, file);
    byPath.set(d.file.path.toLowerCase(), file);
  }
  if (PLATFORM_PROFILES[s.target].configMaps && s.grafana?.mode === "deploy") {
    // Grafana's files are one ConfigMap; the API server would reject it mid-deploy.
    const bytes = dashboards.reduce((sum, d) => sum + Buffer.byteLength(d.file.content), 0);
    const budget = CONFIGMAP_MAX_BYTES - GRAFANA_PROVISIONING_HEADROOM_BYTES;
    if (bytes > budget) {
      problems.push({
        key: "dashboards/",
        file: true,
        message: `${dashboards.length} dashboards take ${bytes} bytes, over the ${budget} bytes Grafana's ConfigMap can hold on Kubernetes (limit 1 MiB); remove some, or use grafana.mode external`,
      });
    }
  }
  return problems;
}
