/** Realistic `alerting` settings the specs render: what teams from the seeds would configure. */
import { AlertmanagerConfigOptions, DEFAULT_GROUP_BY, ReceiverSpec } from "../../configs/alertmanager/alertmanager";

/**
 * A secret as the stack holds it: the builder gets the handle and carries it
 * to the deploy step; only `reveal` (the deploy step) reads the value.
 */
export interface TestSecret {
  readonly value: string;
}
const secret = (value: string): TestSecret => ({ value });
export const reveal = (s: TestSecret): string => s.value;

/** Secret values as the deploy step would hold them; the builder must never write these. */
export const SECRETS = {
  telegramBotToken: secret("7012345678:AAH-realLookingTelegramBotToken_xyz"),
  slackApiUrl: secret("https://hooks.slack.com/services/T000/B000/realLookingSlackSecret"),
  pagerdutyRoutingKey: secret("r3alL00kingPagerDutyRoutingKey0000"),
  smtpPassword: secret("smtp-password-s3cret"),
  heartbeatUrl: secret("https://hc-ping.com/0b3c7e1a-real-heartbeat-uuid"),
};

const base = {
  groupBy: DEFAULT_GROUP_BY,
  maintenanceWindows: [],
  externalUrl: "https://alertmanager.example.com",
  secretsDir: "/etc/alertmanager/secrets",
} as const;

/** A fresh stack before anyone configured a receiver. */
export const noReceivers: AlertmanagerConfigOptions<TestSecret> = { ...base, receivers: [] };

/** TutorDex today (seeds 000/001): one Telegram chat gets critical and warning, resolved notices too. */
export const telegramOnly: AlertmanagerConfigOptions<TestSecret> = {
  ...base,
  receivers: [{ type: "telegram", name: "telegram", severities: ["critical", "warning"], chatId: -1001234567890, botToken: SECRETS.telegramBotToken, sendResolved: true }],
};

/**
 * Every integration (seed 002's PagerDuty + Slack, plus email and a
 * heartbeat webhook as the dead man's switch).
 */
export const allReceivers: ReceiverSpec<TestSecret>[] = [
  { type: "telegram", name: "telegram-oncall", severities: ["critical", "warning"], chatId: -1001234567890, botToken: SECRETS.telegramBotToken, sendResolved: true },
  { type: "slack", name: "slack-alerts", severities: ["critical", "warning", "info"], channel: "#zeta-alerts", apiUrl: SECRETS.slackApiUrl, sendResolved: true },
  { type: "pagerduty", name: "pagerduty-critical", severities: ["critical"], routingKey: SECRETS.pagerdutyRoutingKey, sendResolved: true },
  {
    type: "email",
    name: "email-ops",
    severities: ["warning"],
    to: "ops@example.com",
    from: "alertmanager@example.com",
    smarthost: "smtp.example.com:587",
    authUsername: "alertmanager@example.com",
    authPassword: SECRETS.smtpPassword,
    requireTls: true,
    sendResolved: false,
  },
  { type: "webhook", name: "heartbeat", severities: [], url: SECRETS.heartbeatUrl, sendResolved: false },
];

export const everyIntegration: AlertmanagerConfigOptions<TestSecret> = { ...base, receivers: allReceivers, deadMansSwitch: "heartbeat" };

/** TutorDex with a weekly maintenance window and a worker-only deploy window. */
export const withMaintenance: AlertmanagerConfigOptions<TestSecret> = {
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
