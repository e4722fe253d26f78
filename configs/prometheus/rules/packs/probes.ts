/**
 * Probes pack (seed 000, "SSL certificate monitoring: alert before
 * expiration"): the certificate of every endpoint blackbox reaches over TLS
 * (https URLs, tls_connect) is watched, warning then critical tier.
 */
import type { AlertRule, RuleFileSpec } from "../types";
import { L, num, V, type PackContext, rulesPath } from "../builder";

const DAY_SECONDS = 86400;

export function probesPack({ t, alert }: PackContext): RuleFileSpec[] {
  // probe_ssl_earliest_cert_expiry exists only for probes that completed a TLS handshake:
  // plain-HTTP, TCP, ICMP and DNS probes have none, so no per-probe selection is needed.
  const expiring = (severity: "warning" | "critical", days: number): AlertRule =>
    alert({
      name: "CertificateExpiringSoon",
      expr: `probe_ssl_earliest_cert_expiry - time() < ${num(days)} * ${DAY_SECONDS}`,
      for: t.certificateExpiryFor,
      severity,
      component: "infra",
      summary: `TLS certificate expiring: ${L("instance")}`,
      description: `The certificate chain served at ${L("instance")} (probe ${L("probe")}, job ${L("job")}) expires in ${V.dur} (threshold ${num(days)} days).`,
    });
  return [
    {
      pack: "probes",
      path: rulesPath("probes"),
      groups: [{ name: "probes", rules: [expiring("warning", t.certificateExpiryWarningDays), expiring("critical", t.certificateExpiryCriticalDays)] }],
    },
  ];
}
