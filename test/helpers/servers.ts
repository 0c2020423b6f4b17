import { existsSync } from "node:fs";
import path from "node:path";
import { ROOT } from "./cli.js";

/**
 * The other servers scripts/fetch-servers.sh puts in .servers/bin (CI runs it): Valkey 8
 * and Redis 8. On a developer's machine without them, tests that need one are skipped;
 * in CI a missing one is an error, so nothing is skipped there unnoticed.
 */
export type OtherServer = "valkey-server-8" | "redis-server-8";

export function otherServer(name: OtherServer): string | undefined {
  const file = path.join(process.env.REDIS_LEARN_SERVERS_DIR ?? path.join(ROOT, ".servers"), "bin", name);
  if (existsSync(file)) return file;
  if (process.env.CI) throw new Error(`${name} is missing: run bash scripts/fetch-servers.sh (.ci/run does)`);
  return undefined;
}
