/**
 * The command line each component starts its tool with, checked against the
 * files the stack actually delivers. None of Loki, Tempo, the collector,
 * Alloy or Promtail exists on this machine, so a flag that names a path no
 * file is mounted at would only show up as a crash-looping container.
 *
 * Flags verified against upstream:
 * - Loki / Tempo / Promtail: `-config.file=<path>` (dskit flag; Tempo docs
 *   "command-line-flags.md", Loki `cmd/loki`, Promtail `-config.file`).
 * - OTel Collector: `--config=<path>` replaces the image's default CMD
 *   (`--config /etc/otelcol-contrib/config.yaml`), so it must name the file we mount.
 * - Alloy: `run <config> --server.http.listen-addr=... --storage.path=...`
 *   (Alloy `run` command reference).
 * Health endpoints: Loki `/ready`, Tempo `/ready`, Promtail `/ready`, Alloy
 * `/-/ready`, collector `health_check` extension at `/` on its own endpoint.
 */
import * as path from "path";
import { parse } from "yaml";
import { ALLOY_CONFIG_PATH, ALLOY_STORAGE_PATH } from "../../configs/alloy/alloy";
import { LOKI_CONFIG_PATH, LOKI_DATA_DIR } from "../../configs/loki/loki";
import { OTEL_COLLECTOR_CONFIG_FILE, OTEL_COLLECTOR_CONFIG_PATH } from "../../configs/otel-collector/otel-collector";
import { PROMTAIL_CONFIG_PATH, PROMTAIL_POSITIONS_FILE } from "../../configs/promtail/promtail";
import { TEMPO_CONFIG_PATH, TEMPO_DATA_DIR } from "../../configs/tempo/tempo";
import { SERVICES } from "../../configs/topology";
import type { ProgramRun } from "../../render/run";
import { rawNamed, runWith, TUTORDEX_TARGETS } from "../stack/harness";

const CONTAINER = "docker:index/container:Container";
type Container = {
  command?: string[];
  uploads?: { file: string; content: string }[];
  volumes?: { volumeName?: string; hostPath?: string; containerPath: string }[];
};
const container = (run: ProgramRun, name: string) => rawNamed(run, CONTAINER, name) as unknown as Container;
const rendered = (run: ProgramRun, p: string) => run.stack.files.find((f) => f.path === p)?.content;

/** The value of `flag` in a command line, in `-flag=value` or `--flag=value` form. */
function flagValue(command: readonly string[], flag: string): string | undefined {
  const hit = command.find((a) => a.startsWith(`${flag}=`));
  return hit?.slice(flag.length + 1);
}

