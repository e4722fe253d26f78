/** Validated settings of a TutorDex fixture stack (e2e/stacks), read as the program reads the CLI's config. */
import { stackSettings, stackValues } from "../../scripts/grammar-facts";
import type { Settings } from "../../settings/schema";
import { FIXTURE_STACKS_DIR, PROJECT_DIR } from "../support/stacks";

/** Our namespace's values, keys without namespace, structured values parsed. */
export function fixtureValues(stack: "dev" | "prod"): Record<string, unknown> {
  return stackValues(PROJECT_DIR, FIXTURE_STACKS_DIR, stack);
}

export function fixtureSettings(stack: "dev" | "prod"): Settings {
  const s = stackSettings(PROJECT_DIR, FIXTURE_STACKS_DIR, stack);
  if (!s) throw new Error(`the ${stack} fixture stack does not validate`);
  return s;
}
