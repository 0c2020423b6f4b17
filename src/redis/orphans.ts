import { readFileSync, readdirSync, rmSync, statSync, writeFileSync } from "node:fs";
import os from "node:os";
import path from "node:path";

/**
 * A private server is started in a temp directory whose owner file names the
 * redis-learn process that owns it. If that process was killed with SIGKILL, nothing
 * stopped its server; the next run finds the directory, sees the owner is gone, and
 * stops the server and removes the directory.
 */
export const DIR_PREFIX = "redis-learn-";
const OWNER_FILE = "owner.json";

interface OwnerRecord {
  ownerPid: number;
  /** Start time of the owner (Linux /proc), so a reused pid is not mistaken for the owner. */
  ownerStart?: string;
  serverPid: number;
  port: number;
}

export function writeOwner(dir: string, serverPid: number, port: number): void {
  const record: OwnerRecord = { ownerPid: process.pid, serverPid, port };
  const start = processStartTime(process.pid);
  if (start) record.ownerStart = start;
  writeFileSync(path.join(dir, OWNER_FILE), JSON.stringify(record));
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
      if (uid !== undefined && statSync(dir).uid !== uid) continue;
      const record = readOwner(dir);
      if (record === undefined) {
        // A directory without an owner file is a run that died while starting: only
        // remove it once it is clearly old, so a run starting right now is not disturbed.
        if (Date.now() - statSync(dir).mtimeMs > 60_000) rmSync(dir, { recursive: true, force: true });
        continue;
      }
      if (ownerAlive(record)) continue;
      if (isRedisServer(record.serverPid)) killQuietly(record.serverPid);
      rmSync(dir, { recursive: true, force: true });
      cleaned++;
    } catch {
      // Another run may be cleaning the same directory; leave it to that run.
    }
  }
  return cleaned;
}

function readOwner(dir: string): OwnerRecord | undefined {
  try {
    const record = JSON.parse(readFileSync(path.join(dir, OWNER_FILE), "utf8")) as OwnerRecord;
    return typeof record.ownerPid === "number" && typeof record.serverPid === "number" ? record : undefined;
  } catch {
    return undefined;
  }
}

function ownerAlive(record: OwnerRecord): boolean {
  if (!pidAlive(record.ownerPid)) return false;
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

/** Field 22 of /proc/PID/stat: when the process started, in clock ticks since boot. */
function processStartTime(pid: number): string | undefined {
  try {
    const stat = readFileSync(`/proc/${pid}/stat`, "utf8");
    return stat.slice(stat.lastIndexOf(")") + 2).split(" ")[19];
  } catch {
    return undefined;
  }
}

/** Never kill a pid that has been reused by something else. */
function isRedisServer(pid: number): boolean {
  if (!pidAlive(pid)) return false;
  try {
    const cmdline = readFileSync(`/proc/${pid}/cmdline`, "utf8");
    return /(redis|valkey)-server/.test(cmdline);
  } catch {
    // No /proc (macOS): the pid was alive and recorded by us; trust the record.
    return process.platform !== "linux";
  }
}

function killQuietly(pid: number): void {
  try {
    process.kill(pid, "SIGKILL");
  } catch {
    // Already gone.
  }
}
