/**
 * The official grammars (`@prometheus-io/lezer-promql`, `@grafana/lezer-logql`),
 * loaded on first use, and what they said at build time about the expressions
 * the stack ships.
 *
 * Why: every start checks every shipped rule expression (thresholds and SLOs
 * from config end up inside them) and derives the inhibition lists from the
 * metrics they select. Parsing them, and loading the grammars to do so, was a
 * large share of a start. `npm run build` therefore records, in
 * bin/grammar-facts.json (scripts/grammar-facts.ts), each shipped expression
 * the grammar accepts and, for PromQL, the metric names it selects. At run
 * time an expression found there is not parsed again; any other expression (a
 * user's rule file, a threshold the build did not see) is parsed as before.
 *
 * The same file records the rules' label and annotation values that the Go
 * template checker (configs/go-template.ts) accepts in Prometheus' dialect:
 * each alert's annotations are templates, checked at every start like the
 * expressions, and a start need not parse them again either.
 *
 * Facts are keyed by the sha256 of the expression's text, so a fact is never
 * applied to another expression; they are used only by the compiled program
 * sitting in the same build (from sources, e.g. under jest, everything is
 * parsed), and only when the installed grammar files are byte for byte those
 * the build used. A wrong or stale fact can therefore only cost a parse.
 */
import * as crypto from "crypto";
import * as fs from "fs";
import * as path from "path";
import type { parser as PromqlParser } from "@prometheus-io/lezer-promql";
import { BUILD_DIR, projectDir } from "../../../scripts/build";

/** The two query languages rule and dashboard expressions are written in. */
export type QueryLanguage = "promql" | "logql";

/** The facts file, inside the build directory. */
export const GRAMMAR_FACTS_FILE = "grammar-facts.json";

/** The package of each query language's grammar. */
export const GRAMMAR_PACKAGES: Readonly<Record<QueryLanguage, string>> = {
  promql: "@prometheus-io/lezer-promql",
  logql: "@grafana/lezer-logql",
};

/** A lezer LR parser (both grammar packages export one). */
export type Grammar = typeof PromqlParser;

const loaded: Partial<Record<QueryLanguage, Grammar>> = {};

/** The grammar of `lang`, required on first use (a start whose expressions are all known never loads it). */
export function grammar(lang: QueryLanguage): Grammar {
  // eslint-disable-next-line @typescript-eslint/no-require-imports
  return (loaded[lang] ??= (require(GRAMMAR_PACKAGES[lang]) as { parser: Grammar }).parser);
}

/** What `npm run build` recorded. */
export interface GrammarFacts {
  /** sha256 of each grammar's compiled file (what `require` loads) the facts were computed with. */
  readonly grammars: Readonly<Record<QueryLanguage, string>>;
  /** sha256 of a PromQL expression the grammar accepts (no problems) -> the metric names it selects. */
  readonly promql: Readonly<Record<string, readonly string[]>>;
  /** sha256 of each LogQL expression the grammar accepts as a rule (a metric query). */
  readonly logql: readonly string[];
  /** sha256 of each alert label or annotation value the template checker accepts (Prometheus' dialect). */
  readonly templates?: readonly string[];
}

export const expressionKey = (expr: string): string => crypto.createHash("sha256").update(expr).digest("hex");

/** sha256 of the file `require(GRAMMAR_PACKAGES[lang])` loads, without loading it. */
export function grammarDigest(lang: QueryLanguage): string {
  return crypto.createHash("sha256").update(fs.readFileSync(require.resolve(GRAMMAR_PACKAGES[lang]))).digest("hex");
}

interface Known {
  readonly promql: ReadonlyMap<string, readonly string[]>;
  readonly logql: ReadonlySet<string>;
  readonly templates: ReadonlySet<string>;
}

const NONE: Known = { promql: new Map(), logql: new Set(), templates: new Set() };
let known: Known | undefined;

/** The facts of each language whose grammar file is the one they were computed with. */
function usable(facts: GrammarFacts): Known {
  return {
    promql: facts.grammars?.promql === grammarDigest("promql") ? new Map(Object.entries(facts.promql ?? {})) : new Map(),
    logql: facts.grammars?.logql === grammarDigest("logql") ? new Set(facts.logql ?? []) : new Set(),
    // The template checker is this build's own code: its facts need no grammar file to match.
    templates: new Set(facts.templates ?? []),
  };
}

/**
 * The facts of the build this compiled module belongs to, or none: running
 * from sources, no facts file, or one that cannot be read.
 */
function knownFacts(): Known {
  if (known) return known;
  known = NONE;
  let root: string;
  try {
    root = projectDir(__dirname);
  } catch {
    return known;
  }
  const buildDir = path.join(root, BUILD_DIR);
  if (path.relative(buildDir, __dirname).startsWith("..")) return known;
  try {
    known = usable(JSON.parse(fs.readFileSync(path.join(buildDir, GRAMMAR_FACTS_FILE), "utf8")) as GrammarFacts);
  } catch {
    // No facts: every expression is parsed.
  }
  return known;
}

/** True when the build found `expr` free of problems (PromQL; LogQL as a rule). */
export function knownValid(lang: QueryLanguage, expr: string): boolean {
  const k = knownFacts();
  return lang === "promql" ? k.promql.has(expressionKey(expr)) : k.logql.has(expressionKey(expr));
}

/** True when the build found `text` (an alert's label or annotation value) to be a template Prometheus accepts. */
export function knownValidTemplate(text: string): boolean {
  return knownFacts().templates.has(expressionKey(text));
}

/** Metric names the build found `expr` (PromQL) to select, or undefined when it has no fact about it. */
export function knownSelectedMetrics(expr: string): readonly string[] | undefined {
  return knownFacts().promql.get(expressionKey(expr));
}

/**
 * Use `facts` (checked against the installed grammars like the build's), or,
 * with undefined, read the build's again on the next lookup. For tests and
 * scripts/grammar-facts.ts, which computes facts with no facts in use.
 */
export function useGrammarFacts(facts: GrammarFacts | "none" | undefined): void {
  known = facts === undefined ? undefined : facts === "none" ? NONE : usable(facts);
}
