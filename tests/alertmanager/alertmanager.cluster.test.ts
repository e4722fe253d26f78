/**
 * Clustered Alertmanager on Kubernetes advertises its own pod IP for gossip.
 *
 * Listening on 0.0.0.0 without `--cluster.advertise-address`, Alertmanager
 * picks a private (RFC 1918) address of the pod and refuses to start when it
 * has none: IPv6-only and non-RFC 1918 pod networks (alertmanager
 * cluster/advertise.go, "no private IP found, explicit advertise addr not
 * provided"; memberlist then fails "No private IP address found"). The pod IP
 * comes from the Downward API (`status.podIP`) and is bracketed, so an IPv6
 * address parses as host:port (net.SplitHostPort takes brackets around IPv4
 * too), as the Prometheus operator and the community chart do.
 *
 * Live: Debian's Alertmanager (0.25) runs the rendered StatefulSet's args, as
 * the kubelet expands them, in a private network namespace whose only
 * interface is loopback: a pod without any private address. It starts and
 * advertises the pod IP, IPv4 or IPv6; the same args without the advertise
 * flag make it exit, which shows the namespace reproduces the failure.
 */
import { spawnSync } from "child_process";
import * as fs from "fs";
import * as os from "os";
import * as path from "path";
import * as pulumi from "@pulumi/pulumi";
import { clusterAdvertiseAddress, POD_IP_ENV } from "../../components/alertmanager";
import type { ServiceComponent } from "../../components/service-component";
import { SERVICES } from "../../configs/topology";
import type { ProgramRun } from "../../render/run";
import { namespaceUnavailable } from "../../e2e/namespace";
import { DEBIAN_DAEMONS, localArgs } from "../../e2e/live-stack";
import { rawNamed, runWith } from "../stack/harness";

jest.setTimeout(120_000);

type EnvVar = { name: string; value?: string; valueFrom?: { fieldRef?: { fieldPath: string } } };
type Container = { args: string[]; env: EnvVar[] };

const { cluster: CLUSTER_PORT, http: HTTP_PORT } = SERVICES.alertmanager.ports;

/**
 * What the kubelet does to args: `$(NAME)` becomes the value of the
 * container's variable NAME, `$$` a literal `$`; unknown references stay.
 */
function kubeletExpand(args: readonly string[], env: readonly EnvVar[], podIp: string): string[] {
  const vars = new Map<string, string>();
  for (const e of env) {
    if (e.value !== undefined) vars.set(e.name, e.value);
    else if (e.valueFrom?.fieldRef?.fieldPath === "status.podIP") vars.set(e.name, podIp);
  }
  return args.map((a) => a.replace(/\$\$|\$\(([A-Za-z_][A-Za-z0-9_]*)\)/g, (m, name?: string) => (name === undefined ? "$" : vars.get(name) ?? m)));
}

function outputValue<T>(o: pulumi.Output<T>): Promise<T> {
  return new Promise((resolve) => o.apply((v) => resolve(v)));
}

let run: ProgramRun;
let container: Container;
let component: ServiceComponent;
let liveDir: string;

beforeAll(async () => {
  run = await runWith({ target: "kubernetes", kubernetes: { namespace: "obs" }, alertmanager: { replicas: 3 } }, [], "prod");
  const sts = rawNamed(run, "kubernetes:apps/v1:StatefulSet", "alertmanager") as { spec: { template: { spec: { containers: Container[] } } } };
  container = sts.spec.template.spec.containers[0];
  component = (run.stack.components as readonly ServiceComponent[]).find((c) => c.spec.name === SERVICES.alertmanager.name)!;
  // The files as deployed (secret slots filled), where localArgs maps the in-container paths.
  liveDir = fs.mkdtempSync(path.join(os.tmpdir(), "am-cluster-"));
  for (const c of component.spec.configs) {
    fs.mkdirSync(path.dirname(path.join(liveDir, c.file.path)), { recursive: true });
    fs.writeFileSync(path.join(liveDir, c.file.path), c.file.content);
  }
  for (const s of component.secretFiles) {
    fs.mkdirSync(path.dirname(path.join(liveDir, s.renderPath)), { recursive: true });
    fs.writeFileSync(path.join(liveDir, s.renderPath), await outputValue(s.content));
  }
});

afterAll(() => {
  if (liveDir) fs.rmSync(liveDir, { recursive: true, force: true });
});

