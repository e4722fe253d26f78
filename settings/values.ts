/**
 * Checks of single values against what the tool that finally reads them
 * accepts: Kubernetes names, DNS names, IP addresses, host:port, URLs, paths,
 * e-mail addresses, IANA time zones. Each returns why a value is invalid, or
 * undefined when it is fine; the schema attaches them to its keys.
 */
import * as net from "net";
import { didYouMean } from "./did-you-mean";

/** Control characters (C0, DEL): never valid in a name, path or URL, and unsafe to echo. */
const CONTROL = /[\u0000-\u001f\u007f]/;

/** Lower-case letters, digits and '-', alphanumeric at both ends, at most 63: a Prometheus label value and a Kubernetes label value. */
export const ENVIRONMENT_RE = /^[a-z0-9]([-a-z0-9]{0,61}[a-z0-9])?$/;
export const ENVIRONMENT_HINT = "lower-case letters, digits and '-', starting and ending with a letter or digit, at most 63 characters";

/** Kubernetes DNS-1123 label: namespaces, and the label values the stack derives from names. */
export const DNS1123_LABEL = /^[a-z0-9]([-a-z0-9]*[a-z0-9])?$/;
export const DNS1123_LABEL_HINT = "a DNS-1123 label: lower-case letters, digits and '-', starting and ending with a letter or digit, at most 63 characters";
/** Kubernetes DNS-1123 subdomain: most object names (StorageClass, IngressClass, Secret). */
export const DNS1123_SUBDOMAIN = /^[a-z0-9]([-a-z0-9]*[a-z0-9])?(\.[a-z0-9]([-a-z0-9]*[a-z0-9])?)*$/;
export const DNS1123_SUBDOMAIN_HINT = "a Kubernetes object name: lower-case letters, digits, '-' and '.', starting and ending with a letter or digit, at most 253 characters";

/** A DNS name of lower-case labels, each at most 63 characters, room left for `prefix` (e.g. `alertmanager.`). */
export function dnsNameProblem(value: string, prefix = ""): string | undefined {
  if (!DNS1123_SUBDOMAIN.test(value)) return "must be a DNS name of lower-case letters, digits, '-' and '.', e.g. obs.example.com";
  const long = value.split(".").find((l) => l.length > 63);
  if (long) return `its label '${long}' is longer than the 63 characters DNS allows`;
  if (prefix.length + value.length > 253) return `with the service prefix (${prefix}...) it is longer than the 253 characters a host name may have`;
  return undefined;
}

/** An IPv4 or IPv6 address, as Docker's port publishing takes it. */
export function ipAddressProblem(value: string): string | undefined {
  return net.isIP(value) === 0 ? "must be an IPv4 or IPv6 address, e.g. 127.0.0.1 (this machine only), 0.0.0.0 (every interface) or ::1" : undefined;
}

/** `host:port` with a DNS name, IPv4 address or bracketed IPv6 address, and a port from 1 to 65535. */
export function hostPortProblem(value: string): string | undefined {
  const m = /^(\[([0-9A-Fa-f:.]+)\]|[^:[\]\s]+):(\d{1,5})$/.exec(value);
  if (!m) return "must be host:port, e.g. backend:8000 or [::1]:8000";
  const [, host, v6] = m;
  const port = Number(m[3]);
  if (port < 1 || port > 65535) return `port ${port} is out of range; a port is from 1 to 65535`;
  if (v6 !== undefined) return net.isIPv6(v6) ? undefined : `'${v6}' is not an IPv6 address`;
  if (net.isIPv4(host)) return undefined;
  if (!/^[A-Za-z0-9]([-A-Za-z0-9_]*[A-Za-z0-9])?(\.[A-Za-z0-9]([-A-Za-z0-9_]*[A-Za-z0-9])?)*$/.test(host) || host.length > 253) {
    return `'${host}' is not a host name: letters, digits, '-' and '.'`;
  }
  return undefined;
}

