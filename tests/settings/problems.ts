import { ConfigValidationError, validateSettings } from "../../settings/validate";

/**
 * The problems validation reports for raw config (top-level keys without the
 * `observability:` namespace), as `key: message` lines; `secret` lists the
 * keys held as Pulumi secrets. Empty when the config is valid.
 */
export function problemsOf(values: Record<string, unknown>, secret: readonly string[] = []): string[] {
  try {
    validateSettings({ values, secretKeys: new Set(secret) });
  } catch (err) {
    if (err instanceof ConfigValidationError) return err.problems.map((p) => `${p.key}: ${p.message}`);
    throw err;
  }
  return [];
}
