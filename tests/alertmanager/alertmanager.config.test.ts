/**
 * alertmanager.yml as data: files, secrets, inhibition, maintenance windows,
 * the visible "nobody is notified" markers, determinism and input errors.
 * (The real checker's verdict is in alertmanager.amtool.test.ts.)
 */
import { EXPORTING_SERVICES, apiDependents, serviceDependents } from "../../configs/prometheus/rules/dependencies";
import { parse } from "yaml";
import {
  ALERTMANAGER_CONFIG_RENDER_PATH,
  ALERTMANAGER_TEMPLATE_PATH,
  AlertmanagerConfigOptions,
  alertmanagerConfig,
} from "../../configs/alertmanager/alertmanager";
import { problemsOf } from "../settings/problems";
import { fillSecretSlots } from "../../configs/secrets";
import { everyIntegration, noReceivers, reveal, SECRETS, telegramOnly, withMaintenance } from "./fixtures";

type Route = {
  receiver?: string;
  matchers?: string[];
  continue?: boolean;
  mute_time_intervals?: string[];
  routes?: Route[];
  group_by?: string[];
  group_wait?: string;
  group_interval?: string;
  repeat_interval?: string;
};

function rendered<S>(o: AlertmanagerConfigOptions<S>) {
  const result = alertmanagerConfig(o);
  const file = (p: string) => {
    const f = result.files.find((x) => x.path === p);
    if (!f) throw new Error(`no ${p} in ${result.files.map((x) => x.path).join(", ")}`);
    return f.content;
  };
  const text = file(ALERTMANAGER_CONFIG_RENDER_PATH);
  return { result, text, config: parse(text) as Record<string, unknown> & { route: Route }, template: file(ALERTMANAGER_TEMPLATE_PATH) };
}

function severityRoute(root: Route, matcher: string): Route {
  const r = root.routes?.find((x) => x.matchers?.[0] === matcher);
  if (!r) throw new Error(`no route for ${matcher}`);
  return r;
}

/** Every route at or below `r` that can be the one an alert finally lands on (no children). */
function leaves(r: Route): Route[] {
  return r.routes?.length ? r.routes.flatMap(leaves) : [r];
}

describe("alertmanager config files", () => {
  it("are alertmanager/alertmanager.yml and the template it names by a path relative to itself", () => {
    const { result, config } = rendered(telegramOnly);
    expect(result.files.map((f) => f.path)).toEqual(["alertmanager/alertmanager.yml", "alertmanager/templates/notifications.tmpl"]);
    expect(config.templates).toEqual(["templates/notifications.tmpl"]);
  });

  it("render identically twice (no diff on an unchanged stack)", () => {
    expect(alertmanagerConfig(everyIntegration)).toEqual(alertmanagerConfig(everyIntegration));
  });

  it("group by the configured labels with the seeds' timings at the top", () => {
    const { config } = rendered(telegramOnly);
    expect(config.route).toMatchObject({
      group_by: ["alertname", "component", "pipeline_version"],
      group_wait: "30s",
      group_interval: "5m",
      repeat_interval: "6h",
    });
  });

  it("give critical a 5s group_wait and 30m repeat, warning 6h, Watchdog 24h", () => {
    const { config } = rendered(telegramOnly);
    expect(severityRoute(config.route, 'alertname="Watchdog"')).toMatchObject({ group_wait: "0s", repeat_interval: "24h" });
    expect(severityRoute(config.route, 'severity="critical"')).toMatchObject({ group_wait: "5s", repeat_interval: "30m" });
    expect(severityRoute(config.route, 'severity="warning"')).toMatchObject({ repeat_interval: "6h" });
  });

  it("take send_resolved from each receiver's settings", () => {
    const { config } = rendered(everyIntegration);
    const receivers = config.receivers as Record<string, [{ send_resolved: boolean }] | string>[];
    const sendResolved = Object.fromEntries(
      receivers.flatMap((r) =>
        Object.entries(r)
          .filter(([k]) => k.endsWith("_configs"))
          .map(([, v]) => [r.name as string, (v as [{ send_resolved: boolean }])[0].send_resolved]),
      ),
    );
    expect(sendResolved).toEqual({
      "telegram-oncall": true,
      "slack-alerts": true,
      "pagerduty-critical": true,
      "email-ops": false,
      heartbeat: false,
    });
  });
});

