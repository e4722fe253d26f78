/** Prints the README's table of config keys, generated from settings/schema.ts. */
import { configReferenceMarkdown } from "../settings/reference";

process.stdout.write(configReferenceMarkdown());
