import { parse, stringify } from "yaml";

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

/** Parsed rendered files, by content, oldest first; a render holds a few dozen. */
const parsedByContent = new Map<string, unknown>();
const PARSED_KEPT = 64;

/**
 * The data of a YAML file this program rendered, parsed once per content:
 * render's summary and its routing review read the same files (prometheus.yml
 * and the rule files, the largest), and parsing one cost as much as writing it.
 * The result is shared: callers only read it.
 */
export function parseRendered(content: string): unknown {
  if (parsedByContent.has(content)) return parsedByContent.get(content);
  const data = parse(content) as unknown;
  if (parsedByContent.size >= PARSED_KEPT) parsedByContent.delete(parsedByContent.keys().next().value as string);
  parsedByContent.set(content, data);
  return data;
}

/** Deterministic JSON with a trailing newline (Grafana dashboards, plan.json). */
export function toJson(data: unknown): string {
  return JSON.stringify(data, null, 2) + "\n";
}

export function yamlFile(path: string, data: unknown, header?: string): ConfigFile {
  const prefix = header ? header.split("\n").map((l) => `# ${l}`).join("\n") + "\n" : "";
  return { path, content: prefix + toYaml(data) };
}
