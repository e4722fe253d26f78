import * as fs from "fs";
import * as path from "path";
import { stringify } from "yaml";
import { toJson } from "../configs/files";
import { sizingJson, sizingMarkdown } from "../sizing/report";
import { PlannedResource, ProgramRun, runProgram } from "./run";
import { readStackConfig, SECRET_PLACEHOLDER } from "./stack-config";
import { routingMarkdown } from "../review/routing";

export interface RenderedFile {
  readonly path: string;
  readonly content: string;
}

/** The routing matrix render writes beside alertmanager.yml. */
export const ROUTING_MATRIX_PATH = "alertmanager/routing.md";

export interface RenderOptions {
  /** Directory holding `Pulumi.<stack>.yaml`; default the project directory (tests pass their fixtures). */
  readonly stacksDir?: string;
  /** The stack's config file, instead of `Pulumi.<stack>.yaml` in `stacksDir` (render --stack-file). */
  readonly stackFile?: string;
}

/** A render and what the user should know about it. */
export interface RenderResult {
  readonly files: RenderedFile[];
  readonly run: ProgramRun;
  /**
   * Required secrets the stack declares (a receiver's token, ...) but has not
   * set yet: render put the placeholder in their place; deploy will refuse
   * until they are set.
   */
  readonly unsetSecrets: string[];
}

/** The files of DESIGN.md's render contract for one stack, in memory. */
export async function renderStack(projectDir: string, stackName: string, options: RenderOptions = {}): Promise<RenderedFile[]> {
  return (await renderStackResult(projectDir, stackName, options)).files;
}

/** `renderStack`, with the program run and the secrets render stood in for. */
export async function renderStackResult(projectDir: string, stackName: string, options: RenderOptions = {}): Promise<RenderResult> {
  const { project, config, secretKeys } = readStackConfig(projectDir, stackName, options.stacksDir, options.stackFile);
  const unsetSecrets: string[] = [];
  const unsetSecret = (keyPath: string) => {
    unsetSecrets.push(keyPath);
    return SECRET_PLACEHOLDER;
  };
  const run = await runProgram(config, secretKeys, { project, stack: stackName, unsetSecret });
  return { files: renderRun(run, stackName), run, unsetSecrets };
}

/**
 * The render files of a program run (secrets masked), for callers that run the
 * program with config held in memory: the live end-to-end suite renders its
 * test-only stack config with this, so it gets exactly what `renderStack` writes.
 */
export function renderRun(run: ProgramRun, stackName: string): RenderedFile[] {
  const files: RenderedFile[] = [
    ...run.stack.files.map((f) => ({ path: f.path, content: f.content })),
    ...run.stack.secretFiles.map((f) => ({ path: f.path, content: `${SECRET_PLACEHOLDER}\n` })),
    ...kubernetesManifests(run.resources, run.rawInputs),
    { path: "plan.json", content: toJson({ stack: stackName, resources: run.resources }) },
    { path: "sizing.md", content: sizingMarkdown(run.sizing) },
    { path: "sizing.json", content: sizingJson(run.sizing) },
  ];
  // For reviewers, not for any service: who gets paged for what (issue 17).
  files.push({ path: ROUTING_MATRIX_PATH, content: routingMarkdown(new Map(files.map((f) => [f.path, f.content])), stackName) });
  const seen = new Set<string>();
  for (const f of files) {
    if (seen.has(f.path)) throw new Error(`two rendered files at ${f.path}`);
    seen.add(f.path);
  }
  return files.sort((a, b) => a.path.localeCompare(b.path));
}

/** Write rendered files under `outDir` (created; existing files of the same name are replaced). */
export function writeRendered(outDir: string, files: readonly RenderedFile[]): void {
  for (const f of files) {
    const target = path.join(outDir, f.path);
    fs.mkdirSync(path.dirname(target), { recursive: true });
    fs.writeFileSync(target, f.content);
  }
}

const K8S_TYPE = /^kubernetes:([a-z.0-9]+)\/(v[0-9a-z]+):([A-Za-z]+)$/;

/**
 * Every Kubernetes object the program registers, as the manifest the provider
 * would apply. The Kubernetes SDK marks a Secret's whole `stringData`/`data`
 * secret; given the raw inputs, the manifest keeps the keys (not secret) with
 * each value replaced by the render placeholder, so it stays a valid Secret.
 */
export function kubernetesManifests(
  resources: readonly PlannedResource[],
  rawInputs?: (type: string, name: string) => Record<string, unknown>,
): RenderedFile[] {
  return resources.flatMap((r) => {
    const m = K8S_TYPE.exec(r.type);
    if (!m || !r.custom) return [];
    const [, group, version, kind] = m;
    const { apiVersion: _a, kind: _k, ...body } = r.inputs;
    if (kind === "Secret" && rawInputs) {
      const raw = rawInputs(r.type, r.name);
      for (const field of ["stringData", "data"] as const) {
        const values = raw[field];
        if (values && typeof values === "object") body[field] = Object.fromEntries(Object.keys(values).sort().map((k) => [k, SECRET_PLACEHOLDER]));
      }
    }
    const manifest = { apiVersion: group === "core" ? version : `${group}/${version}`, kind, ...body };
    const meta = body.metadata as { name?: string; namespace?: string } | undefined;
    const file = [meta?.namespace, kind, meta?.name ?? r.name].filter(Boolean).join("-").toLowerCase();
    return [{ path: `kubernetes/${file}.yaml`, content: stringify(manifest, { lineWidth: 0 }) }];
  });
}
