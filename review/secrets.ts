/**
 * Secret stack config of two trees, compared without ever holding a value:
 * `Pulumi.<stack>.yaml` stores each secret as `{ secure: <ciphertext> }`, so a
 * new, removed or re-encrypted ciphertext is all the report can (and may)
 * say. Only the key path is printed; the ciphertext never is.
 */
import { parse } from "yaml";

/** `key.path[0].field` -> ciphertext, for every secure value of a stack config file. */
export function secureKeys(stackConfigYaml: string | undefined): Map<string, string> {
  const out = new Map<string, string>();
  if (!stackConfigYaml) return out;
  const doc = parse(stackConfigYaml) as { config?: Record<string, unknown> } | null;
  const walk = (v: unknown, at: string) => {
    if (Array.isArray(v)) v.forEach((x, i) => walk(x, `${at}[${i}]`));
    else if (typeof v === "object" && v !== null) {
      const o = v as Record<string, unknown>;
      if (Object.keys(o).length === 1 && typeof o.secure === "string") out.set(at, o.secure);
      else for (const [k, x] of Object.entries(o)) walk(x, at ? `${at}.${k}` : k);
    }
  };
  walk(doc?.config ?? {}, "");
  return out;
}

/** One bullet per secret added, removed or changed; values are never shown. */
export function secretChanges(before: string | undefined, after: string | undefined): string[] {
  const a = secureKeys(before);
  const b = secureKeys(after);
  const lines: string[] = [];
  for (const [k, v] of [...b].sort(([x], [y]) => x.localeCompare(y))) {
    if (!a.has(k)) lines.push(`- \`${k}\`: added`);
    else if (a.get(k) !== v) lines.push(`- \`${k}\`: changed`);
  }
  for (const k of [...a.keys()].sort()) if (!b.has(k)) lines.push(`- \`${k}\`: removed`);
  return lines;
}
