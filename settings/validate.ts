import { Field, ObjectField, SecretValue } from "./fields";
import { CONFIG_NAMESPACE, ROOT_FIELD, Settings } from "./schema";
import { crossChecks } from "./checks";
import { didYouMean } from "./did-you-mean";
import { ENVIRONMENT_HINT, ENVIRONMENT_RE } from "./values";
import { isStoredSecure, type SecurePaths } from "./secure-paths";
import { configSizeProblems } from "./config-size";
import { durationInRange, durationSeconds, isDuration } from "../configs/durations";
import { ConfigValidationError, formatProblem, type ConfigProblem } from "./problems";

export { didYouMean };
export { ConfigValidationError, formatProblem, type ConfigProblem };

/** The raw config as Pulumi hands it over: top-level keys without namespace, parsed JSON values. */
export interface RawConfig {
  readonly values: Readonly<Record<string, unknown>>;
  /** Top-level keys Pulumi holds as secrets (a nested secret makes its whole top-level key secret). */
  readonly secretKeys: ReadonlySet<string>;
  /** Full keys (`observabilty:target`) of namespaces this program does not read. */
  readonly foreignKeys?: readonly string[];
  /**
   * Exact paths the stack file stores `secure:`, for the top-level keys whose file entry is what the
   * program received (settings/secure-paths.ts). A secret field under such a key must be one of them;
   * under any other key, its top-level key being secret is all that can be checked.
   */
  readonly securePaths?: SecurePaths;
}

export interface ValidateOptions {
  /** The stack name: the `environment` when that is unset. */
  readonly stack?: string;
  /**
   * Stand-in for a required secret that is not set, given its key path; return
   * `undefined` to report it as a problem (the default: deploy needs the real
   * value). Render passes a placeholder here so a stack whose receivers are
   * declared can be rendered and reviewed before anyone holds the token.
   */
  readonly unsetSecret?: (keyPath: string) => string | undefined;
}

/** Validate and default raw config; throws `ConfigValidationError` listing every problem. */
export function validateSettings(raw: RawConfig, options: ValidateOptions = {}): Settings {
  const { settings, problems } = checkSettings(raw, options);
  if (problems.length > 0) throw new ConfigValidationError(problems);
  return settings;
}

/**
 * Every problem of the raw config in one round: per key, then across keys.
 * A key that fails its own check takes its default (when it has one) so the
 * cross-key checks still run; a cross-key problem on a key that already has
 * one of its own is not repeated. `settings` is only usable when `problems`
 * is empty.
 */
export function checkSettings(raw: RawConfig, options: ValidateOptions = {}): { settings: Settings; problems: ConfigProblem[] } {
  const { stack } = options;
  const problems: ConfigProblem[] = [...foreignKeyProblems(raw.foreignKeys ?? [])];
  const walker = new Walker(problems, raw.secretKeys, raw.securePaths ?? new Map(), options.unsetSecret);
  const settings = walker.object(ROOT_FIELD, raw.values, "") as unknown as Settings;
  const environment = environmentOf(settings, stack);
  if (settings.environment === undefined && stack !== undefined && !isEnvironment(stack)) {
    problems.push({
      key: "environment",
      message: `is unset, so the stack name ${JSON.stringify(stack)} would be used; it becomes the env label of every series and alert and a Kubernetes label value, so it must be ${ENVIRONMENT_HINT}. Set it: pulumi config set observability:environment ${suggestEnvironment(stack)}`,
    });
  }
  const own = problems.map((p) => p.key);
  const covered = (key: string) => own.some((k) => key === k || key.startsWith(`${k}.`) || key.startsWith(`${k}[`));
  for (const p of crossChecks(settings, own.length > 0, environment)) if (!covered(p.key)) problems.push(p);
  // Last and apart: a config too large for Pulumi to pass says nothing about its values' own checks.
  problems.push(...configSizeProblems(raw.values));
  return { settings, problems };
}

/** The `env` label: `environment`, or the stack name when unset. */
export function environmentOf(s: Pick<Settings, "environment">, stack: string | undefined): string {
  return s.environment ?? stack ?? "validation";
}

function isEnvironment(s: string): boolean {
  return ENVIRONMENT_RE.test(s);
}

function suggestEnvironment(stack: string): string {
  const s = stack.toLowerCase().replace(/[^a-z0-9-]+/g, "-").replace(/^-+|-+$/g, "").slice(0, 63).replace(/-+$/, "");
  return s || "production";
}

/** Namespaces other than ours that a stack file may carry: the providers the program uses, and Pulumi's own. */
export const PROVIDER_NAMESPACES: readonly string[] = ["pulumi", "docker", "kubernetes", "random", "grafana"];

/**
 * Keys under a namespace this program does not read are silently ignored by
 * Pulumi; a misspelt `observabilty:target` would leave the stack on defaults.
 */
