import * as pulumi from "@pulumi/pulumi";
import { ObservabilityStack } from "./components/stack";
import { loadStack } from "./settings/load";
import { formatProblem } from "./settings/validate";
import { configWarnings, silentAlertingWarnings } from "./settings/warnings";
import type { StackInput } from "./settings/stack";
import { createTarget } from "./targets";

/** Where warnings go: the engine's log, so `pulumi preview` and `up` show them. */
const engineWarning = (message: string): void => void pulumi.log.warn(message);

/**
 * The program `pulumi up`, `pulumi preview` and `npm run render` all run:
 * read and validate config and dashboards in one round (every problem
 * reported before any resource is registered), warn about valid config that
 * will not work as meant, pick the target, build the stack.
 */
export function program(input: StackInput = loadStack(), warn: (message: string) => void = engineWarning): ObservabilityStack {
  const { settings, environment, dashboards } = input;
  for (const w of configWarnings(settings)) warn(formatProblem(w));
  // Allowed, but a production stack whose alerts reach nobody must say so at every preview.
  for (const warning of silentAlertingWarnings(settings, environment)) warn(warning);
  const labels = { "app.kubernetes.io/part-of": "observability", "observability/env": environment };
  const target = createTarget(settings, labels);
  return new ObservabilityStack("observability", { settings, target, environment, dashboards });
}
