/**
 * Every key the Alertmanager builder writes is one Alertmanager 0.34 documents,
 * and none is a deprecated form. amtool 0.25 (Debian) checks the file in
 * tests/alertmanager; this pins the newer side, which no local binary checks.
 *
 * Source: prometheus/alertmanager docs/configuration.md (current main):
 * `match`/`match_re` and top-level `mute_time_intervals` are marked DEPRECATED;
 * the receiver field lists below are copied from its `<*_config>` blocks.
 */
import { parse } from "yaml";
import { ALERTMANAGER_CONFIG_RENDER_PATH, alertmanagerConfig, AlertmanagerConfigOptions } from "../../configs/alertmanager/alertmanager";
import { everyIntegration, noReceivers, telegramOnly, withMaintenance } from "../alertmanager/fixtures";

type Obj = Record<string, unknown>;

const DOCUMENTED = {
  top: ["global", "templates", "route", "receivers", "inhibit_rules", "time_intervals"],
  global: [
    "smtp_from", "smtp_smarthost", "smtp_hello", "smtp_auth_username", "smtp_auth_password", "smtp_auth_password_file",
    "smtp_auth_identity", "smtp_auth_secret", "smtp_require_tls", "smtp_tls_config", "slack_api_url", "slack_api_url_file",
    "pagerduty_url", "telegram_api_url", "http_config", "resolve_timeout",
  ],
  route: ["receiver", "group_by", "continue", "matchers", "group_wait", "group_interval", "repeat_interval", "mute_time_intervals", "active_time_intervals", "routes"],
  inhibit_rule: ["source_matchers", "target_matchers", "equal"],
  receiver: ["name", "email_configs", "pagerduty_configs", "slack_configs", "telegram_configs", "webhook_configs"],
  telegram_configs: ["send_resolved", "api_url", "bot_token", "bot_token_file", "chat_id", "message_thread_id", "message", "disable_notifications", "parse_mode", "http_config"],
  slack_configs: [
    "send_resolved", "api_url", "api_url_file", "channel", "icon_emoji", "icon_url", "link_names", "username", "actions", "callback_id",
    "color", "fallback", "fields", "footer", "mrkdwn_in", "pretext", "short_fields", "text", "title", "title_link", "image_url", "thumb_url", "http_config",
  ],
  pagerduty_configs: [
    "send_resolved", "routing_key", "routing_key_file", "service_key", "service_key_file", "url", "client", "client_url", "description",
    "severity", "source", "details", "images", "links", "component", "group", "class", "http_config",
  ],
  email_configs: [
    "send_resolved", "to", "from", "smarthost", "hello", "auth_username", "auth_password", "auth_password_file", "auth_secret",
    "auth_identity", "require_tls", "tls_config", "html", "text", "headers",
  ],
  webhook_configs: ["send_resolved", "url", "url_file", "http_config", "max_alerts", "timeout"],
  time_interval: ["name", "time_intervals"],
  time_interval_spec: ["times", "weekdays", "days_of_month", "months", "years", "location"],
} as const;

function render(o: AlertmanagerConfigOptions): Obj {
  const file = alertmanagerConfig(o).files.find((f) => f.path === ALERTMANAGER_CONFIG_RENDER_PATH)!;
  return parse(file.content) as Obj;
}

/** `where: key` for every key of `obj` not in `allowed`. */
function unknownKeys(where: string, obj: unknown, allowed: readonly string[]): string[] {
  return Object.keys((obj ?? {}) as Obj).filter((k) => !allowed.includes(k)).map((k) => `${where}: ${k}`);
}

function routeProblems(route: Obj, where: string): string[] {
  return [
    ...unknownKeys(where, route, DOCUMENTED.route),
    ...((route.routes as Obj[] | undefined) ?? []).flatMap((r, i) => routeProblems(r, `${where}.routes[${i}]`)),
  ];
}

function problems(config: Obj): string[] {
  const receivers = (config.receivers as Obj[]) ?? [];
  const integrations = ["telegram_configs", "slack_configs", "pagerduty_configs", "email_configs", "webhook_configs"] as const;
  return [
    ...unknownKeys("top level", config, DOCUMENTED.top),
    ...unknownKeys("global", config.global, DOCUMENTED.global),
    ...routeProblems(config.route as Obj, "route"),
    ...((config.inhibit_rules as Obj[] | undefined) ?? []).flatMap((r, i) => unknownKeys(`inhibit_rules[${i}]`, r, DOCUMENTED.inhibit_rule)),
    ...receivers.flatMap((r, i) => [
      ...unknownKeys(`receivers[${i}]`, r, DOCUMENTED.receiver),
      ...integrations.flatMap((kind) => ((r[kind] as Obj[] | undefined) ?? []).flatMap((c, j) => unknownKeys(`receivers[${i}].${kind}[${j}]`, c, DOCUMENTED[kind]))),
    ]),
    ...((config.time_intervals as Obj[] | undefined) ?? []).flatMap((t, i) => [
      ...unknownKeys(`time_intervals[${i}]`, t, DOCUMENTED.time_interval),
      ...((t.time_intervals as Obj[]) ?? []).flatMap((s, j) => unknownKeys(`time_intervals[${i}].time_intervals[${j}]`, s, DOCUMENTED.time_interval_spec)),
    ]),
  ];
}

describe("alertmanager.yml keys against Alertmanager 0.34's documented schema", () => {
  it.each([
    ["no receivers", noReceivers],
    ["Telegram only", telegramOnly],
    ["every integration", everyIntegration],
    ["maintenance windows", withMaintenance],
  ])("%s: every key is documented and none deprecated", (_name, o) => {
    expect(problems(render(o))).toEqual([]);
  });

  it("the checker itself flags the deprecated forms (match, match_re, top-level mute_time_intervals)", () => {
    const config = render(withMaintenance);
    const legacy = { ...config, mute_time_intervals: [], route: { ...(config.route as Obj), routes: [{ receiver: "null", match: { a: "b" }, match_re: { c: "d" } }] } };
    expect(problems(legacy)).toEqual(["top level: mute_time_intervals", "route.routes[0]: match", "route.routes[0]: match_re"]);
  });

  it("exercises every integration and time intervals, so the checks above are not vacuous", () => {
    const config = render({ ...everyIntegration, maintenanceWindows: withMaintenance.maintenanceWindows });
    const kinds = ((config.receivers as Obj[]) ?? []).flatMap((r) => Object.keys(r).filter((k) => k.endsWith("_configs")));
    expect(new Set(kinds)).toEqual(new Set(["telegram_configs", "slack_configs", "pagerduty_configs", "email_configs", "webhook_configs"]));
    expect((config.time_intervals as unknown[]).length).toBe(2);
    expect(problems(config)).toEqual([]);
  });
});
