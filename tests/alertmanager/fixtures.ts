/** Realistic `alerting` settings the specs render: what teams from the seeds would configure. */
import { AlertmanagerConfigOptions, DEFAULT_GROUP_BY, ReceiverSpec } from "../../configs/alertmanager/alertmanager";

const base = {
  groupBy: DEFAULT_GROUP_BY,
  maintenanceWindows: [],
  externalUrl: "https://alertmanager.example.com",
  secretsDir: "/etc/alertmanager/secrets",
} as const;

/** A fresh stack before anyone configured a receiver. */
export const noReceivers: AlertmanagerConfigOptions = { ...base, receivers: [] };

/** TutorDex today (seeds 000/001): one Telegram chat gets critical and warning, resolved notices too. */
export const telegramOnly: AlertmanagerConfigOptions = {
  ...base,
  receivers: [{ type: "telegram", name: "telegram", severities: ["critical", "warning"], chatId: -1001234567890, sendResolved: true }],
};

/**
 * Every integration (seed 002's PagerDuty + Slack, plus email and a
 * heartbeat webhook as the dead man's switch).
 */
export const allReceivers: ReceiverSpec[] = [
  { type: "telegram", name: "telegram-oncall", severities: ["critical", "warning"], chatId: -1001234567890, sendResolved: true },
  { type: "slack", name: "slack-alerts", severities: ["critical", "warning", "info"], channel: "#zeta-alerts", sendResolved: true },
  { type: "pagerduty", name: "pagerduty-critical", severities: ["critical"], sendResolved: true },
  {
    type: "email",
    name: "email-ops",
    severities: ["warning"],
    to: "ops@example.com",
    from: "alertmanager@example.com",
    smarthost: "smtp.example.com:587",
    authUsername: "alertmanager@example.com",
    requireTls: true,
    sendResolved: false,
  },
  { type: "webhook", name: "heartbeat", severities: [], sendResolved: false },
];

export const everyIntegration: AlertmanagerConfigOptions = { ...base, receivers: allReceivers, deadMansSwitch: "heartbeat" };

/** TutorDex with a weekly maintenance window and a worker-only deploy window. */
export const withMaintenance: AlertmanagerConfigOptions = {
  ...telegramOnly,
  maintenanceWindows: [
    { name: "weekly-maintenance", weekdays: ["sunday"], times: [{ start: "02:00", end: "04:00" }], location: "Asia/Singapore" },
    {
      name: "worker-deploys",
      weekdays: ["monday:friday"],
      times: [{ start: "12:00", end: "12:30" }],
      matchers: ['component="worker"'],
    },
  ],
};

/** Secret values as the deploy step would hold them; the builder must never see these. */
export const secretValues: Record<string, string> = {
  "alerting.receivers[0].botToken": "7012345678:AAH-realLookingTelegramBotToken_xyz",
  "alerting.receivers[1].apiUrl": "https://hooks.slack.com/services/T000/B000/realLookingSlackSecret",
  "alerting.receivers[2].routingKey": "r3alL00kingPagerDutyRoutingKey0000",
  "alerting.receivers[3].authPassword": "smtp-password-s3cret",
  "alerting.receivers[4].url": "https://hc-ping.com/0b3c7e1a-real-heartbeat-uuid",
};
