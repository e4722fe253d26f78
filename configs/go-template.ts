/**
 * A parser for Go's text/template grammar, as far as Prometheus (alert
 * labels and annotations) and Alertmanager (notification fields and template
 * files) use it: text and actions, `{{-`/`-}}` trim markers, comments,
 * pipelines with `|`, parenthesised sub-pipelines, variables (`$x :=`,
 * `$x =`, `$i, $v := range`), fields, strings, raw strings, characters,
 * numbers, and the control actions define/template/block/if/else/range/
 * with/break/continue/end.
 *
 * It reports what Go's `template.Parse` reports, with Go's wording where it
 * can: an unclosed action or comment, an unterminated string, an unknown
 * function, an undefined variable, an `{{end}}` or `{{else}}` out of place.
 * Like Go it stops at the first error. Beyond Parse it also resolves every
 * `{{template "name"}}` against the templates in scope, a failure Go only
 * finds when the template runs, i.e. when a notification is due.
 *
 * Dialects carry what each tool adds: its function map (the versions the
 * Debian checkers ship, promtool 2.42 and amtool 0.25, whose sets the newer
 * servers include), predeclared variables, and the template names already
 * defined.
 */

/** What one tool adds to text/template. */
export interface TemplateDialect {
  /** Shown in messages: "Prometheus", "Alertmanager". */
  readonly name: string;
  /** Functions beyond text/template's built-ins. */
  readonly functions: readonly string[];
  /** Variables defined before the text (besides `$`). */
  readonly variables: readonly string[];
  /** Template names defined outside the text (the tool's defaults, shipped template files). */
  readonly templates: readonly string[];
}

/** text/template's predefined functions (text/template/funcs.go). */
export const GO_BUILTIN_FUNCTIONS: readonly string[] = [
  "and", "call", "html", "index", "slice", "js", "len", "not", "or", "print", "printf", "println", "urlquery", "eq", "ge", "gt", "le", "lt", "ne",
];

/**
 * Prometheus' alert-template functions (template/template.go) that promtool
 * 2.42 accepts; Prometheus 3 has them all.
 */
export const PROMETHEUS_TEMPLATE_FUNCTIONS: readonly string[] = [
  "query", "first", "label", "value", "strvalue", "args", "reReplaceAll", "safeHtml", "match", "title", "toUpper", "toLower",
  "graphLink", "tableLink", "sortByLabel", "humanize", "humanize1024", "humanizeDuration", "humanizePercentage", "humanizeTimestamp",
  "toTime", "pathPrefix", "externalURL", "stripPort", "stripDomain", "parseDuration",
];

/**
 * Variables Prometheus defines before expanding a rule's labels and
 * annotations (rules/alerting.go prepends `{{$labels := .Labels}}` and the like).
 */
export const PROMETHEUS_TEMPLATE_VARIABLES: readonly string[] = ["$labels", "$externalLabels", "$externalURL", "$value"];

/** Alertmanager's DefaultFuncs (template/template.go) in 0.25, the checker Debian ships; 0.34 keeps them. */
export const ALERTMANAGER_TEMPLATE_FUNCTIONS: readonly string[] = ["toUpper", "toLower", "title", "join", "match", "safeHtml", "reReplaceAll", "stringSlice"];

/** Templates Alertmanager defines itself (template/default.tmpl), in 0.25 and later. */
export const ALERTMANAGER_DEFAULT_TEMPLATES: readonly string[] = [
  "__alertmanager", "__alertmanagerURL", "__subject", "__description", "__text_alert_list",
  "slack.default.title", "slack.default.username", "slack.default.fallback", "slack.default.pretext", "slack.default.titlelink",
  "slack.default.iconemoji", "slack.default.iconurl", "slack.default.text",
  "pagerduty.default.description", "pagerduty.default.client", "pagerduty.default.clientURL", "pagerduty.default.instances",
  "opsgenie.default.message", "opsgenie.default.description", "opsgenie.default.source", "opsgenie.default.tags", "opsgenie.default.teams",
  "victorops.default.state_message", "victorops.default.monitoring_tool",
  "email.default.subject", "email.default.html",
  "pushover.default.title", "pushover.default.message", "pushover.default.url",
  "wechat.default.message", "wechat.default.to_user", "wechat.default.to_party", "wechat.default.to_tag", "wechat.default.agent_id",
  "telegram.default.message", "sns.default.subject", "sns.default.message",
];

