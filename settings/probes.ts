/**
 * `probes[]`: what each module needs from an entry, and the entries as the
 * blackbox builder and the Prometheus config take them. Checked once every
 * key is individually valid (settings/checks.ts), before any resource exists.
 */
import { HTTP_PROBE_KINDS, type ProbeSpec } from "../configs/blackbox/blackbox";
import type { SecretValue } from "./fields";
import type { Settings } from "./schema";
import type { ConfigProblem } from "./problems";

type ProbeSettings = Settings["probes"][number];

const URL_RE = /^https?:\/\//;
const HOST_PORT_RE = /^[A-Za-z0-9.-]+:\d{1,5}$/;

/** Problems of every `probes[]` entry, each at its key path. */
export function probeChecks(s: Settings): ConfigProblem[] {
  const problems: ConfigProblem[] = [];
  s.probes.forEach((p, i) => {
    const add = (key: string, message: string) => problems.push({ key: `probes[${i}].${key}`, message });
    const http = HTTP_PROBE_KINDS.includes(p.module);
    if (http && !URL_RE.test(p.url)) {
      add("url", `'${p.url}' is not an http:// or https:// URL, which module ${p.module} needs; for a host or host:port choose module icmp, tcp_connect, tls_connect or dns`);
    } else if (!http && URL_RE.test(p.url)) {
      add("url", `module ${p.module} probes ${p.module === "icmp" ? "a host (e.g. db.example.com)" : "host:port (e.g. db.example.com:5432)"}, not a URL; use module http_2xx for a URL`);
    } else if (p.module === "icmp" && p.url.includes(":")) {
      add("url", `'${p.url}': module icmp pings a host, which has no port; give the host alone (e.g. ${p.url.split(":")[0]})`);
    } else if (!http && p.module !== "icmp" && !HOST_PORT_RE.test(p.url)) {
      add("url", `'${p.url}': module ${p.module} needs host:port (e.g. ${p.module === "dns" ? "1.1.1.1:53" : `${p.url}:443`})`);
    }
    if (p.module === "dns" && p.dnsQueryName === undefined) add("dnsQueryName", "is required with module dns: the name the DNS server must resolve, e.g. tutordex.com");
    if (p.module !== "dns" && p.dnsQueryName !== undefined) add("dnsQueryName", `is only used by module dns (this probe uses ${p.module}); remove it or set module: dns`);
    if (!http) {
      const httpOnly: [string, boolean][] = [
        ["method", p.method !== "GET"],
        ["headers", Object.keys(p.headers).length > 0],
        ["bodyMustMatch", p.bodyMustMatch.length > 0],
        ["bearerToken", p.bearerToken !== undefined],
        ["basicAuthUser", p.basicAuthUser !== undefined],
        ["basicAuthPassword", p.basicAuthPassword !== undefined],
      ];
      for (const [key, set] of httpOnly) if (set) add(key, `is only used by the http modules (http_2xx, http_2xx_json); this probe uses ${p.module}`);
    }
    if ((p.basicAuthUser === undefined) !== (p.basicAuthPassword === undefined)) {
      add(p.basicAuthUser === undefined ? "basicAuthUser" : "basicAuthPassword", "is required when the other of basicAuthUser/basicAuthPassword is set");
    }
    if (p.bearerToken !== undefined && p.basicAuthUser !== undefined) {
      add("bearerToken", "and basicAuthUser both set the Authorization header; keep one");
    }
    for (const name of Object.keys(p.headers)) {
      if (name.toLowerCase() === "authorization") {
        add(`headers.${name}`, "would put a credential in plain text in blackbox.yml; set bearerToken (or basicAuthUser + basicAuthPassword) as a secret instead: pulumi config set --secret --path 'observability:probes[" + i + "].bearerToken' <token>");
      } else if (!/^[!#$%&'*+.^_`|~0-9A-Za-z-]+$/.test(name)) {
        add(`headers.${name}`, "is not a valid HTTP header name (letters, digits and !#$%&'*+.^_`|~-)");
      }
    }
    p.bodyMustMatch.forEach((re, j) => {
      // RE2 and JavaScript agree on what fails to compile for the patterns probes use; lookarounds are RE2-only errors.
      if (/\(\?[=!<]/.test(re)) {
        add(`bodyMustMatch[${j}]`, `'${re}' uses a lookaround, which Go's RE2 (blackbox) does not support`);
        return;
      }
      try {
        new RegExp(re);
      } catch (e) {
        add(`bodyMustMatch[${j}]`, `'${re}' is not a valid regular expression: ${(e as Error).message}`);
      }
    });
  });
  return problems;
}

/** One entry as the blackbox builder and the Prometheus config take it (secrets as opaque handles). */
export function probeSpec(p: ProbeSettings): ProbeSpec<SecretValue> {
  return {
    name: p.name,
    url: p.url,
    module: p.module,
    method: p.method,
    headers: p.headers,
    bodyMustMatch: p.bodyMustMatch,
    bearerToken: p.bearerToken,
    basicAuthUser: p.basicAuthUser,
    basicAuthPassword: p.basicAuthPassword,
    dnsQueryName: p.dnsQueryName,
    dnsQueryType: p.dnsQueryType,
  };
}
