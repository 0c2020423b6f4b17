import { execFileSync } from "node:child_process";
import { existsSync, readdirSync, statSync } from "node:fs";
import path from "node:path";
import { fileURLToPath } from "node:url";

const ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), "../..");

/**
 * Code steps' tests run snippets through the built runner (dist/code-runner.mjs), as
 * redis-learn does. `npm test` builds it first; run alone (npx vitest run ...), the tests
 * build it here when it is missing or older than its sources (src/code/: it imports
 * nothing else), once before any test file starts, and without touching the rest of dist/.
 */
export default function setup(): void {
  const runner = path.join(ROOT, "dist", "code-runner.mjs");
  const sources = path.join(ROOT, "src", "code");
  const newest = Math.max(...readdirSync(sources).map((file) => statSync(path.join(sources, file)).mtimeMs));
  if (existsSync(runner) && statSync(runner).mtimeMs >= newest) return;
  execFileSync(process.execPath, [path.join(ROOT, "scripts", "build.mjs"), "code-runner"], { cwd: ROOT, stdio: "inherit" });
}
