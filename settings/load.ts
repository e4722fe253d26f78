import * as fs from "fs";
import * as path from "path";
import * as pulumi from "@pulumi/pulumi";
import { parse } from "yaml";
import { securePathsOf } from "./secure-paths";
import { CONFIG_NAMESPACE } from "./schema";
import { DASHBOARDS_DIR, validateStack, type StackInput } from "./stack";
import { RawConfig, type ValidateOptions } from "./validate";

// `isConfigSecret` is exported by the runtime module but marked internal; it
// is the only way to learn which keys the CLI decrypted for us.
// eslint-disable-next-line @typescript-eslint/no-require-imports
const runtimeConfig = require("@pulumi/pulumi/runtime/config") as { isConfigSecret(key: string): boolean };

/**
 * Stack config of our namespace as Pulumi hands it to the program: values
 * arrive as strings, structured ones as JSON. Keys of other namespaces are
 * passed on, so a misspelt namespace is reported rather than ignored.
 */
export function readRawConfig(): RawConfig {
  const values: Record<string, unknown> = {};
  const secretKeys = new Set<string>();
  const foreignKeys: string[] = [];
  const prefix = `${CONFIG_NAMESPACE}:`;
  for (const [fullKey, text] of Object.entries(pulumi.runtime.allConfig())) {
    if (!fullKey.startsWith(prefix)) {
      foreignKeys.push(fullKey);
      continue;
    }
    const key = fullKey.slice(prefix.length);
    values[key] = parseValue(text);
    if (runtimeConfig.isConfigSecret(fullKey)) secretKeys.add(key);
  }
  // Only a key the CLI hands over as secret can hold `secure:` values: with none, the stack file
  // has none to locate, and reading it (the YAML parser's first use) would only cost start time.
  const securePaths = secretKeys.size > 0 ? securePathsOf(stackFileConfig(process.cwd(), pulumi.getStack()), values) : new Map<string, Set<string>>();
  return { values, secretKeys, foreignKeys, securePaths };
}

/**
 * Our namespace's entries of `Pulumi.<stack>.yaml` in `projectDir` (the CLI runs the program there), keys
 * without namespace, `secure:` values as written; empty when there is no such file.
 */
export function stackFileConfig(projectDir: string, stack: string): Record<string, unknown> {
  const file = path.join(projectDir, `Pulumi.${stack}.yaml`);
  if (!fs.existsSync(file)) return {};
  const doc = (parse(fs.readFileSync(file, "utf8")) ?? {}) as { config?: Record<string, unknown> };
  const out: Record<string, unknown> = {};
  for (const [key, value] of Object.entries(doc.config ?? {})) {
    if (key.startsWith(`${CONFIG_NAMESPACE}:`)) out[key.slice(CONFIG_NAMESPACE.length + 1)] = value;
    else if (!key.includes(":")) out[key] = value;
  }
  return out;
}

/** A config value as Pulumi hands it over (a string; structured values as JSON) -> the value. */
export function parseValue(text: string): unknown {
  const t = text.trim();
  if (t.startsWith("{") || t.startsWith("[")) {
    try {
      return JSON.parse(t);
    } catch {
      return text;
    }
  }
  return text;
}

/** Read and validate this stack's config and dashboards in one round; throws before any resource is registered. */
export function loadStack(dashboardsDir: string = DASHBOARDS_DIR, options: Omit<ValidateOptions, "stack"> = {}): StackInput {
  return validateStack(readRawConfig(), pulumi.getStack(), dashboardsDir, options);
}