describe("secrets in the alertmanager config", () => {
  const { result, text, config } = rendered(everyIntegration);
  const receiver = (name: string) => (config.receivers as Record<string, unknown>[]).find((r) => r.name === name) as Record<string, [Record<string, unknown>]>;

  it("never appear: the builder only carries their handles", () => {
    for (const value of Object.values(SECRETS).map(reveal)) {
      for (const f of result.files) expect(f.content).not.toContain(value);
    }
  });

  it("Telegram bot_token and webhook url are inline placeholders (the webhook one a valid URL)", () => {
    expect(result.secretSlots).toEqual([
      { placeholder: "REDACTED-SECRET-1", secret: SECRETS.telegramBotToken },
      { placeholder: "https://redacted.invalid/secret-2", secret: SECRETS.heartbeatUrl },
    ]);
    expect(receiver("telegram-oncall").telegram_configs[0].bot_token).toBe("REDACTED-SECRET-1");
    expect(receiver("heartbeat").webhook_configs[0].url).toBe("https://redacted.invalid/secret-2");
  });

  it("Slack api_url, PagerDuty routing_key and email auth_password are files under secretsDir, listed for mounting", () => {
    expect(result.secretFiles).toEqual([
      { path: "alertmanager/secrets/receiver-1-apiUrl", secret: SECRETS.slackApiUrl },
      { path: "alertmanager/secrets/receiver-2-routingKey", secret: SECRETS.pagerdutyRoutingKey },
      { path: "alertmanager/secrets/receiver-3-authPassword", secret: SECRETS.smtpPassword },
    ]);
    expect(receiver("slack-alerts").slack_configs[0].api_url_file).toBe("/etc/alertmanager/secrets/receiver-1-apiUrl");
    expect(receiver("pagerduty-critical").pagerduty_configs[0].routing_key_file).toBe("/etc/alertmanager/secrets/receiver-2-routingKey");
    expect(receiver("email-ops").email_configs[0].auth_password_file).toBe("/etc/alertmanager/secrets/receiver-3-authPassword");
    expect(text).not.toMatch(/^\s*(api_url|routing_key|service_key|auth_password):/m);
  });

  it("an email receiver without authUsername needs no password file", () => {
    const r = alertmanagerConfig({
      ...noReceivers,
      receivers: [{ type: "email", name: "mail", severities: ["warning"], to: "a@b.c", from: "d@e.f", smarthost: "relay:25", requireTls: false, sendResolved: true }],
    });
    expect(r.secretFiles).toEqual([]);
    expect(r.files[0].content).not.toContain("auth_");
  });

  it("fill back in from the slots, leaving no placeholder behind", () => {
    const filled = fillSecretSlots(text, result.secretSlots, reveal);
    expect(filled).toContain(reveal(SECRETS.telegramBotToken));
    expect(filled).toContain(reveal(SECRETS.heartbeatUrl));
    expect(filled).not.toMatch(/REDACTED-SECRET|redacted\.invalid/);
  });
});

describe("inhibition", () => {
  const { config } = rendered(everyIntegration);

  it("critical mutes warning of the same alertname, component, instance, container and SLO (a label missing on both sides counts as equal)", () => {
    expect(config.inhibit_rules).toContainEqual({
      source_matchers: ['severity="critical"'],
      target_matchers: ['severity="warning"'],
      equal: ["alertname", "component", "instance", "namespace", "name", "slo"],
    });
  });

  it("a target-down alert with a job and instance mutes every other alert of that job and instance", () => {
    expect(config.inhibit_rules).toContainEqual({
      source_matchers: ['alertname=~"PrometheusTargetDown|BlackboxProbeFailed"', 'job=~".+"', 'instance=~".+"'],
      target_matchers: ['alertname!~"PrometheusTargetDown|BlackboxProbeFailed|ServiceDown|Watchdog"'],
      equal: ["job", "instance"],
    });
  });

  it("ServiceDown (no instance: every target of the job) mutes every other alert of its job, its PrometheusTargetDown included", () => {
    expect(config.inhibit_rules).toContainEqual({
      source_matchers: ['alertname="ServiceDown"', 'job=~".+"'],
      target_matchers: ['alertname!~"ServiceDown|BlackboxProbeFailed|Watchdog"'],
      equal: ["job"],
    });
  });

  it("ServiceDown of a TutorDex service mutes the job-less alerts that read its metrics, derived from the rule catalog", () => {
    const deps = serviceDependents();
    for (const svc of ["collector", "worker"] as const) {
      expect(config.inhibit_rules).toContainEqual({
        source_matchers: ['alertname="ServiceDown"', `component="${svc}"`],
        target_matchers: [`alertname=~"${deps[svc].join("|")}"`, 'job=""'],
        equal: ["env"],
      });
    }
  });

  it("a NotReady or unreachable Kubernetes node mutes the other alerts of that node (same env and node)", () => {
    expect(config.inhibit_rules).toContainEqual({
      source_matchers: ['alertname=~"KubeNodeNotReady|KubeNodeUnreachable"', 'node=~".+"'],
      target_matchers: ['alertname!~"KubeNodeNotReady|KubeNodeUnreachable|ServiceDown|BlackboxProbeFailed|Watchdog"'],
      equal: ["env", "node"],
    });
  });

  it("KubeAPIDown mutes the alerts that read the Kubernetes API, derived from the rule catalog", () => {
    expect(config.inhibit_rules).toContainEqual({
      source_matchers: ['alertname="KubeAPIDown"'],
      target_matchers: [`alertname=~"${apiDependents().join("|")}"`],
      equal: ["env"],
    });
  });

  it("APIDown (seed 003, critical) mutes the same job's HighErrorRate tiers, which rule 1 cannot (both critical)", () => {
    expect(config.inhibit_rules).toContainEqual({
      source_matchers: ['alertname="APIDown"', 'job=~".+"'],
      target_matchers: ['alertname="HighErrorRate"'],
      equal: ["job"],
    });
  });

  it("has no other rules", () => {
    expect(config.inhibit_rules).toHaveLength(6 + EXPORTING_SERVICES.filter((svc) => serviceDependents()[svc].length > 0).length);
  });
});

