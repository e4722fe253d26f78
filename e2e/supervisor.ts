/**
 * Runs inside the e2e network namespace (`unshare -nm`, see namespace.ts):
 * starts and stops the daemons, the sample app and the webhook receiver, and
 * lets the test process, which stays outside the namespace, reach them.
 *
 * A network namespace hides every TCP port from the outside, but Unix sockets
 * live in the filesystem, which the namespace shares. So this process listens
 * on a Unix socket and speaks HTTP there:
 *   - `GET|POST http://<service>:<port>/<path>` (absolute URL, proxy style,
 *     or a plain path with `Host: <service>:<port>`, as `curl --unix-socket` sends):
 *     forwarded inside, where `<service>` resolves through the namespace's
 *     /etc/hosts, exactly as the rendered configs address each other;
 *   - `POST /_sup/start {name, argv, cwd?}`, `POST /_sup/stop {name}`,
 *     `GET /_sup/ps`, `POST /_sup/exec {argv, timeoutMs}`: process control.
 *
 * Every child shares this process's process group; when stdin closes (the
 * test finished or died) or on SIGTERM every child is killed and we exit.
 *
 * usage: node -r ts-node/register/transpile-only supervisor.ts <socket> <logDir>
 */
import { ChildProcess, spawn } from "child_process";
import * as fs from "fs";
import * as http from "http";
import * as path from "path";

interface Managed {
  readonly name: string;
  readonly child: ChildProcess;
  readonly log: string;
  exit: number | null | undefined;
}

const [socketPath, logDir] = process.argv.slice(2);
if (!socketPath || !logDir) {
  process.stderr.write("usage: supervisor.ts <socket> <logDir>\n");
  process.exit(2);
}
fs.mkdirSync(logDir, { recursive: true });
const managed = new Map<string, Managed>();

function readBody(req: http.IncomingMessage): Promise<Buffer> {
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    req.on("data", (c: Buffer) => chunks.push(c));
    req.on("end", () => resolve(Buffer.concat(chunks)));
    req.on("error", reject);
  });
}

function reply(res: http.ServerResponse, status: number, body: unknown): void {
  res.writeHead(status, { "content-type": "application/json" });
  res.end(JSON.stringify(body));
}

function start(name: string, argv: string[], cwd?: string): Managed {
  const prior = managed.get(name);
  if (prior && prior.exit === undefined) throw new Error(`${name} is already running (pid ${prior.child.pid})`);
  const log = path.join(logDir, `${name}.log`);
  const out = fs.openSync(log, "a");
  fs.writeSync(out, `\n--- ${new Date().toISOString()} start: ${argv.join(" ")}\n`);
  const child = spawn(argv[0], argv.slice(1), { cwd: cwd ?? process.cwd(), stdio: ["ignore", out, out] });
  fs.closeSync(out);
  const m: Managed = { name, child, log, exit: undefined };
  child.on("exit", (code, signal) => (m.exit = code ?? (signal ? -1 : null)));
  child.on("error", (err) => {
    fs.appendFileSync(log, `spawn error: ${err.message}\n`);
    m.exit = -1;
  });
  managed.set(name, m);
  return m;
}

async function stop(name: string, timeoutMs = 15_000): Promise<number | null | undefined> {
  const m = managed.get(name);
  if (!m) throw new Error(`no process named ${name}`);
  if (m.exit !== undefined) return m.exit;
  m.child.kill("SIGTERM");
  const end = Date.now() + timeoutMs;
  while (m.exit === undefined && Date.now() < end) await new Promise((r) => setTimeout(r, 50));
  if (m.exit === undefined) {
    m.child.kill("SIGKILL");
    while (m.exit === undefined) await new Promise((r) => setTimeout(r, 50));
  }
  return m.exit;
}

