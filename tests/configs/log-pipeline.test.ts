/**
 * The log pipeline: applications write JSON lines, an agent (Alloy, or the
 * end-of-life Promtail) ships them to Loki with low-cardinality labels only,
 * Loki keeps them for the configured retention and its ruler alerts through
 * Alertmanager.
 *
 * No Loki/Promtail/Alloy binary exists here, so these specs parse what the
 * builders produce and check the facts the tools depend on.
 */
import * as path from "path";
import { parse } from "yaml";
import { AlloyExpr, alloyConfigFiles, alloyString, renderAlloy, attr, block } from "../../configs/alloy/alloy";
import {
  FORBIDDEN_LOG_LABELS,
  LOG_LABELS,
  PROMOTED_JSON_FIELDS,
  SERVICE_LABEL,
  STRUCTURED_METADATA_FIELDS,
  logLabelsFor,
} from "../../configs/logs/labels";
import { LOKI_CONFIG_PATH, LOKI_DATA_DIR, LOKI_PUSH_PATH, LOKI_RESULTS_CACHE_INHERITORS, LOKI_RULES_DIR, lokiCacheSizesMb, lokiConfigFiles } from "../../configs/loki/loki";
import { promtailConfigFiles } from "../../configs/promtail/promtail";
import { SERVICES, internalUrl } from "../../configs/topology";
import { PLATFORM_PROFILES } from "../../targets";

const PUSH_URL = `${internalUrl("loki")}${LOKI_PUSH_PATH}`;
const PLATFORMS = ["docker", "kubernetes"] as const;

// ---------------------------------------------------------------------------
// A parser for the subset of the Alloy language the builder emits. It is
// strict: anything it does not understand fails the spec.
// ---------------------------------------------------------------------------

type AValue =
  | string
  | number
  | boolean
  | { ref: string }
  | { call: string; args: AValue[] }
  | { concat: AValue[] }
  | AValue[]
  | { [key: string]: AValue };

interface ABlock {
  name: string;
  label?: string;
  attrs: Record<string, AValue>;
  blocks: ABlock[];
}

type Token = { t: "ident" | "string" | "number" | "punct"; v: string };

const ESCAPES: Record<string, string> = { n: "\n", r: "\r", t: "\t", '"': '"', "\\": "\\", a: "\x07", b: "\b", f: "\f", v: "\v" };

function tokenize(src: string): Token[] {
  const out: Token[] = [];
  let i = 0;
  while (i < src.length) {
    const c = src[i];
    if (c === "\n" || c === " " || c === "\t" || c === "\r") { i++; continue; }
    if (src.startsWith("//", i)) { while (i < src.length && src[i] !== "\n") i++; continue; }
    if (/[A-Za-z_]/.test(c)) {
      let j = i;
      while (j < src.length && /[A-Za-z0-9_]/.test(src[j])) j++;
      out.push({ t: "ident", v: src.slice(i, j) });
      i = j;
      continue;
    }
    if (/[0-9]/.test(c)) {
      let j = i;
      while (j < src.length && /[0-9.]/.test(src[j])) j++;
      out.push({ t: "number", v: src.slice(i, j) });
      i = j;
      continue;
    }
    if (c === '"') {
      let s = "";
      i++;
      for (;;) {
        if (i >= src.length) throw new Error("unterminated string");
        const ch = src[i];
        if (ch === '"') { i++; break; }
        if (ch === "\n") throw new Error("raw newline inside a string");
        if (ch === "\\") {
          const e = src[i + 1];
          if (e === "u") {
            const hex = src.slice(i + 2, i + 6);
            if (!/^[0-9a-fA-F]{4}$/.test(hex)) throw new Error(`bad \\u escape: ${hex}`);
            s += String.fromCharCode(parseInt(hex, 16));
            i += 6;
            continue;
          }
          if (!(e in ESCAPES)) throw new Error(`unknown escape \\${e}`);
          s += ESCAPES[e];
          i += 2;
          continue;
        }
        s += ch;
        i++;
      }
      out.push({ t: "string", v: s });
      continue;
    }
    if ("{}[](),=+.".includes(c)) { out.push({ t: "punct", v: c }); i++; continue; }
    throw new Error(`unexpected character ${JSON.stringify(c)} at ${i}`);
  }
  return out;
}

