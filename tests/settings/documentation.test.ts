import * as fs from "fs";
import * as path from "path";
import { parse } from "yaml";
import { configKeyDocs, configReferenceMarkdown } from "../../settings/reference";
import { SETTINGS_SCHEMA } from "../../settings/schema";
import { problemsOf } from "./problems";

const ROOT = path.resolve(__dirname, "../..");

describe("the documented config", () => {
  it("is the README's table, generated from the schema", () => {
    const readme = fs.readFileSync(path.join(ROOT, "README.md"), "utf8");
    const table = /<!-- config-reference:start -->\n([\s\S]*?)<!-- config-reference:end -->/.exec(readme)?.[1];
    expect(table).toBe(configReferenceMarkdown());
  });

  it("gives every key a description and an example", () => {
    for (const row of configKeyDocs()) {
      expect(`${row.key}: ${row.description}`).not.toMatch(/: $/);
      expect(`${row.key}: ${row.example}`).not.toMatch(/: $/);
    }
  });

  it("types the scalar keys in Pulumi.yaml exactly as the schema does", () => {
    const project = parse(fs.readFileSync(path.join(ROOT, "Pulumi.yaml"), "utf8"));
    expect(project.name).toBe("observability");
    for (const [key, decl] of Object.entries(project.config as Record<string, { type: string; default: string; description: string }>)) {
      const field = SETTINGS_SCHEMA[key as keyof typeof SETTINGS_SCHEMA];
      expect(field.kind).toBe("enum");
      if (field.kind !== "enum") continue;
      expect(decl).toEqual({ type: "string", default: field.default, description: field.description });
    }
  });

  it("keeps plain-text secrets out of the committed stack files", () => {
    for (const file of fs.readdirSync(ROOT).filter((f) => /^Pulumi\..+\.yaml$/.test(f))) {
      const text = fs.readFileSync(path.join(ROOT, file), "utf8");
      const config = parse(text).config ?? {};
      const walk = (v: unknown, at: string): void => {
        if (v && typeof v === "object" && !Array.isArray(v)) {
          for (const [k, x] of Object.entries(v)) {
            if (/token|password|apiUrl|routingKey|dataSourceName|^url$/i.test(k)) {
              expect({ at: `${at}.${k}`, value: x }).toEqual({ at: `${at}.${k}`, value: { secure: expect.any(String) } });
            }
            walk(x, `${at}.${k}`);
          }
        } else if (Array.isArray(v)) v.forEach((x, i) => walk(x, `${at}[${i}]`));
      };
      walk(config, file);
    }
  });

  it("gives examples of the right type and format for their key, stored as `pulumi config set --path` stores them", () => {
    const failures: string[] = [];
    for (const row of configKeyDocs()) {
      const m = /^pulumi config set --path 'observability:([^']+)' (.+)$/.exec(row.example);
      if (!m) continue; // secrets: `--secret ... …`
      const [, keyPath, word] = m;
      const text = word.startsWith("'") ? word.slice(1, -1).replace(/'\\''/g, "'") : word;
      // --path types integers and booleans; everything else is stored as text.
      const stored: unknown = /^-?\d+$/.test(text) ? Number(text) : text === "true" ? true : text === "false" ? false : text;
      const values: Record<string, unknown> = {};
      setPath(values, keyPath, stored);
      // An item of a list of receivers needs its kind before its other keys mean anything.
      const variant = /\[type=([a-z]+)\]/.exec(row.key)?.[1];
      if (variant) setPath(values, keyPath.replace(/\.[^.\[]+$/, ".type"), variant);
      // Type and format only: some keys also need others (grafana.url needs grafana.mode external), which an
      // example of one key cannot show.
      const atKey = problemsOf(values).filter((p) => p.startsWith(`${keyPath}:`) && /must be|is not valid|out of range|; got /.test(p));
      if (atKey.length > 0) failures.push(`${row.example}\n    ${atKey.join("\n    ")}`);
    }
    expect(failures).toEqual([]);
  });
});

/** Set `a.b[0].c` in a nested object, creating objects and lists on the way. */
function setPath(root: Record<string, unknown>, keyPath: string, value: unknown): void {
  const parts = keyPath.split(/\.|\[(\d+)\]/).filter((p) => p !== undefined && p !== "");
  let node: Record<string, unknown> | unknown[] = root;
  parts.forEach((part, i) => {
    const last = i === parts.length - 1;
    const key = /^\d+$/.test(part) ? Number(part) : part;
    const container = node as Record<string | number, unknown>;
    if (last) container[key] = value;
    else {
      container[key] ??= /^\d+$/.test(parts[i + 1]) ? [] : {};
      node = container[key] as Record<string, unknown>;
    }
  });
}
