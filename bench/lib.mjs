// Helpers for the benchmark: timed child processes, the bench's own redis-server,
// temp dirs, statistics and tables. Everything the bench starts is tracked here so
// that it is stopped however the bench ends (normal end, error, Ctrl-C, deadline).
import { spawn } from "node:child_process";
import { mkdtempSync, rmSync } from "node:fs";
import net from "node:net";
import os from "node:os";
import path from "node:path";
import { performance } from "node:perf_hooks";

export const now = () => performance.now();

// ---------------------------------------------------------------- cleanup registry

/** Children the bench started and that have not exited yet: { child, kind, exited }. */
const live = new Set();
const tempDirs = new Set();
/** Every pid the bench ever started, to check at the end that none left a server behind. */
export const startedPids = new Set();
let stopping = false;

export function isStopping() {
  return stopping;
}

/**
 * Temp dirs are named rlbench-*: never redis-learn-*, which redis-learn's own orphan
 * cleanup would treat as a dead private server's directory and remove.
 */
export function makeTempDir(label) {
  const dir = mkdtempSync(path.join(os.tmpdir(), `rlbench-${label}-`));
  tempDirs.add(dir);
  return dir;
}

export function removeTempDir(dir) {
  rmSync(dir, { recursive: true, force: true });
  tempDirs.delete(dir);
}

/**
 * kind "server" and "proxy" get SIGKILL when the bench stops; "redis-learn" gets
 * SIGTERM first, so that it stops its own private redis-server on the way out.
 */
function track(child, kind) {
  const entry = { child, kind, exited: false };
  entry.exitPromise = new Promise((resolve) => {
    child.once("exit", () => {
      entry.exited = true;
      live.delete(entry);
      resolve();
    });
    child.once("error", () => {
      entry.exited = true;
      live.delete(entry);
      resolve();
    });
  });
  live.add(entry);
  if (child.pid !== undefined) startedPids.add(child.pid);
  return entry;
}

function signal(entry, sig) {
  if (entry.exited || entry.child.pid === undefined) return;
  try {
    entry.child.kill(sig);
  } catch {
    // Already gone.
  }
}

function waitAll(entries, ms) {
  return Promise.race([
    Promise.all(entries.map((e) => e.exitPromise)),
    new Promise((resolve) => setTimeout(resolve, ms)),
  ]);
}

/** Stops every child the bench started (and only those), then removes its temp dirs. */
export async function stopEverything() {
  stopping = true;
  const entries = [...live];
  for (const e of entries) signal(e, e.kind === "redis-learn" ? "SIGTERM" : "SIGKILL");
  await waitAll(entries, 3000);
  const left = [...live];
  for (const e of left) signal(e, "SIGKILL");
  await waitAll(left, 2000);
  for (const dir of [...tempDirs]) removeTempDir(dir);
  return live.size;
}

/** Last resort in an 'exit' handler, where nothing asynchronous can run. */
export function stopEverythingSync() {
  for (const e of [...live]) signal(e, "SIGKILL");
  for (const dir of [...tempDirs]) {
    try {
      removeTempDir(dir);
    } catch {
      // Nothing more can be done here.
    }
  }
}

export function liveChildren() {
  return [...live].map((e) => `${e.kind} pid ${e.child.pid}`);
}

// ---------------------------------------------------------------- timed processes

/**
 * Runs a command with `input` on stdin (then EOF) and measures wall time from spawn to
 * exit. stdout chunks are time-stamped so the caller can tell when a given text appeared.
 */
export function runProcess(cmd, args, { input = "", env = process.env, cwd, timeoutMs = 60_000, kind = "redis-learn", onSpawn } = {}) {
  if (stopping) return Promise.reject(new Error("the bench is stopping"));
  return new Promise((resolve, reject) => {
    const start = now();
    const child = spawn(cmd, args, { env, cwd, stdio: ["pipe", "pipe", "pipe"] });
    track(child, kind);
    const poller = onSpawn && child.pid !== undefined ? onSpawn(child.pid) : undefined;
    const out = [];
    const err = [];
    const stamps = [];
    let outBytes = 0;
    let firstOut;
    let firstErr;
    let exitMs;
    let timedOut = false;
    child.stdout.on("data", (chunk) => {
      const t = now() - start;
      firstOut ??= t;
      stamps.push({ t, end: outBytes + chunk.length });
      outBytes += chunk.length;
      out.push(chunk);
    });
    child.stderr.on("data", (chunk) => {
      firstErr ??= now() - start;
      err.push(chunk);
    });
    child.stdin.on("error", () => {
      // The child may exit before reading its input (e.g. --help): not an error here.
    });
    child.stdin.end(input);
    const timer = setTimeout(() => {
      timedOut = true;
      child.kill("SIGTERM");
      setTimeout(() => child.kill("SIGKILL"), 2000).unref();
    }, timeoutMs);
    child.once("exit", () => {
      exitMs = now() - start;
    });
    child.once("error", (e) => {
      clearTimeout(timer);
      if (poller) clearInterval(poller);
      reject(new Error(`cannot run ${cmd}: ${e.message}`));
    });
    child.once("close", (code, sig) => {
      clearTimeout(timer);
      if (poller) clearInterval(poller);
      const stdoutBuf = Buffer.concat(out);
      resolve({
        cmd: [cmd, ...args].join(" "),
        startedAt: start,
        code,
        signal: sig,
        timedOut,
        ms: exitMs ?? now() - start,
        firstOut,
        firstErr,
        stdout: stdoutBuf.toString("utf8"),
        stdoutBuf,
        stderr: Buffer.concat(err).toString("utf8"),
        stamps,
      });
    });
  });
}