function parseAlloy(src: string): ABlock[] {
  const toks = tokenize(src);
  let p = 0;
  const peek = () => toks[p];
  const take = (t?: Token["t"], v?: string): Token => {
    const tok = toks[p++];
    if (!tok || (t && tok.t !== t) || (v !== undefined && tok.v !== v)) {
      throw new Error(`expected ${v ?? t} at token ${p - 1}, got ${JSON.stringify(tok)}`);
    }
    return tok;
  };
  const dotted = (): string => {
    let name = take("ident").v;
    while (peek()?.t === "punct" && peek().v === ".") { p++; name += "." + take("ident").v; }
    return name;
  };
  const value = (): AValue => {
    const parts = [term()];
    while (peek()?.t === "punct" && peek().v === "+") { p++; parts.push(term()); }
    return parts.length === 1 ? parts[0] : { concat: parts };
  };
  const term = (): AValue => {
    const tok = peek();
    if (tok.t === "string") { p++; return tok.v; }
    if (tok.t === "number") { p++; return Number(tok.v); }
    if (tok.t === "punct" && tok.v === "[") {
      p++;
      const items: AValue[] = [];
      while (!(peek().t === "punct" && peek().v === "]")) {
        items.push(value());
        if (peek().t === "punct" && peek().v === ",") p++;
        else break;
      }
      take("punct", "]");
      return items;
    }
    if (tok.t === "punct" && tok.v === "{") {
      p++;
      const obj: { [key: string]: AValue } = {};
      while (!(peek().t === "punct" && peek().v === "}")) {
        const key = peek().t === "string" ? take("string").v : take("ident").v;
        take("punct", "=");
        if (key in obj) throw new Error(`duplicate key ${key}`);
        obj[key] = value();
        if (peek().t === "punct" && peek().v === ",") p++;
        else break;
      }
      take("punct", "}");
      return obj;
    }
    if (tok.t === "ident") {
      if (tok.v === "true" || tok.v === "false") { p++; return tok.v === "true"; }
      const name = dotted();
      if (peek()?.t === "punct" && peek().v === "(") {
        p++;
        const args: AValue[] = [];
        while (!(peek().t === "punct" && peek().v === ")")) {
          args.push(value());
          if (peek().t === "punct" && peek().v === ",") p++;
          else break;
        }
        take("punct", ")");
        return { call: name, args };
      }
      return { ref: name };
    }
    throw new Error(`unexpected token ${JSON.stringify(tok)}`);
  };
  const body = (closing: boolean): ABlock => {
    const b: ABlock = { name: "", attrs: {}, blocks: [] };
    while (p < toks.length && !(closing && peek().t === "punct" && peek().v === "}")) {
      const name = dotted();
      const next = peek();
      if (next.t === "punct" && next.v === "=") {
        p++;
        if (name.includes(".")) throw new Error(`attribute name ${name} contains a dot`);
        if (name in b.attrs) throw new Error(`duplicate attribute ${name}`);
        b.attrs[name] = value();
        continue;
      }
      const label = next.t === "string" ? take("string").v : undefined;
      take("punct", "{");
      const inner = body(true);
      take("punct", "}");
      b.blocks.push({ ...inner, name, label });
    }
    return b;
  };
  const root = body(false);
  if (Object.keys(root.attrs).length > 0) throw new Error("top-level attributes are not allowed");
  return root.blocks;
}

function find(blocks: ABlock[], name: string, label?: string): ABlock {
  const found = blocks.filter((b) => b.name === name && (label === undefined || b.label === label));
  if (found.length !== 1) throw new Error(`expected one ${name} ${label ?? ""}, found ${found.length}`);
  return found[0];
}

