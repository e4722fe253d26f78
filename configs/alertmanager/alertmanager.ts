/**
 * Alertmanager configuration as a pure, typed builder: settings in, files out.
 * No Pulumi here; deploy and render call the same function, so what render
 * writes is what `pulumi up` ships.
 *
 * Output (paths relative to the render root):
 * - `alertmanager/alertmanager.yml`
 * - `alertmanager/templates/notifications.tmpl`, named in `templates:` by a
 *   path relative to the config file. Alertmanager's `config.LoadFile` calls
 *   `resolveFilepaths(filepath.Dir(filename), cfg)`, which joins every
 *   relative `templates` entry onto the config file's directory (amtool
 *   check-config loads the config the same way), so the directory works
 *   as-is in the container and on disk. `*_file` secret paths are NOT
 *   resolved that way (only templates and http_config files are), hence
 *   `secretsDir` must be absolute.
 *
 * Routing (seed 000/001: critical repeats every 30m, warning every 6h,
 * Watchdog every 24h; group by alertname, component, pipeline_version):
 *
 *   root (receiver "null", never reached: the children below cover every alert)
 *   ├─ alertname="Watchdog"            -> dead man's switch, group_wait 0s, repeat 24h, never muted
 *   ├─ severity="critical"             -> every receiver listing critical, group_wait 5s, repeat 30m
 *   ├─ severity="warning"              -> every receiver listing warning, repeat 6h
 *   ├─ severity="info"                 -> every receiver listing info, repeat 24h
 *   └─ severity!~"critical|warning|info" (missing or misspelt severity)
 *                                      -> the warning receivers: a mislabelled alert still
 *                                         reaches a human, without paging anyone
 *
 * Fan-out: a severity route has one child route per receiver, each with
 * `continue: true` (except the last), so every receiver gets its own
 * notification with the severity route's timings. Nesting (rather than
 * sibling routes at the top level) keeps "first match wins" between
 * severities and lets the severity route hold the timings once. With a single
 * receiver the severity route names it directly. With none, it routes to
 * `null`, a receiver without integrations, and the file's header says so.
 *
 * Maintenance windows become `time_intervals` (accepted by amtool 0.25 and
 * Alertmanager 0.34; `mute_time_intervals` at top level is deprecated) and are
 * listed in `mute_time_intervals` of every route under the severity routes.
 * They are listed on each leaf because Alertmanager does not inherit
 * `mute_time_intervals` from a parent route (dispatch/route.go: `opts.MuteTimeIntervals
 * = cr.MuteTimeIntervals` after copying the parent's options) and checks the
 * route that finally matched. A window with `matchers` gets its own child
 * route under each severity route, muting only the alerts it matches; an alert
 * matching several windows' matchers is muted by the first of them (plus all
 * windows without matchers). A window with `severities` mutes only those
 * severity routes (the missing/unknown-severity route counts as warning).
 * Watchdog is never muted: silencing the heartbeat would page whoever watches
 * it during every maintenance.
 *
 * Inhibition (`equal` compares label values, and a missing label has the
 * value "", so a label absent on both sides counts as equal):
 * 1. severity="critical" mutes severity="warning" with equal
 *    [alertname, component, instance, namespace, name, slo]. The labels after
 *    `component` mean "the same thing where present": two per-instance alerts
 *    only inhibit each other for the same instance, a container's critical
 *    memory alert mutes that container's warning and not its neighbours' on
 *    the same node (`namespace`/`name`), an SLO's fast burn mutes that SLO's
 *    slow burn only (`slo`); a critical with an instance does not mute a
 *    warning without one (""≠"x"); alerts without these labels compare on
 *    alertname+component alone.
 * 2. Per target: PrometheusTargetDown / BlackboxProbeFailed (`TARGET_DOWN_ALERTS`)
 *    mute every other alert with equal [job, instance], the labels that
 *    identify the scrape or probe target (host, container, database, cache
 *    alerts keep them). The source must carry non-empty `job` and `instance`
 *    (`=~".+"`); otherwise a down alert aggregated without them would, by the
 *    "missing equals missing" rule, mute every alert that also lacks them.
 * 3. Per job: ServiceDown (`max by (job, component) (up) == 0`: no
 *    `instance`) with a non-empty `job` mutes every alert of the same `job`:
 *    HighErrorRate/HighLatencyP95 and WorkerHeartbeatMissing aggregate
 *    `by (job)`, and the job's own PrometheusTargetDown (one per target) says
 *    nothing ServiceDown does not.
 * 4. Per service, for alerts without a `job`: the TutorDex pipeline alerts
 *    aggregate `by (pipeline_version, schema_version)` (seed 001's grouping),
 *    so nothing ties them to a scrape job. ServiceDown carries the down job's
 *    `component` (the static label of its scrape config); for each contract
 *    service (`collector`, `worker`, `backend`) one rule lets that service's
 *    ServiceDown mute the alerts that read its metrics (`serviceDependents`,
 *    derived from the rule catalog and docs/metrics-contract.md: the worker
 *    also exports the queue, DM and broadcast metrics, so a dead worker mutes
 *    QueueBacklogGrowingNoThroughput too). Targets must have no `job`
 *    (`job=""`): an alert that keeps its job is rule 3's, and must not be
 *    muted by another job of the same component. Sources and targets match
 *    by name and component, never by two missing labels; `equal: [env]`
 *    keeps environments sharing an Alertmanager apart. This relies on an
 *    application target's `component` naming its contract service
 *    (`targets[].component: worker` for the TutorDex worker).
 * 5. Per Kubernetes node: KubeNodeNotReady / KubeNodeUnreachable
 *    (`NODE_DOWN_ALERTS`, non-empty `node`) mute every other alert with equal
 *    [env, node]: the kubernetes pack's pod alerts carry their pod's node,
 *    KubeletDown and the volume alerts the kubelet's, node-exporter alerts the
 *    node its pod runs on. Alerts without `node` never match ("" ≠ "x").
 * 6. KubeAPIDown mutes, with equal [env], the alerts that read the API
 *    (`apiDependents`: derived from the catalog, every alert selecting a
 *    kube-state-metrics `kube_*` or API server `apiserver_*` series, directly
 *    or through recording rules): with the API gone their data is stale.
 *    Down alerts never inhibit ServiceDown, BlackboxProbeFailed or Watchdog:
 *    the page that says what is down always goes out, and a failing health
 *    probe is what users see.
 * 7. Per job: APIDown (`api` pack, seed 003: 5xx above 10 %) mutes the same
 *    job's HighErrorRate tiers; both are critical, so rule 1 does not, and one
 *    outage should page once, under the name on-call knows.
 *
 * Secrets: the builder never sees a value. Each receiver carries its secrets
 * as opaque handles `S` (the stack's SecretValue), which come back paired with
 * where they go. Telegram `bot_token` and webhook `url` have no `*_file` form
 * that amtool 0.25 accepts, so they are inline `SecretSlots` placeholders
 * (deploy fills them). Slack `api_url`, PagerDuty `routing_key` and email
 * `auth_password` point at files under `secretsDir`; `secretFiles` tells the
 * deploy step which secret to mount where.
 */
