/**
 * npm run alert-table [-- --write]
 * Prints the README's alert table, generated from the rule catalog
 * (review/alert-table.ts); `--write` replaces the table in README.md.
 */
import * as fs from "fs";
import * as path from "path";
import { alertTableMarkdown, withAlertTable } from "../review/alert-table";

const README = path.resolve(__dirname, "..", "README.md");
if (process.argv.includes("--write")) {
  fs.writeFileSync(README, withAlertTable(fs.readFileSync(README, "utf8")));
  process.stdout.write(`alert table written to ${README}\n`);
} else {
  process.stdout.write(`${alertTableMarkdown()}\n`);
}
