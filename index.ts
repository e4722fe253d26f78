import { refuseStaleBuild } from "./scripts/build";
// Compiled (bin/index.js, what Pulumi runs): never preview or deploy a build older than
// its sources. Checked before the program and the SDKs load.
refuseStaleBuild(__dirname);
import * as pulumi from "@pulumi/pulumi";
import { program } from "./program";
import { loadStack } from "./settings/load";
import { estimateSizing } from "./sizing/model";
import { sizingMarkdown } from "./sizing/report";

const input = loadStack();
const stack = program(input);

// The sizing estimate in every preview and up, as information. Thin headroom is among the program's
// warnings (settings/warnings.ts); a limit that cannot hold the load at all is refused with the config problems.
pulumi.log.info(sizingMarkdown(estimateSizing(input.settings)));

/**
 * The stack outputs, as `pulumi stack output` shows them:
 * - `urls`: URL of every user-facing service (Grafana, Prometheus, Alertmanager, Loki, Tempo);
 * - `otlp`: the OTLP endpoints applications export to;
 * - `grafanaAdminUser`, `grafanaAdminPassword` (secret: `pulumi stack output --show-secrets grafanaAdminPassword`),
 *   absent when `grafana.mode` is `external`.
 */
export = stack.outputs;
