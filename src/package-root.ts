import { existsSync, readFileSync } from "node:fs";
import path from "node:path";
import { fileURLToPath } from "node:url";

/**
 * The folder redis-learn is installed in (the one with its package.json and lessons/),
 * found by walking up from this code: bundled chunks and source files sit at different
 * depths, so no fixed "../.." is right for both.
 */
export function packageRoot(): string {
  root ??= findRoot(path.dirname(fileURLToPath(import.meta.url)));
  return root;
}

function findRoot(from: string): string {
  let dir = from;
  for (;;) {
    const manifest = path.join(dir, "package.json");
    if (existsSync(manifest)) {
      try {
        if ((JSON.parse(readFileSync(manifest, "utf8")) as { name?: string }).name === "redis-learn") return dir;
      } catch {
        // Not ours; keep climbing.
      }
    }
    const parent = path.dirname(dir);
    if (parent === dir) throw new Error("cannot find redis-learn's own folder (its package.json)");
    dir = parent;
  }
}

let root: string | undefined;
let version: string | undefined;

/** The bundle has the version built in; running from source reads package.json (once). */
export function packageVersion(): string {
  if (typeof __REDIS_LEARN_VERSION__ === "string") return __REDIS_LEARN_VERSION__;
  version ??= (JSON.parse(readFileSync(path.join(packageRoot(), "package.json"), "utf8")) as { version: string }).version;
  return version;
}

/**
 * What parsed a cached lesson: the version, and in a build the hash of the sources it
 * was built from, so that a rebuilt parser never serves a lesson the old one parsed.
 */
export function parserVersion(): string {
  return typeof __REDIS_LEARN_SOURCES__ === "string" ? `${packageVersion()}+${__REDIS_LEARN_SOURCES__}` : packageVersion();
}

declare const __REDIS_LEARN_VERSION__: string | undefined;
declare const __REDIS_LEARN_SOURCES__: string | undefined;
