import { refuseStaleBuild } from "./scripts/build";
// Compiled (bin/index.js, what Pulumi runs): never preview or deploy a build older than
// its sources. Checked before the program and the SDKs load.
refuseStaleBuild(__dirname);
import { program } from "./program";

/**
 * The stack outputs, as `pulumi stack output` shows them:
 * - `urls`: URL of every user-facing service (Grafana, Prometheus, Alertmanager, Loki, Tempo);
 * - `otlp`: the OTLP endpoints applications export to;
 * - `grafanaAdminUser`, `grafanaAdminPassword` (secret: `pulumi stack output --show-secrets grafanaAdminPassword`),
 *   absent when `grafana.mode` is `external`.
 */
export = program().outputs;