import { ConfigFile, yamlFile } from "../files";
import { SecretFile, SecretSlot, SecretSlots } from "../secrets";
import { apiDependents, EXPORTING_SERVICES, serviceDependents } from "../prometheus/rules/dependencies";
import { HTTP_API_DOWN_ALERT } from "../prometheus/rules/packs/api";
import { HIGH_ERROR_RATE_ALERT } from "../prometheus/rules/packs/http";
import { TEMPLATE_NAMES, invokeTemplate, notificationsTemplate } from "./templates";

export type Severity = "critical" | "warning" | "info";

export const SEVERITIES: readonly Severity[] = ["critical", "warning", "info"];

/** A receiver; `S` is the opaque handle of its secrets (bot token, webhook URL, key, password). */
export type ReceiverSpec<S = unknown> =
  | { readonly type: "telegram"; readonly name: string; readonly severities: readonly Severity[]; readonly chatId: number; readonly botToken: S; readonly sendResolved: boolean }
  | { readonly type: "slack"; readonly name: string; readonly severities: readonly Severity[]; readonly channel: string; readonly apiUrl: S; readonly sendResolved: boolean }
  | { readonly type: "pagerduty"; readonly name: string; readonly severities: readonly Severity[]; readonly routingKey: S; readonly sendResolved: boolean }
  | {
      readonly type: "email";
      readonly name: string;
      readonly severities: readonly Severity[];
      readonly to: string;
      readonly from: string;
      /** `host:port` of the SMTP server. */
      readonly smarthost: string;
      /** With `authPassword`, SMTP auth is used and the password is mounted as a file. */
      readonly authUsername?: string;
      readonly authPassword?: S;
      readonly requireTls: boolean;
      readonly sendResolved: boolean;
    }
  | { readonly type: "webhook"; readonly name: string; readonly severities: readonly Severity[]; readonly url: S; readonly sendResolved: boolean };

