/**
 * `probes[]` settings: every module's target shape, the keys only some
 * modules use, credentials only as secrets, and all problems at once, each at
 * its key path, before anything deploys.
 */
import { SecretValue } from "../../settings/fields";
import { probeSpec } from "../../settings/probes";
import { validateSettings } from "../../settings/validate";
import { problemsOf } from "./problems";

describe("probes[] settings", () => {
  it("accepts every module with the target it needs, defaulting method GET, no headers, DNS type A", () => {
    const s = validateSettings({
      values: {
        probes: [
          { name: "website", url: "https://tutordex.example.com/" },
          { name: "db-tls", url: "db.example.com:5432", module: "tls_connect" },
          { name: "gateway", url: "10.0.0.1", module: "icmp" },
          { name: "resolver", url: "1.1.1.1:53", module: "dns", dnsQueryName: "tutordex.com" },
          { name: "redis", url: "redis:6379", module: "tcp_connect" },
        ],
      },
      secretKeys: new Set(),
    });
    expect(s.probes.map((p) => p.module)).toEqual(["http_2xx", "tls_connect", "icmp", "dns", "tcp_connect"]);
    expect(s.probes[0]).toMatchObject({ method: "GET", headers: {}, bodyMustMatch: [], dnsQueryType: "A" });
  });

  it("accepts an authenticated probe whose token is a Pulumi secret; the builder gets the secret's handle, never its text", () => {
    const s = validateSettings({
      values: { probes: [{ name: "api", url: "https://api.example.com/me", method: "POST", headers: { "X-Probe": "1" }, bodyMustMatch: ["success"], bearerToken: "s3cret" }] },
      secretKeys: new Set(["probes"]),
    });
    const p = s.probes[0];
    expect(p?.bearerToken).toBeInstanceOf(SecretValue);
    expect(JSON.stringify(s)).not.toContain("s3cret");
    const spec = probeSpec(p as NonNullable<typeof p>);
    expect(spec).toMatchObject({ method: "POST", headers: { "X-Probe": "1" }, bodyMustMatch: ["success"] });
    expect(spec.bearerToken).toBe(p?.bearerToken);
    expect(JSON.stringify(spec)).not.toContain("s3cret");
  });

  it.each([
    ["a URL for a host-port module", { name: "db", url: "https://db.example.com", module: "tls_connect" }, /^probes\[0\]\.url: module tls_connect probes host:port/],
    ["a host for an http module", { name: "web", url: "example.com:443" }, /^probes\[0\]\.url: 'example\.com:443' is not an http:\/\/ or https:\/\/ URL, which module http_2xx needs/],
    ["a port on an icmp target", { name: "gw", url: "10.0.0.1:80", module: "icmp" }, /^probes\[0\]\.url: '10\.0\.0\.1:80': module icmp pings a host, which has no port; give the host alone \(e\.g\. 10\.0\.0\.1\)/],
    ["tls_connect without a port", { name: "db", url: "db.example.com", module: "tls_connect" }, /^probes\[0\]\.url: 'db\.example\.com': module tls_connect needs host:port \(e\.g\. db\.example\.com:443\)/],
    ["dns without a query name", { name: "ns", url: "1.1.1.1:53", module: "dns" }, /^probes\[0\]\.dnsQueryName: is required with module dns/],
    ["a query name on a non-dns probe", { name: "web", url: "https://x.example/", dnsQueryName: "x.example" }, /^probes\[0\]\.dnsQueryName: is only used by module dns/],
    ["headers on a tcp probe", { name: "db", url: "db:5432", module: "tcp_connect", headers: { "X-A": "b" } }, /^probes\[0\]\.headers: is only used by the http modules/],
    ["a basic-auth user without a password", { name: "admin", url: "https://x.example/", basicAuthUser: "probe" }, /^probes\[0\]\.basicAuthPassword: is required when the other of basicAuthUser\/basicAuthPassword is set/],
    ["an Authorization header in plain text", { name: "api", url: "https://x.example/", headers: { Authorization: "Bearer abc" } }, /^probes\[0\]\.headers\.Authorization: would put a credential in plain text in blackbox\.yml; set bearerToken/],
    ["an invalid header name", { name: "api", url: "https://x.example/", headers: { "Bad Header": "x" } }, /^probes\[0\]\.headers\.Bad Header: is not a valid HTTP header name/],
    ["a body regex that does not compile", { name: "api", url: "https://x.example/", bodyMustMatch: ["(unclosed"] }, /^probes\[0\]\.bodyMustMatch\[0\]: '\(unclosed' is not a valid regular expression/],
    ["a body regex with a lookahead (not RE2)", { name: "api", url: "https://x.example/", bodyMustMatch: ["ok(?!ay)"] }, /^probes\[0\]\.bodyMustMatch\[0\]: 'ok\(\?!ay\)' uses a lookaround, which Go's RE2/],
    ["an unknown module, listing the valid ones", { name: "x", url: "https://x.example/", module: "http" }, /^probes\[0\]\.module: must be one of 'http_2xx', 'http_2xx_json', 'tcp_connect', 'tls_connect', 'icmp', 'dns'/],
  ])("rejects %s", (_label, probe, expected) => {
    const problems = problemsOf({ probes: [probe] });
    expect(problems.some((p) => expected.test(p))).toBe(true);
  });

  it("rejects a bearer token in plain text in the stack file", () => {
    expect(problemsOf({ probes: [{ name: "api", url: "https://x.example/", bearerToken: "abc" }] })).toEqual([
      expect.stringMatching(/^probes\[0\]\.bearerToken: is stored in plain text in the stack file/),
    ]);
  });

  it("rejects bearer token and basic auth together (both set Authorization)", () => {
    const problems = problemsOf({ probes: [{ name: "api", url: "https://x.example/", bearerToken: "a", basicAuthUser: "u", basicAuthPassword: "p" }] }, ["probes"]);
    expect(problems).toEqual(["probes[0].bearerToken: and basicAuthUser both set the Authorization header; keep one"]);
  });

  it("reports every probe's problems at once", () => {
    const problems = problemsOf({
      probes: [
        { name: "a", url: "https://a.example/", module: "icmp" },
        { name: "b", url: "b.example:53", module: "dns" },
      ],
    });
    expect(problems.map((p) => p.split(":")[0])).toEqual(["probes[0].url", "probes[1].dnsQueryName"]);
  });
});
