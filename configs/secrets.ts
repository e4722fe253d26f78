/**
 * Secrets inside config text. Builders are pure and never see a secret value:
 * their options carry each secret as an opaque handle `S` (the stack's
 * SecretValue; a test may pass anything), which they only hand back, paired
 * with where it goes. Where a tool needs a secret inline they embed a
 * placeholder from `SecretSlots`; where it reads a file they name a
 * `SecretFile`. Render writes the text as built (secrets masked by
 * construction); deploy swaps each placeholder for its Pulumi secret and ships
 * the result as a secret.
 */
export type SecretKind = "token" | "url";

/** An inline placeholder and the secret it stands for. */
export interface SecretSlot<S> {
  /** Text embedded in the config where the secret goes. */
  readonly placeholder: string;
  /** The secret's handle, as the builder's options carried it. */
  readonly secret: S;
}

/** A secret a tool reads from a file: mount the value of `secret` at `path`. */
export interface SecretFile<S> {
  /** Render path of the file (under the tool's `secrets/` directory). */
  readonly path: string;
  readonly secret: S;
}

export class SecretSlots<S> {
  private readonly slots: SecretSlot<S>[] = [];

  /**
   * A placeholder for `secret` (the same handle twice gets the same one).
   * `url` placeholders are valid URLs so checkers that parse the field still
   * accept the masked file.
   */
  slot(secret: S, kind: SecretKind): string {
    const existing = this.slots.find((s) => s.secret === secret);
    if (existing) return existing.placeholder;
    const n = this.slots.length + 1;
    const placeholder = kind === "url" ? `https://redacted.invalid/secret-${n}` : `REDACTED-SECRET-${n}`;
    this.slots.push({ placeholder, secret });
    return placeholder;
  }

  entries(): readonly SecretSlot<S>[] {
    return this.slots;
  }
}

/** Replace every placeholder in `text` with its secret's value. Pure; callers wrap the result as a secret. */
export function fillSecretSlots<S>(text: string, slots: readonly SecretSlot<S>[], reveal: (secret: S) => string): string {
  let out = text;
  for (const slot of slots) out = out.split(slot.placeholder).join(reveal(slot.secret));
  return out;
}
