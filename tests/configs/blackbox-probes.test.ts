/**
 * Probes with their own blackbox module (probes[]: dns, method, headers,
 * body checks, bearer token, basic auth): the modules the builder writes,
 * the credential files they read instead of inline secrets, the Prometheus
 * job that scrapes them, and the real blackbox_exporter loading the file and
 * probing with it on loopback.
 */
import { spawn, type ChildProcess } from "child_process";
import { mkdtempSync, rmSync, writeFileSync, mkdirSync } from "fs";
import * as http from "http";
import { tmpdir } from "os";
import { basename, join } from "path";
import { parse } from "yaml";
import { BLACKBOX_CONFIG_DIR, BLACKBOX_SECRETS_DIR, blackboxConfig, probeModuleName, type ProbeSpec } from "../../configs/blackbox/blackbox";
import { prometheusConfigFile } from "../../configs/prometheus/prometheus";
import { freePort } from "../../e2e/ports";
import { BLACKBOX_BINARY as BINARY, blackboxConfigCheck as configCheck } from "./blackbox-binary";
import { PLATFORM_PROFILES } from "../../targets";

// Credentials are handles the builder carries to the deploy step (strings here; the stack's SecretValue in a deploy).
const PROBES: ProbeSpec<string>[] = [
  { name: "website", url: "https://tutordex.example.com/", module: "http_2xx" },
  { name: "api-login", url: "https://api.example.com/v1/session", module: "http_2xx_json", method: "POST", headers: { "X-Probe": "blackbox" }, bodyMustMatch: ["success"], bearerToken: "api-login token" },
  { name: "admin", url: "https://admin.example.com/health", module: "http_2xx", basicAuthUser: "probe", basicAuthPassword: "admin password" },
  { name: "resolver", url: "1.1.1.1:53", module: "dns", dnsQueryName: "tutordex.com", dnsQueryType: "MX" },
  { name: "db-tls", url: "db.example.com:5432", module: "tls_connect" },
  { name: "gateway", url: "10.0.0.1", module: "icmp" },
];

describe("probes with their own blackbox module", () => {
  const built = blackboxConfig(PROBES);
  const [file] = built.files;
  const modules = parse(file.content).modules;

  it("a plain probe uses the shared module of its kind; any extra gets probe_<name>", () => {
    expect(PROBES.map(probeModuleName)).toEqual(["http_2xx", "probe_api-login", "probe_admin", "probe_resolver", "tls_connect", "icmp"]);
    expect(Object.keys(modules)).toEqual(["http_2xx", "http_2xx_json", "tcp_connect", "tls_connect", "icmp", "probe_api-login", "probe_admin", "probe_resolver"]);
  });

  it("an authenticated probe reads its token from a file, keeps its kind's JSON checks and adds the method, headers and body checks", () => {
    expect(modules["probe_api-login"]).toEqual({
      prober: "http",
      timeout: "5s",
      http: {
        method: "POST",
        preferred_ip_protocol: "ip4",
        ip_protocol_fallback: true,
        follow_redirects: true,
        headers: { Accept: "application/json", "X-Probe": "blackbox" },
        fail_if_header_not_matches: modules.http_2xx_json.http.fail_if_header_not_matches,
        fail_if_body_not_matches_regexp: ["^\\s*[\\[{]", "success"],
        bearer_token_file: `${BLACKBOX_SECRETS_DIR}/api-login-bearer-token`,
      },
    });
    expect(modules.probe_admin.http.basic_auth).toEqual({ username: "probe", password_file: `${BLACKBOX_SECRETS_DIR}/admin-basic-auth-password` });
  });

  it("names each credential file and the secret that fills it; blackbox.yml holds none", () => {
    expect(built.secretFiles).toEqual([
      { path: "blackbox/secrets/api-login-bearer-token", secret: "api-login token" },
      { path: "blackbox/secrets/admin-basic-auth-password", secret: "admin password" },
    ]);
    expect(file.content).not.toMatch(/bearer_token:|password:/);
  });

  it("a dns probe asks its server for the configured name and type, and wants NOERROR with at least one record", () => {
    expect(modules.probe_resolver).toMatchObject({
      prober: "dns",
      dns: { query_name: "tutordex.com", query_type: "MX", transport_protocol: "udp", valid_rcodes: ["NOERROR"], validate_answer_rrs: { fail_if_none_matches_regexp: [".+"] } },
    });
  });

  it("is accepted by the real blackbox_exporter (--config.check), credential files and all", () => {
    const { status, output } = configCheck(file.content);
    expect(output).toContain("Config file is ok");
    expect(status).toBe(0);
  });

  it("the check is meaningful: bearer token and basic auth together are rejected", () => {
    const both = file.content.replace(
      `bearer_token_file: ${BLACKBOX_SECRETS_DIR}/api-login-bearer-token`,
      `bearer_token_file: ${BLACKBOX_SECRETS_DIR}/api-login-bearer-token\n      basic_auth: { username: x, password_file: /x }`,
    );
    expect(both).not.toBe(file.content);
    const { status } = configCheck(both);
    expect(status).not.toBe(0);
  });

  it("renders identical bytes every time", () => {
    expect(blackboxConfig(PROBES)).toEqual(blackboxConfig(PROBES));
  });
});

