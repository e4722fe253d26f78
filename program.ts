import * as pulumi from "@pulumi/pulumi";
import { ObservabilityStack } from "./components/stack";
import { loadStack } from "./settings/load";
import { silentAlertingWarnings } from "./settings/warnings";
import type { StackInput } from "./settings/stack";
import { createTarget } from "./targets";

export { DASHBOARDS_DIR } from "./settings/stack";

/**
 * The program `pulumi up`, `pulumi preview` and `npm run render` all run:
 * read and validate config and dashboards in one round (every problem
 * reported before any resource is registered), pick the target, build the stack.
 */
export function program(input: StackInput = loadStack()): ObservabilityStack {
  const { settings, environment, dashboards } = input;
  // Allowed, but a production stack whose alerts reach nobody must say so at every preview.
  for (const warning of silentAlertingWarnings(settings, environment)) void pulumi.log.warn(warning);
  const labels = { "app.kubernetes.io/part-of": "observability", "observability/env": environment };
  const target = createTarget(settings, labels);
  return new ObservabilityStack("observability", { settings, target, environment, dashboards });
}
