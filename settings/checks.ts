import { JOBS } from "../configs/topology";
import type { ConfigProblem } from "./validate";
import { durationSeconds } from "./validate";
import type { ReceiverSettings, Settings } from "./schema";

/**
 * Rules that span keys, run once every key is individually valid: host
 * ports, references between receivers, secrets that one setting makes
 * required, intervals that must agree.
 */
export function crossChecks(s: Settings): ConfigProblem[] {
  const problems: ConfigProblem[] = [];
  const add = (key: string, message: string) => problems.push({ key, message });

  if (s.target === "docker") {
    const ports: [string, number][] = [
      ["prometheus.hostPort", s.prometheus.hostPort],
      ["alertmanager.hostPort", s.alertmanager.hostPort],
      ["loki.hostPort", s.loki.hostPort],
      ["tempo.hostPort", s.tempo.hostPort],
      ["otelCollector.grpcHostPort", s.otelCollector.grpcHostPort],
      ["otelCollector.httpHostPort", s.otelCollector.httpHostPort],
      ["grafana.hostPort", s.grafana.hostPort],
    ];
    const owner = new Map<number, string>();
    for (const [key, port] of ports) {
      const first = owner.get(port);
      if (first) add(key, `host port ${port} is already taken by ${first}; every published service needs its own host port`);
      else owner.set(port, key);
    }
  }

  const receiverNames = s.alerting.receivers.map((r) => r.name);
  if (s.alerting.deadMansSwitch !== undefined && !receiverNames.includes(s.alerting.deadMansSwitch)) {
    add(
      "alerting.deadMansSwitch",
      `names receiver '${s.alerting.deadMansSwitch}', which is not defined; defined receivers: ${receiverNames.length ? receiverNames.join(", ") : "(none)"}`,
    );
  }
  s.alerting.receivers.forEach((r: ReceiverSettings, i: number) => {
    // A dead man's switch receiver may take the Watchdog only.
    if (r.severities.length === 0 && r.name !== s.alerting.deadMansSwitch) {
      add(`alerting.receivers[${i}].severities`, "is empty; list at least one of critical, warning, info (only the deadMansSwitch receiver may have none)");
    }
    if (r.type === "email" && (r.authUsername === undefined) !== (r.authPassword === undefined)) {
      add(`alerting.receivers[${i}].${r.authUsername === undefined ? "authUsername" : "authPassword"}`, "is required when the other of authUsername/authPassword is set");
    }
  });

  if (s.exporters.postgres.enabled && s.exporters.postgres.dataSourceName === undefined) {
    add("exporters.postgres.dataSourceName", "is required when exporters.postgres.enabled is true; set it with: pulumi config set --secret --path 'observability:exporters.postgres.dataSourceName' <uri>");
  }

  const reserved: readonly string[] = Object.values(JOBS);
  s.targets.forEach((t, i) => {
    if (reserved.includes(t.name)) add(`targets[${i}].name`, `'${t.name}' is a job of the stack itself; choose another name (reserved: ${reserved.join(", ")})`);
  });

  if (durationSeconds(s.prometheus.evaluationInterval) < durationSeconds(s.prometheus.scrapeInterval)) {
    add("prometheus.evaluationInterval", `${s.prometheus.evaluationInterval} is shorter than prometheus.scrapeInterval ${s.prometheus.scrapeInterval}; rules would evaluate the same samples twice`);
  }

  // Tempo parses Go durations, which stop at hours.
  if (!/^(\d+h)?(\d+m)?(\d+s)?$/.test(s.tempo.retention)) {
    add("tempo.retention", `${s.tempo.retention} is not a Go duration; Tempo accepts h, m and s only, e.g. 168h for a week`);
  }

  if (s.target === "kubernetes") {
    if (s.kubernetes.tlsSecretName !== undefined && s.kubernetes.ingressDomain === undefined) {
      add("kubernetes.tlsSecretName", "needs kubernetes.ingressDomain: TLS only applies to Ingress hosts");
    }
    if ((s.kubernetes.ingressClass === undefined) !== (s.kubernetes.ingressDomain === undefined)) {
      add(s.kubernetes.ingressClass === undefined ? "kubernetes.ingressClass" : "kubernetes.ingressDomain", "ingressClass and ingressDomain go together: set both to expose services through Ingress, or neither");
    }
  }
  return problems;
}
