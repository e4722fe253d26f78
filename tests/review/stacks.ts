/**
 * Renders of the TutorDex fixture stacks (e2e/stacks, what the shipped stack files held) with a config overlay, as the review report
 * reads them (path -> content): the "before" and "after" of a pull request
 * without a git repository.
 */
import { renderRun } from "../../render/render";
import { runProgram } from "../../render/run";
import { readStackConfig } from "../../render/stack-config";
import { CONFIG_NAMESPACE } from "../../settings/schema";
import { FIXTURE_STACKS_DIR, PROJECT_DIR } from "../support/stacks";

export { PROJECT_DIR };

/** Top-level config keys (no namespace) merged over the shipped values; `secret` keys are marked secret. */
export interface Overlay {
  readonly values?: Record<string, Record<string, unknown>>;
  readonly secret?: readonly string[];
}

export async function renderShipped(stack: "dev" | "prod", overlay: Overlay = {}): Promise<Map<string, string>> {
  const shipped = readStackConfig(PROJECT_DIR, stack, FIXTURE_STACKS_DIR);
  const config = { ...shipped.config };
  for (const [k, v] of Object.entries(overlay.values ?? {})) {
    const key = `${CONFIG_NAMESPACE}:${k}`;
    const current = config[key] === undefined ? {} : (JSON.parse(config[key]) as Record<string, unknown>);
    config[key] = JSON.stringify({ ...current, ...v });
  }
  const secretKeys = [...shipped.secretKeys, ...(overlay.secret ?? []).map((k) => `${CONFIG_NAMESPACE}:${k}`)];
  const run = await runProgram(config, secretKeys, { project: shipped.project, stack });
  return new Map(renderRun(run, stack).map((f) => [f.path, f.content]));
}
