import * as path from "path";
import * as pulumi from "@pulumi/pulumi";
import { ObservabilityStack } from "./components/stack";
import { PROJECT_DIR } from "./settings/rules";
import { DashboardError, loadDashboards } from "./configs/grafana/dashboards";
import { loadSettings } from "./settings/load";
import { CONFIG_NAMESPACE, type Settings } from "./settings/schema";
import { configWarnings } from "./settings/warnings";
import { createTarget } from "./targets";
import { CONFIGMAP_MAX_BYTES } from "./targets/kubernetes/limits";

/** The repository's dashboards: every `*.json` there is provisioned. */
export const DASHBOARDS_DIR = path.join(PROJECT_DIR, "dashboards");

/** Room left in Grafana's ConfigMap for its provisioning files beside the dashboards. */
const GRAFANA_PROVISIONING_HEADROOM_BYTES = 64 * 1024;

/** Where warnings go: the engine's log, so `pulumi preview` and `up` show them. */
const engineWarning = (message: string): void => void pulumi.log.warn(message);

/**
 * The program `pulumi up`, `pulumi preview` and `npm run render` all run:
 * read and validate config and dashboards (every problem reported before any
 * resource is registered), warn about valid config that will not work as
 * meant, pick the target, build the stack.
 */
export function program(settings: Settings = loadSettings(), dashboardsDir: string = DASHBOARDS_DIR, warn: (message: string) => void = engineWarning): ObservabilityStack {
  const dashboards = loadDashboards(dashboardsDir);
  for (const w of configWarnings(settings)) warn(`${CONFIG_NAMESPACE}:${w.key}: ${w.message}`);
  if (settings.target === "kubernetes" && settings.grafana.mode === "deploy") {
    // Grafana's files are one ConfigMap; the API server would reject it mid-deploy.
    const bytes = dashboards.reduce((sum, d) => sum + Buffer.byteLength(d.file.content), 0);
    const budget = CONFIGMAP_MAX_BYTES - GRAFANA_PROVISIONING_HEADROOM_BYTES;
    if (bytes > budget) {
      throw new DashboardError([
        `dashboards/: ${dashboards.length} dashboards take ${bytes} bytes, over the ${budget} bytes Grafana's ConfigMap can hold on Kubernetes (limit 1 MiB); remove some, or use grafana.mode external`,
      ]);
    }
  }
  const environment = settings.environment ?? pulumi.getStack();
  const labels = { "app.kubernetes.io/part-of": "observability", "observability/env": environment };
  const target = createTarget(settings, labels);
  return new ObservabilityStack("observability", { settings, target, environment, dashboards });
}
