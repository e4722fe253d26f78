/**
 * Secrets inside config text. Builders are pure and never see a secret value:
 * where a tool needs a secret inline they embed a placeholder from
 * `SecretSlots`. Render writes the text as built (secrets masked by
 * construction); deploy swaps each placeholder for its Pulumi secret and ships
 * the result as a secret.
 */
export type SecretKind = "token" | "url";

export interface SecretSlot {
  /** Text embedded in the config where the secret goes. */
  readonly placeholder: string;
  /** Stack config key path of the secret, e.g. `alerting.receivers[0].botToken`. */
  readonly configKey: string;
}

export class SecretSlots {
  private readonly slots: SecretSlot[] = [];

  /**
   * A placeholder for the secret at `configKey`. `url` placeholders are valid
   * URLs so checkers that parse the field still accept the masked file.
   */
  slot(configKey: string, kind: SecretKind): string {
    const existing = this.slots.find((s) => s.configKey === configKey);
    if (existing) return existing.placeholder;
    const n = this.slots.length + 1;
    const placeholder = kind === "url" ? `https://redacted.invalid/secret-${n}` : `REDACTED-SECRET-${n}`;
    this.slots.push({ placeholder, configKey });
    return placeholder;
  }

  entries(): readonly SecretSlot[] {
    return this.slots;
  }
}

/** Replace every placeholder in `text` with its value. Pure; callers wrap the result as a secret. */
export function fillSecretSlots(text: string, slots: readonly SecretSlot[], values: Readonly<Record<string, string>>): string {
  let out = text;
  for (const slot of slots) {
    const value = values[slot.configKey];
    if (value === undefined) throw new Error(`no value for secret ${slot.configKey}`);
    out = out.split(slot.placeholder).join(value);
  }
  return out;
}
