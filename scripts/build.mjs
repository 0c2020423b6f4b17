// Builds dist/. Bundling (dependencies included) saves Node resolving and reading hundreds
// of small files at start-up. Type checking is tsc's job (npm run typecheck), not this script's.
//
//   dist/main.js        the redis-learn command (src/bin.ts): arguments, help and `list`, as
//                       CommonJS, which Node 20 starts 10-15 ms sooner than an ES module.
//                       dist/package.json says so; the file keeps the name the command
//                       always had, so links made by earlier installs still work.
//   dist/program/       the program every other command runs in (src/main.ts), an ES
//                       module split at each command's import, so that a command loads its
//                       own code and nothing else
//   dist/*.mjs          the lesson cache builder, run below, and the benchmark's entry
//   dist/code-runner.mjs the child process a code step's snippet runs in (src/code/runner.ts)
//
// `node scripts/build.mjs code-runner` builds the code runner alone, leaving the rest of
// dist/ as it is (the tests' global setup does, when the runner is missing or older than its sources).
import { build } from "esbuild";
import { mkdirSync, readFileSync, readdirSync, rmSync, writeFileSync } from "node:fs";
import { execFileSync } from "node:child_process";
import { createHash } from "node:crypto";

// Parsed lessons are cached by their text and the parser that read them: the sources'
// hash names the parser, so a changed parser never serves a lesson parsed by the old one.
const sources = createHash("sha256");
for (const file of readdirSync("src", { recursive: true }).filter((f) => f.endsWith(".ts")).sort()) sources.update(file).update(readFileSync(`src/${file}`));
const common = {
  bundle: true,
  platform: "node",
  target: "node20",
  logLevel: "warning",
  define: {
    __REDIS_LEARN_VERSION__: JSON.stringify(JSON.parse(readFileSync("package.json", "utf8")).version),
    __REDIS_LEARN_SOURCES__: JSON.stringify(sources.digest("hex").slice(0, 12)),
  },
};
const esm = {
  ...common,
  format: "esm",
  // CommonJS dependencies bundled into ES modules still call require() for Node's built-ins.
  banner: { js: 'import { createRequire as __rlCreateRequire } from "node:module"; const require = __rlCreateRequire(import.meta.url);' },
};
// Its own entry, started once per snippet: small, so that it starts fast. ioredis and
// BullMQ stay outside it and load from node_modules, so that the `Redis` a snippet is given
// and the one BullMQ uses are the same class.
const codeRunner = {
  ...esm,
  entryPoints: { "code-runner": "src/code/runner.ts" },
  outdir: "dist",
  outExtension: { ".js": ".mjs" },
  external: ["ioredis", "bullmq"],
};
if (process.argv[2] === "code-runner") {
  await build(codeRunner);
  process.exit(0);
}

rmSync("dist", { recursive: true, force: true });
const moduleType = (dir, type) => {
  mkdirSync(dir, { recursive: true });
  writeFileSync(`${dir}/package.json`, JSON.stringify({ type }) + "\n");
};

// The program, split only where it imports a command's code: every extra chunk is one
// more module for Node to load at start-up, so the helpers below are built apart.
await build({ ...esm, entryPoints: { main: "src/main.ts" }, outdir: "dist/program", splitting: true, chunkNames: "chunks/[name]-[hash]" });
moduleType("dist/program", "module");

// The command imports the program at run time, from beside it, and never bundles it.
const programStaysApart = {
  name: "program-stays-apart",
  setup(b) {
    b.onResolve({ filter: /^\.\/main\.js$/ }, (args) => (args.importer.endsWith("src/bin.ts") ? { path: "./program/main.js", external: true } : undefined));
  },
};
await build({
  ...common,
  format: "cjs",
  entryPoints: { main: "src/bin.ts" },
  outdir: "dist",
  plugins: [programStaysApart],
  // package-root.ts finds the package from its own file's URL.
  define: { ...common.define, "import.meta.url": "__rlFileUrl" },
  // esbuild's own "use strict" would come after a banner and count for nothing, so it comes first.
  banner: { js: '"use strict"; const __rlFileUrl = require("node:url").pathToFileURL(__filename).href;' },
});
moduleType("dist", "commonjs");

await build(codeRunner);

// Run once by this script, and the entry the benchmark times the internals through.
await build({
  ...esm,
  entryPoints: { "build-lesson-cache": "src/lessons/build-cache.ts", "bench-api": "src/bench-api.ts" },
  outdir: "dist",
  outExtension: { ".js": ".mjs" },
});
// Parsing YAML is the slowest part of listing lessons: the shipped ones are parsed now, once.
execFileSync(process.execPath, ["dist/build-lesson-cache.mjs"], { stdio: "inherit" });
