/**
 * Preload (`node -r bin/scripts/bench/mock-engine.js`) standing in for the
 * Pulumi engine, which is not available here: with it, Pulumi's own
 * language-host entry (`@pulumi/pulumi/cmd/run`, what `pulumi preview` and
 * `pulumi up` start through pulumi-language-nodejs) runs the program against
 * an in-process mock resource monitor instead of the CLI's gRPC one. Config
 * arrives as from the CLI (PULUMI_CONFIG, PULUMI_CONFIG_SECRET_KEYS); project
 * and stack from PULUMI_NODEJS_PROJECT / PULUMI_NODEJS_STACK.
 *
 * Used by `npm run benchmark` (program start) and tests/packaging. With
 * MOCK_ENGINE_REPORT set, writes there at exit {"resources": <count>,
 * "sourcePositions": {"<type>::<name>": "<uri>:<line>:<column>"}}: the
 * source position the SDK sends the engine with each registration.
 */
import * as fs from "fs";
import * as pulumi from "@pulumi/pulumi";
import { mockState } from "../../render/mock-state";

const registered = new Set<string>();

void pulumi.runtime.setMocks(
  {
    newResource(args: pulumi.runtime.MockResourceArgs) {
      registered.add(`${args.type}::${args.name}`);
      return { id: args.custom === false ? undefined : `${args.name}-id`, state: mockState(args.type, args.name, args.inputs) };
    },
    call(args: pulumi.runtime.MockCallArgs) {
      return args.inputs as Record<string, unknown>;
    },
  },
  process.env.PULUMI_NODEJS_PROJECT,
  process.env.PULUMI_NODEJS_STACK,
  true,
);

// The CLI's monitor answers the language host's last call at exit; the SDK's mock does not have it.
interface ShutdownCapable {
  signalAndWaitForShutdown?: (req: unknown, done: (err: Error | null, res: unknown) => void) => void;
}
const monitor = pulumi.runtime.getMonitor() as unknown as ShutdownCapable | undefined;
if (monitor && !monitor.signalAndWaitForShutdown) monitor.signalAndWaitForShutdown = (_req, done) => done(null, {});

// What the engine would be told about where each resource was declared (shown by `pulumi preview`).
interface PositionedRequest {
  getType(): string;
  getName(): string;
  getSourceposition(): { getUri(): string; getLine(): number; getColumn(): number } | undefined;
}
interface RegisterCapable {
  registerResource(req: PositionedRequest, done: (err: Error | null, res: unknown) => void): void;
}
const sourcePositions: Record<string, string> = {};
const registering = monitor as unknown as RegisterCapable | undefined;
if (registering) {
  const register = registering.registerResource.bind(registering);
  registering.registerResource = (req, done) => {
    const at = req.getSourceposition();
    if (at) sourcePositions[`${req.getType()}::${req.getName()}`] = `${at.getUri()}:${at.getLine()}:${at.getColumn()}`;
    register(req, done);
  };
}

const report = process.env.MOCK_ENGINE_REPORT;
if (report) process.on("exit", () => fs.writeFileSync(report, JSON.stringify({ resources: registered.size, sourcePositions })));
