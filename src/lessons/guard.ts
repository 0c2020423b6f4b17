import type { Connection } from "../redis/connection.js";
import type { Target } from "../redis/target.js";
import { UserError } from "../errors.js";
import { CreatedKeys } from "./ownership.js";
import type { Lesson } from "./schema.js";

/**
 * The lesson's keys on a server: which may be used, and what to remove at the end.
 * On the private server everything is ours. On a server the learner brought, a key
 * that exists and was not created by redis-learn stops the lesson before any write.
 */
export interface KeyClaim {
  /** Keys that existed beforehand and are not ours (only with --force): never deleted. */
  foreign: Set<string>;
  /** Call after each step with the keys it created (absent before it, present after). */
  created(keys: string[]): void;
  /** Deletes what the lesson created; nothing else. */
  release(conn: Connection): Promise<void>;
}

export function serverId(target: Target): string {
  return `${target.label}/${target.db}`;
}

/**
 * `keys` are the lesson's listed keys plus every key its commands name (worked out
 * from the key specs), so an unlisted key of the learner's is protected too.
 */
export async function claimLessonKeys(
  conn: Connection,
  lesson: Lesson,
  keys: string[],
  target: Target,
  options: { private: boolean; force: boolean; env?: NodeJS.ProcessEnv },
): Promise<KeyClaim> {
  if (options.private) {
    // A private server is new for this run: there is nothing to check or clear.
    return { foreign: new Set(), created: () => {}, release: async () => {} };
  }
  const record = new CreatedKeys(serverId(target), options.env);
  const ours = record.list();
  const exists = keys.length ? await conn.pipeline(keys.map((k) => ["EXISTS", k])) : [];
  const existing = keys.filter((_, i) => exists[i]?.type === "integer" && exists[i].value > 0n);
  const foreign = existing.filter((k) => !ours.has(k));
  if (foreign.length && !options.force) {
    const key = foreign[0] as string;
    throw new UserError(
      `lesson "${lesson.id}" uses the key "${key}"${foreign.length > 1 ? ` (and ${foreign.length - 1} more)` : ""}, which already exists on ${target.label} ` +
        `(db ${target.db}) and was not created by redis-learn. Nothing was changed. Rename or delete it, use another database (redis://${target.label}/15), or pass --force`,
    );
  }
  // Left over from an interrupted run of ours: start from a clean slate.
  const leftovers = existing.filter((k) => ours.has(k));
  if (leftovers.length) await conn.send(["DEL", ...leftovers]);
  const foreignSet = new Set(foreign);
  const created = new Set<string>();
  return {
    foreign: foreignSet,
    created(keys) {
      const fresh = keys.filter((k) => !foreignSet.has(k) && !created.has(k));
      if (!fresh.length) return;
      for (const k of fresh) created.add(k);
      record.add(fresh);
    },
    async release(c) {
      const mine = [...new Set([...created, ...keys.filter((k) => ours.has(k))])].filter((k) => !foreignSet.has(k));
      if (mine.length) await c.send(["DEL", ...mine]);
      record.remove(mine);
    },
  };
}
