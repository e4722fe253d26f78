/**
 * Alerting and recording rules of two renders, compared rule by rule, each
 * change spelled out (`HighErrorRate [critical]: threshold 0.05 -> 0.03; for 5m -> 10m`).
 * Reads every rule file a render writes: the shipped packs, users' files under
 * `prometheus/rules/user/` and the Loki ruler's.
 */
import { parse } from "yaml";
import { isRuleFile } from "./routing";

interface RawRule {
  alert?: string;
  record?: string;
  expr?: string;
  for?: string;
  keep_firing_for?: string;
  labels?: Record<string, unknown>;
  annotations?: Record<string, unknown>;
}

export interface RenderedRule {
  readonly kind: "alert" | "record";
  readonly name: string;
  readonly expr: string;
  readonly for: string;
  readonly labels: Readonly<Record<string, string>>;
  readonly annotations: Readonly<Record<string, string>>;
  readonly file: string;
  readonly group: string;
}

export interface RuleChanges {
  readonly added: string[];
  readonly removed: string[];
  readonly changed: string[];
}

const strings = (o?: Record<string, unknown>) => Object.fromEntries(Object.entries(o ?? {}).map(([k, v]) => [k, String(v)]));

/** Every rule of a render's rule files. */
export function renderedRules(files: ReadonlyMap<string, string>): RenderedRule[] {
  const out: RenderedRule[] = [];
  for (const [file, content] of files) {
    if (!isRuleFile(file)) continue;
    const doc = parse(content) as { groups?: { name: string; rules?: RawRule[] }[] } | null;
    for (const g of doc?.groups ?? []) {
      for (const r of g.rules ?? []) {
        const name = r.alert ?? r.record;
        if (!name) continue;
        out.push({
          kind: r.alert ? "alert" : "record",
          name,
          expr: String(r.expr ?? "").trim(),
          for: r.for ?? "0s",
          labels: strings(r.labels),
          annotations: strings(r.annotations),
          file,
          group: g.name,
        });
      }
    }
  }
  return out;
}

/**
 * Identity of a rule across renders. Alerts: the name, plus the severity when
 * tiers share a name (`HighErrorRate [critical]`). Recording rules: the name,
 * plus the static labels when several rules record one name (per-SLO series).
 */
function keys(rules: readonly RenderedRule[]): Map<string, RenderedRule> {
  const byName = new Map<string, RenderedRule[]>();
  for (const r of rules) byName.set(`${r.kind}:${r.name}`, [...(byName.get(`${r.kind}:${r.name}`) ?? []), r]);
  const out = new Map<string, RenderedRule>();
  for (const group of byName.values()) {
    const severities = group.map((r) => r.labels.severity ?? "no severity");
    for (const r of group) {
      let key = r.name;
      if (group.length > 1) {
        const severity = r.labels.severity ?? "no severity";
        // One rule per severity: name it by severity; several per severity (one per SLO): by all static labels.
        const bySeverity = r.kind === "alert" && severities.filter((x) => x === severity).length === 1;
        key = bySeverity ? `${r.name} [${severity}]` : `${r.name}{${labelText(r.labels)}}`;
      }
      // Same identity twice (a user file repeating a rule): keep them apart by file.
      if (out.has(key)) key = `${key} (${r.file})`;
      out.set(key, r);
    }
  }
  return out;
}

function labelText(l: Readonly<Record<string, string>>): string {
  return Object.keys(l)
    .sort()
    .map((k) => `${k}="${l[k]}"`)
    .join(", ");
}

/** Standalone numbers of a PromQL/LogQL expression (not durations, names or quoted values), with what precedes each. */
const NUMBER = /(?<![\w.:"$])(\d+(?:\.\d+)?(?:e[+-]?\d+)?)(?![\w.:"])/gi;

