import * as fs from "fs";
import * as path from "path";

/** The folders and top-level files the program is built from (tsconfig.build.json), by path relative to the project. */
export const PROGRAM_ROOTS = ["index.ts", "program.ts", "versions.ts", "components", "configs", "render", "review", "settings", "sizing", "targets"] as const;

/** One import edge: `from` imports `to` (both project-relative `.ts` paths); `typeOnly` for `import type`. */
export interface ImportEdge {
  readonly from: string;
  readonly to: string;
  readonly typeOnly: boolean;
}

function tsFiles(root: string, rel: string): string[] {
  const abs = path.join(root, rel);
  if (!fs.existsSync(abs)) return [];
  if (fs.statSync(abs).isFile()) return rel.endsWith(".ts") ? [rel] : [];
  return fs.readdirSync(abs).flatMap((name) => tsFiles(root, path.posix.join(rel, name)));
}

// `import ... from "x"`, `export ... from "x"`, `import "x"`, `require("x")`, `import("x")`.
const IMPORT = /(?:^|\n)\s*(import|export)\s+(type\s+)?[^;]*?\sfrom\s+"([^"]+)"|(?:^|\n)\s*import\s+"([^"]+)"|\b(?:require|import)\(\s*"([^"]+)"\s*\)/g;

function resolve(root: string, from: string, spec: string): string | undefined {
  if (!spec.startsWith(".")) return undefined;
  const base = path.posix.normalize(path.posix.join(path.posix.dirname(from), spec));
  for (const candidate of [`${base}.ts`, `${base}/index.ts`, base]) {
    if (candidate.endsWith(".ts") && fs.existsSync(path.join(root, candidate))) return candidate;
  }
  return undefined;
}

/** Every relative import between the program's own files. */
export function importEdges(root: string): ImportEdge[] {
  const edges: ImportEdge[] = [];
  for (const file of PROGRAM_ROOTS.flatMap((r) => tsFiles(root, r))) {
    const text = fs.readFileSync(path.join(root, file), "utf8");
    for (const m of text.matchAll(IMPORT)) {
      const spec = m[3] ?? m[4] ?? m[5];
      const to = resolve(root, file, spec);
      if (to) edges.push({ from: file, to, typeOnly: Boolean(m[2]) });
    }
  }
  return edges;
}

/** Import cycles (each as the files around it, starting from its smallest path), found by depth-first search. */
export function importCycles(edges: readonly ImportEdge[]): string[][] {
  const next = new Map<string, string[]>();
  for (const e of edges) next.set(e.from, [...(next.get(e.from) ?? []), e.to]);
  const cycles = new Map<string, string[]>();
  const state = new Map<string, "open" | "done">();
  const stack: string[] = [];
  const visit = (file: string) => {
    state.set(file, "open");
    stack.push(file);
    for (const to of next.get(file) ?? []) {
      if (state.get(to) === "open") {
        const cycle = stack.slice(stack.indexOf(to));
        const start = cycle.indexOf([...cycle].sort()[0]);
        const canonical = [...cycle.slice(start), ...cycle.slice(0, start)];
        cycles.set(canonical.join(" -> "), canonical);
      } else if (!state.has(to)) visit(to);
    }
    stack.pop();
    state.set(file, "done");
  };
  for (const file of [...next.keys()].sort()) if (!state.has(file)) visit(file);
  return [...cycles.values()];
}
