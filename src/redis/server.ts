import net from "node:net";
import { RedisUnavailable } from "../errors.js";
import { findServerBinary } from "./find-server.js";
import { cleanOrphans } from "./orphans.js";
import { checkServerConfig, type ServerConfig } from "./server-config.js";
import { ControlledServer, PortTaken } from "./server-process.js";

export { MANAGED_CONFIG, type ServerConfig } from "./server-config.js";

/** Attempts at finding a port, in case another process takes the one we picked. */
const PORT_ATTEMPTS = 5;

export interface PrivateServer {
  host: string;
  port: number;
  /** The current server process: a restart changes it. */
  readonly pid: number;
  dir: string;
  binary: string;
  /** The configuration the current process was started with: only what the lesson chose, not redis-learn's own settings. */
  readonly config: ServerConfig;
  /** Stops the server and removes its directory; synchronous so it can run in an exit handler. Safe to call twice. */
  stop(): void;
  /** The same, and waits until the process is gone (so no zombie is left for a parent that never reaps). */
  shutdown(): Promise<void>;
  /** False once the server process has ended (killed from outside, crashed). */
  alive(): boolean;
  /** SIGKILL, as a crash or power loss would (the forks it made to save die with it): waits until the process is gone; keeps the directory. */
  crash(): Promise<void>;
  /**
   * If running: a graceful shutdown (which saves when the configuration says so) and waits
   * for the exit. Then starts the same binary on the same port and directory; `config`
   * (when given) replaces the current configuration entirely. Resolves when the server
   * answers PING (not -LOADING). Throws RedisUnavailable with one line if it cannot.
   */
  restart(config?: ServerConfig): Promise<void>;
  /** Files the server wrote in its directory (not redis-learn's own), "/"-separated relative paths, sorted. */
  dataFiles(): { path: string; bytes: number }[];
}

export interface StartOptions {
  /** Extra redis-server arguments, after the configuration and unchecked (tests: ["--requirepass", ...]). */
  extraArgs?: string[];
  env?: NodeJS.ProcessEnv;
  /** The lesson's configuration; a name in MANAGED_CONFIG throws. */
  config?: ServerConfig;
}

/**
 * Starts a throwaway redis-server on a free loopback port, in a fresh temp directory,
 * with persistence off unless the configuration turns it on. It runs in its own process
 * group so that Ctrl-C in the terminal reaches redis-learn (which decides what it means)
 * and not the server. It is stopped, and its directory removed, however this process
 * ends (lifecycle.ts).
 */
export async function startPrivateServer(options: StartOptions = {}): Promise<PrivateServer> {
  const config = checkServerConfig(options.config ?? {});
  const binary = findServerBinary(options.env);
  cleanOrphans();
  let lastError: Error | undefined;
  for (let attempt = 0; attempt < PORT_ATTEMPTS; attempt++) {
    const port = await freePort();
    const server = new ControlledServer(binary, port, options.extraArgs ?? [], config);
    try {
      await server.start();
      return server;
    } catch (err) {
      server.stop();
      lastError = err as Error;
      if (!(err instanceof PortTaken)) break;
    }
  }
  throw lastError ?? new RedisUnavailable("could not start a private redis-server");
}

/** A loopback port that was free a moment ago (the server retries if another process takes it). */
export function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const probe = net.createServer();
    probe.unref();
    probe.once("error", reject);
    probe.listen(0, "127.0.0.1", () => {
      const address = probe.address();
      const port = typeof address === "object" && address ? address.port : 0;
      probe.close(() => resolve(port));
    });
  });
}