function exec(argv: string[], timeoutMs: number, env?: Record<string, string>): Promise<{ code: number | null; stdout: string; stderr: string }> {
  return new Promise((resolve) => {
    const child = spawn(argv[0], argv.slice(1), { cwd: process.cwd(), env: { ...process.env, ...(env ?? {}) }, stdio: ["ignore", "pipe", "pipe"] });
    let stdout = "";
    let stderr = "";
    child.stdout.on("data", (d) => (stdout += d));
    child.stderr.on("data", (d) => (stderr += d));
    const timer = setTimeout(() => child.kill("SIGKILL"), timeoutMs);
    child.on("error", (err) => {
      clearTimeout(timer);
      resolve({ code: -1, stdout, stderr: stderr + err.message });
    });
    child.on("close", (code) => {
      clearTimeout(timer);
      resolve({ code, stdout, stderr });
    });
  });
}

function proxy(req: http.IncomingMessage, res: http.ServerResponse, target: string, body: Buffer): void {
  const url = new URL(target);
  const headers = { ...req.headers, host: url.host };
  delete headers.connection;
  const upstream = http.request(
    { hostname: url.hostname, port: url.port || 80, path: `${url.pathname}${url.search}`, method: req.method, headers, timeout: 20_000 },
    (up) => {
      res.writeHead(up.statusCode ?? 502, up.headers);
      up.pipe(res);
    },
  );
  upstream.on("timeout", () => upstream.destroy(new Error("upstream timeout")));
  upstream.on("error", (err) => {
    // 599: the connection itself failed (nothing listens, refused, timeout), as opposed to an HTTP answer.
    if (!res.headersSent) reply(res, 599, { proxyError: err.message });
    else res.destroy();
  });
  upstream.end(body);
}

const server = http.createServer((req, res) => {
  readBody(req)
    .then(async (body) => {
      const url = req.url ?? "/";
      if (/^https?:\/\//.test(url)) return proxy(req, res, `${url}`, body);
      // Origin-form with a Host header (`curl --unix-socket <sock> http://prometheus:9090/...`), for people debugging a run.
      if (!url.startsWith("/_sup/") && req.headers.host) return proxy(req, res, `http://${req.headers.host}${url}`, body);
      const args = body.length ? (JSON.parse(body.toString("utf8")) as Record<string, unknown>) : {};
      if (req.method === "POST" && url === "/_sup/start") {
        const m = start(String(args.name), args.argv as string[], args.cwd as string | undefined);
        return reply(res, 200, { pid: m.child.pid, log: m.log });
      }
      if (req.method === "POST" && url === "/_sup/stop") return reply(res, 200, { exit: await stop(String(args.name)) });
      if (req.method === "GET" && url === "/_sup/ps") {
        return reply(res, 200, [...managed.values()].map((m) => ({ name: m.name, pid: m.child.pid, running: m.exit === undefined, exit: m.exit ?? null, log: m.log })));
      }
      if (req.method === "POST" && url === "/_sup/exec") {
        return reply(res, 200, await exec(args.argv as string[], Number(args.timeoutMs ?? 30_000), args.env as Record<string, string> | undefined));
      }
      return reply(res, 404, { error: `unknown supervisor request ${req.method} ${url}` });
    })
    .catch((err: unknown) => reply(res, 500, { error: err instanceof Error ? err.message : String(err) }));
});

let shuttingDown = false;
async function shutdown(): Promise<void> {
  if (shuttingDown) return;
  shuttingDown = true;
  await Promise.all([...managed.keys()].map((n) => stop(n, 5_000).catch(() => undefined)));
  server.close();
  fs.rmSync(socketPath, { force: true });
  process.exit(0);
}
process.on("SIGTERM", () => void shutdown());
process.on("SIGINT", () => void shutdown());
// The test holds our stdin open; EOF means it is gone, whatever the reason.
process.stdin.on("end", () => void shutdown());
process.stdin.on("error", () => void shutdown());
process.stdin.resume();

fs.rmSync(socketPath, { force: true });
server.listen(socketPath, () => process.stdout.write(`supervisor ready on ${socketPath}\n`));
