import { ConfigFile, yamlFile } from "../files";
import type { SecretFile } from "../secrets";

/**
 * blackbox_exporter probe modules. The deployed image is 0.28; the file stays
 * in the subset Debian's 0.23 `--config.check` also accepts, so the real
 * binary validates it in the tests.
 */

/** Shared module names, for `params.module` in Prometheus' blackbox scrape jobs. */
export const BLACKBOX_MODULES = {
  /** HTTP GET, IPv4 preferred, redirects followed, any 2xx is success. */
  http2xx: "http_2xx",
  /** Like http_2xx, and the response must be JSON (Content-Type and body). */
  http2xxJson: "http_2xx_json",
  /** A TCP connection can be opened. */
  tcpConnect: "tcp_connect",
  /** A TLS handshake succeeds on host:port (certificate verified; its expiry is exported). */
  tlsConnect: "tls_connect",
  /** The host answers an ICMP echo (unprivileged ping socket, see PING_GROUP_RANGE_SYSCTL). */
  icmp: "icmp",
} as const;

/**
 * What a `probes[]` entry may ask for: a shared module, or `dns`, which is
 * always the probe's own module (blackbox needs the query name in the module).
 */
export const PROBE_KINDS = [...Object.values(BLACKBOX_MODULES), "dns"] as const;
export type ProbeKind = (typeof PROBE_KINDS)[number];

/** Kinds whose target is a URL; the others take host (icmp) or host:port. */
export const HTTP_PROBE_KINDS: readonly ProbeKind[] = [BLACKBOX_MODULES.http2xx, BLACKBOX_MODULES.http2xxJson];

export const DNS_QUERY_TYPES = ["A", "AAAA", "CNAME", "MX", "NS", "SOA", "SRV", "TXT"] as const;
export const HTTP_PROBE_METHODS = ["GET", "HEAD", "POST"] as const;

/** In-container directory of the rendered config (pass `<dir>/blackbox.yml` as `--config.file`). */
export const BLACKBOX_CONFIG_DIR = "/etc/blackbox";
/**
 * Where probe credentials are mounted: beside the config directory, not in it, so on Kubernetes they sit in
 * a volume of their own and the reload sidecar watches blackbox.yml's ConfigMap without seeing them.
 */
export const BLACKBOX_SECRETS_DIR = "/etc/blackbox-secrets";

/** Per-probe timeout; Prometheus' scrape_timeout for blackbox jobs must be larger. */
export const BLACKBOX_PROBE_TIMEOUT = "5s";

/**
 * Lets every group open unprivileged ICMP ("ping") sockets in the exporter's
 * network namespace, so the icmp module works as user nobody without
 * CAP_NET_RAW (a "safe" sysctl on Kubernetes, allowed by Pod Security
 * `restricted`; Docker sets the same by default since 20.10).
 */
export const PING_GROUP_RANGE_SYSCTL = { "net.ipv4.ping_group_range": "0 2147483647" } as const;

/** One `probes[]` entry as the builder needs it; `S` is the opaque handle of its credentials (never read here). */
export interface ProbeSpec<S = unknown> {
  readonly name: string;
  /** URL (http kinds), host (icmp) or host:port (tcp_connect, tls_connect, dns server). */
  readonly url: string;
  readonly module: ProbeKind;
  /** HTTP method. Default GET. */
  readonly method?: (typeof HTTP_PROBE_METHODS)[number];
  /** Request headers (not secret; credentials go in bearerToken/basicAuth). Default none. */
  readonly headers?: Readonly<Record<string, string>>;
  /** Regexes the response body must match. Default none. */
  readonly bodyMustMatch?: readonly string[];
  /** The probe sends `Authorization: Bearer <token>`; the token is a secret file. Default none. */
  readonly bearerToken?: S;
  /** Basic-auth user; the password (`basicAuthPassword`, required with it) is a secret file. Default none. */
  readonly basicAuthUser?: string;
  readonly basicAuthPassword?: S;
  /** DNS kind: name to resolve. */
  readonly dnsQueryName?: string;
  /** DNS kind: record type. Default A. */
  readonly dnsQueryType?: (typeof DNS_QUERY_TYPES)[number];
}

export interface BlackboxConfig<S = unknown> {
  readonly files: ConfigFile[];
  /** Credential files the exporter reads, under `blackbox/secrets/`. */
  readonly secretFiles: SecretFile<S>[];
}

function httpProbe(extra: Record<string, unknown>) {
  return {
    prober: "http",
    timeout: BLACKBOX_PROBE_TIMEOUT,
    http: {
      method: "GET",
      preferred_ip_protocol: "ip4",
      ip_protocol_fallback: true,
      follow_redirects: true,
      // valid_status_codes left unset: blackbox's default is any 2xx.
      ...extra,
    },
  };
}

const JSON_CHECKS = {
  headers: { Accept: "application/json" },
  fail_if_header_not_matches: [{ header: "Content-Type", regexp: "^application/([a-z0-9.+-]+\\+)?json", allow_missing: false }],
  fail_if_body_not_matches_regexp: ["^\\s*[\\[{]"],
};