export interface MaintenanceWindow {
  /** Name of the time interval; unique, referenced by routes. */
  readonly name: string;
  /** `monday`, `saturday`, or ranges `monday:friday`. */
  readonly weekdays?: readonly string[];
  /** 24h `HH:MM`, start inclusive, end exclusive, e.g. `{ start: "02:00", end: "04:00" }`. */
  readonly times?: readonly { readonly start: string; readonly end: string }[];
  /** `1`, `1:7`, `-1` (last day). */
  readonly daysOfMonth?: readonly string[];
  /** `january`, `1:3`. */
  readonly months?: readonly string[];
  /** IANA time zone of `times`, e.g. `Asia/Singapore`; UTC when absent. */
  readonly location?: string;
  /** Alertmanager matchers (`component="worker"`) selecting the alerts muted; all non-Watchdog alerts when absent or empty. */
  readonly matchers?: readonly string[];
  /**
   * Severities muted; all when absent or empty (planned maintenance trips
   * critical target-down alerts too). Alerts without a known severity count as warning.
   */
  readonly severities?: readonly Severity[];
}

export interface AlertmanagerConfigOptions<S = unknown> {
  /** Notification receivers; their secrets are handles the builder passes back, never reads. */
  readonly receivers: readonly ReceiverSpec<S>[];
  /**
   * Name of the receiver (one of `receivers`) that gets Watchdog. Absent:
   * Watchdog goes to `deadmans-switch`, a receiver without integrations, so
   * the route stays visible.
   */
  readonly deadMansSwitch?: string;
  /** Top-level `group_by`; `DEFAULT_GROUP_BY` is the seeds' choice. */
  readonly groupBy: readonly string[];
  /** Times during which non-Watchdog notifications are muted. */
  readonly maintenanceWindows: readonly MaintenanceWindow[];
  /** Alertmanager URL as users reach it; used for links in notifications. */
  readonly externalUrl: string;
  /** Absolute in-container directory where the `secretFiles` are mounted, e.g. `/etc/alertmanager/secrets`. */
  readonly secretsDir: string;
}

export interface AlertmanagerConfigResult<S = unknown> {
  /** `alertmanager/alertmanager.yml` and its template file. */
  files: ConfigFile[];
  /** Inline placeholders in alertmanager.yml and the secret each stands for. */
  secretSlots: readonly SecretSlot<S>[];
  /** Secrets Alertmanager reads from files: mount each at `path` (under `alertmanager/secrets/`, i.e. `secretsDir`). */
  secretFiles: readonly SecretFile<S>[];
}

export const DEFAULT_GROUP_BY: readonly string[] = ["alertname", "component", "pipeline_version"];

/** Receiver with no integrations: alerts routed here notify nobody. */
export const NULL_RECEIVER = "null";
/** Receiver with no integrations that Watchdog goes to when no dead man's switch is configured. */
export const DEADMANS_SWITCH_RECEIVER = "deadmans-switch";
export const WATCHDOG_ALERT = "Watchdog";
/** Alerts meaning "this scrape/probe target is down" (one target: job + instance); spelled as seeds 000 and 002 spell them. */
export const TARGET_DOWN_ALERTS: readonly string[] = ["PrometheusTargetDown", "BlackboxProbeFailed"];
/** Alert meaning "every target of a job is down" (labels: job, component; no instance). */
export const SERVICE_DOWN_ALERT = "ServiceDown";
/** Alerts no down alert mutes: what is down, what users see, and the heartbeat. */
const NEVER_MUTED_BY_DOWN = [SERVICE_DOWN_ALERT, "BlackboxProbeFailed", WATCHDOG_ALERT];
/** Alerts meaning "this Kubernetes node is gone" (label `node`); spelled as kubernetes-mixin spells them. */
export const NODE_DOWN_ALERTS: readonly string[] = ["KubeNodeNotReady", "KubeNodeUnreachable"];
/** Alert meaning "no Kubernetes API server answers" (no labels but severity and component). */
export const API_DOWN_ALERT = "KubeAPIDown";

/** Labels a critical and a warning must share for the critical to mute the warning (inhibition rule 1). */
const CRITICAL_MUTES_WARNING_EQUAL = ["alertname", "component", "instance", "namespace", "name", "slo"] as const;

