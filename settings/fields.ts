/**
 * A tiny schema language for stack config. One schema (settings/schema.ts)
 * drives validation, the TypeScript type of validated settings, the config
 * block of Pulumi.yaml and the README's table of keys: a key is described once.
 */

interface FieldBase {
  /** One sentence for the README and Pulumi.yaml. */
  readonly description: string;
  /** Absent from config is fine; the validated value is `undefined`. */
  readonly optional?: boolean;
}

export interface StringField extends FieldBase {
  readonly kind: "string";
  readonly default?: string;
  readonly pattern?: RegExp;
  /** What a valid value looks like, shown when `pattern` fails. */
  readonly patternHint?: string;
  /** Longest valid value (Kubernetes names and label values stop at 63 or 253). */
  readonly maxLength?: number;
  /** A check beyond the pattern: the reason the value is invalid, or undefined when it is fine. */
  readonly check?: (value: string) => string | undefined;
  readonly example?: string;
}
export interface EnumField<V extends string = string> extends FieldBase {
  readonly kind: "enum";
  readonly values: readonly V[];
  readonly default?: V;
}
export interface IntField extends FieldBase {
  readonly kind: "int";
  readonly min: number;
  readonly max: number;
  readonly default?: number;
  readonly example?: number;
}
export interface PortField extends FieldBase {
  readonly kind: "port";
  readonly default?: number;
}
export interface NumberField extends FieldBase {
  readonly kind: "number";
  readonly min: number;
  readonly max: number;
  readonly default?: number;
  readonly example?: number;
}
export interface BoolField extends FieldBase {
  readonly kind: "bool";
  readonly default?: boolean;
}
/** A Prometheus-style duration: `15s`, `5m`, `1h30m`, `15d`. */
export interface DurationField extends FieldBase {
  readonly kind: "duration";
  readonly default?: string;
  /** `0s` is valid (a `for` duration); otherwise a duration must be above zero. */
  readonly allowZero?: boolean;
}
/** A value that must be set with `pulumi config set --secret`. */
export interface SecretField extends FieldBase {
  readonly kind: "secret";
  readonly example?: string;
}
export interface ObjectField<F extends Fields = Fields> extends FieldBase {
  readonly kind: "object";
  readonly fields: F;
}
export interface ListField<I extends Field = Field> extends FieldBase {
  readonly kind: "list";
  readonly items: I;
  readonly default?: readonly unknown[];
  /** Items must differ in this key (e.g. `name`). */
  readonly uniqueBy?: string;
  readonly example?: unknown;
}
/** A number or a duration, typed per key by a map's `fieldFor`. */
export interface ScalarField extends FieldBase {
  readonly kind: "scalar";
}
/** Free keys with values of one field type, checked against `knownKeys` when given. */
export interface MapField<V extends Field = Field> extends FieldBase {
  readonly kind: "map";
  readonly values: V;
  /** Only these keys are valid (did-you-mean on the rest). */
  readonly knownKeys?: readonly string[];
  /** The field a given key's value must satisfy; defaults to `values`. */
  readonly fieldFor?: (key: string) => Field | undefined;
  readonly example?: unknown;
  /** Value when unset; `{}` otherwise. */
  readonly default?: Readonly<Record<string, unknown>>;
}
/** Objects told apart by their `type` key (receivers). */
export interface UnionField<V extends Record<string, Fields> = Record<string, Fields>> extends FieldBase {
  readonly kind: "union";
  readonly variants: V;
}

export type Field =
  | StringField
  | EnumField
  | IntField
  | PortField
  | NumberField
  | BoolField
  | DurationField
  | SecretField
  | ScalarField
  | ObjectField
  | ListField
  | MapField
  | UnionField;

export type Fields = Readonly<Record<string, Field>>;

/**
 * A secret value read from stack config. It never prints itself: logging,
 * string interpolation and JSON all give `[secret]`. Only the stack reveals
 * it, straight into `pulumi.secret(...)`.
 */
export class SecretValue {
  readonly #value: string;
  constructor(value: string) {
    this.#value = value;
  }
  reveal(): string {
    return this.#value;
  }
  toString(): string {
    return "[secret]";
  }
  toJSON(): string {
    return "[secret]";
  }
}

type Present<F extends Field, T> = F extends { optional: true } ? T | undefined : T;

type InferObject<F extends Fields> = { readonly [K in keyof F]: Present<F[K], Infer<F[K]>> };

type InferUnion<V extends Record<string, Fields>> = {
  [T in keyof V]: { readonly type: T } & InferObject<V[T]>;
}[keyof V];

/** The validated TypeScript type of a field. */
export type Infer<F extends Field> = F extends EnumField<infer V>
  ? V
  : F extends StringField | DurationField
    ? string
    : F extends IntField | PortField | NumberField
      ? number
      : F extends BoolField
        ? boolean
        : F extends SecretField
          ? SecretValue
          : F extends ScalarField
          ? number | string
          : F extends ObjectField<infer O>
            ? InferObject<O>
            : F extends ListField<infer I>
              ? readonly Infer<I>[]
              : F extends MapField<infer M>
                ? Readonly<Record<string, Infer<M>>>
                : F extends UnionField<infer U>
                  ? InferUnion<U>
                  : never;

export type InferFields<F extends Fields> = InferObject<F>;