/** An absolute URL path (health checks, metrics path): no whitespace or control characters. */
export function urlPathProblem(value: string): string | undefined {
  if (!value.startsWith("/")) return "must start with /";
  if (/\s/.test(value) || CONTROL.test(value)) return "must not contain spaces or control characters (percent-encode them, e.g. %20)";
  return undefined;
}

/** An http(s) URL a probe or client can request. */
export function httpUrlProblem(value: string): string | undefined {
  if (/\s/.test(value) || CONTROL.test(value)) return "must not contain spaces or control characters (percent-encode them, e.g. %20)";
  let url: URL;
  try {
    url = new URL(value);
  } catch {
    return "must be an http:// or https:// URL such as https://status.example.com/health";
  }
  if (url.protocol !== "http:" && url.protocol !== "https:") return `must be an http:// or https:// URL; got scheme ${url.protocol}`;
  if (url.hostname === "") return "must name a host";
  return undefined;
}

/** A blackbox probe target: a host, host:port, or an http(s) URL (which form each module needs: settings/probes.ts). */
export function probeTargetProblem(value: string): string | undefined {
  if (/\s/.test(value) || CONTROL.test(value)) return "must not contain spaces or control characters (percent-encode them, e.g. %20)";
  if (/^[A-Za-z0-9.-]+(:\d{1,5})?$/.test(value)) return undefined;
  return httpUrlProblem(value);
}

/**
 * A URL that becomes part of Prometheus alert annotations (`<base>/<Alert>.md`),
 * which are Go templates: plain http(s), no template actions, no query or
 * fragment (the alert's path is appended), no trailing slash.
 */
