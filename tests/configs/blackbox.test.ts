/**
 * Blackbox probe modules. The file must load in the real blackbox_exporter:
 * Debian's 0.23 binary checks it (`--config.check`), so it stays in the key
 * subset both 0.23 and the deployed 0.28 accept.
 */
import { existsSync } from "fs";
import { parse } from "yaml";
import { BLACKBOX_MODULES, blackboxConfig } from "../../configs/blackbox/blackbox";
import { BLACKBOX_BINARY as BINARY, blackboxConfigCheck as configCheck } from "./blackbox-binary";

describe("blackbox_exporter modules (blackbox/blackbox.yml)", () => {
  const render = () => blackboxConfig().files;
  const [file] = render();
  const cfg = parse(file.content);

  it("is one file at blackbox/blackbox.yml", () => {
    expect(render().map((f) => f.path)).toEqual(["blackbox/blackbox.yml"]);
  });

  it("defines exactly the exported module names", () => {
    expect(Object.keys(cfg.modules).sort()).toEqual(Object.values(BLACKBOX_MODULES).sort());
    expect(Object.values(BLACKBOX_MODULES)).toEqual(["http_2xx", "http_2xx_json", "tcp_connect", "tls_connect", "icmp"]);
  });

  it("http_2xx: GET over IPv4 first, follows redirects, any 2xx passes", () => {
    const m = cfg.modules.http_2xx;
    expect(m.prober).toBe("http");
    expect(m.http).toMatchObject({ method: "GET", preferred_ip_protocol: "ip4", follow_redirects: true });
    // Unset valid_status_codes means "any 2xx" in blackbox_exporter.
    expect(m.http.valid_status_codes ?? []).toEqual([]);
  });

  it("http_2xx_json: the same, and the response must be JSON", () => {
    const m = cfg.modules.http_2xx_json;
    expect(m.http).toMatchObject({ method: "GET", preferred_ip_protocol: "ip4", follow_redirects: true });
    expect(m.http.headers.Accept).toBe("application/json");
    const [rule] = m.http.fail_if_header_not_matches;
    expect(rule.header).toBe("Content-Type");
    const contentType = new RegExp(rule.regexp);
    expect(contentType.test("application/json; charset=utf-8")).toBe(true);
    expect(contentType.test("application/problem+json")).toBe(true);
    expect(contentType.test("text/html")).toBe(false);
    const body = new RegExp(m.http.fail_if_body_not_matches_regexp[0]);
    expect(body.test(' {"status":"ok"}')).toBe(true);
    expect(body.test("<html>")).toBe(false);
  });

  it("tcp_connect: a TCP connection over IPv4 first", () => {
    expect(cfg.modules.tcp_connect).toMatchObject({ prober: "tcp", tcp: { preferred_ip_protocol: "ip4" } });
  });

  it("tls_connect: a TCP connection that completes a verified TLS handshake", () => {
    expect(cfg.modules.tls_connect).toMatchObject({ prober: "tcp", tcp: { preferred_ip_protocol: "ip4", tls: true } });
    // No insecure_skip_verify: a bad or expired chain must fail the probe.
    expect(JSON.stringify(cfg.modules.tls_connect)).not.toContain("insecure");
  });

  it("icmp: an echo request over IPv4 first, without don't-fragment (which would need a raw socket)", () => {
    expect(cfg.modules.icmp).toMatchObject({ prober: "icmp", icmp: { preferred_ip_protocol: "ip4" } });
    expect(cfg.modules.icmp.icmp.dont_fragment).toBeUndefined();
  });

  it("is accepted by the real blackbox_exporter (--config.check)", () => {
    expect(existsSync(BINARY)).toBe(true); // apt-get install prometheus-blackbox-exporter
    const { status, output } = configCheck(file.content);
    expect(output).toContain("Config file is ok");
    expect(status).toBe(0);
  });

  it("the check is meaningful: the same binary rejects an unknown key", () => {
    const { status, output } = configCheck(file.content.replace("follow_redirects:", "follow_redirectz:"));
    expect(status).not.toBe(0);
    expect(output).toMatch(/follow_redirectz/);
  });

  it("renders identical bytes every time", () => {
    expect(render()).toEqual(render());
  });
});
