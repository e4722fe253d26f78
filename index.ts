import { program } from "./program";

/**
 * The stack outputs, as `pulumi stack output` shows them:
 * - `urls`: URL of every user-facing service (Grafana, Prometheus, Alertmanager, Loki, Tempo);
 * - `otlp`: the OTLP endpoints applications export to;
 * - `grafanaAdminUser`, `grafanaAdminPassword` (secret: `pulumi stack output --show-secrets grafanaAdminPassword`),
 *   absent when `grafana.mode` is `external`.
 */
export = program().outputs;
