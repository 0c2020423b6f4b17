import { readFileSync, readdirSync, readlinkSync, realpathSync, renameSync, rmSync, statSync, writeFileSync } from "node:fs";
import os from "node:os";
import path from "node:path";

/**
 * A private server runs in a temp directory that names the redis-learn process owning it
 * (redis-learn-<pid>-<start>-XXXXXX) and holds an owner file, written before the server
 * is started. If that process was killed with SIGKILL, nothing stopped its server; the
 * next run finds the directory, sees the owner is gone, stops every redis-server that
 * lives in it (by the owner file, the server's own pidfile, or its working directory),
 * and any fork of one still saving there,
 * and removes the directory.
 */
export const DIR_PREFIX = "redis-learn-";
const OWNER_FILE = "owner.json";
/** redis-server writes its pid here itself (--pidfile), so it can be found even if the owner file never learnt it. */
export const PID_FILE = "redis.pid";
/** The server's log (--logfile), and its stdout and stderr, where a bad configuration is reported. */
export const LOG_FILE = "redis.log";
/** What redis-learn keeps in a server's directory; everything else there the server wrote. */
export const OWN_FILES: readonly string[] = [OWNER_FILE, `${OWNER_FILE}.tmp`, PID_FILE, LOG_FILE];
/** A directory with neither owner file nor owner in its name is only removed once this old. */
const UNOWNED_GRACE_MS = 60_000;

interface OwnerRecord {
  ownerPid: number;
  /** Start time of the owner (Linux /proc), so a reused pid is not mistaken for the owner. */
  ownerStart?: string;
  /** Unknown until the server is spawned; the pidfile and working directory find it meanwhile. */
  serverPid?: number;
  port: number;
}

/** The mkdtemp prefix for this process: the owner can be told from the name alone, before any file is written. */
export function ownDirPrefix(): string {
  return `${DIR_PREFIX}${process.pid}-${processStartTime(process.pid) ?? "0"}-`;
}

/** Writes the owner file atomically (temp file + rename); throws if it cannot be written. */
export function writeOwner(dir: string, port: number, serverPid?: number): void {
  const record: OwnerRecord = { ownerPid: process.pid, port };
  const start = processStartTime(process.pid);
  if (start) record.ownerStart = start;
  if (serverPid !== undefined) record.serverPid = serverPid;
  const target = path.join(dir, OWNER_FILE);
  const tmp = `${target}.tmp`;
  try {
    writeFileSync(tmp, JSON.stringify(record), { mode: 0o600 });
    renameSync(tmp, target);
  } catch (err) {
    rmSync(tmp, { force: true });
    throw err;
  }
}

/** Stops servers whose owner is gone and removes their directories. Returns how many it cleaned. */
export function cleanOrphans(tmp = os.tmpdir()): number {
  let cleaned = 0;
  let entries: string[];
  try {
    entries = readdirSync(tmp).filter((name) => name.startsWith(DIR_PREFIX));
  } catch {
    return 0;
  }
  const uid = process.getuid?.();
  for (const name of entries) {
    const dir = path.join(tmp, name);
    try {
      const stat = statSync(dir);
      if (!stat.isDirectory() || (uid !== undefined && stat.uid !== uid)) continue;
      const record = readOwner(dir);
      const owner = record ?? ownerFromName(name);
      if (owner ? ownerAlive(owner) : Date.now() - stat.mtimeMs <= UNOWNED_GRACE_MS) continue;
      removeServerDir(dir, record?.serverPid !== undefined ? [record.serverPid] : [], true);
      cleaned++;
    } catch {
      // Another run may be cleaning the same directory; leave it to that run.
    }
  }
  return cleaned;
}

/**
 * Stops every redis-server that belongs to dir, then removes dir. Known pids and the
 * server's pidfile are always checked; `scan` also looks through all processes for one
 * whose working directory is dir (for a server whose owner died before learning its pid).
 */
export function removeServerDir(dir: string, knownPids: number[], scan: boolean): void {
  dir = realDir(dir);
  const pids = new Set(knownPids);
  const fromFile = readPidFile(dir);
  if (fromFile !== undefined) pids.add(fromFile);
  for (const pid of pids) if (isRedisServer(pid, dir)) killQuietly(pid);
  if (scan) for (const pid of redisServersIn(dir)) killQuietly(pid);
  // A process killed a moment ago may still create a file in it (ENOTEMPTY): try again.
  rmSync(dir, { recursive: true, force: true, maxRetries: 3, retryDelay: 10 });
}

