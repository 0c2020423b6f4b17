import { spawn, type ChildProcess } from "node:child_process";
import { closeSync, mkdtempSync, openSync, readdirSync, realpathSync, statSync } from "node:fs";
import os from "node:os";
import path from "node:path";
import { RedisUnavailable } from "../errors.js";
import { LOG_FILE, OWN_FILES, PID_FILE, isZombie, ownDirPrefix, pidAlive, removeServerDir, writeOwner } from "./orphans.js";
import { checkServerConfig, configArgs, type ServerConfig } from "./server-config.js";
import { logSize, portInUse, readLogSince, whyNoShutdown, whyNotStarted } from "./server-log.js";
import { probe } from "./server-probe.js";
import { onExit } from "../lifecycle.js";

/**
 * A private server's process, and the ones that replace it on restart: one directory,
 * one port, one owner file that always names the current process.
 */

/** How long a fresh server may take to answer PING (it usually takes a few ms). */
const READY_TIMEOUT_MS = 5000;
/** A server that answers -LOADING (or takes the connection but is too busy to answer) is reading its RDB or AOF: it may take this long. */
const LOADING_TIMEOUT_MS = 120_000;
const READY_POLL_MS = 5;
/** A graceful shutdown saves when the configuration says so; a lesson's data set is small. */
const SHUTDOWN_TIMEOUT_MS = 60_000;
const SHUTDOWN_POLL_MS = 10;

/** The port was taken by another process before the server could bind it. */
export class PortTaken extends RedisUnavailable {
  constructor(readonly why: string) {
    super(`the private redis-server did not start: ${why}`);
  }
}

/** Redis before 7.0 has no enable-debug-command (DEBUG is always on there). */
class DebugFlagUnknown extends Error {}

/** Without an owner file a killed run's server could never be found again, so no file, no server. */
function tmpUnusable(tmp: string, err: NodeJS.ErrnoException): RedisUnavailable {
  const why = err.code === "ENOSPC" ? "it is full" : err.code ? `${err.code}` : err.message;
  return new RedisUnavailable(
    `cannot write in the temp directory ${tmp} (${why}), where the private redis-server keeps its files: free some space there, or set TMPDIR to a writable directory`,
  );
}

/** One redis-server process; a restart makes another. */
interface Running {
  child: ChildProcess;
  pid: number;
  exited: boolean;
  ended: Promise<void>;
}

/** A PrivateServer (server.ts), which startPrivateServer returns as one. */
export class ControlledServer {
  readonly host = "127.0.0.1";
  dir = "";
  private current: Running | undefined;
  private stopped = false;
  private readonly unregister: () => void;
  /** crash() and restart() run one at a time, in the order they were asked for. */
  private queue: Promise<unknown> = Promise.resolve();
  private debugFlag = true;
  /** The directory as the server reports it (CONFIG GET dir gives its real path). */
  private realDir = "";

  constructor(
    readonly binary: string,
    readonly port: number,
    private readonly extraArgs: string[],
    private currentConfig: Readonly<ServerConfig>,
  ) {
    // From here on every way of ending (signals included) stops the server: the handler
    // is in place before the directory exists and before any server is spawned.
    this.unregister = onExit(this.stop);
  }

  get pid(): number {
    return this.current?.pid ?? 0;
  }

  get config(): ServerConfig {
    return { ...this.currentConfig };
  }

  private get logfile(): string {
    return path.join(this.dir, LOG_FILE);
  }

  /** The first start: a fresh directory, its owner file, then the server. */
  async start(): Promise<void> {
    const tmp = os.tmpdir();
    try {
      this.dir = mkdtempSync(path.join(tmp, ownDirPrefix()));
      // The owner is on disk before the server exists, so a run killed at any moment can be cleaned up by the next.
      writeOwner(this.dir, this.port);
      this.realDir = realpathSync(this.dir);
    } catch (err) {
      throw tmpUnusable(tmp, err as NodeJS.ErrnoException);
    }
    try {
      await this.launch();
    } catch (err) {
      if (!(err instanceof DebugFlagUnknown)) throw err;
      this.debugFlag = false;
      await this.launch();
    }
  }

