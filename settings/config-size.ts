/**
 * A stack config too large to reach the program. Pulumi's Node.js language
 * host hands the whole stack config to the program in one environment
 * variable, PULUMI_CONFIG (a JSON object of `namespace:key` -> value, structured
 * values as JSON text), and Linux limits one environment string to 128 KiB
 * (MAX_ARG_STRLEN). Over it, `pulumi preview` and `pulumi up` fail before the
 * program runs (E2BIG, "argument list too long"), with nothing naming the
 * cause; render, which reads the stack file itself, would still succeed. So
 * validation refuses such a config, naming the key that takes most of it: in
 * practice `targets`, at about 1,200 targets of the usual shape.
 */
import { CONFIG_NAMESPACE } from "./schema";
import type { ConfigProblem } from "./problems";

/** Linux's limit on one environment string, `NAME=value` and its terminating NUL. */
export const ENV_STRING_MAX_BYTES = 128 * 1024;

/** The environment variable the language host passes the stack config in. */
export const PULUMI_CONFIG_ENV = "PULUMI_CONFIG";

/** Bytes of the environment string `PULUMI_CONFIG=<json>` for `config` (full key -> value as the CLI passes it). */
export function pulumiConfigBytes(config: Readonly<Record<string, string>>): number {
  return Buffer.byteLength(`${PULUMI_CONFIG_ENV}=${JSON.stringify(config)}`) + 1;
}

/** A value of our namespace as the CLI passes it: text as-is, structured values as JSON. */
const cliText = (v: unknown): string => (typeof v === "string" ? v : JSON.stringify(v) ?? "");

const kib = (bytes: number) => `${Math.ceil(bytes / 1024)} KiB`;

/**
 * `values`: our namespace's config (keys without namespace) as the program
 * received it. Other namespaces' keys are not counted (the program never sees
 * their values; they are a handful of short strings).
 */
export function configSizeProblems(values: Readonly<Record<string, unknown>>): ConfigProblem[] {
  const config = Object.fromEntries(Object.entries(values).map(([k, v]) => [`${CONFIG_NAMESPACE}:${k}`, cliText(v)]));
  const bytes = pulumiConfigBytes(config);
  if (bytes <= ENV_STRING_MAX_BYTES) return [];
  const [largest, largestBytes] = Object.entries(config)
    .map(([k, v]): [string, number] => [k.slice(CONFIG_NAMESPACE.length + 1), Buffer.byteLength(JSON.stringify(k) + JSON.stringify(v))])
    .sort((a, b) => b[1] - a[1])[0];
  const entries = Array.isArray(values[largest]) ? ` (${(values[largest] as unknown[]).length} entries)` : "";
  return [
    {
      key: largest,
      message:
        `the stack config is ${kib(bytes)} as Pulumi passes it to the program (${PULUMI_CONFIG_ENV}), over Linux's ${kib(ENV_STRING_MAX_BYTES)} ` +
        `for one environment variable: \`pulumi preview\` and \`pulumi up\` could not start the program ("argument list too long"). ` +
        `${largest} holds ${kib(largestBytes)} of it${entries}: split it over several stacks (one per team or cluster), ` +
        `or leave out fields that repeat their defaults (metricsPath, scrapeInterval)`,
    },
  ];
}
