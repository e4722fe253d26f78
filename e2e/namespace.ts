/**
 * A private network where the stack's service names resolve to loopback
 * (DESIGN.md's `unshare -nm` trick), run by supervisor.ts, and the client the
 * test (outside the namespace) uses to reach it over a Unix socket.
 */
import { ChildProcess, spawn, spawnSync } from "child_process";
import * as fs from "fs";
import * as http from "http";
import * as path from "path";
import { PROJECT_DIR } from "../settings/rules";

export interface InsideResponse {
  readonly status: number;
  readonly text: string;
  json<T = unknown>(): T;
}

export interface ExecResult {
  readonly code: number | null;
  readonly stdout: string;
  readonly stderr: string;
}

export interface ProcessInfo {
  readonly name: string;
  readonly pid: number;
  readonly running: boolean;
  readonly exit: number | null;
  readonly log: string;
}

/** Commands the namespace needs, with the Debian package that ships each. */
export const NAMESPACE_TOOLS: Readonly<Record<string, string>> = { unshare: "util-linux", mount: "mount", ip: "iproute2" };

/** Why the namespace cannot be made here, or undefined when it can. */
export function namespaceUnavailable(): string | undefined {
  for (const [tool, pkg] of Object.entries(NAMESPACE_TOOLS)) {
    if (spawnSync("sh", ["-c", `command -v ${tool}`]).status !== 0) return `\`${tool}\` is missing (apt-get install ${pkg})`;
  }
  const probe = spawnSync("unshare", ["-nm", "sh", "-c", "ip link set lo up"], { encoding: "utf8" });
  if (probe.status !== 0) return `unshare -nm failed (needs root or CAP_SYS_ADMIN): ${probe.stderr.trim()}`;
  return undefined;
}

/** `/etc/hosts` text mapping every name to loopback. */
export function hostsFile(names: readonly string[]): string {
  const unique = [...new Set(["localhost", ...names])].sort();
  return `# e2e network namespace: every service of the stack runs on this loopback\n127.0.0.1\t${unique.join(" ")}\n::1\tlocalhost\n`;
}

