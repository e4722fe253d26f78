/**
 * Which config values the stack file stores encrypted, key path by key path. Pulumi hands the program
 * a whole top-level key as secret when any value inside it is (`alerting` is secret if one bot token
 * is), so a plain-text webhook URL beside an encrypted bot token would pass a per-key check. The stack
 * file itself says which leaves are `secure:`; this reads that, for each top-level key whose file entry
 * matches the value the program received (otherwise the value came from elsewhere, e.g. an ESC
 * environment or `--config`, and only the per-key answer is known).
 */

/** Top-level key (no namespace) -> the exact paths stored `secure:` under it (`alerting.receivers[0].botToken`). */
export type SecurePaths = ReadonlyMap<string, ReadonlySet<string>>;

const isSecure = (v: unknown): boolean =>
  v !== null && typeof v === "object" && !Array.isArray(v) && Object.keys(v).length === 1 && typeof (v as { secure?: unknown }).secure === "string";

/**
 * `fileConfig`: the stack file's `config:` section of our namespace, keys without namespace.
 * `values`: what the program received (parsed JSON for structured keys).
 */
export function securePathsOf(fileConfig: Readonly<Record<string, unknown>>, values: Readonly<Record<string, unknown>>): SecurePaths {
  const out = new Map<string, Set<string>>();
  for (const [key, value] of Object.entries(values)) {
    if (!(key in fileConfig)) continue;
    const found = new Set<string>();
    if (walk(fileConfig[key], value, key, found)) out.set(key, found);
  }
  return out;
}

/** Adds the secure paths under `path`; false when the file's entry does not match the received value. */
function walk(file: unknown, value: unknown, path: string, found: Set<string>): boolean {
  if (isSecure(file)) {
    found.add(path);
    return true;
  }
  if (Array.isArray(file)) {
    return Array.isArray(value) && value.length === file.length && file.every((f, i) => walk(f, value[i], `${path}[${i}]`, found));
  }
  if (file !== null && typeof file === "object") {
    if (value === null || typeof value !== "object" || Array.isArray(value)) return false;
    const f = file as Record<string, unknown>;
    const v = value as Record<string, unknown>;
    const keys = Object.keys(f);
    return keys.length === Object.keys(v).length && keys.every((k) => k in v && walk(f[k], v[k], `${path}.${k}`, found));
  }
  // Scalars: the CLI hands top-level values over as text.
  return value !== null && typeof value !== "object" && String(file) === String(value);
}

/** Whether `path` or one of its ancestors is stored secure (a whole object set with --secret covers its fields). */
export function isStoredSecure(paths: ReadonlySet<string>, path: string): boolean {
  for (let p = path; ; ) {
    if (paths.has(p)) return true;
    const parent = p.replace(/(\.[^.[\]]+|\[\d+\])$/, "");
    if (parent === p) return false;
    p = parent;
  }
}
