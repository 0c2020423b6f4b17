import { accessSync, constants, statSync } from "node:fs";
import path from "node:path";
import { RedisUnavailable, EXIT_USAGE } from "../errors.js";

/** Server binaries we can start, in order of preference. */
const SERVER_NAMES = ["redis-server", "valkey-server"];

export const INSTALL_ADVICE =
  "no redis-server (or valkey-server) found on PATH. Install Redis " +
  "(Debian/Ubuntu: sudo apt-get install redis-server; macOS: brew install redis; " +
  "Fedora: sudo dnf install redis; or docker run -d -p 6379:6379 redis), " +
  "or point redis-learn at a server with --url redis://host:port (or REDIS_URL)";

/** The first redis-server or valkey-server on PATH; REDIS_LEARN_SERVER names a binary explicitly. */
export function findServerBinary(env: NodeJS.ProcessEnv = process.env): string {
  const explicit = env.REDIS_LEARN_SERVER;
  if (explicit) {
    if (isExecutable(explicit)) return explicit;
    throw new RedisUnavailable(`REDIS_LEARN_SERVER names ${explicit}, which is not an executable file`, EXIT_USAGE);
  }
  const dirs = (env.PATH ?? "").split(path.delimiter).filter(Boolean);
  for (const name of SERVER_NAMES) {
    for (const dir of dirs) {
      const candidate = path.join(dir, name);
      if (isExecutable(candidate)) return candidate;
    }
  }
  throw new RedisUnavailable(INSTALL_ADVICE, EXIT_USAGE);
}

function isExecutable(file: string): boolean {
  try {
    accessSync(file, constants.X_OK);
    return statSync(file).isFile();
  } catch {
    return false;
  }
}
