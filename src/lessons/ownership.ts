import { mkdirSync } from "node:fs";
import os from "node:os";
import path from "node:path";
import { RefusedFile, readRegularFile, writeFileAtomic } from "../local-file.js";
import { UserError } from "../errors.js";

/**
 * Which keys redis-learn itself created on servers the learner brought (--url), so a
 * lesson never touches data it did not create, yet can reuse and clean up what an
 * interrupted run of its own left behind. Kept in the user's state directory.
 */
export function stateDir(env: NodeJS.ProcessEnv = process.env): string {
  const base = env.XDG_STATE_HOME || path.join(os.homedir(), ".local", "state");
  return path.join(base, "redis-learn");
}

type Record = { [server: string]: string[] };

function file(env?: NodeJS.ProcessEnv): string {
  return path.join(stateDir(env), "created-keys.json");
}

/** Far more than any record of lesson keys; a bigger file is not ours. */
const MAX_BYTES = 4 * 1024 * 1024;

/**
 * The record; a missing or unparsable file is an empty one. A file that is not a regular
 * file (a symlink, a device) or is too big stops the lesson with a line saying so,
 * rather than being followed, read for ever, or replaced.
 */
function read(env?: NodeJS.ProcessEnv): Record {
  let data: Buffer | undefined;
  try {
    data = readRegularFile(file(env), MAX_BYTES);
  } catch (err) {
    if (!(err instanceof RefusedFile)) throw err;
    throw new UserError(`${err.message}; redis-learn keeps its record of the keys it created there and will not use this one: remove it`);
  }
  if (!data) return {};
  try {
    const parsed = JSON.parse(data.toString("utf8")) as unknown;
    return parsed && typeof parsed === "object" && !Array.isArray(parsed) ? (parsed as Record) : {};
  } catch {
    return {};
  }
}

/** Written to a temporary file and renamed, so a crash never leaves half a file. */
function write(record: Record, env?: NodeJS.ProcessEnv): void {
  const target = file(env);
  mkdirSync(path.dirname(target), { recursive: true, mode: 0o700 });
  writeFileAtomic(target, JSON.stringify(record, null, 2) + "\n");
}

export class CreatedKeys {
  constructor(
    /** host:port/db; never the password. */
    private readonly server: string,
    private readonly env?: NodeJS.ProcessEnv,
  ) {}

  list(): Set<string> {
    return new Set(read(this.env)[this.server] ?? []);
  }

  add(keys: Iterable<string>): void {
    const record = read(this.env);
    const set = new Set(record[this.server] ?? []);
    let grew = false;
    for (const k of keys) {
      if (set.has(k)) continue;
      set.add(k);
      grew = true;
    }
    if (!grew) return;
    record[this.server] = [...set].sort();
    write(record, this.env);
  }

  remove(keys: Iterable<string>): void {
    const record = read(this.env);
    const set = new Set(record[this.server] ?? []);
    for (const k of keys) set.delete(k);
    if (set.size) record[this.server] = [...set].sort();
    else delete record[this.server];
    write(record, this.env);
  }
}
