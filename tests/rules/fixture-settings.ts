/** Validated settings of a TutorDex fixture stack (e2e/stacks), read as the program reads the CLI's config. */
import { readStackConfig } from "../../render/stack-config";
import { CONFIG_NAMESPACE, type Settings } from "../../settings/schema";
import { validateSettings } from "../../settings/validate";
import { FIXTURE_STACKS_DIR, PROJECT_DIR } from "../support/stacks";

/** Our namespace's values, keys without namespace, structured values parsed. */
export function fixtureValues(stack: "dev" | "prod"): Record<string, unknown> {
  const { config } = readStackConfig(PROJECT_DIR, stack, FIXTURE_STACKS_DIR);
  const prefix = `${CONFIG_NAMESPACE}:`;
  return Object.fromEntries(
    Object.entries(config)
      .filter(([k]) => k.startsWith(prefix))
      .map(([k, v]) => [k.slice(prefix.length), /^\s*[[{]/.test(v) ? (JSON.parse(v) as unknown) : v]),
  );
}

export function fixtureSettings(stack: "dev" | "prod"): Settings {
  return validateSettings({ values: fixtureValues(stack), secretKeys: new Set() }, { stack });
}