/** Route timings (seed 000/001). */
export const ROUTE_TIMINGS = {
  root: { groupWait: "30s", groupInterval: "5m", repeatInterval: "6h" },
  watchdog: { groupWait: "0s", repeatInterval: "24h" },
  critical: { groupWait: "5s", repeatInterval: "30m" },
  warning: { repeatInterval: "6h" },
  info: { repeatInterval: "24h" },
} as const;

export const ALERTMANAGER_DIR = "alertmanager";
export const ALERTMANAGER_CONFIG_RENDER_PATH = `${ALERTMANAGER_DIR}/alertmanager.yml`;
/** Template path relative to alertmanager.yml (what `templates:` holds). */
export const TEMPLATE_RELATIVE_PATH = "templates/notifications.tmpl";
export const ALERTMANAGER_TEMPLATE_PATH = `${ALERTMANAGER_DIR}/${TEMPLATE_RELATIVE_PATH}`;
/** Render-relative directory of secret files; mounted at `secretsDir`. */
export const ALERTMANAGER_SECRETS_DIR = `${ALERTMANAGER_DIR}/secrets`;

/**
 * Build alertmanager.yml and its template from already-valid options: the
 * stack config is checked up front (settings/alerting.ts and the schema),
 * before any resource exists, so nothing can fail here half-way through a deploy.
 */