function foreignKeyProblems(keys: readonly string[]): ConfigProblem[] {
  return keys.flatMap((full): ConfigProblem[] => {
    const [ns, ...rest] = full.split(":");
    if (PROVIDER_NAMESPACES.includes(ns)) return [];
    const hint = didYouMean(ns, [CONFIG_NAMESPACE]);
    return [
      {
        key: full,
        file: true,
        message: `namespace '${ns}' is not read by this program${hint ? `; did you mean '${hint}:${rest.join(":")}'?` : ""} Keys belong under '${CONFIG_NAMESPACE}:' (or a provider's: ${PROVIDER_NAMESPACES.join(", ")})`,
      },
    ];
  });
}

function join(path: string, key: string): string {
  return path === "" ? key : `${path}.${key}`;
}

function describe(value: unknown): string {
  if (value === null) return "null";
  if (Array.isArray(value)) return "a list";
  if (typeof value === "object") return "an object";
  return `${typeof value} ${JSON.stringify(value)}`;
}

/**
 * Pulumi config is text underneath: `pulumi config set --path` types only
 * integers and booleans, so `objective 99.9` arrives as the string "99.9" and
 * a list or object given as JSON at a nested key as a JSON string. Read such
 * text as the value the field expects; anything else is left for the field's
 * own check to reject.
 */
function fromConfigText(field: Field, value: unknown): unknown {
  if (typeof value !== "string") return value;
  const text = value.trim();
  switch (field.kind) {
    case "int":
    case "port":
    case "number":
      return /^-?\d+(\.\d+)?([eE][-+]?\d+)?$/.test(text) ? Number(text) : value;
    case "bool":
      return text === "true" ? true : text === "false" ? false : value;
    case "list":
    case "object":
    case "map":
    case "union":
      if (!text.startsWith("[") && !text.startsWith("{")) return value;
      try {
        return JSON.parse(text) as unknown;
      } catch {
        return value;
      }
    default:
      return value;
  }
}

class Walker {
  constructor(
    private readonly problems: ConfigProblem[],
    private readonly secretKeys: ReadonlySet<string>,
    private readonly securePaths: SecurePaths,
    private readonly unsetSecret?: (keyPath: string) => string | undefined,
  ) {}

  private problem(key: string, message: string): undefined {
    this.problems.push({ key, message });
    return undefined;
  }

  object(field: ObjectField, value: unknown, path: string): Record<string, unknown> | undefined {
    const input = value === undefined ? {} : value;
    if (typeof input !== "object" || input === null || Array.isArray(input)) {
      return this.problem(path, `must be an object with keys ${Object.keys(field.fields).join(", ")}; got ${describe(value)}`);
    }
    const record = input as Record<string, unknown>;
    const known = Object.keys(field.fields);
    for (const key of Object.keys(record)) {
      if (!known.includes(key)) {
        const hint = didYouMean(key, known);
        this.problem(join(path, key), `unknown key${hint ? `; did you mean '${hint}'?` : ""} Valid keys here: ${known.join(", ")}`);
      }
    }
    const out: Record<string, unknown> = {};
    for (const key of known) {
      out[key] = this.value(field.fields[key], record[key], join(path, key));
    }
    return out;
  }

  value(field: Field, value: unknown, path: string): unknown {
    const before = this.problems.length;
    const checked = this.checked(field, value, path);
    // A bad value takes its default, so checks across keys can still run in the same round.
    if (checked === undefined && this.problems.length > before && "default" in field && field.default !== undefined) return structuredClone(field.default);
    return checked;
  }

