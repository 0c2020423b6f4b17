import { mkdtempSync, rmSync } from "node:fs";
import os from "node:os";
import path from "node:path";
import type { TestProject } from "vitest/node";
import { startPrivateServer } from "../../src/redis/server.js";

declare module "vitest" {
  export interface ProvidedContext {
    redisPort: number;
  }
}

/**
 * Every test talks to a redis-server started here, never to one it did not start. If
 * it cannot be started the whole run fails: tests must not skip silently.
 */
export default async function setup(project: TestProject): Promise<() => Promise<void>> {
  const server = await startPrivateServer();
  project.provide("redisPort", server.port);
  // The binary under test keeps progress, history and caches here, never in the developer's home.
  const home = mkdtempSync(path.join(os.tmpdir(), "rl-test-home-"));
  process.env.REDIS_LEARN_TEST_HOME = home;
  return async () => {
    await server.shutdown();
    rmSync(home, { recursive: true, force: true });
  };
}
