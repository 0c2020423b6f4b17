import { spawn } from "node:child_process";
import { mkdtempSync, readFileSync, rmSync } from "node:fs";
import net from "node:net";
import os from "node:os";
import path from "node:path";
import { RedisUnavailable } from "../errors.js";
import { findServerBinary } from "./find-server.js";
import { DIR_PREFIX, cleanOrphans, writeOwner } from "./orphans.js";

/** How long a fresh server may take to answer PING (it usually takes a few ms). */
const READY_TIMEOUT_MS = 5000;
const READY_POLL_MS = 5;
/** Attempts at finding a port, in case another process takes the one we picked. */
const PORT_ATTEMPTS = 5;

export interface PrivateServer {
  host: string;
  port: number;
  pid: number;
  dir: string;
  binary: string;
  /** Stops the server and removes its directory; synchronous so it can run in an exit handler. Safe to call twice. */
  stop(): void;
  /** The same, and waits until the process is gone (so no zombie is left for a parent that never reaps). */
  shutdown(): Promise<void>;
}

export interface StartOptions {
  /** Extra redis-server arguments, e.g. ["--enable-debug-command", "yes"]. */
  extraArgs?: string[];
  env?: NodeJS.ProcessEnv;
}

/**
 * Starts a throwaway redis-server on a free loopback port, in a fresh temp directory,
 * with persistence off. It runs in its own process group so that Ctrl-C in the
 * terminal reaches redis-learn (which decides what it means) and not the server.
 */
export async function startPrivateServer(options: StartOptions = {}): Promise<PrivateServer> {
  const binary = findServerBinary(options.env);
  cleanOrphans();
  let lastError: Error | undefined;
  for (let attempt = 0; attempt < PORT_ATTEMPTS; attempt++) {
    const port = await freePort();
    try {
      return await startOn(binary, port, options.extraArgs ?? []);
    } catch (err) {
      lastError = err as Error;
      if (!(err instanceof PortTaken)) break;
    }
  }
  throw lastError ?? new RedisUnavailable("could not start a private redis-server");
}

class PortTaken extends Error {}

async function startOn(binary: string, port: number, extraArgs: string[]): Promise<PrivateServer> {
  const dir = mkdtempSync(path.join(os.tmpdir(), DIR_PREFIX));
  const logfile = path.join(dir, "redis.log");
  const args = [
    "--port", String(port),
    "--bind", "127.0.0.1",
    "--dir", dir,
    "--logfile", logfile,
    "--save", "",
    "--appendonly", "no",
    "--daemonize", "no",
    ...extraArgs,
  ];
  const child = spawn(binary, args, { stdio: "ignore", detached: true });
  let exited = false;
  const exitedPromise = new Promise<void>((resolve) => child.once("exit", () => resolve()));
  child.once("exit", () => (exited = true));
  const spawnError = new Promise<Error>((resolve) => child.once("error", resolve));
  child.unref();

  let stopped = false;
  const stop = (): void => {
    if (stopped) return;
    stopped = true;
    // Persistence is off, so nothing is lost by SIGKILL, and it is immediate.
    if (child.pid !== undefined && !exited) {
      try {
        process.kill(child.pid, "SIGKILL");
      } catch {
        // Already gone.
      }
    }
    rmSync(dir, { recursive: true, force: true });
  };

  if (child.pid === undefined) {
    const err = await spawnError;
    stop();
    throw new RedisUnavailable(`could not start ${binary}: ${err.message}`);
  }
  writeOwner(dir, child.pid, port);

  const deadline = Date.now() + READY_TIMEOUT_MS;
  while (!(await answersPing(port))) {
    if (exited || Date.now() > deadline) {
      const log = readLogTail(logfile);
      stop();
      if (/already in use/i.test(log)) throw new PortTaken();
      throw new RedisUnavailable(
        `the private redis-server did not start${exited ? "" : ` within ${READY_TIMEOUT_MS / 1000} s`}${log ? `: ${log}` : ""}`,
      );
    }
    await sleep(READY_POLL_MS);
  }
  const shutdown = async (): Promise<void> => {
    // Keep the event loop alive until the exit is seen, which is also when it is reaped.
    if (!exited) child.ref();
    stop();
    await exitedPromise;
  };
  return { host: "127.0.0.1", port, pid: child.pid, dir, binary, stop, shutdown };
}

function readLogTail(logfile: string): string {
  try {
    const lines = readFileSync(logfile, "utf8").trim().split("\n");
    const last = lines.filter((l) => /error|fatal|can't|cannot|fail|bad|in use|unknown/i.test(l)).pop() ?? lines.pop() ?? "";
    return last.replace(/^\d+:[A-Z] [^*#-]*[*#-] /, "").trim();
  } catch {
    return "";
  }
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

function answersPing(port: number): Promise<boolean> {
  return new Promise((resolve) => {
    const socket = net.connect({ host: "127.0.0.1", port });
    let settled = false;
    const finish = (ok: boolean): void => {
      if (settled) return;
      settled = true;
      socket.destroy();
      resolve(ok);
    };
    socket.once("connect", () => socket.write("*1\r\n$4\r\nPING\r\n"));
    // -NOAUTH also means it is up: the server was started with requirepass.
    socket.once("data", (chunk) => finish(!chunk.toString("latin1").startsWith("-LOADING")));
    socket.once("error", () => finish(false));
    socket.setTimeout(1000, () => finish(false));
  });
}

function sleep(ms: number): Promise<void> {
  return new Promise((resolve) => setTimeout(resolve, ms));
}
