/**
 * The e2e suite's test-only stack config: the TutorDex dev fixture
 * (e2e/stacks/Pulumi.dev.yaml, as the project ships its
 * `Pulumi.dev.yaml`), read as the CLI would hand it to the program, plus
 *   - two webhook receivers pointing at the suite's webhook server (the
 *     stand-in for Telegram): `e2e-oncall` for critical and warning alerts,
 *     `e2e-deadman` as the dead man's switch. Their URLs are stack *secrets*,
 *     as a real receiver's would be, so they take the same masked-in-render,
 *     filled-in-at-deploy path;
 *   - faster scrape and rule evaluation, through the config keys users have
 *     (`prometheus.scrapeInterval`, `prometheus.evaluationInterval`,
 *     `targets[].scrapeInterval`), so alerts reach their `for` sooner after a
 *     fault. Rules, thresholds, `for` durations and the route tree stay as shipped,
 *     except one: PrometheusErrorSendingAlertsToAnyAlertmanager waits
 *     `E2E_ALERT_DELIVERY_FOR` instead of 15m (`alerting.thresholds.stackAlertDeliveryErrorFor`,
 *     a key users have), so stopping Alertmanager fires it within the suite.
 */
import * as path from "path";
import { readStackConfig, StackConfig } from "../render/stack-config";
import { PROJECT_DIR } from "../settings/rules";
import { CONFIG_NAMESPACE } from "../settings/schema";

export { PROJECT_DIR };
/**
 * The TutorDex `dev` and `prod` stacks the live suite runs and the tests' assertions are about:
 * render them with `renderStack(PROJECT_DIR, name, { stacksDir: FIXTURE_STACKS_DIR })`. The project's
 * `Pulumi.<stack>.yaml` files belong to the user and are only checked for validity
 * (tests/render/committed-stacks.test.ts).
 */
export const FIXTURE_STACKS_DIR = path.join(__dirname, "stacks");
/** The fixture stack the suite runs. */
export const E2E_BASE_STACK = "dev";
/** Host and port of the webhook receiver inside the e2e network. */
export const WEBHOOK = { host: "webhook", port: 9999 } as const;
export const RECEIVERS = { oncall: "e2e-oncall", deadman: "e2e-deadman" } as const;
/** Scrape and evaluation interval of the e2e stack (shipped: 15 s / 30 s). */
export const E2E_INTERVAL = "5s";
/** `for` of PrometheusErrorSendingAlertsToAnyAlertmanager in the e2e stack (shipped: 15m, prometheus-mixin). */
export const E2E_ALERT_DELIVERY_FOR = "20s";

export function webhookUrl(receiver: string): string {
  return `http://${WEBHOOK.host}:${WEBHOOK.port}/${receiver}`;
}

const key = (k: string) => `${CONFIG_NAMESPACE}:${k}`;

function parsed(config: Record<string, string>, k: string): Record<string, unknown> {
  const text = config[key(k)];
  return text === undefined ? {} : (JSON.parse(text) as Record<string, unknown>);
}

/** The dev fixture stack config with the overlay above. */
export function e2eStackConfig(projectDir: string = PROJECT_DIR): StackConfig {
  const shipped = readStackConfig(projectDir, E2E_BASE_STACK, FIXTURE_STACKS_DIR);
  const config = { ...shipped.config };
  const alerting = parsed(config, "alerting");
  const receivers = Array.isArray(alerting.receivers) ? (alerting.receivers as unknown[]) : [];
  config[key("alerting")] = JSON.stringify({
    ...alerting,
    receivers: [
      ...receivers,
      { type: "webhook", name: RECEIVERS.oncall, severities: ["critical", "warning"], sendResolved: true, url: webhookUrl(RECEIVERS.oncall) },
      { type: "webhook", name: RECEIVERS.deadman, severities: [], sendResolved: false, url: webhookUrl(RECEIVERS.deadman) },
    ],
    deadMansSwitch: RECEIVERS.deadman,
    thresholds: { ...((alerting.thresholds as Record<string, unknown> | undefined) ?? {}), stackAlertDeliveryErrorFor: E2E_ALERT_DELIVERY_FOR },
  });
  config[key("prometheus")] = JSON.stringify({ ...parsed(config, "prometheus"), scrapeInterval: E2E_INTERVAL, evaluationInterval: E2E_INTERVAL });
  const targets = config[key("targets")] === undefined ? [] : (JSON.parse(config[key("targets")]) as Record<string, unknown>[]);
  config[key("targets")] = JSON.stringify(targets.map((t) => ({ ...t, scrapeInterval: E2E_INTERVAL })));
  // The receiver URLs are secrets: the whole `alerting` key is marked, as the CLI marks a key holding a `secure:` value.
  const secretKeys = [...new Set([...shipped.secretKeys, key("alerting")])];
  return { project: shipped.project, config, secretKeys };
}
