import { importCycles, importEdges, PROGRAM_ROOTS } from "./import-graph";
import { PROJECT_DIR } from "../support/stacks";

// Which way imports run (docs/architecture.md): configs/ holds pure builders and
// facts, settings/ validates input against them, targets/ and components/ deploy.
describe("the program's import graph", () => {
  const edges = importEdges(PROJECT_DIR);

  it("is read from every folder the program is built from", () => {
    const folders = new Set(edges.map((e) => e.from.split("/")[0]));
    for (const root of PROGRAM_ROOTS) if (!root.endsWith(".ts")) expect(folders).toContain(root);
    expect(edges.length).toBeGreaterThan(200);
  });

  it("has no cycles, type-only imports included", () => {
    expect(importCycles(edges).map((c) => c.join(" -> "))).toEqual([]);
  });

  it("lets configs/ import nothing from the layers above it", () => {
    const upward = edges.filter((e) => e.from.startsWith("configs/") && /^(settings|targets|components|render|sizing|review)\//.test(e.to));
    expect(upward.map((e) => `${e.from} -> ${e.to}`)).toEqual([]);
  });

  it("finds a cycle and an upward import when one exists", () => {
    const made = [
      { from: "configs/a.ts", to: "settings/b.ts", typeOnly: true },
      { from: "settings/b.ts", to: "configs/a.ts", typeOnly: false },
    ];
    expect(importCycles(made)).toEqual([["configs/a.ts", "settings/b.ts"]]);
    expect(importCycles([{ from: "x.ts", to: "y.ts", typeOnly: false }])).toEqual([]);
  });

  it("reads multi-line, type-only and re-export imports", () => {
    const from = (file: string) => edges.filter((e) => e.from === file).map((e) => e.to);
    expect(from("settings/checks.ts")).toEqual(expect.arrayContaining(["configs/grafana/external.ts", "settings/problems.ts", "configs/durations.ts"]));
    expect(edges).toContainEqual({ from: "settings/checks.ts", to: "settings/problems.ts", typeOnly: true });
    expect(from("configs/prometheus/rules/index.ts")).toContain("configs/durations.ts");
  });
});