  readonly stop = (): void => {
    if (this.stopped) return;
    this.stopped = true;
    this.unregister();
    // SIGKILL: the directory and all it holds go anyway, and it is immediate. The server's
    // own pidfile is checked too, in case this process never learnt the pid. A server that
    // ended on its own may have left a fork saving in the directory: then it is looked for.
    const running = this.current && !this.current.exited ? this.current.pid : undefined;
    if (running !== undefined) killGroup(running);
    try {
      if (this.dir) removeServerDir(this.dir, [], running === undefined);
    } catch {
      // A directory that cannot be removed must not hide why we stopped; the next run tries again.
    }
  };

  async shutdown(): Promise<void> {
    const running = this.current;
    // Keep the event loop alive until the exit is seen, which is also when it is reaped.
    if (running && !running.exited) running.child.ref();
    this.stop();
    await running?.ended;
  }

  alive(): boolean {
    const running = this.current;
    return !!running && !running.exited && pidAlive(running.pid) && !isZombie(running.pid);
  }

  crash(): Promise<void> {
    return this.serially(async () => {
      const running = this.current;
      if (!running || running.exited) return;
      running.child.ref();
      killGroup(running.pid);
      await running.ended;
    });
  }

  async restart(config?: ServerConfig): Promise<void> {
    // A bad configuration is refused before the running server is touched.
    const next = config === undefined ? undefined : checkServerConfig(config);
    return this.serially(async () => {
      this.mustNotBeStopped();
      const running = this.current;
      if (running && !running.exited) await this.shutDownGracefully(running);
      this.mustNotBeStopped();
      if (next) this.currentConfig = next;
      try {
        // The owner file stops naming the old process before the new one exists.
        writeOwner(this.dir, this.port);
      } catch {
        // The old record still names this directory's owner; the pidfile and working directory find the new server.
      }
      try {
        await this.launch();
      } catch (err) {
        if (err instanceof PortTaken) {
          throw new RedisUnavailable(`the private redis-server could not start again on port ${this.port}, which another process has taken meanwhile: ${err.why}`);
        }
        throw err;
      }
    });
  }

  dataFiles(): { path: string; bytes: number }[] {
    return this.dir ? filesIn(this.dir) : [];
  }

  private serially<T>(work: () => Promise<T>): Promise<T> {
    const result = this.queue.then(work);
    this.queue = result.catch(() => {});
    return result;
  }

  private mustNotBeStopped(): void {
    if (this.stopped) throw new RedisUnavailable("the private redis-server was stopped, and its directory removed: it cannot be started again");
  }

  /** Spawns the server in its directory and waits until it answers; on failure no process is left running. */
  private async launch(): Promise<void> {
    const logStart = logSize(this.logfile);
    const args = [
      "--port", String(this.port),
      "--bind", "127.0.0.1",
      "--dir", this.dir,
      "--pidfile", path.join(this.dir, PID_FILE),
      "--logfile", this.logfile,
      ...(this.debugFlag ? ["--enable-debug-command", "local"] : []),
      ...configArgs(this.currentConfig),
      ...this.extraArgs,
      // Last, so that no value is the final argument: redis-server reads a final "-" as "config from stdin".
      "--daemonize", "no",
    ];
    let log: number;
    try {
      log = openSync(this.logfile, "a");
    } catch (err) {
      throw tmpUnusable(path.dirname(this.dir), err as NodeJS.ErrnoException);
    }
    let child: ChildProcess;
    try {
      // Started in its directory, so /proc/PID/cwd ties it to the directory from its first instant.
      // Its stdout and stderr go to the log: a bad configuration is reported there, before the log file is opened.
      child = spawn(this.binary, args, { cwd: this.dir, stdio: ["ignore", log, log], detached: true });
    } finally {
      closeSync(log);
    }
    const spawnError = new Promise<Error>((resolve) => child.once("error", resolve));
    child.unref();
    if (child.pid === undefined) {
      const err = await spawnError;
      throw new RedisUnavailable(`could not start ${this.binary}: ${err.message}`);
    }
    const running: Running = { child, pid: child.pid, exited: false, ended: new Promise((resolve) => child.once("exit", () => resolve())) };
    child.once("exit", () => (running.exited = true));
    this.current = running;
    try {
      writeOwner(this.dir, this.port, running.pid);
    } catch {
      // The earlier owner record stands; the pidfile and working directory still lead to the server.
    }
    await this.waitUntilReady(running, logStart);
  }

