// Builds dist/: one bundle per entry, split into chunks so that `--help` loads only
// commander and the command wiring, and each command loads what it needs when it runs.
// Bundling (dependencies included) saves Node resolving and reading hundreds of small
// files at start-up. Type checking is tsc's job (npm run typecheck), not this script's.
import { build } from "esbuild";
import { readFileSync, rmSync } from "node:fs";
import { execFileSync } from "node:child_process";

rmSync("dist", { recursive: true, force: true });
const common = {
  bundle: true,
  format: "esm",
  platform: "node",
  target: "node20",
  // CommonJS dependencies bundled into ES modules still call require() for Node's built-ins.
  banner: { js: 'import { createRequire as __rlCreateRequire } from "node:module"; const require = __rlCreateRequire(import.meta.url);' },
  logLevel: "warning",
  define: { __REDIS_LEARN_VERSION__: JSON.stringify(JSON.parse(readFileSync("package.json", "utf8")).version) },
};
// The program, split only where it imports a command's code: every extra chunk is one
// more module for Node to load at start-up, so the helpers below are built apart.
await build({ ...common, entryPoints: { main: "src/main.ts" }, outdir: "dist", splitting: true, chunkNames: "chunks/[name]-[hash]" });
// Run once by this script, and the entry the benchmark times the internals through.
await build({ ...common, entryPoints: { "build-lesson-cache": "src/lessons/build-cache.ts", "bench-api": "src/bench-api.ts" }, outdir: "dist" });
// Parsing YAML is the slowest part of listing lessons: the shipped ones are parsed now, once.
execFileSync(process.execPath, ["dist/build-lesson-cache.js"], { stdio: "inherit" });