/** A rule's label or annotation, as Prometheus expands it. */
export const PROMETHEUS_DIALECT: TemplateDialect = {
  name: "Prometheus",
  functions: PROMETHEUS_TEMPLATE_FUNCTIONS,
  variables: PROMETHEUS_TEMPLATE_VARIABLES,
  templates: [],
};

/** An Alertmanager notification field or template file, with the given templates (the stack's) loaded beside the defaults. */
export function alertmanagerDialect(shipped: readonly string[]): TemplateDialect {
  return { name: "Alertmanager", functions: ALERTMANAGER_TEMPLATE_FUNCTIONS, variables: [], templates: [...ALERTMANAGER_DEFAULT_TEMPLATES, ...shipped] };
}

/** What a successful parse found. */
export interface ParsedTemplate {
  /** Names defined by `{{define}}` and `{{block}}`. */
  readonly defines: readonly string[];
  /** Names invoked by `{{template}}` (and `{{block}}`). */
  readonly invokes: readonly string[];
}

export class TemplateSyntaxError extends Error {
  constructor(
    message: string,
    /** 1-based line of the problem. */
    readonly line: number,
  ) {
    super(message);
    this.name = "TemplateSyntaxError";
  }
}

/** Why `text` would fail in the tool, or undefined when it parses and every template it invokes exists. */
export function templateProblem(text: string, dialect: TemplateDialect): string | undefined {
  let parsed: ParsedTemplate;
  try {
    parsed = parseTemplate(text, dialect);
  } catch (e) {
    if (!(e instanceof TemplateSyntaxError)) throw e;
    return `${dialect.name} cannot parse it as a Go template: ${text.includes("\n") ? `line ${e.line}: ` : ""}${e.message}`;
  }
  const known = new Set([...dialect.templates, ...parsed.defines]);
  const missing = parsed.invokes.filter((n) => !known.has(n));
  if (missing.length > 0) {
    return `invokes template ${missing.map((n) => JSON.stringify(n)).join(", ")}, which ${dialect.name} does not define${dialect.templates.length ? ` (it knows ${summarise(dialect.templates)})` : ""}`;
  }
  return undefined;
}

function summarise(names: readonly string[]): string {
  const own = names.filter((n) => !ALERTMANAGER_DEFAULT_TEMPLATES.includes(n));
  return own.length > 0 ? `${own.slice(0, 6).map((n) => JSON.stringify(n)).join(", ")}${own.length > 6 ? ", ..." : ""} and its defaults` : "its defaults only";
}

/** Parse `text` like Go's template.Parse with the dialect's functions; throws TemplateSyntaxError at the first error. */
export function parseTemplate(text: string, dialect: TemplateDialect): ParsedTemplate {
  return new Parser(lex(text), new Set([...GO_BUILTIN_FUNCTIONS, ...dialect.functions]), dialect.variables).parse();
}

// ---------------------------------------------------------------------------------------------
// Lexer (text/template/parse/lex.go)

type TokenKind =
  | "text" | "left" | "right" | "space" | "pipe" | "declare" | "assign" | "lparen" | "rparen" | "comma"
  | "string" | "raw" | "char" | "number" | "bool" | "nil" | "identifier" | "keyword" | "field" | "variable" | "dot" | "eof";

interface Token {
  readonly kind: TokenKind;
  readonly value: string;
  readonly line: number;
}

const KEYWORDS = new Set(["block", "break", "continue", "define", "else", "end", "if", "range", "template", "with"]);
const SPACE = /[ \t\r\n]/;
const ALNUM = /[\p{L}\p{Nd}_]/u;

