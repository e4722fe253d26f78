/**
 * Bad settings of the issue-16 inputs (trace receivers and sampling, syslog, Grafana's PostgreSQL
 * datasource) are refused before any resource is registered, each at its key path with what would be valid.
 */
import { ConfigValidationError } from "../../settings/validate";
import { asConfig, attempt } from "./attempt";

interface Case {
  readonly what: string;
  readonly config: Record<string, unknown>;
  readonly key: string;
  readonly message: RegExp;
  readonly secret?: boolean;
}

const sampling = (s: Record<string, unknown>) => ({ otelCollector: { sampling: s } });
const syslog = (s: Record<string, unknown>) => ({ syslog: { enabled: true, ...s } });
const pg = (grafana: Record<string, unknown>, enabled = true) => ({
  exporters: { postgres: { enabled, ...(enabled ? { dataSourceName: "postgresql://e:x@db:5432/postgres" } : {}), grafana } },
});
const fullPg = { host: "db:5432", database: "tutordex", user: "grafana_ro", password: "pw" };

const CASES: Case[] = [
  { what: "a percentage above 100", config: sampling({ mode: "head", percentage: 150 }), key: "otelCollector.sampling.percentage", message: /100/ },
  { what: "a negative percentage", config: sampling({ mode: "tail", percentage: -1 }), key: "otelCollector.sampling.percentage", message: /0/ },
  { what: "an unknown mode", config: sampling({ mode: "adaptive" }), key: "otelCollector.sampling.mode", message: /none.*head.*tail/ },
  { what: "a percentage with mode none", config: sampling({ percentage: 10 }), key: "otelCollector.sampling.percentage", message: /no effect with mode none.*head or tail/ },
  { what: "a slow threshold with head sampling", config: sampling({ mode: "head", percentage: 10, slowThresholdMs: 500 }), key: "otelCollector.sampling.slowThresholdMs", message: /only tail sampling.*mode tail/ },
  { what: "head sampling at 0 %", config: sampling({ mode: "head", percentage: 0 }), key: "otelCollector.sampling.percentage", message: /drops every trace/ },
  { what: "tail sampling that keeps nothing", config: sampling({ mode: "tail", percentage: 0, keepErrors: false }), key: "otelCollector.sampling.percentage", message: /keeps no trace/ },
  { what: "a decision wait that is not a duration", config: sampling({ mode: "tail", percentage: 10, decisionWait: "10" }), key: "otelCollector.sampling.decisionWait", message: /duration/ },
  { what: "a receiver flag that is not a boolean", config: { otelCollector: { receivers: { jaeger: "yes" } } }, key: "otelCollector.receivers.jaeger", message: /true or false|bool/ },
  { what: "a Jaeger port taken by another published service", config: { otelCollector: { receivers: { zipkin: true } }, prometheus: { hostPort: 9411 } }, key: "otelCollector.receivers.zipkin", message: /host port 9411 is already taken by prometheus.hostPort/ },
  { what: "an unknown syslog transport", config: syslog({ protocols: ["tls"] }), key: "syslog.protocols[0]", message: /tcp.*udp/ },
  { what: "no syslog transport", config: syslog({ protocols: [] }), key: "syslog.protocols", message: /is empty; list tcp, udp or both/ },
  { what: "a syslog transport twice", config: syslog({ protocols: ["udp", "udp"] }), key: "syslog.protocols", message: /twice/ },
  { what: "an unknown syslog format", config: syslog({ format: "cef" }), key: "syslog.format", message: /rfc5424.*rfc3164/ },
  { what: "a syslog host port taken by Loki", config: syslog({ hostPort: 3100 }), key: "syslog.hostPort", message: /already taken by loki.hostPort/ },
  { what: "a datasource host that is not host:port", config: pg({ ...fullPg, host: "postgresql://db" }), key: "exporters.postgres.grafana.host", message: /host:port|port/, secret: true },
  { what: "a datasource without its password", config: pg({ ...fullPg, password: undefined }), key: "exporters.postgres.grafana.password", message: /required with exporters.postgres.grafana.host.*--secret/, secret: true },
  { what: "a datasource without its database", config: pg({ ...fullPg, database: undefined }), key: "exporters.postgres.grafana.database", message: /required/, secret: true },
  { what: "a datasource without the exporter", config: pg(fullPg, false), key: "exporters.postgres.grafana.host", message: /exporters.postgres.enabled true/, secret: true },
  { what: "datasource fields without a host", config: pg({ user: "grafana_ro" }), key: "exporters.postgres.grafana.user", message: /host is not/, secret: true },
  { what: "a database name Grafana would expand", config: pg({ ...fullPg, database: "db$HOME" }), key: "exporters.postgres.grafana.database", message: /database name/, secret: true },
  { what: "an unknown sslMode", config: pg({ ...fullPg, sslMode: "prefer" }), key: "exporters.postgres.grafana.sslMode", message: /verify-full/, secret: true },
];

describe("bad issue-16 input settings are refused up front, at their key paths", () => {
  it.each(CASES.map((c) => [c.what, c] as const))("%s", async (_name, c) => {
    const run = await attempt(asConfig(c.config), c.secret ? ["observability:exporters"] : [], "test");
    expect(run.error).toBeInstanceOf(ConfigValidationError);
    expect(run.registered).toEqual([]);
    const problem = (run.error as ConfigValidationError).problems.find((p) => p.key === c.key);
    if (!problem) throw new Error(`no problem at ${c.key}; got:\n${(run.error as Error).message}`);
    expect(problem.message).toMatch(c.message);
  });

  it("reports every problem of these settings in one round", async () => {
    const run = await attempt(asConfig({ ...sampling({ percentage: 10, slowThresholdMs: 5 }), ...syslog({ protocols: [] }) }), [], "test");
    const keys = (run.error as ConfigValidationError).problems.map((p) => p.key);
    expect(keys).toEqual(expect.arrayContaining(["otelCollector.sampling.percentage", "otelCollector.sampling.slowThresholdMs", "syslog.protocols"]));
  });

  it("accepts seed 002's settings: tail sampling at 10 % with errors and slow traces kept, Jaeger and Zipkin, syslog on both transports", async () => {
    const run = await attempt(asConfig({ otelCollector: { receivers: { jaeger: true, zipkin: true }, sampling: { mode: "tail", percentage: 10, slowThresholdMs: 1000 } }, ...syslog({ protocols: ["tcp", "udp"] }) }), [], "test");
    expect(run.error).toBeUndefined();
    expect(run.registered.length).toBeGreaterThan(0);
  });
});
