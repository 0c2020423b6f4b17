import type { ServerInfo } from "../redis/server-info.js";
import { versionAtLeast } from "../redis/server-info.js";
import type { Lesson } from "./schema.js";

/** Why this server cannot run the lesson, or undefined when it can. */
export function unmetRequirement(lesson: Lesson, info: ServerInfo): string | undefined {
  const { redis, modules } = lesson.requires;
  if (redis && info.version !== "unknown" && !versionAtLeast(info.version, redis)) {
    return `needs Redis ${redis} or newer; this server is ${info.product} ${info.version}`;
  }
  const loaded = new Set(info.modules.map((m) => m.toLowerCase()));
  const missing = modules.filter((m) => !loaded.has(m.toLowerCase()));
  if (missing.length) return `needs the module${missing.length > 1 ? "s" : ""} ${missing.join(", ")}, which this server has not loaded`;
  return undefined;
}
