import { refuseStaleBuild } from "./scripts/build";
// Compiled (bin/index.js, what Pulumi runs): never preview or deploy a build older than
// its sources. Checked before the program and the SDKs load.
refuseStaleBuild(__dirname);
import * as pulumi from "@pulumi/pulumi";
import { program } from "./program";
import { loadSettings } from "./settings/load";
import { estimateSizing } from "./sizing/model";
import { sizingMarkdown, sizingWarnings } from "./sizing/report";

const settings = loadSettings();
const stack = program(settings);

// The sizing estimate, in every preview and up: the table as information, thin headroom as warnings.
// (A limit that cannot hold the load at all was already refused with the config problems.)
const sizing = estimateSizing(settings);
pulumi.log.info(sizingMarkdown(sizing));
for (const warning of sizingWarnings(sizing)) pulumi.log.warn(`observability:${warning}`);

/**
 * The stack outputs, as `pulumi stack output` shows them:
 * - `urls`: URL of every user-facing service (Grafana, Prometheus, Alertmanager, Loki, Tempo);
 * - `otlp`: the OTLP endpoints applications export to;
 * - `grafanaAdminUser`, `grafanaAdminPassword` (secret: `pulumi stack output --show-secrets grafanaAdminPassword`),
 *   absent when `grafana.mode` is `external`.
 */
export = stack.outputs;
