import { quoteBytes } from "../redis/reply-format.js";
import { scanKeys } from "../redis/scan.js";
import { readStates } from "../engine/observe.js";
import { durationText, MAX_WAIT_MS, parseDuration, skipTime, type TimeSkip } from "../engine/time-skip.js";
import { renderKeyChanges } from "../render/key-table.js";
import type { SandboxSession } from "./session.js";
import { undoText } from "./undo.js";

/**
 * :wait and :undo, the sandbox's two ways of moving through time.
 *
 * :wait scans the current database, bounded (WAIT_MAX_KEYS keys, WAIT_MAX_SCANS SCAN
 * calls), rather than only the keys shown so far: a key made by a script or by another
 * client expires too, as it would in a real wait. A bigger keyspace is moved in part,
 * and :wait says so.
 */
export const WAIT_MAX_KEYS = 10_000;
export const WAIT_MAX_SCANS = 100;
/** How many expired keys and keys left :wait names before "and N more". */
export const WAIT_LIST = 8;

export async function waitMeta(session: SandboxSession, arg: string | undefined): Promise<string> {
  const usage = "Usage: :wait <time>, e.g. :wait 30s, :wait 10m, :wait 1h, :wait 500ms.\n";
  if (!arg) return usage;
  const ms = parseDuration(arg);
  if (ms === undefined || ms <= 0) return usage;
  if (ms > MAX_WAIT_MS) return `:wait goes ${durationText(MAX_WAIT_MS)} at most.\n`;
  if (!session.source.server) {
    return `:wait works on the private server only: here it would shorten the time to live of keys on ${session.source.target.label}, a server you brought.\n`;
  }
  const conn = await session.readerConn();
  const scan = await scanKeys(conn, "*", { maxKeys: WAIT_MAX_KEYS, maxScans: WAIT_MAX_SCANS, count: 1000 });
  if (!scan.ok) return `${scan.error}\n`;
  const skip = await skipTime(conn, scan.keys, ms, session.ctx.atLeast7);
  const partial = scan.complete ? "" : session.style.dim(`(only the first ${scan.keys.length} keys found were moved: the database is bigger than :wait scans)`) + "\n";
  return waitText(durationText(ms), skip, session.style.dim) + partial;
}

/** "Time moved on 1m." then the keys that expired and those still counting down. Pure. */
export function waitText(took: string, skip: TimeSkip, dim: (s: string) => string = (s) => s): string {
  const list = (names: string[]): string => names.slice(0, WAIT_LIST).join(", ") + (names.length > WAIT_LIST ? `, and ${names.length - WAIT_LIST} more` : "");
  const lines = [`Time moved on ${took} for keys with a TTL.`];
  const expired = skip.expired.map(quoteBytes).sort();
  const left = [...skip.left].sort((a, b) => a.pttl - b.pttl).map((l) => `${quoteBytes(l.key)} ${dim(`(${durationText(l.pttl)} left)`)}`);
  lines.push(expired.length ? `Expired: ${list(expired)}` : dim("No key expired."));
  if (left.length) lines.push(`Still counting down: ${list(left)}`);
  else if (!expired.length) lines.push(dim("No key in this database has a TTL."));
  return lines.join("\n") + "\n";
}

export async function undoMeta(session: SandboxSession): Promise<string> {
  if (!session.showState) return "Key state is off (:state off), and with it the copies :undo puts back: :state on keeps them again.\n";
  const conn = await session.readerConn();
  const outcome = await session.undo.undo(conn, session.readerDb());
  let text = undoText(outcome);
  if (outcome.ok && outcome.restored.length && session.showState) {
    const after = await readStates(session.ctx, conn, outcome.restored);
    if (after) text += renderKeyChanges(undefined, after, session.style) + "\n";
  }
  return text;
}
