/**
 * The stack a backup or restore works on: its validated settings (read from
 * `Pulumi.<stack>.yaml` as render reads it, secrets never decrypted: a backup
 * needs names, not secrets), the transport to its target, the layout of each
 * stateful service, and which parts it has.
 */
import { ALERTMANAGER_DATA_DIR } from "../components/alertmanager";
import { GRAFANA_DATA_DIR } from "../components/grafana";
import { PROMETHEUS_DATA_DIR } from "../components/prometheus";
import type { PlatformProfile } from "../configs/platform";
import { SERVICES } from "../configs/topology";
import { readStackConfig } from "../render/stack-config";
import { CONFIG_NAMESPACE, type Settings } from "../settings/schema";
import { parseValue } from "../settings/load";
import { validateStack } from "../settings/stack";
import { PLATFORM_PROFILES } from "../targets";
import type { ServiceLayout } from "./parts";
import { dockerTransport, kubernetesTransport, type BackupService, type Transport } from "./transport";

/** Validated settings of `Pulumi.<stack>.yaml` in `projectDir`; throws ConfigValidationError with every problem. */
export function stackSettings(projectDir: string, stack: string, stacksDir: string = projectDir): Settings {
  const { config, secretKeys } = readStackConfig(projectDir, stack, stacksDir);
  const prefix = `${CONFIG_NAMESPACE}:`;
  const values: Record<string, unknown> = {};
  const foreignKeys: string[] = [];
  for (const [key, text] of Object.entries(config)) {
    if (!key.startsWith(prefix)) {
      foreignKeys.push(key);
      continue;
    }
    values[key.slice(prefix.length)] = parseValue(text);
  }
  const secret = new Set(secretKeys.filter((k) => k.startsWith(prefix)).map((k) => k.slice(prefix.length)));
  return validateStack({ values, secretKeys: secret, foreignKeys }, stack).settings;
}

/** Each way of running a command in a stack container (the platform profile's `containerExec`), for a stack's settings. */
const TRANSPORTS: Readonly<Record<PlatformProfile["containerExec"], (s: Settings) => Transport>> = {
  docker: (s) => dockerTransport(s.docker.networkName),
  kubectl: (s) => kubernetesTransport({ namespace: s.kubernetes.namespace, context: s.kubernetes.context }),
};

/** How to reach the stack's containers. */
export function stackTransport(s: Settings): Transport {
  return TRANSPORTS[PLATFORM_PROFILES[s.target].containerExec](s);
}

/** Where each service keeps its state in its container (the components' own constants). */
export const CONTAINER_LAYOUT: Readonly<Record<BackupService, ServiceLayout>> = {
  prometheus: { dataDir: PROMETHEUS_DATA_DIR, port: SERVICES.prometheus.ports.http },
  alertmanager: { dataDir: ALERTMANAGER_DATA_DIR, port: SERVICES.alertmanager.ports.http },
  grafana: { dataDir: GRAFANA_DATA_DIR, port: SERVICES.grafana.ports.http },
};

/** Parts this stack can back up, and why the others are left out. */
export function stackParts(s: Settings): { parts: BackupService[]; skipped: string[] } {
  const parts: BackupService[] = [];
  const skipped: string[] = [];
  if (s.prometheus.adminApi) parts.push("prometheus");
  else skipped.push(`prometheus: observability:prometheus.adminApi is false (a TSDB snapshot needs the admin API; set it to true and deploy)`);
  parts.push("alertmanager");
  if (s.grafana.mode === "deploy") parts.push("grafana");
  else skipped.push(`grafana: observability:grafana.mode is ${JSON.stringify(s.grafana.mode)} (the stack does not run Grafana)`);
  return { parts, skipped };
}