function skeleton(expr: string): { shape: string; numbers: { value: string; comparison: boolean }[] } {
  const numbers: { value: string; comparison: boolean }[] = [];
  const shape = expr.replace(NUMBER, (m: string, _n: string, offset: number) => {
    numbers.push({ value: m, comparison: /(?:[<>]=?|[=!]=)\s*(?:bool\s*)?\(?\s*$/.test(expr.slice(Math.max(0, offset - 12), offset)) });
    return "#";
  });
  return { shape: shape.replace(/\s+/g, " "), numbers };
}

/** The ways `b` differs from `a`, spelled out; empty when the rules are the same. */
export function ruleDifferences(a: RenderedRule, b: RenderedRule): string[] {
  const out: string[] = [];
  if (a.expr !== b.expr) {
    const sa = skeleton(a.expr);
    const sb = skeleton(b.expr);
    if (sa.shape === sb.shape && sa.numbers.length === sb.numbers.length) {
      const thresholds = new Set<string>();
      const constants = new Set<string>();
      sa.numbers.forEach((n, i) => {
        const m = sb.numbers[i]!;
        if (n.value !== m.value) (n.comparison ? thresholds : constants).add(`${n.value} -> ${m.value}`);
      });
      if (thresholds.size) out.push(`threshold ${[...thresholds].join(", ")}`);
      if (constants.size) out.push(`constant ${[...constants].join(", ")}`);
    } else if (sa.shape.replace(/\s/g, "") !== sb.shape.replace(/\s/g, "") || sa.numbers.map((n) => n.value).join() !== sb.numbers.map((n) => n.value).join()) {
      out.push(`expr \`${oneLine(a.expr)}\` -> \`${oneLine(b.expr)}\``);
    }
  }
  if (a.for !== b.for) out.push(`for ${a.for} -> ${b.for}`);
  const labelKeys = [...new Set([...Object.keys(a.labels), ...Object.keys(b.labels)])].sort();
  for (const k of labelKeys) {
    const x = a.labels[k];
    const y = b.labels[k];
    if (x === y) continue;
    out.push(x === undefined ? `label ${k} added (${y})` : y === undefined ? `label ${k} removed (was ${x})` : `${k === "severity" ? "severity" : `label ${k}`} ${x} -> ${y}`);
  }
  const annotationKeys = [...new Set([...Object.keys(a.annotations), ...Object.keys(b.annotations)])].sort();
  const changedAnnotations = annotationKeys.filter((k) => a.annotations[k] !== b.annotations[k]);
  if (changedAnnotations.length) out.push(`annotation${changedAnnotations.length > 1 ? "s" : ""} ${changedAnnotations.join(", ")} reworded`);
  if (a.file !== b.file || a.group !== b.group) out.push(`moved from ${a.file} (group ${a.group}) to ${b.file} (group ${b.group})`);
  return out;
}

function oneLine(expr: string): string {
  return expr.replace(/\s+/g, " ").replace(/`/g, "'");
}

function describe(r: RenderedRule): string {
  if (r.kind === "record") return `\`${oneLine(r.expr)}\``;
  const bits = [r.labels.severity ?? "no severity", `for ${r.for}`];
  return `${bits.join(", ")}: \`${oneLine(r.expr)}\``;
}

/** Rule changes of one kind between two renders, one Markdown bullet each. */
export function ruleChanges(before: ReadonlyMap<string, string>, after: ReadonlyMap<string, string>, kind: "alert" | "record"): RuleChanges {
  const a = keys(renderedRules(before).filter((r) => r.kind === kind));
  const b = keys(renderedRules(after).filter((r) => r.kind === kind));
  const added: string[] = [];
  const removed: string[] = [];
  const changed: string[] = [];
  for (const [k, r] of [...b].sort(([x], [y]) => x.localeCompare(y))) {
    const old = a.get(k);
    if (!old) {
      added.push(`- added \`${k}\` (${describe(r)}) in ${r.file}`);
      continue;
    }
    const diffs = ruleDifferences(old, r);
    if (diffs.length) changed.push(`- \`${k}\`: ${diffs.join("; ")}`);
  }
  for (const [k, r] of [...a].sort(([x], [y]) => x.localeCompare(y))) {
    if (!b.has(k)) removed.push(`- removed \`${k}\` (${describe(r)}) from ${r.file}`);
  }
  return { added, removed, changed };
}
