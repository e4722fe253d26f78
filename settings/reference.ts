import type { Field, Fields } from "./fields";
import { CONFIG_NAMESPACE, SETTINGS_SCHEMA } from "./schema";

/** One row of the README's config table. */
export interface KeyDoc {
  readonly key: string;
  readonly type: string;
  readonly default: string;
  readonly description: string;
  readonly example: string;
}

function typeOf(f: Field): string {
  switch (f.kind) {
    case "enum":
      return f.values.map((v) => `\`${v}\``).join(" \\| ");
    case "list":
      return `list of ${f.items.kind === "object" || f.items.kind === "union" ? "objects" : typeOf(f.items)}`;
    case "int":
      return `integer ${f.min}–${f.max}`;
    case "number":
      return "number";
    case "secret":
      return "**secret**";
    case "scalar":
      return "number or duration";
    default:
      return f.kind;
  }
}

function exampleOf(key: string, f: Field): string {
  // An example sets the first item of a list: `targets[0].name`.
  const path = `${CONFIG_NAMESPACE}:${key.replace(/\[[^\]]*\]/g, "[0]")}`;
  if (f.kind === "secret") return `pulumi config set --secret --path '${path}' …`;
  const sample =
    "example" in f && f.example !== undefined
      ? f.example
      : "default" in f && f.default !== undefined
        ? f.default
        : f.kind === "enum"
          ? f.values[0]
          : undefined;
  if (sample === undefined) return "";
  // Lists and objects go in as JSON text, which validation reads as the value (settings/validate.ts).
  const text = typeof sample === "object" ? JSON.stringify(sample) : String(sample);
  return `pulumi config set --path '${path}' ${shellWord(text)}`;
}

/** `text` as one shell word: bare when plain, otherwise single-quoted (`#alerts` would start a comment). */
function shellWord(text: string): string {
  return /^[A-Za-z0-9._:\/@+=,-]+$/.test(text) ? text : `'${text.replace(/'/g, `'\\''`)}'`;
}

/** Every key of the schema, depth first, receivers per type. */
export function configKeyDocs(fields: Fields = SETTINGS_SCHEMA, prefix = ""): KeyDoc[] {
  const rows: KeyDoc[] = [];
  for (const [name, f] of Object.entries(fields)) {
    const key = prefix ? `${prefix}.${name}` : name;
    if (f.kind === "object") {
      rows.push(...configKeyDocs(f.fields, key));
      continue;
    }
    const dflt = "default" in f && f.default !== undefined ? JSON.stringify(f.default) : f.optional || f.kind === "map" ? "unset" : "required";
    rows.push({ key, type: typeOf(f), default: dflt, description: f.description, example: exampleOf(key, f) });
    if (f.kind === "list" && f.items.kind === "object") rows.push(...configKeyDocs(f.items.fields, `${key}[]`));
    if (f.kind === "list" && f.items.kind === "union") {
      for (const [type, variant] of Object.entries(f.items.variants)) {
        const variantKey = `${key}[type=${type}]`;
        // The discriminator comes first: the other keys of the item depend on it.
        rows.push({
          key: `${variantKey}.type`,
          type: `\`${type}\``,
          default: "required",
          description: "Which kind of item this is; decides the keys below.",
          example: `pulumi config set --path '${CONFIG_NAMESPACE}:${key.replace(/\[[^\]]*\]/g, "[0]")}[0].type' ${type}`,
        });
        rows.push(...configKeyDocs(variant, variantKey));
      }
    }
  }
  return rows;
}

/** The README's config table, in Markdown. */
export function configReferenceMarkdown(): string {
  const esc = (s: string) => s.replace(/\|/g, "\\|");
  const lines = ["| key | type | default | description | example |", "| --- | --- | --- | --- | --- |"];
  for (const r of configKeyDocs()) {
    lines.push(`| \`${r.key}\` | ${r.type} | ${r.default === "required" || r.default === "unset" ? r.default : `\`${esc(r.default)}\``} | ${esc(r.description)} | ${r.example ? (r.example.startsWith("`") ? esc(r.example) : `\`${esc(r.example)}\``) : ""} |`);
  }
  return lines.join("\n") + "\n";
}
