import { mkdirSync } from "node:fs";
import os from "node:os";
import path from "node:path";
import { RefusedFile, readRegularFile, writeFileAtomic } from "../local-file.js";
import { UserError } from "../errors.js";
import { withLock, processAlive, LockTimeout } from "./lock.js";

/**
 * The record of what redis-learn wrote on servers the learner brought (--url), kept in
 * $XDG_STATE_HOME/redis-learn/created-keys.json. For each server (host:port/db) it holds
 * the server's run_id (another server answering there later makes none of it apply), and
 * for each key redis-learn wrote: a digest of the value it left there (SHA-256 of DUMP's
 * payload) and the run that wrote it. A key is deleted only while it still holds exactly
 * that value (claim.ts decides). Each run also lists the keys it is using, so a run that
 * is alive is never taken for a leftover by another; and with --force, the copies of the
 * learner's keys it must put back. Every change is read-modify-write under a lock.
 */
export function stateDir(env: NodeJS.ProcessEnv = process.env): string {
  const base = env.XDG_STATE_HOME || path.join(os.homedir(), ".local", "state");
  return path.join(base, "redis-learn");
}

export interface KeyEntry {
  /** SHA-256 (hex) of DUMP's payload as redis-learn left the key; null when it could not be read: never deleted unasked. */
  digest: string | null;
  /** The run that wrote it (RunEntry's token). */
  run: string;
}

export interface ServerEntry {
  /** INFO server's run_id when the keys were written; undefined for a record from before it was kept. */
  runId?: string;
  keys: { [key: string]: KeyEntry };
}

/** A copy of a key that existed before a --force run changed it, to be put back (see claim.ts). */
export interface SavedCopy {
  key: string;
  /** DUMP's payload, base64. */
  dump: string;
  pttl: number;
  expireAt?: number;
  /** The digest redis-learn last left on it; absent until the run writes it. */
  digest?: string | null;
  /** A write of the run that may change it was under way: whatever it holds then is the run's doing. */
  pending?: boolean;
}

export interface RunEntry {
  pid: number;
  server: string;
  runId?: string;
  /** Every key the run's lesson may touch: never a leftover while the run is alive. */
  keys: string[];
  saved?: SavedCopy[];
}

export interface RecordFile {
  version: 2;
  servers: { [server: string]: ServerEntry };
  runs: { [token: string]: RunEntry };
}

function file(env?: NodeJS.ProcessEnv): string {
  return path.join(stateDir(env), "created-keys.json");
}

/** Far more than any record of lesson keys; a bigger file is not ours. */
const MAX_BYTES = 4 * 1024 * 1024;

const empty = (): RecordFile => ({ version: 2, servers: {}, runs: {} });

/**
 * The record; a missing or unparsable file is an empty one. A file that is not a regular
 * file (a symlink, a device) or is too big stops the lesson with a line saying so,
 * rather than being followed, read for ever, or replaced. A record of the first format
 * (a list of names per server) is kept, with no digest and no run: such keys are asked
 * about, never deleted unasked.
 */
export function readRecord(env?: NodeJS.ProcessEnv): RecordFile {
  let data: Buffer | undefined;
  try {
    data = readRegularFile(file(env), MAX_BYTES);
  } catch (err) {
    if (!(err instanceof RefusedFile)) throw err;
    throw new UserError(`${err.message}; redis-learn keeps its record of the keys it created there and will not use this one: remove it`);
  }
  if (!data) return empty();
  let parsed: unknown;
  try {
    parsed = JSON.parse(data.toString("utf8"));
  } catch {
    return empty();
  }
  if (!parsed || typeof parsed !== "object" || Array.isArray(parsed)) return empty();
  const o = parsed as { [k: string]: unknown };
  if (o.version === 2 && o.servers && typeof o.servers === "object" && o.runs && typeof o.runs === "object") return o as unknown as RecordFile;
  const record = empty();
  for (const [server, keys] of Object.entries(o)) {
    if (!Array.isArray(keys)) continue;
    record.servers[server] = { keys: Object.fromEntries(keys.filter((k): k is string => typeof k === "string").map((k) => [k, { digest: null, run: "" }])) };
  }
  return record;
}

