import { mkdirSync, readFileSync, renameSync, writeFileSync } from "node:fs";
import os from "node:os";
import path from "node:path";

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

function read(env?: NodeJS.ProcessEnv): Record {
  try {
    const data = JSON.parse(readFileSync(file(env), "utf8")) as unknown;
    return data && typeof data === "object" && !Array.isArray(data) ? (data as Record) : {};
  } catch {
    return {};
  }
}

/** Written to a temporary file and renamed, so a crash never leaves half a file. */
function write(record: Record, env?: NodeJS.ProcessEnv): void {
  const target = file(env);
  mkdirSync(path.dirname(target), { recursive: true });
  const tmp = `${target}.${process.pid}.tmp`;
  writeFileSync(tmp, JSON.stringify(record, null, 2) + "\n", { mode: 0o600 });
  renameSync(tmp, target);
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