describe("component command lines on Docker name the files they are given", () => {
  let alloyRun: ProgramRun;
  let promtailRun: ProgramRun;
  beforeAll(async () => {
    alloyRun = await runWith({ target: "docker", targets: TUTORDEX_TARGETS });
    promtailRun = await runWith({ target: "docker", targets: TUTORDEX_TARGETS, logAgent: "promtail" });
  });

  /** The file the flag names is uploaded into the container, byte for byte what render writes. */
  function expectDelivered(run: ProgramRun, name: string, configPath: string | undefined, renderPath: string): void {
    expect(configPath).toBeDefined();
    const upload = container(run, name).uploads?.find((u) => u.file === configPath);
    expect(upload).toBeDefined();
    expect(upload?.content).toBe(rendered(run, renderPath));
  }

  it("Loki: -config.file is loki.yml, data on the volume", () => {
    const cmd = container(alloyRun, "loki").command ?? [];
    expect(flagValue(cmd, "-config.file")).toBe(LOKI_CONFIG_PATH);
    expectDelivered(alloyRun, "loki", flagValue(cmd, "-config.file"), "loki/loki.yml");
    expect(container(alloyRun, "loki").volumes?.map((v) => v.containerPath)).toContain(LOKI_DATA_DIR);
  });

  it("Tempo: -config.file is tempo.yml and every path in it is on the data volume", () => {
    const cmd = container(alloyRun, "tempo").command ?? [];
    expect(flagValue(cmd, "-config.file")).toBe(TEMPO_CONFIG_PATH);
    expectDelivered(alloyRun, "tempo", TEMPO_CONFIG_PATH, "tempo/tempo.yml");
    // Its one named (persistent) volume; the config directory is a per-container anonymous volume.
    expect(container(alloyRun, "tempo").volumes?.filter((v) => v.volumeName).map((v) => v.containerPath)).toEqual([TEMPO_DATA_DIR]);
    const cfg = parse(rendered(alloyRun, "tempo/tempo.yml")!);
    for (const p of [cfg.storage.trace.wal.path, cfg.storage.trace.local.path, cfg.metrics_generator.storage.path]) {
      expect(p.startsWith(`${TEMPO_DATA_DIR}/`)).toBe(true);
    }
  });

  it("OTel Collector: --config names the mounted config.yml, not the image's default config.yaml", () => {
    const cmd = container(alloyRun, "otel-collector").command ?? [];
    expect(cmd).toEqual([`--config=${OTEL_COLLECTOR_CONFIG_PATH}`]);
    expect(path.posix.basename(OTEL_COLLECTOR_CONFIG_PATH)).toBe(path.posix.basename(OTEL_COLLECTOR_CONFIG_FILE));
    expectDelivered(alloyRun, "otel-collector", OTEL_COLLECTOR_CONFIG_PATH, OTEL_COLLECTOR_CONFIG_FILE);
  });

  it("Alloy: run <config.alloy>, listens on every interface at its topology port, keeps positions on the volume", () => {
    const cmd = container(alloyRun, "alloy").command ?? [];
    expect(cmd.slice(0, 2)).toEqual(["run", ALLOY_CONFIG_PATH]);
    expect(flagValue(cmd, "--server.http.listen-addr")).toBe(`0.0.0.0:${SERVICES.alloy.ports.http}`);
    expect(flagValue(cmd, "--storage.path")).toBe(ALLOY_STORAGE_PATH);
    expectDelivered(alloyRun, "alloy", ALLOY_CONFIG_PATH, "alloy/config.alloy");
    expect(container(alloyRun, "alloy").volumes?.map((v) => v.containerPath)).toContain(ALLOY_STORAGE_PATH);
  });

  it("Promtail: -config.file is promtail.yml and the positions file sits on the volume", () => {
    const cmd = container(promtailRun, "promtail").command ?? [];
    expect(flagValue(cmd, "-config.file")).toBe(PROMTAIL_CONFIG_PATH);
    expectDelivered(promtailRun, "promtail", PROMTAIL_CONFIG_PATH, "promtail/promtail.yml");
    const cfg = parse(rendered(promtailRun, "promtail/promtail.yml")!);
    expect(cfg.positions.filename).toBe(PROMTAIL_POSITIONS_FILE);
    expect(container(promtailRun, "promtail").volumes?.map((v) => v.containerPath)).toContain(path.posix.dirname(PROMTAIL_POSITIONS_FILE));
  });
});

describe("Kubernetes probes hit each tool's documented health endpoint", () => {
  type Probe = { httpGet: { path: string; port: number | string } };
  type Workload = { spec: { template: { spec: { containers: { name: string; ports?: { name: string; containerPort: number }[]; readinessProbe?: Probe }[] } } } };
  let run: ProgramRun;
  beforeAll(async () => {
    run = await runWith({ target: "kubernetes", kubernetes: { namespace: "obs" }, targets: TUTORDEX_TARGETS }, [], "prod");
  });

  /** The probe's path and numeric port (named ports resolved against the container's ports). */
  function probe(kind: string, name: string): { path: string; port: number } {
    const w = rawNamed(run, `kubernetes:apps/v1:${kind}`, name) as unknown as Workload;
    const c = w.spec.template.spec.containers[0];
    const p = c.readinessProbe?.httpGet;
    if (!p) throw new Error(`${name} has no readiness probe`);
    const port = typeof p.port === "number" ? p.port : c.ports?.find((x) => x.name === p.port)?.containerPort;
    return { path: p.path, port: port as number };
  }

  it("Loki and Tempo: /ready on their HTTP ports", () => {
    expect(probe("StatefulSet", "loki")).toEqual({ path: "/ready", port: SERVICES.loki.ports.http });
    expect(probe("StatefulSet", "tempo")).toEqual({ path: "/ready", port: SERVICES.tempo.ports.http });
  });

  it("Alloy: /-/ready on the port its --server.http.listen-addr opens", () => {
    expect(probe("DaemonSet", "alloy")).toEqual({ path: "/-/ready", port: SERVICES.alloy.ports.http });
  });

  it("OTel Collector: / on the port the health_check extension listens on", () => {
    const cfg = parse(rendered(run, OTEL_COLLECTOR_CONFIG_FILE)!);
    const healthPort = Number(String(cfg.extensions.health_check.endpoint).split(":").pop());
    expect(cfg.service.extensions).toContain("health_check");
    expect(probe("Deployment", "otel-collector")).toEqual({ path: "/", port: healthPort });
  });
});