function needsOwnModule(p: ProbeSpec): boolean {
  return (
    p.module === "dns" ||
    (p.method !== undefined && p.method !== "GET") ||
    Object.keys(p.headers ?? {}).length > 0 ||
    (p.bodyMustMatch ?? []).length > 0 ||
    p.bearerToken !== undefined ||
    p.basicAuthUser !== undefined
  );
}

/**
 * The module a probe is scraped with: the shared module of its kind, or its
 * own `probe_<name>` when it carries a method, headers, body checks,
 * credentials or a DNS query (module settings, not URL parameters, in blackbox).
 */
export function probeModuleName(p: ProbeSpec): string {
  return needsOwnModule(p) ? `probe_${p.name}` : p.module;
}

function secretPath(probe: string, what: string): string {
  return `blackbox/secrets/${probe}-${what}`;
}

/** In-container path of a credential file rendered at `blackbox/secrets/<file>`. */
export function blackboxSecretMountPath(renderPath: string): string {
  return `${BLACKBOX_SECRETS_DIR}/${renderPath.slice("blackbox/secrets/".length)}`;
}

/** The probe's own module; its credentials join `secrets`. */
function ownModule<S>(p: ProbeSpec<S>, secrets: SecretFile<S>[]): Record<string, unknown> {
  if (p.module === "dns") {
    return {
      prober: "dns",
      timeout: BLACKBOX_PROBE_TIMEOUT,
      dns: {
        preferred_ip_protocol: "ip4",
        ip_protocol_fallback: true,
        transport_protocol: "udp",
        query_name: p.dnsQueryName,
        query_type: p.dnsQueryType ?? "A",
        valid_rcodes: ["NOERROR"],
        // NOERROR with an empty answer ("no such record") must fail too.
        validate_answer_rrs: { fail_if_none_matches_regexp: [".+"] },
      },
    };
  }
  const auth: Record<string, unknown> = {};
  if (p.bearerToken !== undefined) {
    const path = secretPath(p.name, "bearer-token");
    secrets.push({ path, secret: p.bearerToken });
    auth.bearer_token_file = blackboxSecretMountPath(path);
  }
  // Validation requires both or neither (settings/probes.ts).
  if (p.basicAuthUser !== undefined && p.basicAuthPassword !== undefined) {
    const path = secretPath(p.name, "basic-auth-password");
    secrets.push({ path, secret: p.basicAuthPassword });
    auth.basic_auth = { username: p.basicAuthUser, password_file: blackboxSecretMountPath(path) };
  }
  const json = p.module === BLACKBOX_MODULES.http2xxJson;
  const bodyChecks = [...(json ? JSON_CHECKS.fail_if_body_not_matches_regexp : []), ...(p.bodyMustMatch ?? [])];
  return httpProbe({
    method: p.method ?? "GET",
    ...(json || Object.keys(p.headers ?? {}).length > 0 ? { headers: { ...(json ? JSON_CHECKS.headers : {}), ...(p.headers ?? {}) } } : {}),
    ...(json ? { fail_if_header_not_matches: JSON_CHECKS.fail_if_header_not_matches } : {}),
    ...(bodyChecks.length > 0 ? { fail_if_body_not_matches_regexp: bodyChecks } : {}),
    ...auth,
  });
}

/**
 * blackbox.yml: the shared modules, then one module per probe that needs its
 * own (see probeModuleName), plus the credential files those read. The file
 * itself holds no secret: credentials are `*_file` references.
 */
export function blackboxConfig<S>(probes: readonly ProbeSpec<S>[] = []): BlackboxConfig<S> {
  const secretFiles: SecretFile<S>[] = [];
  const modules: Record<string, unknown> = {
    [BLACKBOX_MODULES.http2xx]: httpProbe({}),
    [BLACKBOX_MODULES.http2xxJson]: httpProbe(JSON_CHECKS),
    [BLACKBOX_MODULES.tcpConnect]: {
      prober: "tcp",
      timeout: BLACKBOX_PROBE_TIMEOUT,
      tcp: { preferred_ip_protocol: "ip4", ip_protocol_fallback: true },
    },
    [BLACKBOX_MODULES.tlsConnect]: {
      prober: "tcp",
      timeout: BLACKBOX_PROBE_TIMEOUT,
      tcp: { preferred_ip_protocol: "ip4", ip_protocol_fallback: true, tls: true },
    },
    [BLACKBOX_MODULES.icmp]: {
      prober: "icmp",
      timeout: BLACKBOX_PROBE_TIMEOUT,
      icmp: { preferred_ip_protocol: "ip4", ip_protocol_fallback: true },
    },
  };
  for (const p of probes) {
    if (needsOwnModule(p)) modules[probeModuleName(p)] = ownModule(p, secretFiles);
  }
  return {
    files: [yamlFile("blackbox/blackbox.yml", { modules }, "blackbox_exporter modules. Generated by configs/blackbox/blackbox.ts; do not edit.")],
    secretFiles,
  };
}
