// @ts-check
/**
 * node scripts/compiled.js <script> [args...]
 *
 * Runs bin/scripts/<script>.js, the compiled form of scripts/<script>.ts
 * (npm run render, npm run doctor): builds first when bin/ is missing or its
 * sources changed, so what runs is always what the sources say, and no
 * TypeScript is loaded when nothing changed.
 */
"use strict";
const path = require("path");
const { BUILD_DIR, buildIfStale, projectDir } = require("./build");

const [name, ...args] = process.argv.slice(2);
if (!name || !/^[\w-]+$/.test(name)) {
  process.stderr.write("usage: node scripts/compiled.js <script> [args...]\n");
  process.exit(2);
}
const root = projectDir(__dirname);
try {
  buildIfStale(root);
} catch (err) {
  process.stderr.write(`build: ${err instanceof Error ? err.message : String(err)}\n`);
  process.exit(1);
}
// Run it as node's main module, exactly as `node bin/scripts/<name>.js ...` would
// (its own argv, `require.main === module`), in this process: no second start.
const script = path.join(root, BUILD_DIR, "scripts", `${name}.js`);
process.argv = [process.argv[0], script, ...args];
require("module").runMain();