/** When `text` had been fully written to stdout, in ms after spawn; undefined if never. */
export function timeOfText(result, text) {
  const at = result.stdoutBuf.indexOf(Buffer.from(text, "utf8"));
  if (at === -1) return undefined;
  const last = at + Buffer.byteLength(text) - 1;
  return result.stamps.find((s) => s.end > last)?.t;
}

/** Throws with the child's stderr if it did not exit 0 (or `check` says no). */
export function expectOk(result, check = () => true) {
  if (result.code === 0 && !result.timedOut && check(result)) return result;
  const why = result.timedOut ? "timed out" : result.code !== 0 ? `exited ${result.code ?? result.signal}` : "printed something unexpected";
  throw new Error(`${result.cmd} ${why}\n--- stdout (start) ---\n${result.stdout.slice(0, 600)}\n--- stderr ---\n${result.stderr.slice(0, 1200)}`);
}

// ---------------------------------------------------------------- redis-server

export function freePort() {
  return new Promise((resolve, reject) => {
    const probe = net.createServer();
    probe.unref();
    probe.once("error", reject);
    probe.listen(0, "127.0.0.1", () => {
      const { port } = probe.address();
      probe.close(() => resolve(port));
    });
  });
}

/** true when something on 127.0.0.1:port answers PING with +PONG within 1 s. */
export function answersPing(port) {
  return new Promise((resolve) => {
    const socket = net.connect({ host: "127.0.0.1", port });
    let done = false;
    const finish = (ok) => {
      if (done) return;
      done = true;
      socket.destroy();
      resolve(ok);
    };
    socket.once("connect", () => socket.write("*1\r\n$4\r\nPING\r\n"));
    socket.once("data", (chunk) => finish(chunk.toString("latin1").startsWith("+PONG")));
    socket.once("error", () => finish(false));
    socket.setTimeout(1000, () => finish(false));
  });
}

/**
 * Starts redis-server --port <free> --save '' --appendonly no in a temp dir of its own,
 * bound to 127.0.0.1. stop() is SIGKILL + wait for the exit + remove the dir.
 */
export async function startRedisServer(label = "server", binary = "redis-server") {
  const dir = makeTempDir(label);
  let lastError;
  for (let attempt = 0; attempt < 5; attempt++) {
    const port = await freePort();
    const child = spawn(
      binary,
      ["--port", String(port), "--bind", "127.0.0.1", "--save", "", "--appendonly", "no", "--dir", dir, "--logfile", path.join(dir, "redis.log"), "--daemonize", "no"],
      { cwd: dir, stdio: "ignore" },
    );
    const entry = track(child, "server");
    const spawnError = new Promise((resolve) => child.once("error", resolve));
    const deadline = now() + 5000;
    let ok = false;
    while (!entry.exited && now() < deadline) {
      if (await answersPing(port)) {
        ok = true;
        break;
      }
      await sleep(10);
    }
    if (ok) {
      return {
        port,
        pid: child.pid,
        dir,
        async stop() {
          signal(entry, "SIGKILL");
          await entry.exitPromise;
          removeTempDir(dir);
        },
      };
    }
    if (!entry.exited) {
      signal(entry, "SIGKILL");
      await entry.exitPromise;
    }
    if (child.pid === undefined) {
      const err = await spawnError;
      removeTempDir(dir);
      throw new Error(`cannot start ${binary}: ${err.message} (install redis-server)`);
    }
    lastError = new Error(`${binary} did not answer on port ${port}`);
  }
  removeTempDir(dir);
  throw lastError;
}

/**
 * Private servers that redis-learn processes started by the bench left running: redis-learn
 * writes owner.json (ownerPid, serverPid) into each private server's temp dir.
 */
export async function leftoverPrivateServers(sinceMs) {
  const { readdirSync, readFileSync, statSync } = await import("node:fs");
  const left = [];
  for (const name of readdirSync(os.tmpdir()).filter((n) => n.startsWith("redis-learn-"))) {
    try {
      const dir = path.join(os.tmpdir(), name);
      const owner = JSON.parse(readFileSync(path.join(dir, "owner.json"), "utf8"));
      const pidAlive = (pid) => {
        try {
          process.kill(pid, 0);
          return true;
        } catch {
          return false;
        }
      };
      // Ours: started by a process of the bench, or (under /usr/bin/time) by one whose
      // owner is gone and whose directory appeared while the bench ran.
      const ours = startedPids.has(owner.ownerPid) || (!pidAlive(owner.ownerPid) && statSync(dir).ctimeMs >= sinceMs);
      if (!ours) continue;
      const alive = pidAlive(owner.serverPid);
      left.push(`${name} (redis-server pid ${owner.serverPid}${alive ? ", running" : ", not running"})`);
    } catch {
      // Not readable, or not one of ours.
    }
  }
  return left;
}