export function runbookBaseUrlProblem(value: string): string | undefined {
  if (value.includes("{{") || value.includes("}}")) return "must be a plain URL; '{{' and '}}' would be read as Go template actions in every alert's runbook_url";
  const why = httpUrlProblem(value);
  if (why) return why;
  const url = new URL(value);
  if (url.search !== "" || url.hash !== "" || /[?#]/.test(value)) return "must not have a query or fragment: each alert appends /<AlertName>.md";
  if (value.endsWith("/")) return "must not end with '/': each alert appends /<AlertName>.md";
  return undefined;
}

const ADDR_SPEC = /^[A-Za-z0-9.!#$%&'*+/=?^_`{|}~-]+@[A-Za-z0-9]([-A-Za-z0-9]*[A-Za-z0-9])?(\.[A-Za-z0-9]([-A-Za-z0-9]*[A-Za-z0-9])?)*$/;

/** One address as Go's net/mail reads it: `ops@example.com` or `Ops <ops@example.com>`. */
function mailboxProblem(value: string): string | undefined {
  const s = value.trim();
  const named = /^([^<>"]*)<([^<>]+)>$/.exec(s);
  const addr = named ? named[2] : s;
  if (s === "") return "an address is empty";
  if (CONTROL.test(s)) return "contains control characters";
  if (!ADDR_SPEC.test(addr) || addr.includes("..") || addr.startsWith(".") || addr.split("@")[0].endsWith(".")) return `'${s}' is not an e-mail address such as ops@example.com or "Ops <ops@example.com>"`;
  return undefined;
}

/** One address (`from`). */
export function emailAddressProblem(value: string): string | undefined {
  if (value.includes(",")) return "must be a single address";
  return mailboxProblem(value);
}

/** One address or a comma-separated list (`to`; Alertmanager sends to each), every one checked. */
export function emailListProblem(value: string): string | undefined {
  for (const part of value.split(",")) {
    const why = mailboxProblem(part);
    if (why) return why;
  }
  return undefined;
}

let zones: Map<string, string> | undefined;
/** IANA zone names Node's ICU knows, by lower case (for the correctly-cased suggestion). */
function knownZones(): Map<string, string> {
  zones ??= new Map(Intl.supportedValuesOf("timeZone").map((z) => [z.toLowerCase(), z]));
  return zones;
}

/**
 * An IANA time-zone name Alertmanager's `time.LoadLocation` finds: Node's
 * ICU carries the same database. Go reads zone files by exact name, so case
 * matters (`asia/singapore` is not found); `Local` would mean the container's
 * zone, which is UTC and misleading.
 */
export function timeZoneProblem(value: string): string | undefined {
  if (value === "UTC") return undefined;
  const canonical = knownZones().get(value.toLowerCase());
  let accepted = true;
  try {
    new Intl.DateTimeFormat("en", { timeZone: value });
  } catch {
    accepted = false;
  }
  if (accepted && canonical !== undefined && canonical !== value) return `the zone is spelt '${canonical}' (names are case-sensitive)`;
  if (accepted && value !== "Local" && !/^[+-]/.test(value)) return undefined;
  const near = didYouMean(value, [...knownZones().values()]);
  return `is not an IANA time zone${near ? `; did you mean '${near}'?` : " such as Europe/Berlin, Asia/Singapore or UTC"}`;
}

/** A remote-write endpoint: an http(s) URL without credentials in it (they are secrets: basic auth or a token). */
export function remoteWriteUrlProblem(value: string): string | undefined {
  const shape = httpUrlProblem(value);
  if (shape) return shape;
  const url = new URL(value);
  if (url.username !== "" || url.password !== "") return "must not carry credentials (user:password@); set basicAuthUser and basicAuthPassword (a secret) instead";
  return undefined;
}

/**
 * A regular expression Go's RE2 compiles, as far as JavaScript can tell: it
 * must compile here, and must not use what RE2 lacks (lookarounds, backreferences).
 */
/** A day of the month (1..31, or -31..-1 from its end) or a range of them, as Alertmanager's `days_of_month` takes it. */
export const DAYS_OF_MONTH_RE = /^-?([1-9]|[12]\d|3[01])(:-?([1-9]|[12]\d|3[01]))?$/;
/** Alertmanager's month names, in calendar order. */
export const MONTH_NAMES = ["january", "february", "march", "april", "may", "june", "july", "august", "september", "october", "november", "december"];
const MONTH = `(${MONTH_NAMES.join("|")}|[1-9]|1[0-2])`;
/** A month (name or number) or a range of them, as Alertmanager's `months` takes it. */
export const MONTHS_RE = new RegExp(`^${MONTH}(:${MONTH})?$`);

const MATCHER_RE = /^\s*([a-zA-Z_][a-zA-Z0-9_]*)\s*(=~|!~|!=|=)\s*"((?:[^"\\]|\\.)*)"\s*$/;

/**
 * One Alertmanager matcher in the form both its parsers accept (0.25's amtool
 * and 0.34's UTF-8 one): a label name, an operator and a double-quoted value,
 * a valid RE2 expression for =~ and !~.
 */
export function alertmanagerMatcherProblem(value: string): string | undefined {
  const m = MATCHER_RE.exec(value);
  if (!m) return 'is not one Alertmanager matcher; write label, operator (=, !=, =~ or !~) and a double-quoted value, e.g. component="worker"';
  if (m[2] === "=~" || m[2] === "!~") {
    const why = re2Problem(m[3].replace(/\\"/g, '"'));
    if (why !== undefined) return `its regular expression ${why}`;
  }
  return undefined;
}

export function re2Problem(value: string): string | undefined {
  if (/\(\?<?[=!]/.test(value)) return "uses a lookaround, which Go's RE2 (Prometheus) does not support";
  if (/\\[1-9]/.test(value)) return "uses a backreference, which Go's RE2 (Prometheus) does not support";
  try {
    new RegExp(value);
  } catch (e) {
    return `is not a valid regular expression: ${(e as Error).message}`;
  }
  return undefined;
}
