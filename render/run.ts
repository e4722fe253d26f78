import * as pulumi from "@pulumi/pulumi";
import type { ObservabilityStack } from "../components/stack";
import { program } from "../program";
import { loadStack } from "../settings/load";
import type { Settings } from "../settings/schema";
import type { ValidateOptions } from "../settings/validate";
import { estimateSizing, type SizingEstimate } from "../sizing/model";
import { SECRET_MASK } from "./mask";
import { mockState } from "./mock-state";

/** A resource the program registered, as plan.json lists it. */
export interface PlannedResource {
  readonly type: string;
  readonly name: string;
  /** `type::name` of the parent, absent for top-level resources. */
  readonly parent?: string;
  readonly custom: boolean;
  readonly inputs: Record<string, unknown>;
  /** Present when set: `pulumi destroy` and replacement leave the resource in place (issue 17's data-at-risk check reads it). */
  readonly retainOnDelete?: true;
  /** Present when set: Pulumi refuses to delete or replace the resource. */
  readonly protect?: true;
}

export interface ProgramRun {
  /** The validated settings the program ran with. */
  readonly settings: Settings;
  readonly stack: ObservabilityStack;
  readonly resources: PlannedResource[];
  /** Warnings the program gave (`pulumi preview` shows them), e.g. an SLO its target has no metrics for. */
  readonly warnings: string[];
  /** Stack outputs, resolved. */
  readonly outputs: Record<string, unknown>;
  /** The sizing estimate of this config (sizing.md / sizing.json). */
  readonly sizing: SizingEstimate;
  /** Inputs with secret values in the clear: for tests that check a secret reaches its resource. */
  rawInputs(type: string, name: string): Record<string, unknown>;
}

export { SECRET_MASK };

// The RPC layer's marker for a secret value (`rpc.specialSigKey` / `specialSecretSig`).
const SIG_KEY = "4dabf18193072939515e22adb298388d";
const SECRET_SIG = "1b47061264138c4ac30d75fd1eb44270";

function isSecretWrapper(v: unknown): v is { value: unknown } {
  return typeof v === "object" && v !== null && (v as Record<string, unknown>)[SIG_KEY] === SECRET_SIG;
}

function mapDeep(v: unknown, onSecret: (inner: unknown) => unknown): unknown {
  if (isSecretWrapper(v)) return onSecret(v.value);
  if (Array.isArray(v)) return v.map((x) => mapDeep(x, onSecret));
  if (typeof v === "object" && v !== null) return Object.fromEntries(Object.entries(v).map(([k, x]) => [k, mapDeep(x, onSecret)]));
  return v;
}

/** Every secret input replaced by SECRET_MASK, however deep. */
export function maskSecrets(v: unknown): unknown {
  return mapDeep(v, () => SECRET_MASK);
}

/**
 * The masked inputs of a registration, each secret masked where the program put it. The mock monitor
 * deserialises a list or map holding one secret element as a secret whole (the SDK's "push secretness up"),
 * which would mask a container's every uploaded file for one secret file among them; the engine keeps the
 * secret on the element. So a top-level input that only became secret that way is masked from its
 * serialised form, element by element.
 */
export function maskInputs(deserialised: Record<string, unknown>, serialised: Record<string, unknown> | undefined): Record<string, unknown> {
  return Object.fromEntries(
    Object.entries(deserialised).map(([k, v]) => {
      const sent = serialised?.[k];
      const hoisted = isSecretWrapper(v) && sent !== undefined && !isSecretWrapper(sent) && typeof sent === "object" && sent !== null;
      return [k, maskSecrets(hoisted ? sent : v)];
    }),
  );
}

/** Struct of a RegisterResourceRequest, as the SDK serialised it (secrets marked where they were). */
interface RegisterRequest {
  getType(): string;
  getName(): string;
  getObject(): { toJavaScript(): Record<string, unknown> } | undefined;
}

/** Record each registration's serialised inputs (before the mock monitor deserialises them) by `type::name`. */
function recordSerialisedInputs(into: Map<string, Record<string, unknown>>): void {
  const monitor = pulumi.runtime.getMonitor() as unknown as { registerResource(req: RegisterRequest, cb: unknown): unknown } | undefined;
  if (!monitor) throw new Error("no mock monitor to record registrations from");
  const register = monitor.registerResource.bind(monitor);
  monitor.registerResource = (req, cb) => {
    into.set(`${req.getType()}::${req.getName()}`, req.getObject()?.toJavaScript() ?? {});
    return register(req, cb);
  };
}