describe("receivers with no integrations", () => {
  it("with no receivers, every severity goes to \"null\" and the header says so", () => {
    const { text, config } = rendered(noReceivers);
    for (const m of ['severity="critical"', 'severity="warning"', 'severity="info"']) {
      expect(severityRoute(config.route, m).receiver).toBe("null");
    }
    expect(config.receivers).toEqual([{ name: "deadmans-switch" }, { name: "null" }]);
    expect(text).toMatch(/^# +severity="critical" +-> null +<-- NO RECEIVER covers this severity/m);
    expect(text).toMatch(/^# +severity="warning" +-> null +<-- NO RECEIVER/m);
    expect(text).toMatch(/^# +severity="info" +-> null +<-- NO RECEIVER/m);
  });

  it("without a dead man's switch, Watchdog visibly goes to \"deadmans-switch\"", () => {
    const { text, config } = rendered(telegramOnly);
    expect(severityRoute(config.route, 'alertname="Watchdog"').receiver).toBe("deadmans-switch");
    expect(text).toMatch(/^# +alertname="Watchdog" +-> deadmans-switch +<-- no integrations/m);
  });

  it("a TutorDex-style Telegram-only setup marks info as unrouted but names telegram for critical and warning", () => {
    const { text } = rendered(telegramOnly);
    expect(text).toMatch(/^# +severity="critical" +-> telegram +\(/m);
    expect(text).toMatch(/^# +severity="info" +-> null +<-- NO RECEIVER/m);
  });
});

describe("maintenance windows", () => {
  const { config } = rendered(withMaintenance);

  it("become top-level time_intervals", () => {
    expect(config.time_intervals).toEqual([
      {
        name: "weekly-maintenance",
        time_intervals: [{ times: [{ start_time: "02:00", end_time: "04:00" }], weekdays: ["sunday"], location: "Asia/Singapore" }],
      },
      { name: "worker-deploys", time_intervals: [{ times: [{ start_time: "12:00", end_time: "12:30" }], weekdays: ["monday:friday"] }] },
    ]);
    expect(config).not.toHaveProperty("mute_time_intervals");
  });

  it("mute every route a non-Watchdog alert can land on (mute_time_intervals is not inherited)", () => {
    for (const m of ['severity="critical"', 'severity="warning"', 'severity!~"critical|warning|info"']) {
      const route = severityRoute(config.route, m);
      for (const leaf of [route, ...leaves(route)]) expect(leaf.mute_time_intervals).toContain("weekly-maintenance");
    }
  });

  it("with matchers, mute only matching alerts, through a child route", () => {
    const critical = severityRoute(config.route, 'severity="critical"');
    expect(critical.mute_time_intervals).toEqual(["weekly-maintenance"]);
    expect(critical.routes).toEqual([
      { matchers: ['component="worker"'], receiver: "telegram", mute_time_intervals: ["worker-deploys", "weekly-maintenance"] },
    ]);
  });

  it("never mute Watchdog", () => {
    expect(severityRoute(config.route, 'alertname="Watchdog"')).not.toHaveProperty("mute_time_intervals");
  });

  it("with severities, mute only those severities", () => {
    const { config: c } = rendered({
      ...telegramOnly,
      maintenanceWindows: [{ name: "quiet-nights", times: [{ start: "00:00", end: "07:00" }], severities: ["warning", "info"] }],
    });
    expect(severityRoute(c.route, 'severity="critical"')).not.toHaveProperty("mute_time_intervals");
    expect(severityRoute(c.route, 'severity="warning"').mute_time_intervals).toEqual(["quiet-nights"]);
    expect(severityRoute(c.route, 'severity!~"critical|warning|info"').mute_time_intervals).toEqual(["quiet-nights"]);
  });

  it("mute each fan-out leaf when several receivers share a severity", () => {
    const { config: c } = rendered({ ...everyIntegration, maintenanceWindows: withMaintenance.maintenanceWindows });
    const critical = severityRoute(c.route, 'severity="critical"');
    for (const leaf of leaves(critical)) expect(leaf.mute_time_intervals).toContain("weekly-maintenance");
    const workerLeaves = leaves(critical.routes![0]);
    expect(workerLeaves.map((l) => [l.receiver, l.mute_time_intervals])).toEqual([
      ["telegram-oncall", ["worker-deploys", "weekly-maintenance"]],
      ["slack-alerts", ["worker-deploys", "weekly-maintenance"]],
      ["pagerduty-critical", ["worker-deploys", "weekly-maintenance"]],
    ]);
  });
});

describe("alerting settings Alertmanager would refuse, rejected up front at their key paths", () => {
  // The builder takes already-valid input; these are the checks it used to make itself, now made with the
  // rest of the stack config before any resource exists (settings/alerting.ts and the schema).
  it("lists every problem at once", () => {
    const problems = problemsOf(
      {
        alerting: {
          receivers: [
            { type: "telegram", name: "null", severities: ["critical"], chatId: 0, botToken: "t" },
            { type: "slack", name: "a", severities: ["urgent"], channel: "", apiUrl: "u" },
            { type: "slack", name: "a", channel: "#x", apiUrl: "u" },
            { type: "email", name: "m", to: "nobody", from: "x@y.z", smarthost: "smtp.example.com", authUsername: "", authPassword: "p" },
          ],
          deadMansSwitch: "ghost",
          groupBy: ["alertname", "alertname", "bad-label"],
          maintenanceWindows: [{ name: "w" }, { name: "w", times: [{ start: "04:00", end: "02:00" }], weekdays: ["funday"] }],
        },
      },
      ["alerting"],
    );
    expect(problems).toEqual(
      expect.arrayContaining([
        expect.stringMatching(/^alerting\.receivers\[0\]\.name: 'null' is reserved/),
        expect.stringMatching(/^alerting\.receivers\[0\]\.chatId: must be a non-zero Telegram chat id/),
        expect.stringMatching(/^alerting\.receivers\[1\]\.severities\[0\]: must be one of 'critical', 'warning', 'info'/),
        expect.stringMatching(/^alerting\.receivers\[1\]\.channel: is empty/),
        expect.stringMatching(/^alerting\.receivers\[2\]\.name: duplicate name "a"/),
        expect.stringMatching(/^alerting\.receivers\[3\]\.to: "nobody" is not valid/),
        expect.stringMatching(/^alerting\.receivers\[3\]\.smarthost: "smtp\.example\.com" is not valid: must be host:port/),
        expect.stringMatching(/^alerting\.receivers\[3\]\.authUsername: is empty/),
        expect.stringMatching(/^alerting\.deadMansSwitch: names receiver 'ghost', which is not defined/),
        expect.stringMatching(/^alerting\.groupBy\[1\]: 'alertname' is already listed at alerting\.groupBy\[0\]/),
        expect.stringMatching(/^alerting\.groupBy\[2\]: "bad-label" is not valid; expected a label name/),
        expect.stringMatching(/^alerting\.maintenanceWindows\[0\]: needs weekdays, times, daysOfMonth or months/),
        expect.stringMatching(/^alerting\.maintenanceWindows\[1\]\.name: duplicate name "w"/),
        expect.stringMatching(/^alerting\.maintenanceWindows\[1\]\.weekdays\[0\]: "funday" is not valid/),
        expect.stringMatching(/^alerting\.maintenanceWindows\[1\]\.times\[0\]: start 04:00 is not before end 02:00/),
      ]),
    );
  });
});

