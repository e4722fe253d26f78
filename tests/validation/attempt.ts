/**
 * Run the real program the way `pulumi up` runs index.ts (program() inside
 * the root stack, reading config through Pulumi's runtime) under mocks that
 * count every resource registration, and catch what it throws.
 */
import * as fs from "fs";
import * as os from "os";
import * as path from "path";
import * as pulumi from "@pulumi/pulumi";
import { program } from "../../program";
import { mockState } from "../../render/mock-state";
import { settle } from "../../render/run";
import { loadStack } from "../../settings/load";
import { DASHBOARDS_DIR } from "../../settings/stack";

export interface Attempt {
  /** What program() threw, if anything. */
  readonly error?: unknown;
  /** Resources registered (the root stack, which the runtime creates around every program, not counted). */
  readonly registered: readonly string[];
}

/**
 * `config` maps full keys (`observability:target`, or a misspelt namespace)
 * to the text Pulumi would hand over; `secretKeys` are full keys held as secrets.
 */
export async function attempt(config: Record<string, string>, secretKeys: string[], stack: string, dashboardsDir: string = DASHBOARDS_DIR): Promise<Attempt> {
  const registered: string[] = [];
  pulumi.runtime.setAllConfig(config, secretKeys);
  await pulumi.runtime.setMocks(
    {
      newResource(args: pulumi.runtime.MockResourceArgs) {
        if (args.type !== "pulumi:pulumi:Stack") registered.push(`${args.type}::${args.name}`);
        return { id: `${args.name}-id`, state: mockState(args.type, args.name, args.inputs) };
      },
      call: (args: pulumi.runtime.MockCallArgs) => args.inputs,
    },
    "observability",
    stack,
    false,
  );
  let error: unknown;
  await pulumi.runtime.runInPulumiStack(async () => {
    try {
      program(loadStack(dashboardsDir));
    } catch (e) {
      error = e;
    }
    return {};
  });
  await settle(() => registered.length);
  return { error, registered };
}

/** Config objects (top-level keys of our namespace) as the full-key text Pulumi hands over. */
export function asConfig(values: Record<string, unknown>): Record<string, string> {
  return Object.fromEntries(Object.entries(values).map(([k, v]) => [k.includes(":") ? k : `observability:${k}`, typeof v === "string" ? v : JSON.stringify(v)]));
}

/** A dashboards directory with the repository's dashboards plus `extra` files. */
export function dashboardsWith(extra: Record<string, string>): string {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), "dashboards-"));
  for (const f of fs.readdirSync(DASHBOARDS_DIR)) fs.copyFileSync(path.join(DASHBOARDS_DIR, f), path.join(dir, f));
  for (const [name, content] of Object.entries(extra)) fs.writeFileSync(path.join(dir, name), content);
  return dir;
}
