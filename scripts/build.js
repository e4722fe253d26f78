// @ts-check
/**
 * npm run build [-- --if-stale | --check]
 *
 * Compiles the program once with tsc (type errors fail the build) into bin/,
 * which Pulumi runs (Pulumi.yaml `main: bin/index.js`, `typescript: false`)
 * and `npm run render` / `npm run doctor` run: no TypeScript is loaded at run
 * time. bin/build-info.json records a digest of every source the build
 * compiled; the compiled program refuses to start when the sources beside it
 * differ, so a stale build is never previewed or deployed. After tsc, the
 * build records what the grammars say about the shipped rule expressions
 * (scripts/grammar-facts.ts writes bin/grammar-facts.json) before writing that record.
 *
 *   (no flag)    clean build;
 *   --if-stale   build only when bin/ is missing or stale (scripts/pulumi.sh);
 *   --check      exit 1, saying what changed, when bin/ is missing or stale.
 *
 * Plain JavaScript so it runs before anything is compiled; tsc copies it to
 * bin/scripts/build.js, where the compiled program uses the same check.
 */
"use strict";
const { spawnSync } = require("child_process");
const crypto = require("crypto");
const fs = require("fs");
const path = require("path");

/** Where the compiled program goes, relative to the project directory. */
const BUILD_DIR = "bin";
/** The build's record of what it compiled, inside BUILD_DIR. */
const BUILD_INFO = "build-info.json";
/** The tsc project of the build: its `include` list is the set of sources. */
const BUILD_TSCONFIG = "tsconfig.build.json";
/** Run after tsc when among the sources: writes bin/grammar-facts.json (configs/prometheus/rules/grammars.ts). */
const GRAMMAR_FACTS_SOURCE = "scripts/grammar-facts.ts";

/**
 * The project directory (where Pulumi.yaml is), found upwards from `from`, so
 * it is the same whether code runs from its sources or from bin/.
 * @param {string} from
 * @returns {string}
 */
function projectDir(from) {
  for (let dir = path.resolve(from); ; dir = path.dirname(dir)) {
    if (fs.existsSync(path.join(dir, "Pulumi.yaml"))) return dir;
    if (path.dirname(dir) === dir) throw new Error(`no Pulumi.yaml in ${from} or any directory above it`);
  }
}

/**
 * Files the build compiles, relative to the project, sorted: tsconfig.json,
 * tsconfig.build.json and what its `include` names (files, or `dir/**\/*.ts`).
 * Empty when there is no tsconfig.build.json: a compiled-only copy has no sources.
 * @param {string} root
 * @returns {string[]}
 */
function sourceFiles(root) {
  const configFile = path.join(root, BUILD_TSCONFIG);
  if (!fs.existsSync(configFile)) return [];
  /** @type {{ include?: string[] }} */
  const config = JSON.parse(fs.readFileSync(configFile, "utf8"));
  /** @type {Set<string>} */
  const files = new Set(["tsconfig.json", BUILD_TSCONFIG]);
  for (const pattern of config.include ?? []) {
    const tree = /^([\w./-]+)\/\*\*\/\*(\.\w+)$/.exec(pattern);
    if (tree) {
      walk(path.join(root, tree[1]), (file) => file.endsWith(tree[2]) && files.add(path.relative(root, file).split(path.sep).join("/")));
    } else if (!pattern.includes("*")) {
      if (fs.existsSync(path.join(root, pattern))) files.add(pattern);
    } else {
      throw new Error(`${BUILD_TSCONFIG}: include pattern ${pattern} is not a file or dir/**/*.ext; scripts/build.js digests only those`);
    }
  }
  return [...files].sort();
}

/**
 * @param {string} dir
 * @param {(file: string) => unknown} visit
 */
function walk(dir, visit) {
  if (!fs.existsSync(dir)) return;
  for (const entry of fs.readdirSync(dir, { withFileTypes: true })) {
    const full = path.join(dir, entry.name);
    if (entry.isDirectory()) walk(full, visit);
    else visit(full);
  }
}

/**
 * sha256 of each source file, by relative path.
 * @param {string} root
 * @returns {Record<string, string>}
 */
function sourceDigests(root) {
  /** @type {Record<string, string>} */
  const out = {};
  for (const rel of sourceFiles(root)) out[rel] = crypto.createHash("sha256").update(fs.readFileSync(path.join(root, rel))).digest("hex");
  return out;
}

/**
 * Why the build in `root`/bin does not match the sources, or undefined when it does.
 * @param {string} root
 * @returns {string | undefined}
 */
function staleness(root) {
  const current = sourceDigests(root);
  if (Object.keys(current).length === 0) return undefined;
  const infoFile = path.join(root, BUILD_DIR, BUILD_INFO);
  if (!fs.existsSync(infoFile)) return `${BUILD_DIR}/ has not been built`;
  /** @type {{ sources?: Record<string, string> }} */
  const info = JSON.parse(fs.readFileSync(infoFile, "utf8"));
  const built = info.sources ?? {};
  const changed = Object.keys(current).filter((f) => f in built && built[f] !== current[f]);
  const added = Object.keys(current).filter((f) => !(f in built));
  const removed = Object.keys(built).filter((f) => !(f in current));
  if (changed.length + added.length + removed.length === 0) return undefined;
  /** @param {string} what @param {string[]} files */
  const list = (what, files) => (files.length ? [`${what} ${files.slice(0, 5).join(", ")}${files.length > 5 ? ` and ${files.length - 5} more` : ""}`] : []);
  return `sources changed since ${BUILD_DIR}/ was built (${[...list("changed", changed), ...list("added", added), ...list("removed", removed)].join("; ")})`;
}