export function alertmanagerConfig<S>(o: AlertmanagerConfigOptions<S>): AlertmanagerConfigResult<S> {
  const slots = new SecretSlots<S>();
  const secretsDir = o.secretsDir.replace(/\/+$/, "");
  const secretFiles: SecretFile<S>[] = [];
  // Files are named by the receiver's position and field (receiver-1-apiUrl), as the config key names them.
  const secretFile = (i: number, field: string, secret: S): string => {
    const file = `receiver-${i}-${field}`;
    secretFiles.push({ path: `${ALERTMANAGER_SECRETS_DIR}/${file}`, secret });
    return `${secretsDir}/${file}`;
  };

  const receivers: Record<string, unknown>[] = o.receivers.map((r, i) => receiverConfig(r, i, slots, secretFile));
  const watchdogReceiver = o.deadMansSwitch ?? DEADMANS_SWITCH_RECEIVER;
  if (o.deadMansSwitch === undefined) receivers.push({ name: DEADMANS_SWITCH_RECEIVER });
  receivers.push({ name: NULL_RECEIVER });

  const covering = (s: Severity): string[] => o.receivers.filter((r) => r.severities.includes(s)).map((r) => r.name);
  const targets = { critical: covering("critical"), warning: covering("warning"), info: covering("info") };
  const allWindows = o.maintenanceWindows.map((w) => w.name);

  const severityRoute = (
    matcher: string,
    severity: Severity,
    names: string[],
    timing: Record<string, string>,
  ): Record<string, unknown> => {
    const route: Record<string, unknown> = { matchers: [matcher], receiver: names[0] ?? NULL_RECEIVER, ...timing };
    if (names.length === 0) return route; // nobody to notify: nothing to mute
    const windows = o.maintenanceWindows.filter((w) => !w.severities?.length || w.severities.includes(severity));
    const globalWindows = windows.filter((w) => !w.matchers?.length).map((w) => w.name);
    const matcherWindows = windows.filter((w) => w.matchers?.length);
    const mute = (extra: string[]) => {
      const list = [...extra, ...globalWindows];
      return list.length > 0 ? { mute_time_intervals: list } : {};
    };
    const fanOut = (extra: string[]): Record<string, unknown>[] =>
      names.length === 1 ? [] : names.map((n, k) => ({ receiver: n, ...(k < names.length - 1 ? { continue: true } : {}), ...mute(extra) }));
    const children: Record<string, unknown>[] = matcherWindows.map((w) => {
      const grand = fanOut([w.name]);
      return { matchers: [...(w.matchers ?? [])], receiver: names[0], ...mute([w.name]), ...(grand.length ? { routes: grand } : {}) };
    });
    children.push(...fanOut([]));
    Object.assign(route, mute([]));
    if (children.length > 0) route.routes = children;
    return route;
  };

  const t = ROUTE_TIMINGS;
  const unknownSeverity = `severity!~"${SEVERITIES.join("|")}"`;
  const route = {
    receiver: NULL_RECEIVER,
    group_by: [...o.groupBy],
    group_wait: t.root.groupWait,
    group_interval: t.root.groupInterval,
    repeat_interval: t.root.repeatInterval,
    routes: [
      {
        matchers: [`alertname="${WATCHDOG_ALERT}"`],
        receiver: watchdogReceiver,
        group_wait: t.watchdog.groupWait,
        repeat_interval: t.watchdog.repeatInterval,
      },
      severityRoute('severity="critical"', "critical", targets.critical, { group_wait: t.critical.groupWait, repeat_interval: t.critical.repeatInterval }),
      severityRoute('severity="warning"', "warning", targets.warning, { repeat_interval: t.warning.repeatInterval }),
      severityRoute('severity="info"', "info", targets.info, { repeat_interval: t.info.repeatInterval }),
      severityRoute(unknownSeverity, "warning", targets.warning, { repeat_interval: t.warning.repeatInterval }),
    ],
  };

  const dependents = serviceDependents();
  const inhibitRules = [
    {
      source_matchers: ['severity="critical"'],
      target_matchers: ['severity="warning"'],
      equal: [...CRITICAL_MUTES_WARNING_EQUAL],
    },
    {
      source_matchers: [`alertname=~"${TARGET_DOWN_ALERTS.join("|")}"`, 'job=~".+"', 'instance=~".+"'],
      target_matchers: [`alertname!~"${[...new Set([...TARGET_DOWN_ALERTS, ...NEVER_MUTED_BY_DOWN])].join("|")}"`],
      equal: ["job", "instance"],
    },
    {
      source_matchers: [`alertname="${SERVICE_DOWN_ALERT}"`, 'job=~".+"'],
      target_matchers: [`alertname!~"${NEVER_MUTED_BY_DOWN.join("|")}"`],
      equal: ["job"],
    },
    ...EXPORTING_SERVICES.filter((svc) => dependents[svc].length > 0).map((svc) => ({
      source_matchers: [`alertname="${SERVICE_DOWN_ALERT}"`, `component="${svc}"`],
      target_matchers: [`alertname=~"${dependents[svc].join("|")}"`, 'job=""'],
      equal: ["env"],
    })),
    {
      source_matchers: [`alertname=~"${NODE_DOWN_ALERTS.join("|")}"`, 'node=~".+"'],
      target_matchers: [`alertname!~"${[...NODE_DOWN_ALERTS, ...NEVER_MUTED_BY_DOWN].join("|")}"`],
      equal: ["env", "node"],
    },
    {
      source_matchers: [`alertname="${API_DOWN_ALERT}"`],
      target_matchers: [`alertname=~"${apiDependents().join("|")}"`],
      equal: ["env"],
    },
    {
      source_matchers: [`alertname="${HTTP_API_DOWN_ALERT}"`, 'job=~".+"'],
      target_matchers: [`alertname="${HIGH_ERROR_RATE_ALERT}"`],
      equal: ["job"],
    },
  ];

  const config: Record<string, unknown> = {
    global: { resolve_timeout: "5m" },
    templates: [TEMPLATE_RELATIVE_PATH],
    route,
    inhibit_rules: inhibitRules,
    receivers,
  };
  if (o.maintenanceWindows.length > 0) config.time_intervals = o.maintenanceWindows.map(timeInterval);

  const describe = (names: string[], fallbackNote: string) =>
    names.length > 0 ? names.join(", ") : `${NULL_RECEIVER}  <-- NO RECEIVER covers this severity: ${fallbackNote}`;
  const header = [
    "Alertmanager configuration. Generated by configs/alertmanager/alertmanager.ts from the stack's",
    "`alerting` settings: change those and render again; edits here are overwritten.",
    "",
    "Routing (first matching route wins; severity routes fan out to each receiver listed):",
    `  ${`alertname="${WATCHDOG_ALERT}"`.padEnd(22)}-> ${
      o.deadMansSwitch ?? `${DEADMANS_SWITCH_RECEIVER}  <-- no integrations: set alerting.deadMansSwitch to page when the heartbeat stops`
    }  (repeat ${t.watchdog.repeatInterval}, never muted)`,
    `  ${'severity="critical"'.padEnd(22)}-> ${describe(targets.critical, "critical alerts notify nobody")}  (group_wait ${t.critical.groupWait}, repeat ${t.critical.repeatInterval})`,
    `  ${'severity="warning"'.padEnd(22)}-> ${describe(targets.warning, "warning alerts notify nobody")}  (repeat ${t.warning.repeatInterval})`,
    `  ${'severity="info"'.padEnd(22)}-> ${describe(targets.info, "info alerts are kept in Alertmanager only")}  (repeat ${t.info.repeatInterval})`,
    `  ${"other/no severity".padEnd(22)}-> ${describe(targets.warning, "mislabelled alerts notify nobody")}  (treated as warning)`,
    `Receiver "${NULL_RECEIVER}" has no integrations: alerts routed to it show in the Alertmanager UI and notify nobody.`,
    `Maintenance windows (mute the severity routes, never Watchdog): ${
      allWindows.length > 0
        ? o.maintenanceWindows
            .map((w) => `${w.name} (${w.severities?.length ? w.severities.join("/") : "all severities"}${w.matchers?.length ? `, only ${w.matchers.join(", ")}` : ""})`)
            .join("; ")
        : "none"
    }.`,
    "Inhibition: critical mutes warning of the same alertname+component+instance;",
    `  ${TARGET_DOWN_ALERTS.join("/")} mutes other alerts of the same job+instance;`,
    `  ${SERVICE_DOWN_ALERT} mutes other alerts of the same job, and the job-less alerts that read its component's metrics;`,
    `  ${NODE_DOWN_ALERTS.join("/")} mutes the alerts of that node (label \`node\`: its pods, kubelet, volumes);`,
    `  ${API_DOWN_ALERT} mutes the alerts that read the Kubernetes API (kube-state-metrics, API server).`,
  ].join("\n");

  return {
    files: [
      yamlFile(ALERTMANAGER_CONFIG_RENDER_PATH, config, header),
      { path: ALERTMANAGER_TEMPLATE_PATH, content: notificationsTemplate(o.externalUrl) },
    ],
    secretSlots: slots.entries(),
    secretFiles,
  };
}