/** /proc shows the real path of a working directory (TMPDIR may go through a symlink). */
function realDir(dir: string): string {
  try {
    return realpathSync(dir);
  } catch {
    return dir;
  }
}

function readOwner(dir: string): OwnerRecord | undefined {
  try {
    const record = JSON.parse(readFileSync(path.join(dir, OWNER_FILE), "utf8")) as OwnerRecord;
    return typeof record.ownerPid === "number" ? record : undefined;
  } catch {
    return undefined;
  }
}

/** redis-learn-<pid>-<start>-XXXXXX; an older name without them gives nothing. */
function ownerFromName(name: string): Pick<OwnerRecord, "ownerPid" | "ownerStart"> | undefined {
  const m = /^redis-learn-(\d+)-(\d+)-[^-]+$/.exec(name);
  if (!m) return undefined;
  return { ownerPid: Number(m[1]), ...(m[2] !== "0" && { ownerStart: m[2] }) };
}

function readPidFile(dir: string): number | undefined {
  try {
    const pid = Number(readFileSync(path.join(dir, PID_FILE), "utf8").trim());
    return Number.isSafeInteger(pid) && pid > 1 ? pid : undefined;
  } catch {
    return undefined;
  }
}

function ownerAlive(record: Pick<OwnerRecord, "ownerPid" | "ownerStart">): boolean {
  if (!pidAlive(record.ownerPid) || isZombie(record.ownerPid)) return false;
  const start = processStartTime(record.ownerPid);
  return !(record.ownerStart && start && start !== record.ownerStart);
}

export function pidAlive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (err) {
    return (err as NodeJS.ErrnoException).code === "EPERM";
  }
}

/** A process that has ended but was not yet reaped still answers kill(pid, 0). */
export function isZombie(pid: number): boolean {
  try {
    const stat = readFileSync(`/proc/${pid}/stat`, "utf8");
    return stat.slice(stat.lastIndexOf(")") + 2, stat.lastIndexOf(")") + 3) === "Z";
  } catch {
    return false;
  }
}

/** Field 22 of /proc/PID/stat: when the process started, in clock ticks since boot. */
function processStartTime(pid: number): string | undefined {
  try {
    const stat = readFileSync(`/proc/${pid}/stat`, "utf8");
    return stat.slice(stat.lastIndexOf(")") + 2).split(" ")[19];
  } catch {
    return undefined;
  }
}

/**
 * A server, or a process it forked to save or rewrite (redis-rdb-bgsave, valkey-aof-rewrite
 * ...): a fork outlives a killed server by a while, writing in the same directory.
 */
const SERVER_NAME = /(redis|valkey)-(server|rdb-bgsave|aof-rewrite|rdb-to-slaves|rdb-to-replicas|module-fork)/;

/**
 * Never kill a pid that has been reused by something else: it must be a redis-server
 * (or valkey-server) and, where /proc tells, run in dir.
 */
function isRedisServer(pid: number, dir: string): boolean {
  if (!pidAlive(pid)) return false;
  let cmdline: string;
  try {
    cmdline = readFileSync(`/proc/${pid}/cmdline`, "utf8");
  } catch {
    // No /proc (macOS): the pid was alive and recorded by us; trust the record.
    return process.platform !== "linux";
  }
  return SERVER_NAME.test(cmdline) && runsIn(pid, dir);
}

function runsIn(pid: number, dir: string): boolean {
  try {
    const cwd = readlinkSync(`/proc/${pid}/cwd`);
    return cwd === dir || cwd.startsWith(dir + path.sep);
  } catch {
    return false;
  }
}

/** Every live redis-server or valkey-server (or a fork of one) whose working directory is dir (Linux; elsewhere none). */
export function redisServersIn(dir: string): number[] {
  dir = realDir(dir);
  let pids: string[];
  try {
    pids = readdirSync("/proc").filter((n) => /^\d+$/.test(n));
  } catch {
    return [];
  }
  const found: number[] = [];
  for (const name of pids) {
    const pid = Number(name);
    if (pid === process.pid) continue;
    try {
      if (!SERVER_NAME.test(readFileSync(`/proc/${pid}/cmdline`, "latin1"))) continue;
    } catch {
      continue;
    }
    if (runsIn(pid, dir)) found.push(pid);
  }
  return found;
}

function killQuietly(pid: number): void {
  try {
    process.kill(pid, "SIGKILL");
  } catch {
    // Already gone.
  }
}
