import { PlannedResource, ProgramRun, runProgram } from "../../render/run";

/** Run the real program under mocks with stack config given as objects (top-level keys, no namespace). */
export function runWith(values: Record<string, unknown>, secretKeys: string[] = [], stack = "test"): Promise<ProgramRun> {
  const config = Object.fromEntries(
    Object.entries(values).map(([k, v]) => [`observability:${k}`, typeof v === "string" ? v : JSON.stringify(v)]),
  );
  return runProgram(config, secretKeys.map((k) => `observability:${k}`), { project: "observability", stack });
}

export function ofType(run: ProgramRun, type: string): PlannedResource[] {
  return run.resources.filter((r) => r.type === type);
}

/** Inputs with secrets in the clear (plan.json masks them). */
export function rawNamed(run: ProgramRun, type: string, name: string): Record<string, unknown> {
  return run.rawInputs(type, name);
}

export function named(run: ProgramRun, type: string, name: string): PlannedResource {
  const found = run.resources.find((r) => r.type === type && r.name === name);
  if (!found) throw new Error(`no ${type} named ${name}; have: ${ofType(run, type).map((r) => r.name).join(", ")}`);
  return found;
}

/** The TutorDex application targets of seed 000/001. */
export const TUTORDEX_TARGETS = [
  { name: "tutordex_collector", address: "collector-tail:9001", component: "collector", healthPaths: ["/health/collector"] },
  { name: "tutordex_worker", address: "aggregator-worker:9002", component: "worker", healthPaths: ["/health/worker"] },
  { name: "tutordex_backend", address: "backend:8000", component: "backend", healthPaths: ["/health/backend", "/health/dependencies"] },
];