function receiverConfig<S>(
  r: ReceiverSpec<S>,
  i: number,
  slots: SecretSlots<S>,
  secretFile: (i: number, field: string, secret: S) => string,
): Record<string, unknown> {
  switch (r.type) {
    case "telegram":
      return {
        name: r.name,
        telegram_configs: [
          {
            send_resolved: r.sendResolved,
            bot_token: slots.slot(r.botToken, "token"),
            chat_id: r.chatId,
            parse_mode: "HTML",
            message: invokeTemplate(TEMPLATE_NAMES.telegramMessage),
          },
        ],
      };
    case "slack":
      return {
        name: r.name,
        slack_configs: [
          {
            send_resolved: r.sendResolved,
            api_url_file: secretFile(i, "apiUrl", r.apiUrl),
            channel: r.channel,
            title: invokeTemplate(TEMPLATE_NAMES.slackTitle),
            title_link: invokeTemplate(TEMPLATE_NAMES.slackTitleLink),
            text: invokeTemplate(TEMPLATE_NAMES.slackText),
          },
        ],
      };
    case "pagerduty":
      return {
        name: r.name,
        pagerduty_configs: [
          {
            send_resolved: r.sendResolved,
            routing_key_file: secretFile(i, "routingKey", r.routingKey),
            description: invokeTemplate(TEMPLATE_NAMES.pagerdutyDescription),
            severity: invokeTemplate(TEMPLATE_NAMES.pagerdutySeverity),
          },
        ],
      };
    case "email":
      return {
        name: r.name,
        email_configs: [
          {
            send_resolved: r.sendResolved,
            to: r.to,
            from: r.from,
            smarthost: r.smarthost,
            // Validation requires both or neither (settings/checks.ts).
            ...(r.authUsername !== undefined && r.authPassword !== undefined
              ? { auth_username: r.authUsername, auth_password_file: secretFile(i, "authPassword", r.authPassword) }
              : {}),
            require_tls: r.requireTls,
            headers: { Subject: invokeTemplate(TEMPLATE_NAMES.emailSubject) },
            html: invokeTemplate(TEMPLATE_NAMES.emailHtml),
            text: invokeTemplate(TEMPLATE_NAMES.emailText),
          },
        ],
      };
    case "webhook":
      return {
        name: r.name,
        webhook_configs: [{ send_resolved: r.sendResolved, url: slots.slot(r.url, "url") }],
      };
  }
}

function timeInterval(w: MaintenanceWindow): Record<string, unknown> {
  const spec: Record<string, unknown> = {};
  if (w.times?.length) spec.times = w.times.map((t) => ({ start_time: t.start, end_time: t.end }));
  if (w.weekdays?.length) spec.weekdays = [...w.weekdays];
  if (w.daysOfMonth?.length) spec.days_of_month = [...w.daysOfMonth];
  if (w.months?.length) spec.months = [...w.months];
  if (w.location) spec.location = w.location;
  return { name: w.name, time_intervals: [spec] };
}