  private checked(field: Field, value: unknown, path: string): unknown {
    if (value === undefined || value === null) {
      if ("default" in field && field.default !== undefined) return structuredClone(field.default);
      if (field.kind === "object") return this.object(field, undefined, path);
      if (field.kind === "map") return {};
      if (field.kind === "list") return [];
      if (field.optional) return undefined;
      if (field.kind === "secret") {
        const standIn = this.unsetSecret?.(path);
        if (standIn !== undefined) return new SecretValue(standIn);
        return this.problem(path, `is required; set it with: pulumi config set --secret --path '${CONFIG_NAMESPACE}:${path}' <value>`);
      }
      return this.problem(path, `is required (${field.description})`);
    }
    value = fromConfigText(field, value);
    switch (field.kind) {
      case "string":
        if (typeof value !== "string") return this.problem(path, `must be a string; got ${describe(value)}`);
        if (field.pattern && !field.pattern.test(value)) {
          return this.problem(path, `${JSON.stringify(value)} is not valid; expected ${field.patternHint ?? field.pattern.source}`);
        }
        if (field.maxLength !== undefined && value.length > field.maxLength) {
          return this.problem(path, `${JSON.stringify(value)} is ${value.length} characters long; at most ${field.maxLength} are valid (${field.patternHint ?? field.description})`);
        }
        if (field.check) {
          const why = field.check(value);
          if (why !== undefined) return this.problem(path, `${JSON.stringify(value)} is not valid: ${why}`);
        }
        return value;
      case "enum":
        if (typeof value !== "string" || !field.values.includes(value)) {
          const hint = typeof value === "string" ? didYouMean(value, field.values) : undefined;
          return this.problem(path, `must be one of ${field.values.map((v) => `'${v}'`).join(", ")}; got ${describe(value)}${hint ? ` (did you mean '${hint}'?)` : ""}`);
        }
        return value;
      case "int":
      case "port": {
        const [min, max] = field.kind === "port" ? [1, 65535] : [field.min, field.max];
        const what = field.kind === "port" ? "a port number" : "an integer";
        if (typeof value !== "number" || !Number.isInteger(value)) return this.problem(path, `must be ${what} from ${min} to ${max}; got ${describe(value)}`);
        if (value < min || value > max) return this.problem(path, `${value} is out of range; must be ${what} from ${min} to ${max}`);
        return value;
      }
      case "number":
        if (typeof value !== "number" || !Number.isFinite(value)) return this.problem(path, `must be a number; got ${describe(value)}`);
        if (value < field.min || value > field.max) return this.problem(path, `${value} is out of range; must be from ${field.min} to ${field.max}`);
        return value;
      case "bool":
        if (typeof value !== "boolean") return this.problem(path, `must be true or false; got ${describe(value)}`);
        return value;
      case "duration":
        if (typeof value !== "string" || !isDuration(value)) {
          return this.problem(path, `must be a duration such as 30s, 5m, 1h30m or 15d (units ms, s, m, h, d, w, y); got ${describe(value)}`);
        }
        if (!durationInRange(value)) return this.problem(path, `${value} is longer than Prometheus can hold (about 292 years); use a shorter duration`);
        if (!field.allowZero && durationSeconds(value) === 0) return this.problem(path, `${value} is zero; must be above zero, e.g. 30s`);
        return value;
      case "scalar":
        if (typeof value === "number" || (typeof value === "string" && isDuration(value))) return value;
        return this.problem(path, `must be a number or a duration; got ${describe(value)}`);
      case "secret": {
        if (typeof value !== "string" || value === "") return this.problem(path, `must be a non-empty string set as a secret; got ${describe(value)}`);
        const topKey = path.split(/[.[]/)[0];
        const exact = this.securePaths.get(topKey);
        if (exact ? !isStoredSecure(exact, path) : !this.secretKeys.has(topKey)) {
          return this.problem(path, `is stored in plain text in the stack file; remove it and set it with: pulumi config set --secret --path '${CONFIG_NAMESPACE}:${path}' <value>`);
        }
        return new SecretValue(value);
      }
      case "object":
        return this.object(field, value, path);
      case "list": {
        if (!Array.isArray(value)) return this.problem(path, `must be a list; got ${describe(value)}`);
        const items = value.map((item, i) => this.value(field.items, item, `${path}[${i}]`));
        if (field.uniqueBy) {
          const seen = new Map<unknown, number>();
          value.forEach((item, i) => {
            const id = (item as Record<string, unknown> | null)?.[field.uniqueBy as string];
            if (id === undefined) return;
            const first = seen.get(id);
            if (first !== undefined) {
              this.problem(`${path}[${i}].${field.uniqueBy}`, `duplicate ${field.uniqueBy} ${JSON.stringify(id)} (also at ${path}[${first}]); each must be unique`);
            } else seen.set(id, i);
          });
        }
        return items;
      }
      case "map": {
        if (typeof value !== "object" || Array.isArray(value)) return this.problem(path, `must be an object of key: value; got ${describe(value)}`);
        const out: Record<string, unknown> = {};
        for (const [key, v] of Object.entries(value as Record<string, unknown>)) {
          if (field.knownKeys && !field.knownKeys.includes(key)) {
            const hint = didYouMean(key, field.knownKeys);
            this.problem(join(path, key), `unknown key${hint ? `; did you mean '${hint}'?` : ""} See the keys documented in the README.`);
            continue;
          }
          out[key] = this.value(field.fieldFor?.(key) ?? field.values, v, join(path, key));
        }
        return out;
      }
      case "union": {
        const types = Object.keys(field.variants);
        const type = (value as Record<string, unknown>)?.type;
        if (typeof value !== "object" || Array.isArray(value)) return this.problem(path, `must be an object with a 'type' of ${types.join(", ")}; got ${describe(value)}`);
        if (typeof type !== "string" || !types.includes(type)) {
          const hint = typeof type === "string" ? didYouMean(type, types) : undefined;
          return this.problem(join(path, "type"), `must be one of ${types.map((t) => `'${t}'`).join(", ")}; got ${describe(type)}${hint ? ` (did you mean '${hint}'?)` : ""}`);
        }
        const { type: _type, ...rest } = value as Record<string, unknown>;
        const body = this.object({ kind: "object", description: type, fields: field.variants[type] }, rest, path);
        return body && { type, ...body };
      }
    }
  }
}
