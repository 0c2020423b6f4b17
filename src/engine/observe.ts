import type { Connection } from "../redis/connection.js";
import type { Reply } from "../redis/reply-types.js";
import { parseSnapshot, snapshotCommand, type KeyState } from "../redis/snapshot.js";

/**
 * Reading key state must not change what the learner then observes: a read resets a
 * key's idle time (OBJECT IDLETIME) and bumps its LFU counter (OBJECT FREQ). From Redis
 * 7.2 on (and in Valkey), CLIENT NO-TOUCH turns that off for the reads in between; on
 * older servers the tables say once that reading a key touches it.
 */
export interface ObserveOptions {
  atLeast7: boolean;
  /** The server has CLIENT NO-TOUCH (Redis 7.2+, Valkey). */
  noTouch: boolean;
  /** The server has HPTTL (Redis 7.4+): hash fields' own TTLs are read too. */
  fieldTtl?: boolean;
}

const NO_TOUCH_ON = ["CLIENT", "NO-TOUCH", "ON"].map((w) => Buffer.from(w));
const NO_TOUCH_OFF = ["CLIENT", "NO-TOUCH", "OFF"].map((w) => Buffer.from(w));

/**
 * Commands queued for one write, with the place of each reply wanted from them: a state
 * read adds its NO-TOUCH switches around it and says where its own reply lands.
 */
export class Batch {
  readonly commands: Buffer[][] = [];

  /** Adds one command; returns the index of its reply. */
  add(args: Buffer[]): number {
    this.commands.push(args);
    return this.commands.length - 1;
  }

  /** Adds a read of these keys' state; returns the index of the reply that holds it. */
  addRead(options: ObserveOptions, keys: readonly Buffer[]): number {
    const read = snapshotCommand(keys, options.atLeast7, options.fieldTtl);
    if (!options.noTouch) return this.add(read);
    this.add(NO_TOUCH_ON);
    const at = this.add(read);
    this.add(NO_TOUCH_OFF);
    return at;
  }
}

/** The state of these keys, read without touching them where the server allows it; undefined when it could not be read. */
export async function readStates(options: ObserveOptions, conn: Connection, keys: readonly Buffer[]): Promise<KeyState[] | undefined> {
  const batch = new Batch();
  const at = batch.addRead(options, keys);
  const replies = await conn.pipeline(batch.commands);
  return parseSnapshot(keys, replies[at] as Reply);
}

/** Said once, under the first key table, on a server without CLIENT NO-TOUCH. */
export const TOUCH_NOTE = [
  "On this server (before Redis 7.2), reading a key for these tables counts as a use:",
  "OBJECT IDLETIME restarts at 0, as after a GET. From 7.2 on it reads untouched.",
].join("\n");