/**
 * True when `dir` (an entry point's `__dirname`) is inside the build, false when
 * the code runs from its sources (ts-node, jest).
 * @param {string} dir
 * @returns {boolean}
 */
function runsCompiled(dir) {
  return path.resolve(dir) !== projectDir(dir);
}

/**
 * Throws when the compiled program in `compiledDir` is stale. Running from
 * sources (compiledDir is the project itself), there is nothing to check.
 * @param {string} compiledDir directory of the running entry point (`__dirname` of index.js)
 */
function refuseStaleBuild(compiledDir) {
  if (!runsCompiled(compiledDir)) return;
  const why = staleness(projectDir(compiledDir));
  if (why) throw new Error(`${why}: run \`npm run build\` (npm run deploy, preview and render build first)`);
}

/**
 * Clean build: tsc into bin/, then the record of the sources it compiled.
 * Sources edited while tsc runs leave no record, so the next start rebuilds.
 * @param {string} root
 */
function build(root) {
  let tsc;
  try {
    tsc = require.resolve("typescript/bin/tsc", { paths: [root] });
  } catch {
    throw new Error(`cannot build ${BUILD_DIR}/: TypeScript is not installed here (a devDependency); run \`npm ci\` then \`npm run build\``);
  }
  const before = sourceDigests(root);
  const out = path.join(root, BUILD_DIR);
  fs.rmSync(out, { recursive: true, force: true });
  const result = spawnSync(process.execPath, [tsc, "-p", path.join(root, BUILD_TSCONFIG), "--outDir", out], { cwd: root, stdio: "inherit" });
  if (result.status !== 0) throw new Error(`tsc failed (exit ${result.status ?? result.signal}): ${BUILD_DIR}/ is not usable until the errors above are fixed`);
  const after = sourceDigests(root);
  if (JSON.stringify(after) !== JSON.stringify(before)) throw new Error("sources changed while tsc ran: run `npm run build` again");
  // tsc also compiles what the listed sources import; a file outside the digest would go stale unnoticed.
  const undigested = compiledSources(root, out).filter((f) => !(f in after));
  if (undigested.length > 0) {
    fs.rmSync(out, { recursive: true, force: true });
    throw new Error(`${undigested.join(", ")} compiled but not covered by ${BUILD_TSCONFIG}'s include (a change there would not mark ${BUILD_DIR}/ stale): add its folder`);
  }
  // What the grammars say about the shipped rule expressions, so a start need not parse them
  // (configs/prometheus/rules/grammars.ts). Written before the record: no record, no usable build.
  if (GRAMMAR_FACTS_SOURCE in after) {
    const script = path.join(out, GRAMMAR_FACTS_SOURCE.replace(/\.ts$/, ".js"));
    const facts = spawnSync(process.execPath, [script], { cwd: root, stdio: ["ignore", "ignore", "inherit"] });
    if (facts.status !== 0) {
      fs.rmSync(out, { recursive: true, force: true });
      throw new Error(`${GRAMMAR_FACTS_SOURCE} failed (exit ${facts.status ?? facts.signal}): ${BUILD_DIR}/ is not usable`);
    }
  }
  fs.writeFileSync(path.join(out, BUILD_INFO), `${JSON.stringify({ sources: after }, null, 2)}\n`);
}

/**
 * The sources (relative, .ts or .js) of every JavaScript file tsc wrote under `out`.
 * @param {string} root
 * @param {string} out
 * @returns {string[]}
 */
function compiledSources(root, out) {
  /** @type {string[]} */
  const sources = [];
  walk(out, (file) => {
    if (!file.endsWith(".js")) return;
    const rel = path.relative(out, file).split(path.sep).join("/").replace(/\.js$/, "");
    sources.push(fs.existsSync(path.join(root, `${rel}.ts`)) ? `${rel}.ts` : `${rel}.js`);
  });
  return sources.sort();
}

/**
 * Build when bin/ is missing or stale (saying why on stderr); otherwise nothing.
 * @param {string} root
 */
function buildIfStale(root) {
  const why = staleness(root);
  if (!why) return;
  process.stderr.write(`${why}: building\n`);
  build(root);
}

module.exports = { BUILD_DIR, BUILD_INFO, BUILD_TSCONFIG, projectDir, sourceFiles, staleness, runsCompiled, refuseStaleBuild, build, buildIfStale };

if (require.main === module) {
  const root = projectDir(__dirname);
  const flag = process.argv[2];
  try {
    if (flag === "--check") {
      const why = staleness(root);
      if (why) {
        process.stderr.write(`${why}\n`);
        process.exit(1);
      }
    } else if (flag === "--if-stale") {
      buildIfStale(root);
    } else if (flag === undefined) {
      build(root);
    } else {
      throw new Error(`unknown option ${flag} (use --if-stale or --check)`);
    }
  } catch (err) {
    process.stderr.write(`build: ${err instanceof Error ? err.message : String(err)}\n`);
    process.exit(1);
  }
}
