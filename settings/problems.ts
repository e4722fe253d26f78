import { ProblemListError } from "../configs/problem-list";
import { CONFIG_NAMESPACE } from "./schema";

/**
 * One thing wrong with the stack's input: a config key path such as
 * `alerting.receivers[0].chatId`, or (with `file`) a file such as
 * `dashboards/a.json` or `Pulumi.dev.yaml`.
 */
export interface ConfigProblem {
  readonly key: string;
  readonly message: string;
  /** `key` names a file, not a config key (printed without the namespace). */
  readonly file?: boolean;
}

/** A problem as the user reads it: `observability:<key>: <message>`, or `<file>: <message>`. */
export function formatProblem(p: ConfigProblem): string {
  return p.file ? `${p.key}: ${p.message}` : `${CONFIG_NAMESPACE}:${p.key}: ${p.message}`;
}

/**
 * Every problem in the stack's input at once, raised before any resource
 * exists. A Pulumi `RunError` (through ProblemListError): the CLI prints the
 * message alone, without a stack trace, as for any mistake that is the user's to fix.
 */
export class ConfigValidationError extends ProblemListError {
  constructor(readonly problems: readonly ConfigProblem[]) {
    super("Stack config", problems.map(formatProblem));
    this.name = "ConfigValidationError";
  }
}
