import * as fs from "fs";
import * as path from "path";
import { parse } from "yaml";
import { configKeyDocs, configReferenceMarkdown } from "../../settings/reference";
import { SETTINGS_SCHEMA } from "../../settings/schema";

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
});
