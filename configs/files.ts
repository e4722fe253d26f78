import { stringify } from "yaml";

/**
 * A config file a tool reads, as data: `path` is relative to the render root
 * (`prometheus/prometheus.yml`) and doubles as the file's identity; the
 * component decides where it is mounted inside the container.
 */
export interface ConfigFile {
  /** Path relative to the render output directory, e.g. `loki/loki.yml`. */
  readonly path: string;
  /** Exact bytes the tool reads. */
  readonly content: string;
}

/**
 * Deterministic YAML: keys keep the order the builder wrote them (builders
 * write them in a fixed order), no line wrapping, no anchors. Rendering the
 * same settings twice yields identical bytes, so an unchanged stack previews
 * with no diff.
 */
export function toYaml(data: unknown): string {
  return stringify(data, { lineWidth: 0, aliasDuplicateObjects: false, sortMapEntries: false });
}

/** Deterministic JSON with a trailing newline (Grafana dashboards, plan.json). */
export function toJson(data: unknown): string {
  return JSON.stringify(data, null, 2) + "\n";
}

export function yamlFile(path: string, data: unknown, header?: string): ConfigFile {
  const prefix = header ? header.split("\n").map((l) => `# ${l}`).join("\n") + "\n" : "";
  return { path, content: prefix + toYaml(data) };
}
