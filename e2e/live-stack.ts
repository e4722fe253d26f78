/**
 * The live stack of the e2e suite and the benchmark: render the e2e stack
 * config with the render code path, lay out the files the daemons read, and
 * start Debian's Prometheus, Alertmanager, node-exporter and blackbox-exporter
 * on them (with the sample app and the webhook receiver) inside a Namespace.
 *
 * Daemon command lines come from the components' own ServiceSpec (`args`,
 * config/secret/volume/host mounts), with each in-container path mapped to its
 * place here, so the suite runs what `pulumi up` would run, not a copy.
 */
import * as fs from "fs";
import * as path from "path";
import * as pulumi from "@pulumi/pulumi";
import type { ServiceComponent } from "../components/service-component";
import { JOBS, SERVICES } from "../configs/topology";
import { RenderedFile, renderRun, writeRendered } from "../render/render";
import { ProgramRun, runProgram } from "../render/run";
import { CONFIG_NAMESPACE } from "../settings/schema";
import type { StackConfig } from "../render/stack-config";
import type { ServiceSpec } from "../targets/target";
import { forPrometheus242, ONLY_IN_PROMETHEUS_3 } from "./prometheus-242";
import { E2E_BASE_STACK, e2eStackConfig, PROJECT_DIR, WEBHOOK } from "./stack-config";
import { Namespace, until } from "./namespace";
import type { SampleService } from "./sample-app";

/** A part of a daemon's config file (`--config.file`) that Debian's older version cannot read. */
export interface ConfigAdaptation {
  /** Dotted key path left out. */
  readonly drop: string;
  readonly why: string;
  /** The config file's text without it. */
  readonly adapt: (text: string) => string;
}

/** Services of the stack that run here, with Debian's binary and readiness path. */
export const DEBIAN_DAEMONS: Readonly<Record<string, { binary: string; package: string; readyPath: string; dropFlags?: Readonly<Record<string, string>>; adaptConfig?: ConfigAdaptation }>> = {
  [SERVICES.prometheus.name]: {
    binary: "prometheus",
    package: "prometheus",
    readyPath: "/-/ready",
    dropFlags: { "--web.enable-otlp-receiver": "a Prometheus 3 flag; Debian's 2.42 has no OTLP receiver (nothing sends OTLP here: no collector)" },
    adaptConfig: {
      drop: ONLY_IN_PROMETHEUS_3,
      why: "a Prometheus 3.8+ block (it replaces the deprecated retention flags); Debian's 2.42 rejects it, and the test data never ages out",
      adapt: forPrometheus242,
    },
  },
  [SERVICES.alertmanager.name]: { binary: "prometheus-alertmanager", package: "prometheus-alertmanager", readyPath: "/-/ready" },
  [SERVICES.nodeExporter.name]: { binary: "prometheus-node-exporter", package: "prometheus-node-exporter", readyPath: "/metrics" },
  [SERVICES.blackboxExporter.name]: { binary: "prometheus-blackbox-exporter", package: "prometheus-blackbox-exporter", readyPath: "/-/healthy" },
};

/**
 * Scrape jobs whose service has no binary obtainable here, with the reason.
 * The suite asserts exactly these are down, so a new job cannot be silently
 * ignored and one of these coming up is noticed too.
 */
export const EXPECTED_DOWN_JOBS: Readonly<Record<string, string>> = {
  [JOBS.loki]: "Loki ships no Debian package and its release binaries download from GitHub",
  [JOBS.tempo]: "Tempo ships no Debian package",
  [JOBS.otelCollector]: "the OpenTelemetry Collector ships no Debian package",
  [JOBS.grafana]: "Grafana's apt repository is not a Debian registry",
  [JOBS.logAgent]: "Grafana Alloy ships no Debian package",
  [JOBS.cadvisor]: "cAdvisor is only published as a container image",
};

export const SAMPLE_APP = "sample-app";
export const WEBHOOK_PROCESS = "webhook";

export interface DaemonCommand {
  readonly service: string;
  readonly argv: string[];
  readonly readyUrl: string;
  /** Flags of the shipped command line left out here, with why. */
  readonly dropped: Record<string, string>;
}

