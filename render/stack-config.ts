import * as fs from "fs";
import * as path from "path";
import { parse } from "yaml";
import { ConfigValidationError } from "../settings/validate";

/** Config as the Pulumi CLI would hand it to the program, read from the stack file. */
export interface StackConfig {
  readonly project: string;
  /** `namespace:key` -> value (strings as-is, structured values as JSON). */
  readonly config: Record<string, string>;
  /** Keys that hold a secret anywhere inside. */
  readonly secretKeys: string[];
}

/**
 * Render has no secrets provider: every `secure:` value becomes a placeholder
 * and its top-level key is marked secret, exactly as the CLI marks keys it
 * decrypted. Secret values therefore cannot reach render output.
 */
export const SECRET_PLACEHOLDER = "REDACTED-BY-RENDER";

/** Stack names that have a `Pulumi.<name>.yaml` in `dir`, sorted. */
export function stackNames(dir: string): string[] {
  return fs.readdirSync(dir).filter((f) => /^Pulumi\.[^.]+\.yaml$/.test(f)).map((f) => f.split(".")[1]).sort();
}

/**
 * Read `Pulumi.<stack>.yaml` from `stacksDir` (default: the project directory,
 * as the CLI does; tests pass their own fixture directory so a user's edits to
 * the committed stack files never change what the tests see), or the config
 * file `stackFile` when given (a candidate config, the benchmark's generated stacks).
 */
export function readStackConfig(
  projectDir: string,
  stack: string,
  stacksDir: string = projectDir,
  stackFile: string = path.join(stacksDir, `Pulumi.${stack}.yaml`),
): StackConfig {
  const project = parse(fs.readFileSync(path.join(projectDir, "Pulumi.yaml"), "utf8")) as { name: string };
  if (!fs.existsSync(stackFile)) {
    throw new Error(`no stack '${stack}': ${stackFile} does not exist (stacks here: ${stackNames(stacksDir).join(", ")})`);
  }
  const doc = readStackFile(stackFile);
  const config: Record<string, string> = {};
  const secretKeys: string[] = [];
  for (const [rawKey, value] of Object.entries(doc.config ?? {})) {
    const key = rawKey.includes(":") ? rawKey : `${project.name}:${rawKey}`;
    let secret = false;
    const unwrapped = unwrapSecure(value, () => (secret = true));
    config[key] = typeof unwrapped === "string" ? unwrapped : JSON.stringify(unwrapped);
    if (secret) secretKeys.push(key);
  }
  return { project: project.name, config, secretKeys };
}

function unwrapSecure(value: unknown, onSecret: () => void): unknown {
  if (Array.isArray(value)) return value.map((v) => unwrapSecure(v, onSecret));
  if (value !== null && typeof value === "object") {
    const record = value as Record<string, unknown>;
    if (Object.keys(record).length === 1 && typeof record.secure === "string") {
      onSecret();
      return SECRET_PLACEHOLDER;
    }
    return Object.fromEntries(Object.entries(record).map(([k, v]) => [k, unwrapSecure(v, onSecret)]));
  }
  return value;
}

/** Aliases a stack file may expand: real files have none; a "billion laughs" file has millions. */
const MAX_ALIASES = 100;

/**
 * The stack file as YAML, or one ConfigValidationError naming the file and
 * the YAML problem: not YAML, a duplicate key, an alias bomb, binary
 * content. Control bytes are never echoed.
 */
function readStackFile(stackFile: string): { config?: Record<string, unknown> } {
  const name = path.basename(stackFile);
  const refuse = (message: string): never => {
    throw new ConfigValidationError([{ key: name, file: true, message }]);
  };
  const bytes = fs.readFileSync(stackFile);
  if (bytes.includes(0)) refuse("holds binary content (NUL bytes); a stack file is YAML text");
  const text = bytes.toString("utf8");
  if (text.includes("\uFFFD")) refuse("is not UTF-8 text; a stack file is YAML text");
  let doc: unknown;
  try {
    doc = parse(text, { uniqueKeys: true, maxAliasCount: MAX_ALIASES, prettyErrors: true });
  } catch (e) {
    refuse(`is not valid YAML: ${printable((e as Error).message.split("\n")[0])}`);
  }
  if (doc === null || doc === undefined) return {};
  if (typeof doc !== "object" || Array.isArray(doc)) refuse("must be a YAML mapping with a 'config' key");
  const config = (doc as { config?: unknown }).config;
  if (config !== undefined && config !== null && (typeof config !== "object" || Array.isArray(config))) refuse("'config' must be a mapping of namespace:key to value");
  return doc as { config?: Record<string, unknown> };
}

/** A message safe to print: control characters as \xNN. */
function printable(s: string): string {
  return s.replace(/[\u0000-\u001f\u007f]/g, (c) => `\\x${c.charCodeAt(0).toString(16).padStart(2, "0")}`);
}