/** Label names a relabel rule list can write (target_label of non-drop rules). */
function relabelTargets(rules: { target_label?: unknown; action?: unknown }[]): string[] {
  return rules.filter((r) => r.action !== "drop" && typeof r.target_label === "string").map((r) => r.target_label as string);
}

// ---------------------------------------------------------------------------

describe("the shared label contract (configs/logs/labels.ts)", () => {
  it("promotes exactly the seed's low-cardinality JSON fields to labels", () => {
    expect([...PROMOTED_JSON_FIELDS]).toEqual(["level", "component", "channel", "pipeline_version"]);
  });

  it("keeps request IDs as structured metadata, never as labels", () => {
    expect([...STRUCTURED_METADATA_FIELDS]).toContain("trace_id");
    for (const forbidden of FORBIDDEN_LOG_LABELS) expect(LOG_LABELS).not.toContain(forbidden);
  });

  it("names the service the same way on Docker and Kubernetes", () => {
    expect(SERVICE_LABEL).toBe("compose_service");
    for (const platform of PLATFORMS) expect(logLabelsFor(PLATFORM_PROFILES[platform].logSource)).toContain(SERVICE_LABEL);
    expect(logLabelsFor(PLATFORM_PROFILES.kubernetes.logSource)).toEqual(expect.arrayContaining(["namespace", "container", "app"]));
  });
});