export interface LiveStack {
  readonly run: ProgramRun;
  /** Exactly what `npm run render` writes for this config (secrets masked). */
  readonly rendered: readonly RenderedFile[];
  readonly renderDir: string;
  /** The files as deployed: rendered files with every secret filled in. */
  readonly liveDir: string;
  readonly daemons: readonly DaemonCommand[];
  readonly sampleServices: readonly SampleService[];
  /** Every name the namespace must resolve to loopback. */
  readonly hostNames: readonly string[];
  /** Base URLs inside the namespace. */
  readonly urls: { readonly prometheus: string; readonly alertmanager: string; readonly webhook: string };
  /** Milliseconds spent running the program and rendering. */
  readonly renderMs: number;
}

function outputValue<T>(o: pulumi.Output<T>): Promise<T> {
  return new Promise((resolve) => o.apply((v) => resolve(v)));
}

interface Mapping {
  readonly inContainer: string;
  readonly here: string;
}

function mappingsOf(spec: ServiceSpec, liveDir: string, dataDir: string): Mapping[] {
  return [
    ...spec.configs.map((c) => ({ inContainer: c.mountPath, here: path.join(liveDir, c.file.path) })),
    ...spec.secrets.map((s) => ({ inContainer: s.mountPath, here: path.join(liveDir, s.renderPath) })),
    ...spec.volumes.map((v) => ({ inContainer: v.mountPath, here: path.join(dataDir, `${spec.name}-${v.name}`) })),
    ...(spec.hostMounts ?? []).map((h) => ({ inContainer: h.mountPath, here: h.hostPath })),
  ].sort((a, b) => b.inContainer.length - a.inContainer.length);
}

/** `--flag=/in/container/path` -> `--flag=<path here>`; every absolute path must be a mount of the spec. */
export function localArgs(spec: ServiceSpec, liveDir: string, dataDir: string): { args: string[]; dropped: Record<string, string> } {
  const daemon = DEBIAN_DAEMONS[spec.name];
  const mappings = mappingsOf(spec, liveDir, dataDir);
  const dropped: Record<string, string> = {};
  const args: string[] = [];
  for (const arg of spec.args ?? []) {
    const flag = arg.split("=")[0];
    const why = daemon?.dropFlags?.[flag];
    if (why) {
      dropped[flag] = why;
      continue;
    }
    const m = /^(--[^=]+=)(\/.*)$/.exec(arg);
    if (!m) {
      args.push(arg);
      continue;
    }
    const [, prefix, p] = m;
    const hit = mappings.find((x) => p === x.inContainer || p.startsWith(`${x.inContainer}/`));
    if (!hit) throw new Error(`${spec.name}: argument ${arg} names ${p}, which is none of the service's mounts`);
    args.push(`${prefix}${hit.here}${p.slice(hit.inContainer.length)}`);
  }
  return { args, dropped };
}

/**
 * Run the program on the e2e stack config (or `cfg`, a variant of it), render, and lay out files and
 * commands under `workDir`.
 */