// ---------------------------------------------------------------- small utilities

export function sleep(ms) {
  return new Promise((resolve) => setTimeout(resolve, ms));
}

/** On PATH? Returns the full path or undefined. */
export async function which(name) {
  const { accessSync, constants } = await import("node:fs");
  for (const dir of (process.env.PATH ?? "").split(path.delimiter).filter(Boolean)) {
    const candidate = path.join(dir, name);
    try {
      accessSync(candidate, constants.X_OK);
      return candidate;
    } catch {
      // Not here.
    }
  }
  return undefined;
}

export function quantile(values, q) {
  if (!values.length) return NaN;
  const s = [...values].sort((a, b) => a - b);
  const pos = (s.length - 1) * q;
  const lo = Math.floor(pos);
  const hi = Math.ceil(pos);
  return s[lo] + (s[hi] - s[lo]) * (pos - lo);
}

export const median = (values) => quantile(values, 0.5);
export const min = (values) => Math.min(...values);

export function fmtMs(ms) {
  if (!Number.isFinite(ms)) return "n/a";
  if (ms < 1) return `${(ms * 1000).toFixed(0)} µs`;
  if (ms < 1000) return `${ms.toFixed(ms < 10 ? 2 : 1)} ms`;
  return `${(ms / 1000).toFixed(2)} s`;
}

export function fmtRatio(r) {
  return Number.isFinite(r) ? `${r.toFixed(2)}x` : "n/a";
}

export function fmtRt(rt) {
  return Number.isFinite(rt) ? `${rt.toFixed(2)} RT` : "n/a";
}

export function fmtMb(kb) {
  return Number.isFinite(kb) ? `${(kb / 1024).toFixed(1)} MB` : "n/a";
}

/** A Markdown table padded so that it also reads well in a terminal. */
export function renderTable(headers, rows) {
  const width = (s) => [...String(s)].length;
  const widths = headers.map((h, i) => Math.max(width(h), ...rows.map((r) => width(r[i] ?? ""))));
  const line = (cells) => `| ${cells.map((c, i) => String(c ?? "") + " ".repeat(widths[i] - width(c ?? ""))).join(" | ")} |`;
  return [line(headers), `|${widths.map((w) => "-".repeat(w + 2)).join("|")}|`, ...rows.map(line)].join("\n");
}

// ---------------------------------------------------------------- long-running helpers

/** Sequential PINGs on one raw connection: the round-trip times in ms. */
export function pingTimes(port, count) {
  return new Promise((resolve, reject) => {
    const socket = net.connect({ host: "127.0.0.1", port });
    socket.setNoDelay(true);
    const times = [];
    let t0 = 0;
    const timer = setTimeout(() => {
      socket.destroy();
      reject(new Error(`no PONG from port ${port} within 10 s`));
    }, 10_000);
    const next = () => {
      if (times.length === count) {
        clearTimeout(timer);
        socket.destroy();
        resolve(times);
        return;
      }
      t0 = now();
      socket.write("*1\r\n$4\r\nPING\r\n");
    };
    socket.once("connect", next);
    socket.on("data", () => {
      times.push(now() - t0);
      next();
    });
    socket.once("error", (err) => {
      clearTimeout(timer);
      reject(err);
    });
  });
}

/**
 * Peak resident memory (KB) of a command, with GNU time's %M when /usr/bin/time exists.
 * Otherwise VmHWM from /proc/PID/status, polled every 5 ms (a lower bound).
 */
export async function peakRssKb(cmd, args, opts) {
  const { existsSync, readFileSync } = await import("node:fs");
  if (existsSync("/usr/bin/time")) {
    const dir = makeTempDir("rss");
    try {
      const file = path.join(dir, "time.out");
      const r = await runProcess("/usr/bin/time", ["-f", "%M", "-o", file, cmd, ...args], opts);
      const kb = Number(readFileSync(file, "utf8").trim().split("\n").pop());
      return { kb, result: r, how: "/usr/bin/time %M" };
    } finally {
      removeTempDir(dir);
    }
  }
  let kb = NaN;
  const poll = (pid) => {
    const read = () => {
      try {
        const m = /VmHWM:\s+(\d+) kB/.exec(readFileSync(`/proc/${pid}/status`, "utf8"));
        if (m) kb = Math.max(Number.isFinite(kb) ? kb : 0, Number(m[1]));
      } catch {
        // Exited between two polls.
      }
    };
    read();
    return setInterval(read, 5);
  };
  const r = await runProcess(cmd, args, { ...opts, onSpawn: poll });
  return { kb, result: r, how: "VmHWM polled" };
}
