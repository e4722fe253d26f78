import * as fs from "fs";
import * as path from "path";
import { parse } from "yaml";

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
  const doc = (parse(fs.readFileSync(stackFile, "utf8")) ?? {}) as { config?: Record<string, unknown> };
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