export async function prepareLiveStack(workDir: string, cfg: StackConfig = e2eStackConfig()): Promise<LiveStack> {
  const started = Date.now();
  const run = await runProgram(cfg.config, cfg.secretKeys, { project: cfg.project, stack: E2E_BASE_STACK });
  const rendered = renderRun(run, E2E_BASE_STACK);
  const renderMs = Date.now() - started;
  const renderDir = path.join(workDir, "rendered");
  const liveDir = path.join(workDir, "live");
  const dataDir = path.join(workDir, "data");
  writeRendered(renderDir, rendered);
  writeRendered(liveDir, rendered);
  const components = run.stack.components as readonly ServiceComponent[];
  // Deploy fills secrets in: write their real values where the daemons read them (never into renderDir).
  for (const c of components) {
    for (const s of c.secretFiles) fs.writeFileSync(path.join(liveDir, s.renderPath), await outputValue(s.content));
  }

  const daemons: DaemonCommand[] = [];
  for (const c of components) {
    const daemon = DEBIAN_DAEMONS[c.spec.name];
    if (!daemon) continue;
    for (const v of c.spec.volumes) fs.mkdirSync(path.join(dataDir, `${c.spec.name}-${v.name}`), { recursive: true });
    const { args, dropped } = localArgs(c.spec, liveDir, dataDir);
    if (daemon.adaptConfig) {
      const configFile = args.find((a) => a.startsWith("--config.file="))?.slice("--config.file=".length);
      if (!configFile) throw new Error(`${c.spec.name}: adaptConfig needs a --config.file argument`);
      fs.writeFileSync(configFile, daemon.adaptConfig.adapt(fs.readFileSync(configFile, "utf8")));
      dropped[daemon.adaptConfig.drop] = daemon.adaptConfig.why;
    }
    const port = c.spec.ports[0].port;
    // The images listen on these same default ports; saying so keeps the port defined once (topology.ts).
    daemons.push({ service: c.spec.name, argv: [daemon.binary, ...args, `--web.listen-address=:${port}`], readyUrl: `http://${c.spec.name}:${port}${daemon.readyPath}`, dropped });
  }
  const missing = Object.keys(DEBIAN_DAEMONS).filter((s) => !daemons.some((d) => d.service === s));
  if (missing.length) throw new Error(`the e2e stack has no component for ${missing.join(", ")}`);

  const targets = JSON.parse(cfg.config[`${CONFIG_NAMESPACE}:targets`] ?? "[]") as { address: string; component: string; metricsPath?: string; healthPaths?: string[] }[];
  const sampleServices: SampleService[] = targets.map((t) => ({
    component: t.component,
    port: Number(t.address.split(":")[1]),
    metricsPath: t.metricsPath ?? "/metrics",
    healthPaths: t.healthPaths ?? [],
  }));
  const hostNames = [
    ...Object.values(SERVICES).map((s) => s.name),
    ...targets.map((t) => t.address.split(":")[0]),
    WEBHOOK.host,
  ];
  return {
    run,
    rendered,
    renderDir,
    liveDir,
    daemons,
    sampleServices,
    hostNames,
    urls: {
      prometheus: `http://${SERVICES.prometheus.name}:${SERVICES.prometheus.ports.http}`,
      alertmanager: `http://${SERVICES.alertmanager.name}:${SERVICES.alertmanager.ports.http}`,
      webhook: `http://${WEBHOOK.host}:${WEBHOOK.port}`,
    },
    renderMs,
  };
}

const TS_NODE = ["-r", "ts-node/register/transpile-only"];

export function daemonOf(stack: LiveStack, service: string): DaemonCommand {
  const d = stack.daemons.find((x) => x.service === service);
  if (!d) throw new Error(`no daemon ${service}`);
  return d;
}

/** Start one daemon and wait for its readiness endpoint. */
export async function startDaemon(ns: Namespace, stack: LiveStack, service: string, timeoutMs = 30_000): Promise<void> {
  const d = daemonOf(stack, service);
  await ns.start(service, d.argv);
  await until(`${service} ready at ${d.readyUrl}`, async () => ((await ns.ok(d.readyUrl)) ? true : undefined), timeoutMs, () => ns.logOf(service), 200);
}

/** Start everything: daemons, sample app and webhook; resolves once every one answers. */
export async function startLiveStack(ns: Namespace, stack: LiveStack): Promise<void> {
  await ns.start(WEBHOOK_PROCESS, [process.execPath, ...TS_NODE, path.join(__dirname, "webhook.ts"), String(WEBHOOK.port)]);
  await ns.start(SAMPLE_APP, [process.execPath, ...TS_NODE, path.join(__dirname, "sample-app.ts"), JSON.stringify(stack.sampleServices)]);
  await Promise.all(stack.daemons.map((d) => startDaemon(ns, stack, d.service)));
  const app = stack.sampleServices.map((s) => `http://localhost:${s.port}${s.metricsPath}`);
  await until(
    "the sample app and the webhook receiver",
    async () => ((await Promise.all([...app, `${stack.urls.webhook}/_received`].map((u) => ns.ok(u)))).every(Boolean) ? true : undefined),
    30_000,
    () => `${ns.logOf(SAMPLE_APP)}\n${ns.logOf(WEBHOOK_PROCESS)}`,
    200,
  );
}

/** Open the namespace for `stack` under `workDir` and start everything in it. */
export async function openLiveStack(workDir: string, stack: LiveStack): Promise<Namespace> {
  const ns = await Namespace.open(path.join(workDir, "ns"), stack.hostNames);
  try {
    await startLiveStack(ns, stack);
  } catch (err) {
    await ns.close();
    throw err;
  }
  return ns;
}

export { PROJECT_DIR };
