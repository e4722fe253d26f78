/**
 * What the Alertmanager builder (configs/alertmanager) needs from
 * `alerting.*`, checked up front with the other keys so that nothing is
 * registered before it fails: receiver names the builder reserves, values
 * Alertmanager expands as Go templates, grouping labels, and maintenance
 * windows Alertmanager would refuse (which takes its whole config down: no
 * alert and no Watchdog). The builder takes this already-valid input.
 */
import { DEADMANS_SWITCH_RECEIVER, NULL_RECEIVER } from "../configs/alertmanager/alertmanager";
import { notificationsTemplate } from "../configs/alertmanager/templates";
import { alertmanagerDialect, parseTemplate, templateProblem, type TemplateDialect } from "../configs/go-template";
import type { Settings } from "./schema";
import type { ConfigProblem } from "./problems";
import { MONTH_NAMES } from "./values";

/** Receivers the builder adds itself (routes without integrations). */
const RESERVED_RECEIVERS: readonly string[] = [NULL_RECEIVER, DEADMANS_SWITCH_RECEIVER];

let dialect: TemplateDialect | undefined;
/** Alertmanager's templates as the stack ships them: its defaults plus every name notifications.tmpl defines. */
export function stackAlertmanagerDialect(): TemplateDialect {
  // The URL is the file's only generated part and defines no name.
  dialect ??= alertmanagerDialect(parseTemplate(notificationsTemplate("http://alertmanager:9093"), alertmanagerDialect([])).defines);
  return dialect;
}

/** Alertmanager's weekday order (time_intervals: sunday is 0). */
const WEEKDAYS = ["sunday", "monday", "tuesday", "wednesday", "thursday", "friday", "saturday"];

export function alertingChecks(s: Settings): ConfigProblem[] {
  const problems: ConfigProblem[] = [];
  const add = (key: string, message: string) => problems.push({ key, message });

  s.alerting.receivers.forEach((r, i) => {
    if (r === undefined) return; // its type is invalid, reported already
    const key = `alerting.receivers[${i}]`;
    if (RESERVED_RECEIVERS.includes(r.name)) add(`${key}.name`, `'${r.name}' is reserved for a receiver the stack adds without integrations; choose another name`);
    if (r.type === "telegram" && r.chatId === 0) add(`${key}.chatId`, "must be a non-zero Telegram chat id (groups and channels are negative, e.g. -1001234567890)");
    if (r.type === "email" && r.authUsername !== undefined && r.authUsername.trim() === "") add(`${key}.authUsername`, "is empty; omit it for an SMTP server without auth");
    if (r.type === "email") {
      // Alertmanager expands `to` and `from` as templates too; an address may legally hold '{' or '}'.
      for (const field of ["to", "from"] as const) {
        const why = typeof r[field] === "string" ? templateProblem(r[field], stackAlertmanagerDialect()) : undefined;
        if (why !== undefined) add(`${key}.${field}`, `${JSON.stringify(r[field])}: ${why}`);
      }
    }
    if (r.type === "slack" && typeof r.channel !== "string") return;
    if (r.type === "slack" && r.channel.trim() === "") add(`${key}.channel`, "is empty; name the Slack channel, e.g. #alerts");
    else if (r.type === "slack") {
      // Alertmanager expands `channel` as a template when it sends, so a broken one fails every notification, not the config load.
      const why = templateProblem(r.channel, stackAlertmanagerDialect());
      if (why !== undefined) add(`${key}.channel`, `${JSON.stringify(r.channel)}: ${why}`);
    }
  });

  const seen = new Map<string, number>();
  s.alerting.groupBy.forEach((label, i) => {
    const first = seen.get(label);
    if (first !== undefined) add(`alerting.groupBy[${i}]`, `'${label}' is already listed at alerting.groupBy[${first}]; Alertmanager refuses duplicate group_by labels`);
    else seen.set(label, i);
  });

  s.alerting.maintenanceWindows.forEach((w, i) => {
    if (w === undefined) return;
    const key = `alerting.maintenanceWindows[${i}]`;
    if (w.weekdays.length === 0 && w.times.length === 0 && w.daysOfMonth.length === 0 && w.months.length === 0) {
      add(key, "needs weekdays, times, daysOfMonth or months; a window without any would mute every notification forever");
    }
    w.weekdays.forEach((d, j) => {
      if (typeof d !== "string") return; // invalid on its own, reported already
      const [from, to] = d.split(":");
      if (to !== undefined && WEEKDAYS.indexOf(from) > WEEKDAYS.indexOf(to)) {
        add(`${key}.weekdays[${j}]`, `${d} runs backwards (weeks start on sunday); Alertmanager refuses the whole config. Use two entries, e.g. ${from}:saturday and sunday:${to}`);
      }
    });
    w.daysOfMonth.forEach((d, j) => {
      if (typeof d !== "string") return; // invalid on its own, reported already
      const [from, to = from] = d.split(":").map(Number);
      // Alertmanager's own rules (timeinterval.go): a negative start needs a negative end, and the range
      // must run forwards in a 28-day month, the shortest.
      if (from < 0 && to > 0) add(`${key}.daysOfMonth[${j}]`, `${d}: a range starting from the month's end must end there too (e.g. -7:-1); Alertmanager refuses the whole config`);
      else if ((from < 0 ? 28 + from : from) > (to < 0 ? 28 + to : to)) {
        add(`${key}.daysOfMonth[${j}]`, `${d} runs backwards; Alertmanager refuses the whole config. Write the earlier day first, e.g. 1:7`);
      }
    });
    w.months.forEach((m, j) => {
      if (typeof m !== "string") return; // invalid on its own, reported already
      const [from, to = from] = m.split(":").map((x) => (/^\d+$/.test(x) ? Number(x) : MONTH_NAMES.indexOf(x) + 1));
      if (from > to) add(`${key}.months[${j}]`, `${m} runs backwards (years start in january); Alertmanager refuses the whole config. Use two entries, e.g. ${m.split(":")[0]}:december and january:${m.split(":")[1]}`);
    });
    w.times.forEach((t, j) => {
      if (t === undefined || t.start === undefined || t.end === undefined) return; // reported already
      if (t.start >= t.end) {
        add(`${key}.times[${j}]`, `start ${t.start} is not before end ${t.end}; Alertmanager refuses the whole config. A window across midnight is two ranges, e.g. 22:00-24:00 and 00:00-02:00`);
      }
    });
  });
  return problems;
}
