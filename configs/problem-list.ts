import * as pulumi from "@pulumi/pulumi";

/**
 * An error that lists every problem found before any resource was registered.
 * Its message says "nothing was deployed" (what `pulumi up` needs to hear);
 * `describe("rendered")` gives render its own wording. A Pulumi `RunError`, so
 * the CLI prints the message without a stack trace: the problem is the user's to fix.
 */
export class ProblemListError extends pulumi.RunError {
  constructor(
    /** What has the problems, e.g. "Stack config", "Dashboards". */
    readonly subject: string,
    /** One line per problem, as printed. */
    readonly lines: readonly string[],
  ) {
    super(headline(subject, lines, "deployed"));
  }

  /** The message with the outcome named: `nothing was <outcome>`. */
  describe(outcome: "deployed" | "rendered"): string {
    return headline(this.subject, this.lines, outcome);
  }
}

function headline(subject: string, lines: readonly string[], outcome: string): string {
  const n = lines.length;
  return `${subject} ${subject.endsWith("s") ? "have" : "has"} ${n} problem${n === 1 ? "" : "s"}; nothing was ${outcome}:\n${lines.map((l) => `  ${l}`).join("\n")}`;
}
