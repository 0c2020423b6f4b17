import type { Connection } from "../redis/connection.js";
import type { Reply } from "../redis/reply-types.js";
import { FULL_STATE_KEYS, otherKeysCommand, parseSnapshot, snapshotCommand, type KeyState } from "../redis/snapshot.js";

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

  /**
   * Adds a read of these keys' state and says where its replies land: the first
   * FULL_STATE_KEYS keys in full; past them, the rest counted, by EXISTS before the command
   * and by how DBSIZE moved after it (in one MULTI/EXEC nothing else runs in between). The
   * thousands of key names then travel once more, not twice: with an EXISTS after as well,
   * a 10,000-pair MSET with its state measured 1.8-2.9x the MSET alone; this way about 1.5x.
   */
  addRead(options: ObserveOptions, keys: readonly Buffer[], side: "before" | "after"): ReadPlace {
    const place: ReadPlace = { full: this.addFullRead(options, keys.slice(0, FULL_STATE_KEYS)) };
    const rest = keys.slice(FULL_STATE_KEYS);
    if (!rest.length) return place;
    if (side === "before") place.exists = this.add(otherKeysCommand(rest));
    place.dbsize = this.add([Buffer.from("DBSIZE")]);
    return place;
  }

  /** Adds a read of every one of these keys in full; returns the index of its reply. */
  addFullRead(options: ObserveOptions, keys: readonly Buffer[]): number {
    const read = snapshotCommand(keys, options.atLeast7, options.fieldTtl);
    if (!options.noTouch) return this.add(read);
    this.add(NO_TOUCH_ON);
    const at = this.add(read);
    this.add(NO_TOUCH_OFF);
    return at;
  }
}

/** Where the replies of one state read land in a Batch. */
export interface ReadPlace {
  full: number;
  exists?: number;
  dbsize?: number;
}

/** The state of these keys, read without touching them where the server allows it; undefined when it could not be read. */
export async function readStates(options: ObserveOptions, conn: Connection, keys: readonly Buffer[]): Promise<KeyState[] | undefined> {
  const batch = new Batch();
  const at = batch.addFullRead(options, keys);
  const replies = await conn.pipeline(batch.commands);
  return parseSnapshot(keys, replies[at] as Reply);
}

/** Said once, under the first key table, on a server without CLIENT NO-TOUCH. */
export const TOUCH_NOTE = [
  "Before Redis 7.2, reading a key for these tables counts as a use of it:",
  "OBJECT IDLETIME restarts at 0, as after a GET. From 7.2 on it reads untouched.",
].join("\n");
