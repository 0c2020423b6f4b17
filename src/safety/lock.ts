import { closeSync, openSync, readFileSync, unlinkSync, writeSync } from "node:fs";

/**
 * A lock around read-modify-write of one of redis-learn's small files (the record of
 * created keys, progress.json), so that two runs at once never lose each other's changes.
 * The lock is a file made with O_EXCL holding the owner's pid; one whose pid is dead was
 * left by a killed run and is taken over. Synchronous, as the files' readers are.
 */
const held = new Map<string, number>();
const WAIT_MS = 10_000;
const STEP_MS = 15;

/** Runs `fn` holding `${file}.lock`; re-entrant within one process. */
export function withLock<T>(file: string, fn: () => T, options: { waitMs?: number } = {}): T {
  const lock = `${file}.lock`;
  const depth = held.get(lock) ?? 0;
  if (depth > 0) {
    held.set(lock, depth + 1);
    try {
      return fn();
    } finally {
      held.set(lock, depth);
    }
  }
  acquire(lock, options.waitMs ?? WAIT_MS);
  held.set(lock, 1);
  try {
    return fn();
  } finally {
    held.delete(lock);
    try {
      unlinkSync(lock);
    } catch {
      // Already gone: nothing to undo.
    }
  }
}

/** Whether a process with this pid is running (EPERM: it is, as another user). */
export function processAlive(pid: number): boolean {
  if (!Number.isInteger(pid) || pid <= 0) return false;
  if (pid === process.pid) return true;
  try {
    process.kill(pid, 0);
    return true;
  } catch (err) {
    return (err as NodeJS.ErrnoException).code === "EPERM";
  }
}

export class LockTimeout extends Error {
  constructor(
    readonly lock: string,
    readonly pid: number,
  ) {
    super(`${lock} is held by another redis-learn (pid ${pid})`);
  }
}

function acquire(lock: string, waitMs: number): void {
  const deadline = Date.now() + waitMs;
  for (;;) {
    let fd: number;
    try {
      fd = openSync(lock, "wx", 0o600);
    } catch (err) {
      if ((err as NodeJS.ErrnoException).code !== "EEXIST") throw err;
      const owner = ownerOf(lock);
      // A lock whose owner is gone (killed mid-write), or one not written yet: take it over
      // only when its pid is known dead; an unreadable one is waited for, then taken.
      if (owner !== undefined && !processAlive(owner)) {
        removeQuietly(lock);
        continue;
      }
      if (Date.now() > deadline) {
        if (owner === undefined) {
          removeQuietly(lock);
          continue;
        }
        throw new LockTimeout(lock, owner);
      }
      sleep(STEP_MS);
      continue;
    }
    try {
      writeSync(fd, String(process.pid));
    } finally {
      closeSync(fd);
    }
    return;
  }
}

function ownerOf(lock: string): number | undefined {
  try {
    const pid = Number(readFileSync(lock, "utf8").trim());
    return Number.isInteger(pid) && pid > 0 ? pid : undefined;
  } catch {
    return undefined;
  }
}

function removeQuietly(file: string): void {
  try {
    unlinkSync(file);
  } catch {
    // Taken over by another run first.
  }
}

const pause = new Int32Array(new SharedArrayBuffer(4));
function sleep(ms: number): void {
  Atomics.wait(pause, 0, 0, ms);
}