  private async waitUntilReady(running: Running, logStart: number): Promise<void> {
    const started = Date.now();
    let deadline = started + READY_TIMEOUT_MS;
    for (;;) {
      const answer = await probe(this.port);
      // Another process's server may answer on this port while ours fails to bind it.
      if (answer.state === "ready" && !running.exited && (answer.dir === undefined || answer.dir === this.realDir)) return;
      if (answer.state === "loading" || answer.state === "busy") deadline = started + LOADING_TIMEOUT_MS;
      if (running.exited || this.stopped || Date.now() > deadline) {
        const timedOut = !running.exited;
        if (timedOut) {
          killGroup(running.pid);
          running.child.ref();
          await running.ended;
        }
        this.mustNotBeStopped();
        const log = readLogSince(this.logfile, logStart);
        const why = whyNotStarted(log);
        if (portInUse(log)) throw new PortTaken(why);
        if (this.debugFlag && /^bad configuration 'enable-debug-command/.test(why)) throw new DebugFlagUnknown();
        const within = timedOut ? ` within ${Math.round((deadline - started) / 1000)} s` : "";
        throw new RedisUnavailable(`the private redis-server did not start${within}${why ? `: ${why}` : ""}`);
      }
      await sleep(READY_POLL_MS);
    }
  }

  /**
   * SIGTERM is the graceful SHUTDOWN (redis.conf: shutdown-on-sigterm default, which
   * lessons may not change): it saves when save points are configured and flushes the
   * AOF. Unlike SHUTDOWN sent over a connection, it works whatever the learner did to
   * passwords and users. A server that cannot save refuses, logs why, and keeps running.
   */
  private async shutDownGracefully(running: Running): Promise<void> {
    const logStart = logSize(this.logfile);
    running.child.ref();
    killQuietly(running.pid, "SIGTERM");
    const deadline = Date.now() + SHUTDOWN_TIMEOUT_MS;
    while (!running.exited) {
      await Promise.race([running.ended, sleep(SHUTDOWN_POLL_MS)]);
      if (running.exited) break;
      const refused = whyNoShutdown(readLogSince(this.logfile, logStart));
      if (refused !== undefined) {
        running.child.unref();
        throw new RedisUnavailable(`the private redis-server refused to shut down, and is still running: ${refused}`);
      }
      if (Date.now() > deadline) {
        killGroup(running.pid);
        await running.ended;
        throw new RedisUnavailable(`the private redis-server did not shut down within ${SHUTDOWN_TIMEOUT_MS / 1000} s, and was killed`);
      }
    }
  }
}

/**
 * The server leads a process group of its own (spawned detached), with the forks it makes
 * to save or rewrite: SIGKILL reaches them all at once, as a crash of the machine would.
 * Only for a server not yet seen to exit: a group id is not reused while it has members.
 */
function killGroup(pid: number): void {
  try {
    process.kill(-pid, "SIGKILL");
  } catch {
    killQuietly(pid, "SIGKILL");
  }
}

function killQuietly(pid: number, signal: NodeJS.Signals): void {
  try {
    process.kill(pid, signal);
  } catch {
    // Already gone.
  }
}

/** Files under dir, but redis-learn's own at its top: "/"-separated relative paths with sizes, sorted. */
function filesIn(dir: string): { path: string; bytes: number }[] {
  const found: { path: string; bytes: number }[] = [];
  const walk = (at: string, prefix: string): void => {
    let entries;
    try {
      entries = readdirSync(at, { withFileTypes: true });
    } catch {
      return;
    }
    for (const entry of entries) {
      if (!prefix && OWN_FILES.includes(entry.name)) continue;
      const relative = prefix + entry.name;
      if (entry.isDirectory()) walk(path.join(at, entry.name), relative + "/");
      else if (entry.isFile()) {
        try {
          found.push({ path: relative, bytes: statSync(path.join(at, entry.name)).size });
        } catch {
          // Removed while we looked (a temp file renamed into place).
        }
      }
    }
  };
  walk(dir, "");
  return found.sort((a, b) => (a.path < b.path ? -1 : a.path > b.path ? 1 : 0));
}

function sleep(ms: number): Promise<void> {
  return new Promise((resolve) => setTimeout(resolve, ms));
}
