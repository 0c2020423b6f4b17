import type { Connection } from "../redis/connection.js";
import { quoteBytes } from "../redis/reply-format.js";
import type { Reply } from "../redis/reply-types.js";
import { restoreKeys, saveKeys, type Saved } from "../engine/key-restore.js";
import type { StepResult } from "../engine/step.js";
import { thousands } from "../render/numbers.js";

/**
 * :undo in the sandbox: before each command that may write, the state of the keys it
 * names is kept (DUMP, with the expiry as an absolute time), and :undo puts it back.
 * One level: the last writing command. Cheap by design: nothing is kept for a read,
 * and a key bigger than UNDO_MAX_KEY_BYTES (as MEMORY USAGE estimates it) is not
 * dumped at all; :undo then says it was too big to keep.
 *
 * On a server the learner brought (--url), only keys this sandbox session created
 * (absent before one of its commands) are put back; anything else is refused.
 */

/** The biggest key :undo keeps, and how many keys of one command at most. */
export const UNDO_MAX_KEY_BYTES = 1024 * 1024;
export const UNDO_MAX_KEYS = 100;

interface Kept {
  command: string;
  saved: Saved;
  tooBig: { key: Buffer; bytes: number }[];
  /** Keys the server would not let us read (an ACL without MEMORY or DUMP, say): never deleted by :undo. */
  unreadable: { key: Buffer; why: string }[];
  /** Keys that existed before and that this session did not create (only asked on --url). */
  notOurs: Buffer[];
  tooMany: boolean;
  /** Keys absent before the command, to learn which ones it created. */
  absent: Buffer[];
  /** The database the keys are in. */
  db: number;
}

export type UndoOutcome =
  | { ok: true; command: string; restored: Buffer[]; tooBig: { key: Buffer; bytes: number }[]; unreadable?: { key: Buffer; why: string }[] }
  | { ok: false; message: string };

const id = (k: Buffer): string => k.toString("latin1");

export class UndoLog {
  private kept: Kept | undefined;
  private readonly created = new Set<string>();

  /** @param onlyCreated true on a server the learner brought: only keys made here may be put back. */
  constructor(private readonly onlyCreated: boolean) {}

  /** Keeps the state of a writing command's keys, just before it runs. */
  async before(conn: Connection, db: number, args: readonly Buffer[], keys: readonly Buffer[], atLeast7: boolean): Promise<void> {
    const command = args.map((a) => a.toString("utf8")).join(" ");
    const tooMany = keys.length > UNDO_MAX_KEYS;
    const considered = keys.slice(0, UNDO_MAX_KEYS);
    const sizes = considered.length ? await conn.pipeline(considered.map((k) => [Buffer.from("MEMORY"), Buffer.from("USAGE"), k])) : [];
    const absent: Buffer[] = [];
    const tooBig: { key: Buffer; bytes: number }[] = [];
    const notOurs: Buffer[] = [];
    const unreadable: { key: Buffer; why: string }[] = [];
    const keep: Buffer[] = [];
    considered.forEach((key, i) => {
      const reply = sizes[i];
      // An error is not "no such key": putting back "nothing" would delete the key.
      if (reply?.type === "error") return unreadable.push({ key, why: reply.value.toString("utf8") });
      const size = sizeOf(reply);
      if (size === undefined) {
        absent.push(key);
        keep.push(key);
      } else if (this.onlyCreated && !this.created.has(id(key))) notOurs.push(key);
      else if (size > UNDO_MAX_KEY_BYTES) tooBig.push({ key, bytes: size });
      else keep.push(key);
    });
    const saved = await saveKeys(conn, keep, atLeast7);
    // A key that exists must have come back from DUMP; otherwise it is not kept at all.
    const wasAbsent = new Set(absent.map(id));
    saved.keys = saved.keys.filter((k) => {
      if (k.dump || wasAbsent.has(id(k.key))) return true;
      unreadable.push({ key: k.key, why: "DUMP gave nothing back" });
      return false;
    });
    this.kept = { command, saved, tooBig, unreadable, notOurs, tooMany, absent, db };
  }

  /** After the command: the keys it created are this session's from now on. */
  after(result: StepResult): void {
    if (!this.kept) return;
    for (const key of this.kept.absent) {
      const now = result.after?.find((s) => s.key.equals(key));
      if (now?.exists) this.created.add(id(key));
    }
  }

  /** Forgets what was kept: the command did not run. */
  drop(): void {
    this.kept = undefined;
  }

  /** Puts the keys back through `conn`, which must be in database `db`. */
  async undo(conn: Connection, db: number): Promise<UndoOutcome> {
    const kept = this.kept;
    if (!kept) return { ok: false, message: "Nothing to undo: :undo puts back the keys of the last command that could change them." };
    if (kept.db !== db) return { ok: false, message: `Not undone: ${kept.command} changed database ${kept.db}; SELECT ${kept.db} first, then :undo.` };
    if (kept.notOurs.length) {
      return { ok: false, message: `Not undone: ${kept.command} touched ${kept.notOurs.map(quoteBytes).join(", ")}, which this session did not create; on a server you brought, :undo only puts back keys made here.` };
    }
    if (kept.tooMany) return { ok: false, message: `Not undone: ${kept.command} named more than ${UNDO_MAX_KEYS} keys, too many to keep.` };
    await restoreKeys(conn, kept.saved);
    this.kept = undefined;
    return { ok: true, command: kept.command, restored: kept.saved.keys.map((k) => k.key), tooBig: kept.tooBig, unreadable: kept.unreadable };
  }
}

function sizeOf(r: Reply | undefined): number | undefined {
  return r?.type === "integer" ? Number(r.value) : undefined;
}

/** What :undo says, one line per fact. Pure. */
export function undoText(outcome: UndoOutcome): string {
  if (!outcome.ok) return outcome.message + "\n";
  const lines: string[] = [];
  if (outcome.restored.length) lines.push(`Undid ${outcome.command}: ${outcome.restored.map(quoteBytes).join(", ")} as before it.`);
  else if (outcome.tooBig.length || outcome.unreadable?.length) lines.push(`Not undone: nothing of ${outcome.command} could be kept.`);
  else lines.push(`${outcome.command} named no key to put back.`);
  for (const t of outcome.tooBig) {
    lines.push(`${quoteBytes(t.key)} was too big to keep (about ${thousands(t.bytes)} bytes; :undo keeps keys up to ${thousands(UNDO_MAX_KEY_BYTES)}): left as it is.`);
  }
  for (const u of outcome.unreadable ?? []) lines.push(`${quoteBytes(u.key)} could not be kept (${u.why}): left as it is.`);
  return lines.join("\n") + "\n";
}
