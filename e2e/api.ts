/**
 * Typed reads of the live stack's HTTP APIs (Prometheus v1, Alertmanager v2,
 * the webhook receiver, the sample app's fault switches), through a Namespace.
 */
import * as fs from "fs";
import * as path from "path";
import type { LiveStack } from "./live-stack";
import type { Namespace } from "./namespace";
import type { Faults } from "./sample-app";
import type { Notification } from "./webhook";
import { REMOTE_WRITE_HEADERS, remoteWriteBody, WriteSeries } from "./remote-write";

export interface PromTarget {
  readonly labels: Record<string, string>;
  readonly scrapeUrl: string;
  readonly health: "up" | "down" | "unknown";
  readonly lastError: string;
}

export interface PromRule {
  readonly name: string;
  readonly type: "recording" | "alerting";
  readonly health: "ok" | "err" | "unknown";
  readonly lastError?: string;
  readonly query: string;
  readonly state?: "inactive" | "pending" | "firing";
  readonly labels?: Record<string, string>;
  readonly annotations?: Record<string, string>;
}

export interface PromRuleGroup {
  readonly name: string;
  readonly file: string;
  readonly rules: PromRule[];
  readonly evaluationTime: number;
}

export interface PromAlert {
  readonly labels: Record<string, string>;
  readonly annotations: Record<string, string>;
  readonly state: "pending" | "firing";
  readonly activeAt: string;
}

export interface Sample {
  readonly metric: Record<string, string>;
  readonly value?: [number, string];
  readonly values?: [number, string][];
}

export interface QueryResult {
  readonly status: "success" | "error";
  readonly errorType?: string;
  readonly error?: string;
  readonly data?: { resultType: string; result: Sample[] | [number, string] };
}

export interface AmAlert {
  readonly labels: Record<string, string>;
  readonly status: { state: "active" | "suppressed" | "unprocessed"; silencedBy: string[] };
}

export interface AmSilence {
  readonly id: string;
  readonly status: { state: "active" | "pending" | "expired" };
  readonly comment: string;
  readonly matchers: { name: string; value: string; isRegex: boolean }[];
}

export class StackApi {
  constructor(
    readonly ns: Namespace,
    readonly stack: LiveStack,
  ) {}

  private async data<T>(url: string): Promise<T> {
    const r = await this.ns.get(url);
    if (r.status !== 200) throw new Error(`GET ${url}: HTTP ${r.status}: ${r.text.slice(0, 300)}`);
    return r.json<{ data: T }>().data;
  }

  targets(): Promise<PromTarget[]> {
    return this.data<{ activeTargets: PromTarget[] }>(`${this.stack.urls.prometheus}/api/v1/targets?state=active`).then((d) => d.activeTargets);
  }

  ruleGroups(): Promise<PromRuleGroup[]> {
    return this.data<{ groups: PromRuleGroup[] }>(`${this.stack.urls.prometheus}/api/v1/rules`).then((d) => d.groups);
  }

  alerts(): Promise<PromAlert[]> {
    return this.data<{ alerts: PromAlert[] }>(`${this.stack.urls.prometheus}/api/v1/alerts`).then((d) => d.alerts);
  }

  /** An instant query; the raw answer, errors included (HTTP 400/422 carry `error`). */
  async query(expr: string, time?: number): Promise<QueryResult> {
    const params = new URLSearchParams({ query: expr, ...(time !== undefined ? { time: String(time) } : {}) });
    return (await this.ns.get(`${this.stack.urls.prometheus}/api/v1/query?${params}`)).json<QueryResult>();
  }

  /** Instant vector of `expr`; throws on a query error. */
  async vector(expr: string, time?: number): Promise<Sample[]> {
    const r = await this.query(expr, time);
    if (r.status !== "success") throw new Error(`query ${expr}: ${r.error}`);
    return (r.data?.result ?? []) as Sample[];
  }

  async scalar(expr: string): Promise<number | undefined> {
    const v = await this.vector(expr);
    return v.length ? Number(v[0].value?.[1]) : undefined;
  }

  /**
   * POST one remote-write request to Prometheus; resolves to the HTTP status.
   * Sent with curl inside the namespace: the supervisor's request channel carries JSON only.
   */
  async remoteWrite(series: readonly WriteSeries[]): Promise<number> {
    const body = path.join(path.dirname(this.stack.liveDir), `remote-write-${process.hrtime.bigint()}.bin`);
    fs.writeFileSync(body, remoteWriteBody(series));
    const headers = Object.entries(REMOTE_WRITE_HEADERS).flatMap(([k, v]) => ["-H", `${k}: ${v}`]);
    const r = await this.ns.exec(["curl", "-s", "-o", "/dev/null", "-w", "%{http_code}", "-X", "POST", "--data-binary", `@${body}`, ...headers, `${this.stack.urls.prometheus}/api/v1/write`]);
    fs.rmSync(body, { force: true });
    if (r.code !== 0) throw new Error(`curl exited ${r.code}: ${r.stderr}`);
    return Number(r.stdout.trim());
  }

  amAlerts(): Promise<AmAlert[]> {
    return this.ns.get(`${this.stack.urls.alertmanager}/api/v2/alerts`).then((r) => r.json<AmAlert[]>());
  }

  silences(): Promise<AmSilence[]> {
    return this.ns.get(`${this.stack.urls.alertmanager}/api/v2/silences`).then((r) => r.json<AmSilence[]>());
  }

  async createSilence(matchers: { name: string; value: string; isRegex: boolean }[], comment: string, hours = 2): Promise<string> {
    const now = Date.now();
    const r = await this.ns.post(`${this.stack.urls.alertmanager}/api/v2/silences`, {
      matchers,
      startsAt: new Date(now).toISOString(),
      endsAt: new Date(now + hours * 3600_000).toISOString(),
      createdBy: "e2e",
      comment,
    });
    if (r.status !== 200) throw new Error(`creating a silence: HTTP ${r.status} ${r.text}`);
    return r.json<{ silenceID: string }>().silenceID;
  }

  notifications(): Promise<Notification[]> {
    return this.ns.get(`${this.stack.urls.webhook}/_received`).then((r) => r.json<Notification[]>());
  }

  /** Flip the sample app's fault switches (any service port serves them). */
  async faults(patch: Partial<Faults>): Promise<Faults> {
    const s = this.stack.sampleServices[0];
    const r = await this.ns.post(`http://localhost:${s.port}/_control/faults`, patch);
    if (r.status !== 200) throw new Error(`setting faults: HTTP ${r.status} ${r.text}`);
    return r.json<Faults>();
  }
}

/** Notifications of `alertname` to `receiver` with the given status, oldest first. */
export function notificationsOf(all: readonly Notification[], receiver: string, alertname: string, status: "firing" | "resolved"): Notification[] {
  return all.filter((n) => n.body.receiver === receiver && n.body.status === status && n.body.alerts.some((a) => a.labels.alertname === alertname && a.status === status));
}
