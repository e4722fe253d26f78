import { refuseStaleBuild, runsCompiled } from "./scripts/build";
// Compiled (bin/index.js, what Pulumi runs): never preview or deploy a build older than
// its sources. Checked before the program and the SDKs load.
refuseStaleBuild(__dirname);
// Pulumi's entry (@pulumi/pulumi/cmd/run) registers source-map-support, which rewrites every
// stack trace through source maps. The SDK takes a trace for each resource and for each of its
// output properties (source positions for the engine, promise-leak reports), so the rewriting
// was the largest part of what the program adds to a start (npm run benchmark). bin/ ships no
// source maps: it mapped none of our frames, and pointed the SDK's at .ts files npm does not
// install. V8's own traces name the files that run; NODE_OPTIONS=--enable-source-maps still
// maps the SDK's frames for someone debugging it.
if (runsCompiled(__dirname)) delete (Error as { prepareStackTrace?: unknown }).prepareStackTrace;
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
