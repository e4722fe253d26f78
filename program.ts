import * as pulumi from "@pulumi/pulumi";
import { ObservabilityStack } from "./components/stack";
import { loadSettings } from "./settings/load";
import type { Settings } from "./settings/schema";
import { createTarget } from "./targets";

/**
 * The program `pulumi up`, `pulumi preview` and `npm run render` all run:
 * read and validate config (every problem reported before any resource is
 * registered), pick the target, build the stack.
 */
export function program(settings: Settings = loadSettings()): ObservabilityStack {
  const environment = settings.environment ?? pulumi.getStack();
  const labels = { "app.kubernetes.io/part-of": "observability", "observability/env": environment };
  const target = createTarget(settings, labels);
  return new ObservabilityStack("observability", { settings, target, environment });
}