describe("Prometheus probe jobs for the modules", () => {
  const cfg = parse(
    prometheusConfigFile({
      scrapeInterval: "15s",
      evaluationInterval: "30s",
      environment: "test",
      ruleFiles: [],
      stackJobs: [],
      targets: [],
      probes: PROBES.map((p) => ({ name: p.name, url: p.url, module: p.module, moduleName: probeModuleName(p) })),
      platform: PLATFORM_PROFILES.docker,
    }).content,
  );
  const job = (name: string) => cfg.scrape_configs.find((j: { job_name: string }) => j.job_name === name);

  it("one job per kind; a probe with its own module selects it with __param_module", () => {
    expect(cfg.scrape_configs.map((j: { job_name: string }) => j.job_name)).toEqual(["blackbox_http", "blackbox_http_2xx_json", "blackbox_dns", "blackbox_tls_connect", "blackbox_icmp"]);
    expect(job("blackbox_http").static_configs).toEqual([
      { targets: ["https://tutordex.example.com/"], labels: { component: "external", probe: "website" } },
      { targets: ["https://admin.example.com/health"], labels: { component: "external", probe: "admin", __param_module: "probe_admin" } },
    ]);
    expect(job("blackbox_tls_connect").params).toEqual({ module: ["tls_connect"] });
    expect(job("blackbox_icmp").static_configs[0].targets).toEqual(["10.0.0.1"]);
  });

  it("the dns job has no default module (there is no shared one); each target brings its own", () => {
    expect(job("blackbox_dns").params).toBeUndefined();
    expect(job("blackbox_dns").static_configs).toEqual([{ targets: ["1.1.1.1:53"], labels: { component: "external", probe: "resolver", __param_module: "probe_resolver" } }]);
  });
});

/**
 * The real exporter probing a loopback HTTP server that wants a bearer token:
 * the token file the stack mounts is what authenticates the probe.
 */
describe("blackbox_exporter probes with the credential files (live, loopback)", () => {
  const TOKEN = "t0ken-from-a-pulumi-secret";
  let dir: string;
  let server: http.Server;
  let appPort: number;
  let exporterPort: number;
  let exporter: ChildProcess;
  const seen: { auth?: string; method?: string; probe?: string }[] = [];

  beforeAll(async () => {
    dir = mkdtempSync(join(tmpdir(), "blackbox-live-"));
    appPort = await freePort();
    server = http.createServer((req, res) => {
      seen.push({ auth: req.headers.authorization, method: req.method, probe: req.headers["x-probe"] as string | undefined });
      if (req.headers.authorization !== `Bearer ${TOKEN}`) {
        res.writeHead(401).end("denied");
        return;
      }
      res.writeHead(200, { "Content-Type": "application/json" }).end('{"status":"success"}');
    });
    await new Promise<void>((r) => server.listen(appPort, "127.0.0.1", () => r()));
    const probes: ProbeSpec<string>[] = [
      { name: "api", url: `http://127.0.0.1:${appPort}/`, module: "http_2xx_json", method: "POST", headers: { "X-Probe": "blackbox" }, bodyMustMatch: ["success"], bearerToken: TOKEN },
      { name: "api-wrong", url: `http://127.0.0.1:${appPort}/`, module: "http_2xx", bearerToken: "not-the-token" },
    ];
    const built = blackboxConfig(probes);
    // Mount layout of the container, rooted in the temp dir.
    mkdirSync(join(dir, "secrets"));
    expect(built.secretFiles.map((f) => f.path)).toEqual(["blackbox/secrets/api-bearer-token", "blackbox/secrets/api-wrong-bearer-token"]);
    for (const f of built.secretFiles) writeFileSync(join(dir, "secrets", basename(f.path)), f.secret);
    const content = (built.files[0] as { content: string }).content;
    writeFileSync(join(dir, "blackbox.yml"), content.split(BLACKBOX_SECRETS_DIR).join(join(dir, "secrets")).split(BLACKBOX_CONFIG_DIR).join(dir));
    exporterPort = await freePort();
    exporter = spawn(BINARY, [`--config.file=${join(dir, "blackbox.yml")}`, `--web.listen-address=127.0.0.1:${exporterPort}`], { stdio: "ignore" });
    for (let i = 0; i < 100; i++) {
      const ok = await fetch(`http://127.0.0.1:${exporterPort}/-/healthy`).then((r) => r.ok).catch(() => false);
      if (ok) return;
      await new Promise((r) => setTimeout(r, 100));
    }
    throw new Error("blackbox_exporter did not start");
  }, 30_000);

  afterAll(async () => {
    exporter?.kill();
    await new Promise<void>((r) => (server ? server.close(() => r()) : r()));
    rmSync(dir, { recursive: true, force: true });
  });

  const probe = async (module: string): Promise<number> => {
    const body = await (await fetch(`http://127.0.0.1:${exporterPort}/probe?module=${module}&target=${encodeURIComponent(`http://127.0.0.1:${appPort}/`)}`)).text();
    const m = /^probe_success (\d)/m.exec(body);
    if (!m) throw new Error(`no probe_success in:\n${body}`);
    return Number(m[1]);
  };

  it("succeeds with the token from its file, sending the method and headers configured", async () => {
    seen.length = 0;
    expect(await probe("probe_api")).toBe(1);
    expect(seen).toEqual([{ auth: `Bearer ${TOKEN}`, method: "POST", probe: "blackbox" }]);
  });

  it("fails with another token (the server answers 401)", async () => {
    expect(await probe("probe_api-wrong")).toBe(0);
  });
});