/** Written to a temporary file and renamed, so a crash never leaves half a file. */
function write(record: RecordFile, env?: NodeJS.ProcessEnv): void {
  const target = file(env);
  writeFileAtomic(target, JSON.stringify(record, null, 2) + "\n");
}

/**
 * Reads the record, lets `change` alter it, and writes it back, all under the lock. A
 * folder that cannot be written (EACCES, ENOSPC, ENOTDIR, ...) stops with one line.
 */
export function changeRecord<T>(env: NodeJS.ProcessEnv | undefined, change: (record: RecordFile) => T): T {
  const target = file(env);
  try {
    mkdirSync(path.dirname(target), { recursive: true, mode: 0o700 });
    return withLock(target, () => {
      const record = readRecord(env);
      const out = change(record);
      write(record, env);
      return out;
    });
  } catch (err) {
    if (err instanceof UserError) throw err;
    throw new UserError(cannotWrite(target, err));
  }
}

function cannotWrite(target: string, err: unknown): string {
  if (err instanceof LockTimeout) return `another redis-learn (pid ${err.pid}) holds ${err.lock}; wait for it to finish, or remove that file if no redis-learn is running. Nothing was changed on the server`;
  const code = (err as NodeJS.ErrnoException).code ?? (err as Error).message;
  const dir = path.dirname(target);
  const why =
    code === "ENOSPC" || code === "EDQUOT"
      ? "the disk is full; free some space"
      : code === "ENOTDIR"
        ? `part of ${dir} is a file, not a folder; move it away or set XDG_STATE_HOME to another folder`
        : code === "EACCES" || code === "EPERM" || code === "EROFS"
          ? `${dir} cannot be written; fix its permissions or set XDG_STATE_HOME to a folder you can write to`
          : `set XDG_STATE_HOME to a folder you can write to`;
  return `redis-learn could not write ${target} (${code}), where it records the keys it creates on your server, so nothing was changed on the server: ${why}`;
}

/** Whether a run is still going (then its keys are never leftovers for another). */
export function processAliveRun(run: RunEntry): boolean {
  return processAlive(run.pid);
}

/** A new run's token: the pid, and something that tells two runs with one pid apart. */
export function newRunToken(): string {
  return `${process.pid}-${Date.now().toString(36)}-${Math.random().toString(36).slice(2, 8)}`;
}

/**
 * The small view the unit tests and `check` use: the key names recorded for one server.
 * Kept as a class so callers name the server once.
 */
export class CreatedKeys {
  constructor(
    /** host:port/db; never the password. */
    readonly server: string,
    readonly env?: NodeJS.ProcessEnv,
  ) {}

  list(): Set<string> {
    return new Set(Object.keys(readRecord(this.env).servers[this.server]?.keys ?? {}));
  }

  /** Records keys as written by `run` with these digests (null: gone, the entry leaves). */
  wrote(run: string, runId: string | undefined, digests: Map<string, string | null>): void {
    if (!digests.size) return;
    changeRecord(this.env, (record) => {
      const entry = (record.servers[this.server] ??= { ...(runId !== undefined && { runId }), keys: {} });
      if (entry.runId !== runId) {
        // Another server answers here now: nothing recorded for the old one applies.
        record.servers[this.server] = { ...(runId !== undefined && { runId }), keys: {} };
      }
      const keys = (record.servers[this.server] as ServerEntry).keys;
      for (const [key, digest] of digests) {
        if (digest === null) delete keys[key];
        else keys[key] = { digest, run };
      }
      if (!Object.keys(keys).length) delete record.servers[this.server];
    });
  }

  remove(keys: Iterable<string>): void {
    changeRecord(this.env, (record) => {
      const entry = record.servers[this.server];
      if (!entry) return;
      for (const k of keys) delete entry.keys[k];
      if (!Object.keys(entry.keys).length) delete record.servers[this.server];
    });
  }
}
