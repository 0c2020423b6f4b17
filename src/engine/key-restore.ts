import type { Connection } from "../redis/connection.js";
import type { Reply } from "../redis/reply-types.js";
import { unique } from "./step.js";

/**
 * The exact state of some keys, kept so that it can be put back: what a lesson uses to
 * undo a command the learner typed that is not the step's, and to go back a step. DUMP
 * keeps value, type and encoding-independent content; the expiry is kept as an absolute
 * time (PEXPIRETIME, Redis 7) where the server has it, so it comes back to the
 * millisecond, and as the remaining PTTL otherwise.
 */
export interface SavedKey {
  key: Buffer;
  /** DUMP's payload; undefined when the key did not exist. */
  dump?: Buffer;
  /** Milliseconds left, -1 for no expiry. */
  pttl: number;
  /** Unix time in ms at which it expires, when the server could say (7.0+); -1 for none. */
  expireAt?: number;
}

export interface Saved {
  keys: SavedKey[];
}

const num = (r: Reply | undefined): number => (r?.type === "integer" ? Number(r.value) : -2);

/** One round trip: DUMP and PTTL (and PEXPIRETIME on 7.0+) of every key. */
export async function saveKeys(conn: Connection, keys: readonly Buffer[], atLeast7 = true): Promise<Saved> {
  const distinct = unique(keys);
  if (!distinct.length) return { keys: [] };
  const per = atLeast7 ? 3 : 2;
  const commands = distinct.flatMap((k) => [[Buffer.from("DUMP"), k], [Buffer.from("PTTL"), k], ...(atLeast7 ? [[Buffer.from("PEXPIRETIME"), k]] : [])]);
  const replies = await conn.pipeline(commands);
  return {
    keys: distinct.map((key, i) => {
      const dump = replies[i * per];
      const saved: SavedKey = { key, pttl: num(replies[i * per + 1]) };
      if (dump?.type === "bulk") saved.dump = dump.value;
      if (atLeast7) saved.expireAt = num(replies[i * per + 2]);
      return saved;
    }),
  };
}

/**
 * Puts every saved key back as it was (one round trip): deleted, then restored from its
 * DUMP with its expiry; a key that did not exist stays deleted.
 */
export async function restoreKeys(conn: Connection, saved: Saved): Promise<void> {
  if (!saved.keys.length) return;
  const commands: Buffer[][] = [];
  for (const s of saved.keys) {
    commands.push([Buffer.from("DEL"), s.key]);
    if (!s.dump) continue;
    if (s.expireAt !== undefined && s.expireAt > 0) commands.push(restore(s.key, s.expireAt, s.dump, true));
    else commands.push(restore(s.key, s.pttl > 0 ? s.pttl : 0, s.dump, false));
  }
  const replies = await conn.pipeline(commands);
  const failed = replies.find((r) => r.type === "error");
  if (failed?.type === "error") throw new Error(`could not put the lesson's keys back: ${failed.value.toString("utf8")}`);
}

/** A saved state joined with another, the first one's entry winning for a key in both. */
export function mergeSaved(first: Saved, second: Saved): Saved {
  const seen = new Set(first.keys.map((k) => k.key.toString("latin1")));
  return { keys: [...first.keys, ...second.keys.filter((k) => !seen.has(k.key.toString("latin1")))] };
}

function restore(key: Buffer, ttl: number, dump: Buffer, absolute: boolean): Buffer[] {
  return [Buffer.from("RESTORE"), key, Buffer.from(String(ttl)), dump, Buffer.from("REPLACE"), ...(absolute ? [Buffer.from("ABSTTL")] : [])];
}