function lex(input: string): Token[] {
  const tokens: Token[] = [];
  let pos = 0;
  // Offsets where lines start, for the 1-based line of a token (binary search: templates run to thousands of tokens).
  const starts = [0, ...[...input.matchAll(/\n/g)].map((m) => (m.index ?? 0) + 1)];
  const lineAt = (p: number) => {
    let lo = 0;
    let hi = starts.length - 1;
    while (lo < hi) {
      const mid = (lo + hi + 1) >> 1;
      if (starts[mid] <= p) lo = mid;
      else hi = mid - 1;
    }
    return lo + 1;
  };
  const fail = (message: string, p: number = pos): never => {
    throw new TemplateSyntaxError(message, lineAt(p));
  };
  const emit = (kind: TokenKind, value: string, at: number) => tokens.push({ kind, value, line: lineAt(at) });

  while (pos < input.length) {
    const open = input.indexOf("{{", pos);
    if (open < 0) {
      emit("text", input.slice(pos), pos);
      break;
    }
    if (open > pos) emit("text", input.slice(pos, open), pos);
    pos = open + 2;
    // A left trim marker is "-" followed by a space: "{{- x}}" (but "{{-3}}" is the number -3).
    if (input[pos] === "-" && SPACE.test(input[pos + 1] ?? "")) pos += 2;
    if (input.startsWith("/*", pos)) {
      const close = input.indexOf("*/", pos + 2);
      if (close < 0) fail("unclosed comment", open);
      pos = close + 2;
      if (SPACE.test(input[pos] ?? "") && input.startsWith("-}}", pos + 1)) pos += 2;
      if (!input.startsWith("}}", pos)) fail("comment ends before closing delimiter", open);
      pos += 2;
      continue;
    }
    emit("left", "{{", open);
    let parens = 0;
    for (;;) {
      if (pos >= input.length) fail("unclosed action", open);
      const c = input[pos];
      if (SPACE.test(c)) {
        // " -}}" is a right trim marker, not a minus.
        const end = skipSpace(input, pos);
        if (input.startsWith("-}}", end) && end > pos) {
          pos = end + 1;
          continue;
        }
        emit("space", " ", pos);
        pos = end;
        continue;
      }
      if (input.startsWith("}}", pos)) {
        if (parens > 0) fail("unclosed left paren");
        emit("right", "}}", pos);
        pos += 2;
        break;
      }
      if (c === "=") {
        emit("assign", "=", pos);
        pos++;
      } else if (c === ":") {
        if (input[pos + 1] !== "=") fail("expected :=");
        emit("declare", ":=", pos);
        pos += 2;
      } else if (c === "|") {
        emit("pipe", "|", pos);
        pos++;
      } else if (c === "(") {
        emit("lparen", "(", pos);
        parens++;
        pos++;
      } else if (c === ")") {
        if (parens === 0) fail("unexpected right paren");
        parens--;
        emit("rparen", ")", pos);
        pos++;
      } else if (c === ",") {
        emit("comma", ",", pos);
        pos++;
      } else if (c === '"') {
        let p = pos + 1;
        for (;;) {
          const ch = input[p];
          if (ch === undefined || ch === "\n") fail("unterminated quoted string");
          if (ch === "\\") {
            const next = input[p + 1];
            if (next === undefined || next === "\n") fail("unterminated quoted string");
            p += 2;
            continue;
          }
          if (ch === '"') break;
          p++;
        }
        const literal = input.slice(pos, p + 1);
        emit("string", unquote(literal, () => fail(`invalid syntax in string ${literal}`)), pos);
        pos = p + 1;
      } else if (c === "`") {
        const close = input.indexOf("`", pos + 1);
        if (close < 0) fail("unterminated raw quoted string");
        emit("raw", input.slice(pos + 1, close), pos);
        pos = close + 1;
      } else if (c === "'") {
        let p = pos + 1;
        for (;;) {
          const ch = input[p];
          if (ch === undefined || ch === "\n") fail("unterminated character constant");
          if (ch === "\\") {
            p += 2;
            continue;
          }
          if (ch === "'") break;
          p++;
        }
        const literal = input.slice(pos, p + 1);
        if (!/^'([^'\\]|\\([abfnrtv\\']|x[0-9a-fA-F]{2}|u[0-9a-fA-F]{4}|U[0-9a-fA-F]{8}|[0-7]{3}))'$/u.test(literal)) fail(`malformed character constant: ${literal}`);
        emit("char", literal, pos);
        pos = p + 1;
      } else if (c === "$") {
        let p = pos + 1;
        while (p < input.length && ALNUM.test(input[p])) p++;
        emit("variable", input.slice(pos, p), pos);
        pos = p;
      } else if (c === ".") {
        if (/[0-9]/.test(input[pos + 1] ?? "")) {
          pos = number(input, pos, emit, fail);
        } else if (ALNUM.test(input[pos + 1] ?? "")) {
          let p = pos + 1;
          while (p < input.length && ALNUM.test(input[p])) p++;
          emit("field", input.slice(pos, p), pos);
          pos = p;
        } else {
          emit("dot", ".", pos);
          pos++;
        }
      } else if (c === "+" || c === "-" || /[0-9]/.test(c)) {
        pos = number(input, pos, emit, fail);
      } else if (ALNUM.test(c)) {
        let p = pos;
        while (p < input.length && ALNUM.test(input[p])) p++;
        const word = input.slice(pos, p);
        emit(KEYWORDS.has(word) ? "keyword" : word === "true" || word === "false" ? "bool" : word === "nil" ? "nil" : "identifier", word, pos);
        pos = p;
      } else {
        fail(`unrecognized character in action: ${JSON.stringify(c)}`);
      }
    }
  }
  emit("eof", "", input.length);
  return tokens;
}

function skipSpace(input: string, p: number): number {
  while (SPACE.test(input[p] ?? "")) p++;
  return p;
}

const NUMBER = /^[+-]?(0[xX][0-9a-fA-F_]*\.?[0-9a-fA-F_]*([pP][+-]?\d+)?|0[oO][0-7_]+|0[bB][01_]+|(\d[\d_]*)?\.?\d*([eE][+-]?\d+)?)i?$/;

function number(input: string, pos: number, emit: (kind: TokenKind, value: string, at: number) => void, fail: (m: string, p?: number) => never): number {
  let p = pos;
  if (input[p] === "+" || input[p] === "-") p++;
  while (p < input.length && /[0-9a-zA-Z_.+-]/.test(input[p])) {
    // A sign only continues a number right after an exponent marker.
    if ((input[p] === "+" || input[p] === "-") && !/[eEpP]/.test(input[p - 1])) break;
    p++;
  }
  const literal = input.slice(pos, p);
  // A leading 0 makes an integer octal: "08" is as invalid in Go as "0o8".
  const octalDigitsOnly = !/^[+-]?0\d*[89]\d*$/.test(literal);
  if (!NUMBER.test(literal) || !/\d/.test(literal) || !octalDigitsOnly) fail(`bad number syntax: ${JSON.stringify(literal)}`, pos);
  emit("number", literal, pos);
  return p;
}

/** A Go interpreted string literal's value (the escapes Go accepts). */
function unquote(literal: string, bad: () => never): string {
  const body = literal.slice(1, -1);
  return body.replace(/\\(x[0-9a-fA-F]{2}|u[0-9a-fA-F]{4}|U[0-9a-fA-F]{8}|[0-7]{3}|[abfnrtv\\"]|.)/g, (m, e: string) => {
    if (e.length === 1 && !/[abfnrtv\\"]/.test(e)) return bad();
    if (/^[abfnrtv\\"]$/.test(e)) return ({ a: "\x07", b: "\b", f: "\f", n: "\n", r: "\r", t: "\t", v: "\v", "\\": "\\", '"': '"' } as Record<string, string>)[e];
    if (e[0] === "x" || e[0] === "u" || e[0] === "U") return String.fromCodePoint(parseInt(e.slice(1), 16));
    return String.fromCharCode(parseInt(e, 8));
  });
}

// ---------------------------------------------------------------------------------------------
// Parser (text/template/parse/parse.go)

type Context = "top" | "define" | "if" | "range" | "with" | "block";

class Parser {
  private i = 0;
  private vars: string[];
  private readonly defines: string[] = [];
  private readonly invokes: string[] = [];
  private rangeDepth = 0;

  constructor(
    private readonly tokens: Token[],
    private readonly functions: ReadonlySet<string>,
    predeclared: readonly string[],
  ) {
    this.vars = ["$", ...predeclared];
  }

  parse(): ParsedTemplate {
    for (;;) {
      const t = this.next();
      if (t.kind === "eof") break;
      if (t.kind === "text") continue;
      // {{define}} is only recognised at the top level.
      if (this.peekNonSpace().kind === "keyword" && this.peekNonSpace().value === "define") {
        this.nextNonSpace();
        this.define();
        continue;
      }
      const end = this.action("top");
      if (end) this.fail(`unexpected {{${end}}}`, t);
    }
    return { defines: this.defines, invokes: this.invokes };
  }

  private fail(message: string, at: Token = this.tokens[Math.min(this.i, this.tokens.length - 1)]): never {
    throw new TemplateSyntaxError(message, at.line);
  }

  private next(): Token {
    return this.tokens[this.i++] ?? this.tokens[this.tokens.length - 1];
  }

  private peek(): Token {
    return this.tokens[this.i] ?? this.tokens[this.tokens.length - 1];
  }

  private nextNonSpace(): Token {
    let t = this.next();
    while (t.kind === "space") t = this.next();
    return t;
  }

  private peekNonSpace(): Token {
    const save = this.i;
    const t = this.nextNonSpace();
    this.i = save;
    return t;
  }

  private expectRight(context: string): void {
    const t = this.nextNonSpace();
    if (t.kind !== "right") this.fail(`unexpected ${describe(t)} in ${context}`, t);
  }

  /** `{{define "name"}} ... {{end}}`: a new template, with only `$` in scope (the tool's variables belong to the main text). */
  private define(): void {
    const name = this.nextNonSpace();
    if (name.kind !== "string" && name.kind !== "raw") this.fail(`unexpected ${describe(name)} in define clause`, name);
    this.expectRight("define clause");
    const outer = this.vars;
    this.vars = ["$"];
    const end = this.list("define");
    if (end !== "end") this.fail("unexpected {{else}} in define", name);
    this.vars = outer;
    this.defines.push(name.value);
  }

  /**
   * Items until `{{end}}` or `{{else}}`; returns which ended the list.
   * At the top level it returns at EOF.
   */
  private list(context: Context): "end" | "else" {
    for (;;) {
      const t = this.next();
      if (t.kind === "eof") this.fail(context === "top" ? "unexpected EOF" : `unexpected EOF in ${context}`, t);
      if (t.kind === "text") continue;
      const end = this.action(context);
      if (end) return end;
    }
  }

  /** After `{{`: one action. Returns "end"/"else" when the action closes or switches the enclosing list. */
  private action(context: Context): "end" | "else" | undefined {
    const t = this.peekNonSpace();
    if (t.kind === "keyword") {
      this.nextNonSpace();
      switch (t.value) {
        case "end":
          this.expectRight("end");
          if (context === "top") this.fail("unexpected {{end}}", t);
          return "end";
        case "else":
          if (context !== "if" && context !== "range" && context !== "with") this.fail("unexpected {{else}}", t);
          return "else";
        case "if":
        case "with":
          this.control(t.value);
          return undefined;
        case "range":
          this.control("range");
          return undefined;
        case "template":
        case "block":
          this.templateCall(t.value);
          return undefined;
        case "break":
        case "continue":
          if (this.rangeDepth === 0) this.fail(`{{${t.value}}} outside {{range}}`, t);
          this.expectRight(t.value);
          return undefined;
        case "define":
          this.fail(`unexpected <define> in command`, t);
      }
    }
    // Variables declared in a plain action stay in scope until the enclosing control ends.
    this.pipeline("command", "right");
    return undefined;
  }

  /** if / with / range: pipeline, list, optional else (or `else if`/`else with` chain), end. */
  private control(kind: "if" | "with" | "range"): void {
    const mark = this.vars.length;
    this.pipeline(kind, "right");
    if (kind === "range") this.rangeDepth++;
    let end = this.list(kind);
    if (kind === "range") this.rangeDepth--;
    if (end === "else") {
      const next = this.peekNonSpace();
      // `{{else with}}` is Go 1.23; the checkers Debian ships predate it.
      if (kind === "if" && next.kind === "keyword" && next.value === "if") {
        // `{{else if x}}` is `{{else}}{{if x}}...{{end}}{{end}}` sharing the one {{end}}.
        this.nextNonSpace();
        this.control(kind);
        this.vars.length = mark;
        return;
      }
      this.expectRight("else");
      end = this.list(kind);
      if (end === "else") this.fail(`expected end; found {{else}}`);
    }
    this.vars.length = mark;
  }

  /** `{{template "name" [pipeline]}}` or `{{block "name" pipeline}} ... {{end}}`. */
  private templateCall(kind: "template" | "block"): void {
    const name = this.nextNonSpace();
    if (name.kind !== "string" && name.kind !== "raw") this.fail(`unexpected ${describe(name)} in ${kind} clause`, name);
    if (this.peekNonSpace().kind !== "right") this.pipeline(`${kind} clause`, "right");
    else if (kind === "block") this.fail("missing value for block clause", name);
    else this.nextNonSpace();
    this.invokes.push(name.value);
    if (kind === "block") {
      const outer = this.vars;
      this.vars = ["$"];
      const end = this.list("block");
      if (end !== "end") this.fail("unexpected {{else}} in block", name);
      this.vars = outer;
      this.defines.push(name.value);
    }
  }

  /** Declarations, then commands separated by `|`, up to `end` (`}}` or `)`). */
  private pipeline(context: string, end: "right" | "rparen"): void {
    const start = this.i;
    const first = this.peekNonSpace();
    if (first.kind === "variable") {
      this.nextNonSpace();
      const op = this.peekNonSpace();
      if (op.kind === "declare" || op.kind === "assign") {
        this.nextNonSpace();
        this.bind([first]);
      } else if (op.kind === "comma" && context === "range") {
        this.nextNonSpace();
        const second = this.nextNonSpace();
        const op2 = this.nextNonSpace();
        if (second.kind !== "variable" || (op2.kind !== "declare" && op2.kind !== "assign")) this.fail(`range can only initialize variables`, second);
        this.bind([first, second]);
      } else {
        this.i = start;
      }
    }
    let stages = 0;
    for (;;) {
      const t = this.peekNonSpace();
      if (t.kind === end) {
        this.nextNonSpace();
        if (stages === 0) this.fail(`missing value for ${context}`, t);
        return;
      }
      if (t.kind === "pipe" && stages === 0) this.fail(`missing value for ${context}`, t);
      this.command(++stages);
      const after = this.peekNonSpace();
      if (after.kind === "pipe") {
        this.nextNonSpace();
        continue;
      }
      if (after.kind !== end) this.fail(`unexpected ${describe(after)} in ${context}`, after);
    }
  }

  /** Go's parser adds the variable for `=` as for `:=`; an undefined one fails only when the template runs. */
  private bind(names: Token[]): void {
    for (const v of names) this.vars.push(v.value);
  }

  /** Operands separated by spaces, up to `|`, `}}` or `)`. */
  private command(stage: number): void {
    let operands = 0;
    for (;;) {
      const t = this.peek();
      if (t.kind === "space") {
        this.next();
        continue;
      }
      if (t.kind === "pipe" || t.kind === "right" || t.kind === "rparen") break;
      const kind = this.operand();
      if (operands === 0 && stage > 1 && ["string", "raw", "char", "number", "bool", "nil", "dot"].includes(kind)) {
        this.fail(`non executable command in pipeline stage ${stage}`, t);
      }
      operands++;
      // Operands are separated by spaces: `.A.B` is one operand, `.A .B` two.
      const after = this.peek();
      if (!["space", "pipe", "right", "rparen"].includes(after.kind)) this.fail(`unexpected ${describe(after)} in operand`, after);
    }
    if (operands === 0) this.fail("empty command");
  }

  /** One term with any field chain after it; returns the term's kind. */
  private operand(): TokenKind {
    const t = this.next();
    switch (t.kind) {
      case "identifier":
        if (!this.functions.has(t.value)) this.fail(`function "${t.value}" not defined`, t);
        break;
      case "variable":
        if (!this.vars.includes(t.value)) this.fail(`undefined variable "${t.value}"`, t);
        break;
      case "lparen":
        this.pipeline("parenthesized pipeline", "rparen");
        break;
      case "field":
      case "dot":
      case "string":
      case "raw":
      case "char":
      case "number":
      case "bool":
      case "nil":
        break;
      default:
        this.fail(`unexpected ${describe(t)} in operand`, t);
    }
    // A field chain binds to a variable, a parenthesised pipeline or a field: `$x.Name`, `(index . 0).Name`.
    while (this.peek().kind === "field") {
      if (["string", "raw", "char", "number", "bool", "nil", "dot"].includes(t.kind)) this.fail(`unexpected . after term ${JSON.stringify(t.value)}`, this.peek());
      this.next();
    }
    return t.kind;
  }
}

function describe(t: Token): string {
  switch (t.kind) {
    case "eof":
      return "EOF";
    case "right":
      return "}}";
    case "keyword":
      return `<${t.value}>`;
    case "string":
      return `quoted string ${JSON.stringify(t.value)}`;
    default:
      return `${JSON.stringify(t.value)}`;
  }
}