describe("Loki (loki/loki.yml)", () => {
  const render = () => lokiConfigFiles({ retention: "168h", alertmanagerUrls: [internalUrl("alertmanager")], memoryLimitMb: 1024 });
  const [file] = render();
  const cfg = parse(file.content);

  it("is one file at loki/loki.yml", () => {
    expect(render().map((f) => f.path)).toEqual(["loki/loki.yml"]);
  });

  it("runs as a single-tenant single binary on the topology ports", () => {
    expect(cfg.target).toBe("all");
    expect(cfg.auth_enabled).toBe(false);
    expect(cfg.server.http_listen_port).toBe(SERVICES.loki.ports.http);
    expect(cfg.server.grpc_listen_port).toBe(SERVICES.loki.ports.grpc);
  });

  it("stores chunks and a TSDB v13 index on the filesystem under /loki", () => {
    expect(cfg.common.path_prefix).toBe("/loki");
    expect(cfg.common.storage.filesystem.chunks_directory).toMatch(/^\/loki\//);
    expect(cfg.schema_config.configs).toEqual([
      expect.objectContaining({ from: "2024-01-01", store: "tsdb", object_store: "filesystem", schema: "v13" }),
    ]);
  });

  it("deletes logs older than the retention through the compactor", () => {
    expect(cfg.compactor).toMatchObject({ retention_enabled: true, delete_request_store: "filesystem" });
    expect(cfg.limits_config.retention_period).toBe("168h");
    const other = parse(lokiConfigFiles({ retention: "30d", alertmanagerUrls: ["http://am:9093"], memoryLimitMb: 1024 })[0].content);
    expect(other.limits_config.retention_period).toBe("30d");
  });

  it("accepts structured metadata (needed for trace_id and for OTLP at /otlp) and volume queries", () => {
    expect(cfg.limits_config.allow_structured_metadata).toBe(true);
    expect(cfg.limits_config.volume_enabled).toBe(true);
  });

  it("evaluates rules from local storage for the single tenant and sends alerts to Alertmanager", () => {
    expect(cfg.ruler.alertmanager_url).toBe(internalUrl("alertmanager"));
    expect(cfg.ruler.enable_api).toBe(true);
    expect(cfg.ruler.storage).toEqual({ type: "local", local: { directory: "/etc/loki/rules" } });
    expect(cfg.common.storage.filesystem.rules_directory).toBe("/etc/loki/rules");
    // With auth disabled the tenant is "fake": rule files go in <storage dir>/fake.
    expect(LOKI_RULES_DIR).toBe(`${cfg.ruler.storage.local.directory}/fake`);
  });

  it("reads rules from outside the data volume, so a removed rule file does not outlive a redeploy", () => {
    // Files on the volume persist across container replacement; the config mount does not.
    expect(cfg.ruler.storage.local.directory.startsWith(`${LOKI_DATA_DIR}/`)).toBe(false);
    expect(cfg.ruler.storage.local.directory.startsWith(`${path.posix.dirname(LOKI_CONFIG_PATH)}/`)).toBe(true);
    // The ruler's scratch copy is written, so it stays on the (writable) volume.
    expect(cfg.ruler.rule_path.startsWith(`${LOKI_DATA_DIR}/`)).toBe(true);
  });

  // Loki 3.7.3 (same in 3.7.5): query_range.cache_results defaults to false (docs/sources/shared/configuration.md,
  // pkg/querier/queryrange/roundtrip.go wraps the cache middleware only `if cfg.CacheResults`);
  // pkg/loki/config_wrapper.go gives the index-stats, volume, series and label caches the results
  // cache's settings, each as its own cache; the chunk cache is embedded and 100 MB unless sized.
  it("caches range-query results, with every in-process cache sized from the memory limit", () => {
    expect(cfg.query_range.cache_results).toBe(true);
    expect(cfg.query_range.results_cache.cache.embedded_cache).toEqual({ enabled: true, max_size_mb: 51 });
    expect(cfg.chunk_store_config.chunk_cache_config.embedded_cache).toEqual({ enabled: true, max_size_mb: 102 });
    // None of the inheriting caches is configured, so each takes the results cache's size.
    for (const c of LOKI_RESULTS_CACHE_INHERITORS) expect(cfg.query_range).not.toHaveProperty(c);
    const worstCase = (mb: number) => {
      const sizes = lokiCacheSizesMb(mb);
      return sizes.results * (1 + LOKI_RESULTS_CACHE_INHERITORS.length) + sizes.chunks;
    };
    for (const mb of [256, 1024, 4096]) expect(worstCase(mb)).toBeLessThanOrEqual(mb * 0.35);
    expect(lokiCacheSizesMb(32)).toEqual({ results: 1, chunks: 3 });
  });

  it("renders identical bytes every time", () => {
    expect(render()).toEqual(render());
  });
});

describe.each(PLATFORMS)("Promtail on %s (promtail/promtail.yml)", (platform) => {
  const render = () => promtailConfigFiles({ lokiPushUrl: PUSH_URL, platform: PLATFORM_PROFILES[platform] });
  const cfg = parse(render()[0].content);
  const [job] = cfg.scrape_configs;
  const stages: Record<string, unknown>[] = job.pipeline_stages;
  const stage = (name: string) => stages.find((s) => name in s)?.[name] as Record<string, unknown> | undefined;

  it("pushes to Loki's push API and serves its own metrics on the topology port", () => {
    expect(cfg.clients).toEqual([{ url: PUSH_URL }]);
    expect(cfg.server.http_listen_port).toBe(SERVICES.promtail.ports.http);
    expect(cfg.server.http_listen_address).toBe("0.0.0.0");
  });

  it("discovers containers the platform's way", () => {
    if (platform === "docker") {
      expect(job.docker_sd_configs).toEqual([expect.objectContaining({ host: "tcp://docker-socket-proxy:2375" })]);
    } else {
      expect(job.kubernetes_sd_configs).toEqual([{ role: "pod" }]);
      expect(stages[0]).toEqual({ cri: {} });
    }
  });

  it("parses the JSON fields and promotes only the low-cardinality ones", () => {
    expect(Object.keys(stage("json")?.expressions as object)).toEqual(
      expect.arrayContaining(["timestamp", "level", "message", "component", "channel", "pipeline_version", "trace_id"]),
    );
    expect(Object.keys(stage("labels") as object)).toEqual([...PROMOTED_JSON_FIELDS]);
    expect(Object.keys(stage("structured_metadata") as object)).toEqual(expect.arrayContaining(["trace_id"]));
  });

  it("attaches exactly the shared label set and no high-cardinality label", () => {
    const fromDiscovery = relabelTargets(job.relabel_configs).filter((l) => !l.startsWith("__"));
    const dropped = (stage("labeldrop") as unknown as string[] | undefined) ?? [];
    const labels = [...new Set([...fromDiscovery, ...Object.keys(stage("labels") as object)])].filter((l) => !dropped.includes(l));
    expect(labels.sort()).toEqual([...logLabelsFor(PLATFORM_PROFILES[platform].logSource)].sort());
    for (const forbidden of FORBIDDEN_LOG_LABELS) expect(labels).not.toContain(forbidden);
  });

  it("renders identical bytes every time", () => {
    expect(render()).toEqual(render());
  });
});

describe("Alloy syntax printer", () => {
  it("escapes every string so it reads back unchanged", () => {
    const nasty = 'quote " backslash \\ newline \n tab \t cr \r bell \x07 nul \x00 del \x7f unicode é ✓ ${x} // not a comment';
    const text = renderAlloy([block("loki.write", "x", [block("endpoint", undefined, [attr("url", nasty)])])]);
    const [b] = parseAlloy(text);
    expect(b.blocks[0].attrs.url).toBe(nasty);
    expect(alloyString('a"b')).toBe('"a\\"b"');
  });

  it("refuses names that are not identifiers instead of printing broken syntax", () => {
    expect(() => renderAlloy([block("loki.write", 'bad"label', [])])).toThrow(/label/);
    expect(() => renderAlloy([block("x", undefined, [attr("bad-name", 1)])])).toThrow(/attribute/);
    expect(() => AlloyExpr.ref("not a ref")).toThrow();
    expect(() => AlloyExpr.env("BAD NAME")).toThrow();
  });
});

describe.each(PLATFORMS)("Alloy on %s (alloy/config.alloy)", (platform) => {
  const render = () =>
    alloyConfigFiles({ lokiPushUrl: PUSH_URL, platform: PLATFORM_PROFILES[platform], ...(platform === "kubernetes" ? { nodeNameEnvVar: "NODE_NAME" } : {}) });
  const [file] = render();
  const blocks = parseAlloy(file.content);

  it("is one syntactically valid file at alloy/config.alloy", () => {
    expect(render().map((f) => f.path)).toEqual(["alloy/config.alloy"]);
    expect(blocks.length).toBeGreaterThan(3);
  });

  it("writes to Loki's push API", () => {
    const write = find(blocks, "loki.write");
    expect(find(write.blocks, "endpoint").attrs.url).toBe(PUSH_URL);
  });

  it("wires source -> process -> write through component references that exist", () => {
    const defined = new Set(blocks.filter((b) => b.label).map((b) => `${b.name}.${b.label}`));
    const refs: string[] = [];
    const walk = (v: AValue): void => {
      if (Array.isArray(v)) v.forEach(walk);
      else if (v && typeof v === "object") {
        if ("ref" in v && typeof v.ref === "string") refs.push(v.ref);
        else Object.values(v).forEach((x) => walk(x as AValue));
      }
    };
    const visit = (b: ABlock): void => { Object.values(b.attrs).forEach(walk); b.blocks.forEach(visit); };
    blocks.forEach(visit);
    expect(refs.length).toBeGreaterThan(0);
    for (const ref of refs) expect(defined).toContain(ref.split(".").slice(0, -1).join("."));
    const process = blocks.find((b) => b.name === "loki.process")!;
    expect(process.attrs.forward_to).toEqual([{ ref: `loki.write.${find(blocks, "loki.write").label}.receiver` }]);
  });

  it("discovers containers the platform's way", () => {
    if (platform === "docker") {
      expect(find(blocks, "discovery.docker").attrs.host).toBe("tcp://docker-socket-proxy:2375");
      expect(find(blocks, "loki.source.docker").attrs.host).toBe("tcp://docker-socket-proxy:2375");
    } else {
      const discovery = find(blocks, "discovery.kubernetes");
      expect(discovery.attrs.role).toBe("pod");
      expect(find(discovery.blocks, "selectors").attrs.field).toEqual({
        concat: ["spec.nodeName=", { call: "sys.env", args: ["NODE_NAME"] }],
      });
      find(blocks, "loki.source.kubernetes");
    }
  });

  it("parses the JSON fields, promotes only the low-cardinality ones, keeps IDs as structured metadata", () => {
    const process = find(blocks, "loki.process");
    const stage = (name: string) => find(process.blocks, name);
    expect(Object.keys(stage("stage.json").attrs.expressions as object)).toEqual(
      expect.arrayContaining(["timestamp", "level", "message", "component", "channel", "pipeline_version", "trace_id"]),
    );
    expect(Object.keys(stage("stage.labels").attrs.values as object)).toEqual([...PROMOTED_JSON_FIELDS]);
    expect(Object.keys(stage("stage.structured_metadata").attrs.values as object)).toEqual(expect.arrayContaining(["trace_id"]));
    expect(stage("stage.timestamp").attrs).toMatchObject({ source: "timestamp", action_on_failure: "skip" });
  });

  it("attaches exactly the shared label set and no high-cardinality label", () => {
    const relabel = find(blocks, "discovery.relabel");
    const process = find(blocks, "loki.process");
    const rules = relabel.blocks.filter((b) => b.name === "rule").map((b) => b.attrs);
    const dropped = (process.blocks.find((b) => b.name === "stage.label_drop")?.attrs.values as string[] | undefined) ?? [];
    const promoted = Object.keys(find(process.blocks, "stage.labels").attrs.values as object);
    const labels = [...new Set([...relabelTargets(rules).filter((l) => !l.startsWith("__")), ...promoted])].filter(
      (l) => !dropped.includes(l),
    );
    expect(labels.sort()).toEqual([...logLabelsFor(PLATFORM_PROFILES[platform].logSource)].sort());
    for (const forbidden of FORBIDDEN_LOG_LABELS) expect(labels).not.toContain(forbidden);
  });

  it("labels agree with Promtail's for the same platform", () => {
    const promtail = parse(promtailConfigFiles({ lokiPushUrl: PUSH_URL, platform: PLATFORM_PROFILES[platform] })[0].content);
    const promtailRules = promtail.scrape_configs[0].relabel_configs;
    const alloyRules = find(blocks, "discovery.relabel").blocks.map((b) => b.attrs);
    expect(relabelTargets(alloyRules).filter((l) => !l.startsWith("__"))).toEqual(
      relabelTargets(promtailRules).filter((l) => !l.startsWith("__")),
    );
  });

  it("renders identical bytes every time", () => {
    expect(render()).toEqual(render());
  });
});

describe("Alloy options", () => {
  it("tails every pod from one replica when no node filter is given", () => {
    const [file] = alloyConfigFiles({ lokiPushUrl: PUSH_URL, platform: PLATFORM_PROFILES.kubernetes });
    const discovery = find(parseAlloy(file.content), "discovery.kubernetes");
    expect(discovery.blocks).toEqual([]);
  });

  it("rejects a node filter on Docker and a push URL that is not a URL", () => {
    expect(() => alloyConfigFiles({ lokiPushUrl: PUSH_URL, platform: PLATFORM_PROFILES.docker, nodeNameEnvVar: "NODE_NAME" })).toThrow();
    expect(() => alloyConfigFiles({ lokiPushUrl: "loki:3100", platform: PLATFORM_PROFILES.docker })).toThrow(/lokiPushUrl/);
  });
});

// ------------------------------------------------------------------------------------ syslog input (issue 16)

describe("the syslog input (syslog.*)", () => {
  const input = (protocols: ("tcp" | "udp")[], format: "rfc5424" | "rfc3164" = "rfc5424") => ({ protocols, format, port: SERVICES.alloy.syslogPort });

  it("is absent unless configured", () => {
    expect(alloyConfigFiles({ lokiPushUrl: PUSH_URL, platform: PLATFORM_PROFILES.docker })[0].content).not.toContain("loki.source.syslog");
    expect(parse(promtailConfigFiles({ lokiPushUrl: PUSH_URL, platform: PLATFORM_PROFILES.docker })[0].content).scrape_configs.map((c: { job_name: string }) => c.job_name)).toEqual(["docker"]);
  });

  describe.each(PLATFORMS)("Alloy on %s", (platform) => {
    const blocks = parseAlloy(alloyConfigFiles({ lokiPushUrl: PUSH_URL, platform: PLATFORM_PROFILES[platform], syslog: input(["tcp", "udp"], "rfc3164") })[0].content);
    const source = find(blocks, "loki.source.syslog", "syslog");

    it("listens once per transport on every interface at 1514, in the configured format, job=syslog", () => {
      expect(SERVICES.alloy.syslogPort).toBe(1514);
      expect(source.blocks.map((b) => b.attrs)).toEqual([
        { address: "0.0.0.0:1514", protocol: "tcp", syslog_format: "rfc3164", labels: { job: "syslog" } },
        { address: "0.0.0.0:1514", protocol: "udp", syslog_format: "rfc3164", labels: { job: "syslog" } },
      ]);
    });

    it("labels streams by host, program and severity (loki.relabel rules), and writes to Loki", () => {
      expect(source.attrs.relabel_rules).toEqual({ ref: "loki.relabel.syslog.rules" });
      expect(source.attrs.forward_to).toEqual([{ ref: "loki.write.loki.receiver" }]);
      const relabel = find(blocks, "loki.relabel", "syslog");
      expect(relabel.blocks.map((b) => [b.attrs.source_labels, b.attrs.target_label])).toEqual([
        [["__syslog_message_hostname"], "host"],
        [["__syslog_message_app_name"], "compose_service"],
        [["__syslog_message_severity"], "level"],
      ]);
      for (const forbidden of FORBIDDEN_LOG_LABELS) expect(relabel.blocks.map((b) => b.attrs.target_label)).not.toContain(forbidden);
    });
  });

  it("Promtail: one syslog scrape config per transport (listen_address, listen_protocol), same labels as Alloy", () => {
    const cfg = parse(promtailConfigFiles({ lokiPushUrl: PUSH_URL, platform: PLATFORM_PROFILES.kubernetes, syslog: input(["tcp", "udp"]) })[0].content);
    const syslog = cfg.scrape_configs.filter((c: { syslog?: unknown }) => c.syslog);
    expect(syslog.map((c: { job_name: string; syslog: unknown }) => [c.job_name, c.syslog])).toEqual([
      ["syslog-tcp", { listen_address: "0.0.0.0:1514", listen_protocol: "tcp", idle_timeout: "60s", labels: { job: "syslog" } }],
      ["syslog-udp", { listen_address: "0.0.0.0:1514", listen_protocol: "udp", idle_timeout: "60s", labels: { job: "syslog" } }],
    ]);
    expect(syslog[0].relabel_configs.map((r: { target_label: string }) => r.target_label)).toEqual(["host", "compose_service", "level"]);
  });

  it("Promtail names RFC 3164 when the senders use it, and leaves its default RFC 5424 unsaid", () => {
    const syslogOf = (format: "rfc5424" | "rfc3164") =>
      parse(promtailConfigFiles({ lokiPushUrl: PUSH_URL, platform: PLATFORM_PROFILES.docker, syslog: input(["tcp"], format) })[0].content).scrape_configs[1].syslog;
    expect(syslogOf("rfc3164").syslog_format).toBe("rfc3164");
    expect(syslogOf("rfc5424")).not.toHaveProperty("syslog_format");
  });
});