function shellQuote(s: string): string {
  return `'${s.replace(/'/g, `'\\''`)}'`;
}

export class Namespace {
  private constructor(
    readonly dir: string,
    readonly socket: string,
    private readonly proc: ChildProcess,
    private output: { text: string },
  ) {}

  /**
   * Enter a new network + mount namespace whose /etc/hosts maps `names` to
   * 127.0.0.1 and start the supervisor there. `dir` holds the socket and logs.
   */
  static async open(dir: string, names: readonly string[], timeoutMs = 20_000): Promise<Namespace> {
    fs.mkdirSync(dir, { recursive: true });
    const hosts = path.join(dir, "hosts");
    fs.writeFileSync(hosts, hostsFile(names));
    const socket = path.join(dir, "supervisor.sock");
    const logs = path.join(dir, "logs");
    const supervisor = path.join(__dirname, "supervisor.ts");
    const inner = [
      `mount --bind ${shellQuote(hosts)} /etc/hosts`,
      "ip link set lo up",
      `exec ${shellQuote(process.execPath)} -r ts-node/register/transpile-only ${shellQuote(supervisor)} ${shellQuote(socket)} ${shellQuote(logs)}`,
    ].join(" && ");
    // detached: its own process group, so cleanup can kill the whole tree at once.
    const proc = spawn("unshare", ["-nm", "sh", "-c", inner], { cwd: PROJECT_DIR, detached: true, stdio: ["pipe", "pipe", "pipe"] });
    const output = { text: "" };
    proc.stdout!.on("data", (d) => (output.text += d));
    proc.stderr!.on("data", (d) => (output.text += d));
    const ns = new Namespace(dir, socket, proc, output);
    const end = Date.now() + timeoutMs;
    while (!output.text.includes("supervisor ready")) {
      if (proc.exitCode !== null) throw new Error(`the namespace supervisor exited with ${proc.exitCode}:\n${output.text}`);
      if (Date.now() > end) {
        await ns.close();
        throw new Error(`the namespace supervisor did not start within ${timeoutMs} ms:\n${output.text}`);
      }
      await new Promise((r) => setTimeout(r, 50));
    }
    return ns;
  }

  /** What the supervisor printed (startup problems). */
  get log(): string {
    return this.output.text;
  }

  /** An HTTP request inside the namespace: `url` as the services address each other (`http://prometheus:9090/...`). */
  request(method: string, url: string, body?: unknown, timeoutMs = 20_000): Promise<InsideResponse> {
    const payload = body === undefined ? undefined : typeof body === "string" ? body : JSON.stringify(body);
    return new Promise((resolve, reject) => {
      const req = http.request(
        {
          socketPath: this.socket,
          method,
          path: url,
          headers: payload === undefined ? {} : { "content-type": "application/json", "content-length": Buffer.byteLength(payload) },
          timeout: timeoutMs,
        },
        (res) => {
          let text = "";
          res.setEncoding("utf8");
          res.on("data", (c: string) => (text += c));
          res.on("end", () =>
            resolve({
              status: res.statusCode ?? 0,
              text,
              json<T>(): T {
                try {
                  return JSON.parse(text) as T;
                } catch {
                  throw new Error(`${method} ${url}: not JSON (HTTP ${res.statusCode}): ${text.slice(0, 300)}`);
                }
              },
            }),
          );
        },
      );
      req.on("timeout", () => req.destroy(new Error(`${method} ${url}: no answer within ${timeoutMs} ms`)));
      req.on("error", reject);
      req.end(payload);
    });
  }

  get(url: string): Promise<InsideResponse> {
    return this.request("GET", url);
  }

  post(url: string, body?: unknown): Promise<InsideResponse> {
    return this.request("POST", url, body);
  }

  /** True when `url` answers 2xx inside the namespace. */
  async ok(url: string): Promise<boolean> {
    try {
      const r = await this.get(url);
      return r.status >= 200 && r.status < 300;
    } catch {
      return false;
    }
  }

  async start(name: string, argv: readonly string[], cwd: string = PROJECT_DIR): Promise<void> {
    const r = await this.post("/_sup/start", { name, argv, cwd });
    if (r.status !== 200) throw new Error(`starting ${name}: ${r.text}`);
  }

  /** SIGTERM (SIGKILL after 15 s); resolves with the exit code. */
  async stop(name: string): Promise<number | null> {
    const r = await this.post("/_sup/stop", { name });
    if (r.status !== 200) throw new Error(`stopping ${name}: ${r.text}`);
    return r.json<{ exit: number | null }>().exit;
  }

  async ps(): Promise<ProcessInfo[]> {
    return (await this.get("/_sup/ps")).json<ProcessInfo[]>();
  }

  /** Run a command to completion inside the namespace. */
  async exec(argv: readonly string[], timeoutMs = 60_000, env?: Record<string, string>): Promise<ExecResult> {
    const r = await this.request("POST", "/_sup/exec", { argv, timeoutMs, env }, timeoutMs + 5_000);
    if (r.status !== 200) throw new Error(`exec ${argv.join(" ")}: ${r.text}`);
    return r.json<ExecResult>();
  }

  /** Tail of a managed process's log, for failure messages. */
  logOf(name: string, lines = 40): string {
    const file = path.join(this.dir, "logs", `${name}.log`);
    if (!fs.existsSync(file)) return `(no log for ${name})`;
    return fs.readFileSync(file, "utf8").split("\n").slice(-lines).join("\n");
  }

  /** Stop everything: ask the supervisor (stdin EOF), then kill the process group. Safe to call twice. */
  async close(): Promise<void> {
    const pid = this.proc.pid;
    if (pid === undefined) return;
    if (this.proc.exitCode === null && this.proc.signalCode === null) {
      this.proc.stdin?.end();
      const end = Date.now() + 10_000;
      while (this.proc.exitCode === null && this.proc.signalCode === null && Date.now() < end) await new Promise((r) => setTimeout(r, 50));
    }
    try {
      process.kill(-pid, "SIGKILL");
    } catch {
      // the group is already gone
    }
  }
}

/** Poll `probe` until it returns a value other than undefined; fail with `describe()` after `timeoutMs`. */
export async function until<T>(what: string, probe: () => Promise<T | undefined>, timeoutMs: number, describe?: () => Promise<string> | string, everyMs = 500): Promise<T> {
  const end = Date.now() + timeoutMs;
  let lastError = "";
  for (;;) {
    try {
      const v = await probe();
      if (v !== undefined) return v;
    } catch (err) {
      lastError = err instanceof Error ? err.message : String(err);
    }
    if (Date.now() > end) {
      const detail = describe ? await describe() : "";
      throw new Error(`timed out after ${timeoutMs} ms waiting for ${what}${lastError ? ` (last error: ${lastError})` : ""}${detail ? `\n${detail}` : ""}`);
    }
    await new Promise((r) => setTimeout(r, everyMs));
  }
}