describe("the rendered Alertmanager StatefulSet (3 replicas)", () => {
  it("sets POD_IP from the Downward API", () => {
    expect(container.env).toContainEqual({ name: POD_IP_ENV, valueFrom: { fieldRef: { fieldPath: "status.podIP" } } });
  });

  it("listens for gossip on every interface and advertises the bracketed pod IP", () => {
    expect(container.args).toContain(`--cluster.listen-address=0.0.0.0:${CLUSTER_PORT}`);
    expect(container.args).toContain(`--cluster.advertise-address=[$(${POD_IP_ENV})]:${CLUSTER_PORT}`);
    expect(clusterAdvertiseAddress(CLUSTER_PORT)).toBe(`[$(POD_IP)]:${CLUSTER_PORT}`);
  });

  it("expands, as the kubelet does, to an address for IPv4 and IPv6 pods", () => {
    const flag = (ip: string) => kubeletExpand(container.args, container.env, ip).find((a) => a.startsWith("--cluster.advertise-address="));
    expect(flag("10.244.1.7")).toBe(`--cluster.advertise-address=[10.244.1.7]:${CLUSTER_PORT}`);
    expect(flag("fd00:10:244::7")).toBe(`--cluster.advertise-address=[fd00:10:244::7]:${CLUSTER_PORT}`);
  });

  it("has no advertise flag or POD_IP with a single replica (no cluster)", async () => {
    const single = await runWith({ target: "kubernetes", kubernetes: { namespace: "obs" }, alertmanager: { replicas: 1 } }, [], "prod");
    const c = (rawNamed(single, "kubernetes:apps/v1:StatefulSet", "alertmanager") as { spec: { template: { spec: { containers: Container[] } } } }).spec.template.spec.containers[0];
    expect(c.args.filter((a) => a.startsWith("--cluster.advertise-address"))).toEqual([]);
    expect(c.args).toContain("--cluster.listen-address=");
    expect(c.env.map((e) => e.name)).not.toContain(POD_IP_ENV);
  });
});

interface LiveResult {
  exitCode: number | null;
  status?: { cluster: { status: string; peers: { address: string }[] } };
  log: string;
}

/**
 * Start Debian's Alertmanager with `args` in a network namespace that has
 * only loopback, read /api/v2/status once it answers, then stop it.
 */
function startInLoopbackOnlyNamespace(args: readonly string[]): LiveResult {
  const binary = DEBIAN_DAEMONS[SERVICES.alertmanager.name].binary;
  const url = `http://127.0.0.1:${HTTP_PORT}/api/v2/status`;
  const script = [
    "ip link set lo up",
    'log=$(mktemp); "$@" >"$log" 2>&1 & pid=$!',
    "i=0; while [ $i -lt 100 ]; do",
    `  if curl -sf ${url} >"$log.status" 2>/dev/null; then break; fi`,
    '  kill -0 $pid 2>/dev/null || break; sleep 0.2; i=$((i+1))',
    "done",
    'kill $pid 2>/dev/null; wait $pid; code=$?',
    'echo "exit=$code"; echo "status=$(base64 -w0 "$log.status" 2>/dev/null)"; echo "log:"; tail -5 "$log"; rm -f "$log" "$log.status"',
  ].join("\n");
  const r = spawnSync("unshare", ["-n", "sh", "-c", script, "sh", binary, ...args], { encoding: "utf8", timeout: 60_000 });
  const out = r.stdout ?? "";
  // The status JSON spans lines (it quotes the config): it comes base64-encoded.
  const status = /^status=(.+)$/m.exec(out)?.[1];
  const exit = /^exit=(\d+)$/m.exec(out)?.[1];
  return { exitCode: exit === undefined ? null : Number(exit), status: status ? JSON.parse(Buffer.from(status, "base64").toString("utf8")) : undefined, log: out + (r.stderr ?? "") };
}

describe("live: Debian's Alertmanager in a pod with no private address", () => {
  const problem = namespaceUnavailable() ?? (spawnSync(DEBIAN_DAEMONS[SERVICES.alertmanager.name].binary, ["--version"]).status === 0 ? undefined : "prometheus-alertmanager is missing: apt-get install -y prometheus-alertmanager");
  const argsFor = (podIp: string, drop: (a: string) => boolean = () => false) => {
    const expanded = kubeletExpand(container.args, container.env, podIp).filter((a) => !drop(a));
    const dataDir = fs.mkdtempSync(path.join(liveDir, "data-"));
    return localArgs({ ...component.spec, args: expanded }, liveDir, dataDir).args;
  };

  it("has what the live checks need (root for unshare, the Debian package)", () => {
    expect(problem).toBeUndefined();
  });

  it.each([
    ["IPv4", "127.0.0.1", `127.0.0.1:${CLUSTER_PORT}`],
    ["IPv6", "::1", `[::1]:${CLUSTER_PORT}`],
  ])("starts and advertises the %s pod IP", (_family, podIp, advertised) => {
    const r = startInLoopbackOnlyNamespace(argsFor(podIp));
    expect({ status: r.status?.cluster.status !== undefined, log: r.log }).toEqual({ status: true, log: r.log });
    expect(r.status!.cluster.peers.map((p) => p.address)).toContain(advertised);
  });

  it("refuses to start with the same args minus the advertise flag (the failure being fixed)", () => {
    const r = startInLoopbackOnlyNamespace(argsFor("127.0.0.1", (a) => a.startsWith("--cluster.advertise-address=")));
    expect(r.status).toBeUndefined();
    expect(r.exitCode).not.toBe(0);
    expect(r.log).toMatch(/No private IP address found/);
  });
});