function unwrapSecrets(v: unknown): unknown {
  return mapDeep(v, (inner) => unwrapSecrets(inner));
}

/**
 * Run the real program (program.ts, the one `pulumi up` runs) under Pulumi's
 * mocks with the given config, and collect every resource it registers.
 */
export async function runProgram(
  config: Record<string, string>,
  secretKeys: string[],
  opts: { project: string; stack: string } & ValidateOptions,
): Promise<ProgramRun> {
  const byName = new Map<string, { inputs: Record<string, unknown>; raw: Record<string, unknown>; custom: boolean }>();
  const parents = new Map<string, string>();
  const protections = new Map<string, { retainOnDelete?: true; protect?: true }>();
  const order: string[] = [];
  const serialised = new Map<string, Record<string, unknown>>();
  const id = (type: string, name: string) => `${type}::${name}`;

  pulumi.runtime.setAllConfig(config, secretKeys);
  await pulumi.runtime.setMocks(
    {
      newResource(args: pulumi.runtime.MockResourceArgs) {
        const raw = unwrapSecrets(args.inputs) as Record<string, unknown>;
        const key = id(args.type, args.name);
        byName.set(key, { inputs: maskInputs(args.inputs, serialised.get(key)), raw, custom: args.custom ?? true });
        return { id: args.custom === false ? undefined : `${args.name}-id`, state: mockState(args.type, args.name, raw) };
      },
      call(args: pulumi.runtime.MockCallArgs) {
        return args.inputs as Record<string, unknown>;
      },
    },
    opts.project,
    opts.stack,
    false,
  );
  recordSerialisedInputs(serialised);
  // The program runs inside a root Stack resource, as under the CLI. Legacy
  // stack transformations run in-process for every resource (the newer
  // transforms run in the engine, which mocks lack): the one place the parent
  // of a custom resource is visible.
  // Config and dashboard problems surface here, before the root stack or any resource exists.
  const input = loadStack(undefined, { unsetSecret: opts.unsetSecret });
  const settings = input.settings;
  const warnings: string[] = [];
  let stack: ObservabilityStack | undefined;
  let failure: unknown;
  const exported = await pulumi.runtime.runInPulumiStack(async () => {
    pulumi.runtime.registerStackTransformation((args) => {
      const key = id(args.type, args.name);
      order.push(key);
      if (args.opts.retainOnDelete || args.opts.protect) {
        protections.set(key, { ...(args.opts.retainOnDelete ? { retainOnDelete: true as const } : {}), ...(args.opts.protect ? { protect: true as const } : {}) });
      }
      const parent = args.opts.parent as unknown as { __pulumiType?: string; __name?: string } | undefined;
      if (parent?.__pulumiType && parent.__name && parent.__pulumiType !== "pulumi:pulumi:Stack") {
        parents.set(key, id(parent.__pulumiType, parent.__name));
      }
      return undefined;
    });
    try {
      stack = program(input, (message) => warnings.push(message));
    } catch (err) {
      // Thrown inside the root stack's initialiser it would escape as an unhandled rejection.
      failure = err;
      return {};
    }
    return { ...stack.outputs };
  });
  if (failure !== undefined) throw failure;
  if (!stack) throw new Error("program did not build the stack");
  const outputs = (await resolve(exported ?? {})) as Record<string, unknown>;
  await settle(() => byName.size);

  const resources: PlannedResource[] = [];
  for (const key of new Set([...order, ...byName.keys()])) {
    const registered = byName.get(key);
    if (!registered) continue;
    const [type, name] = key.split("::");
    resources.push({ type, name, parent: parents.get(key), custom: registered.custom, inputs: registered.inputs, ...protections.get(key) });
  }
  const rawInputs = (type: string, name: string) => {
    const found = byName.get(id(type, name));
    if (!found) throw new Error(`no ${type} named ${name}`);
    return found.raw;
  };
  return { settings, stack, resources, outputs, rawInputs, warnings, sizing: estimateSizing(settings) };
}

function resolve(values: Record<string, unknown>): Promise<Record<string, unknown>> {
  return new Promise((done) => pulumi.output(values).apply((v) => done(v as Record<string, unknown>)));
}

/** Registrations complete asynchronously; wait until the count stops growing. */
export async function settle(count: () => number): Promise<void> {
  let last = -1;
  let stable = 0;
  while (stable < 5) {
    await new Promise((r) => setTimeout(r, 20));
    const now = count();
    stable = now === last ? stable + 1 : 0;
    last = now;
  }
}
