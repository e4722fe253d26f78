/**
 * The telemetry inputs beyond OTLP and container logs (issue 16): the collector's Jaeger/Zipkin receivers
 * and trace sampling, the log agent's syslog input, Grafana's PostgreSQL datasource. What each setting
 * means to its builder, and the problems that span keys, each at its key path. Checked once every key is
 * individually valid (settings/checks.ts), before any resource exists.
 */
import type { TraceSampling } from "../configs/otel-collector/otel-collector";
import type { Settings } from "./schema";
import type { ConfigProblem } from "./problems";

type SamplingSettings = Settings["otelCollector"]["sampling"];

/** `otelCollector.sampling` as the collector builder takes it. */
export function traceSampling(s: SamplingSettings): TraceSampling {
  switch (s.mode) {
    case "none":
      return { mode: "none" };
    case "head":
      return { mode: "head", percentage: s.percentage };
    case "tail":
      return { mode: "tail", percentage: s.percentage, keepErrors: s.keepErrors, slowThresholdMs: s.slowThresholdMs, decisionWait: s.decisionWait };
  }
}

/** Cross-key problems of the sampling, syslog and PostgreSQL datasource settings. */
export function telemetryInputChecks(s: Settings): ConfigProblem[] {
  return [...samplingProblems(s.otelCollector.sampling), ...syslogProblems(s), ...postgresDatasourceProblems(s)];
}

function samplingProblems(s: SamplingSettings): ConfigProblem[] {
  const problems: ConfigProblem[] = [];
  const add = (key: string, message: string) => problems.push({ key: `otelCollector.sampling.${key}`, message });
  if (s.mode === "none" && s.percentage !== 100) {
    add("percentage", `${s.percentage} has no effect with mode none (every trace is kept); set mode head or tail to sample`);
  }
  if (s.mode !== "tail" && s.slowThresholdMs !== undefined) {
    add("slowThresholdMs", `only tail sampling sees a trace's duration (mode is ${s.mode}); set mode tail, or remove it`);
  }
  if (s.mode === "head" && s.percentage === 0) {
    add("percentage", "0 with mode head drops every trace; use a percentage above 0, or mode tail with keepErrors to keep only the failing ones");
  }
  if (s.mode === "tail" && s.percentage === 0 && !s.keepErrors && s.slowThresholdMs === undefined) {
    add("percentage", "0 with keepErrors false and no slowThresholdMs keeps no trace at all; raise the percentage, or keep errors or slow traces");
  }
  return problems;
}

function syslogProblems(s: Settings): ConfigProblem[] {
  const problems: ConfigProblem[] = [];
  const add = (key: string, message: string) => problems.push({ key: `syslog.${key}`, message });
  if (!s.syslog.enabled) return problems;
  if (s.syslog.protocols.length === 0) add("protocols", "is empty; list tcp, udp or both");
  if (new Set(s.syslog.protocols).size !== s.syslog.protocols.length) add("protocols", `lists a transport twice (${s.syslog.protocols.join(", ")}); list each of tcp, udp once`);
  return problems;
}

function postgresDatasourceProblems(s: Settings): ConfigProblem[] {
  const problems: ConfigProblem[] = [];
  const pg = s.exporters.postgres;
  const g = pg.grafana;
  const add = (key: string, message: string) => problems.push({ key: `exporters.postgres.grafana.${key}`, message });
  const given = (["database", "user", "password"] as const).filter((k) => g[k] !== undefined);
  if (g.host === undefined) {
    for (const k of given) add(k, "is set but exporters.postgres.grafana.host is not; set host (host:port) to create the datasource, or remove it");
    return problems;
  }
  if (!pg.enabled) add("host", "creates the PostgreSQL datasource only with the postgres exporter; set exporters.postgres.enabled true, or remove host");
  for (const k of ["database", "user", "password"] as const) {
    if (g[k] === undefined) add(k, `is required with exporters.postgres.grafana.host${k === "password" ? " (pulumi config set --secret)" : ""}`);
  }
  if (s.grafana.mode === "external") {
    add("host", "is provisioned into the Grafana the stack deploys (grafana.mode deploy); with an external Grafana add the datasource there");
  }
  return problems;
}
