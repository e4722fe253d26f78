/**
 * Config that is valid but leaves a production stack silent: no receiver
 * (alerts go nowhere) or no dead man's switch (nobody notices when the stack
 * itself stops alerting). Allowed, since a first deploy often comes before
 * the on-call channel exists, but said at every preview and render
 * (`pulumi.log.warn`), and checked on a running stack by `npm run doctor`.
 */
import { CONFIG_NAMESPACE, type Settings } from "./schema";

/**
 * Environments where silence is normal: a name that is, or has a part that
 * is, dev, local, test, sandbox, ci, e2e or demo (`dev`, `alice-dev`, `ci-42`).
 * Anything else (prod, staging, eu-west) is treated as production.
 */
export const DEV_LIKE_ENVIRONMENT = /(^|-)(dev|develop|development|local|test|testing|sandbox|ci|e2e|demo)(-|$)/;

/** Whether a stack with no receiver or no dead man's switch deserves a warning. */
export function isProductionLike(s: Pick<Settings, "target">, environment: string): boolean {
  return s.target === "kubernetes" || !DEV_LIKE_ENVIRONMENT.test(environment);
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
