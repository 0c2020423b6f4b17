import { spawn, type ChildProcess } from "node:child_process";
import { mkdtempSync, readFileSync } from "node:fs";
import net from "node:net";
import os from "node:os";
import path from "node:path";
import { RedisUnavailable } from "../errors.js";
import { findServerBinary } from "./find-server.js";
import { PID_FILE, cleanOrphans, isZombie, ownDirPrefix, pidAlive, removeServerDir, writeOwner } from "./orphans.js";
import { onExit } from "../lifecycle.js";

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
  /** False once the server process has ended (killed from outside, crashed). */
  alive(): boolean;
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
 * It is stopped, and its directory removed, however this process ends (lifecycle.ts).
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

/** Without an owner file a killed run's server could never be found again, so no file, no server. */
function tmpUnusable(tmp: string, err: NodeJS.ErrnoException): RedisUnavailable {
  const why = err.code === "ENOSPC" ? "it is full" : err.code ? `${err.code}` : err.message;
  return new RedisUnavailable(
    `cannot write in the temp directory ${tmp} (${why}), where the private redis-server keeps its files: free some space there, or set TMPDIR to a writable directory`,
  );
}

async function startOn(binary: string, port: number, extraArgs: string[]): Promise<PrivateServer> {
  const tmp = os.tmpdir();
  /** Set once spawned; stop() may run before that (a signal while the directory is being prepared). */
  const spawned: { child?: ChildProcess } = {};
  let exited = false;
  let stopped = false;
  let dir = "";
  const stop = (): void => {
    if (stopped) return;
    stopped = true;
    unregister();
    // Persistence is off, so nothing is lost by SIGKILL, and it is immediate. The server's
    // own pidfile is checked too, in case this process never learnt the pid.
    const pid = spawned.child?.pid;
    const known = pid !== undefined && !exited ? [pid] : [];
    try {
      if (dir) removeServerDir(dir, known, false);
    } catch {
      // A directory that cannot be removed must not hide why we stopped; the next run tries again.
    }
  };
  // From here on every way of ending (signals included) stops the server: the handlers
  // are in place before the directory exists and before the server is spawned.
  const unregister = onExit(stop);
  try {
    dir = mkdtempSync(path.join(tmp, ownDirPrefix()));
    // The owner is on disk before the server exists, so a run killed at any moment can be cleaned up by the next.
    writeOwner(dir, port);
  } catch (err) {
    stop();
    throw tmpUnusable(tmp, err as NodeJS.ErrnoException);
  }
  const logfile = path.join(dir, "redis.log");
  const args = [
    "--port", String(port),
    "--bind", "127.0.0.1",
    "--dir", dir,
    "--pidfile", path.join(dir, PID_FILE),
    "--logfile", logfile,
    "--save", "",
    "--appendonly", "no",
    "--daemonize", "no",
    ...extraArgs,
  ];
  // Started in its directory, so /proc/PID/cwd ties it to the directory from its first instant.
  const started = spawn(binary, args, { cwd: dir, stdio: "ignore", detached: true });
  spawned.child = started;
  const exitedPromise = new Promise<void>((resolve) => started.once("exit", () => resolve()));
  started.once("exit", () => (exited = true));
  const spawnError = new Promise<Error>((resolve) => started.once("error", resolve));
  started.unref();

  if (started.pid === undefined) {
    const err = await spawnError;
    stop();
    throw new RedisUnavailable(`could not start ${binary}: ${err.message}`);
  }
  const pid = started.pid;
  try {
    writeOwner(dir, port, pid);
  } catch {
    // The first owner record stands; the pidfile and working directory still lead to the server.
  }

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
    if (!exited) started.ref();
    stop();
    await exitedPromise;
  };
  const alive = (): boolean => !exited && pidAlive(pid) && !isZombie(pid);
  return { host: "127.0.0.1", port, pid, dir, binary, stop, shutdown, alive };
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
