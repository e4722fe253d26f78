import { SERVICE_LABEL } from "./labels";

/**
 * The syslog input both log agents can run (`syslog.*`): one definition of what it listens on and which
 * stream labels its lines get, so Alloy and Promtail label syslog streams alike.
 */
export interface SyslogInput {
  /** Transports to listen on (one listener each). */
  readonly protocols: readonly SyslogProtocol[];
  /** RFC 5424, or the older BSD RFC 3164. */
  readonly format: SyslogFormat;
  /** In-container port, both transports (SERVICES.<agent>.syslogPort). */
  readonly port: number;
}

export type SyslogProtocol = "tcp" | "udp";
export type SyslogFormat = "rfc5424" | "rfc3164";

/** `job` label of every syslog stream (the container streams carry none). */
export const SYSLOG_JOB = "syslog";

/**
 * Stream labels taken from each message, by the `__syslog_message_*` labels both agents attach (Alloy
 * loki.source.syslog and Promtail's syslog target use the same names): the sending host, the program as
 * the service (so the logs dashboards' service filter finds it), the severity as `level`. All three have
 * few values; the message id, procid and structured data stay in the line.
 */
export const SYSLOG_LABEL_RULES: readonly { readonly source: string; readonly label: string }[] = [
  { source: "__syslog_message_hostname", label: "host" },
  { source: "__syslog_message_app_name", label: SERVICE_LABEL },
  { source: "__syslog_message_severity", label: "level" },
];

/** Listen address of the input inside the container: every interface (peers and published ports reach it). */
export function syslogListenAddress(input: SyslogInput): string {
  return `0.0.0.0:${input.port}`;
}
