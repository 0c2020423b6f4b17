import type { Connection } from "../redis/connection.js";
import type { Reply } from "../redis/reply-types.js";

/**
 * Fast-forwarding time for TTLs, without sleeping: every volatile key's deadline moves
 * earlier by the wait (PEXPIRETIME → PEXPIREAT deadline − wait on Redis 7; PTTL →
 * PEXPIRE ttl − wait before), so a key with less time left than the wait expires at
 * once and the others have as much left as they would after a real wait. Only the
 * given keys are moved: the caller decides which (a bounded SCAN of the sandbox's
 * private server, or the keys a lesson touched).
 */

/** The longest wait accepted: a day. */
export const MAX_WAIT_MS = 24 * 3600 * 1000;

const UNITS: Record<string, number> = { ms: 1, s: 1000, m: 60_000, h: 3_600_000 };

/** "500ms", "30s", "1.5s", "10m", "1h" → milliseconds; undefined for anything else. Pure. */
export function parseDuration(text: string): number | undefined {
  const m = /^\s*(\d+(?:\.\d+)?)\s*(ms|s|m|h)\s*$/i.exec(text);
  if (!m) return undefined;
  const ms = Math.round(Number(m[1]) * (UNITS[(m[2] as string).toLowerCase()] as number));
  return Number.isFinite(ms) ? ms : undefined;
}

/** 90_000 → "1m 30s", 500 → "500ms". Pure. */
export function durationText(ms: number): string {
  if (ms < 1000) return `${ms}ms`;
  const parts: string[] = [];
  let s = Math.round(ms / 1000);
  for (const [unit, size] of [["d", 86400], ["h", 3600], ["m", 60]] as const) {
    if (s >= size) {
      parts.push(`${Math.floor(s / size)}${unit}`);
      s %= size;
    }
  }
  if (s || !parts.length) parts.push(`${s}s`);
  return parts.join(" ");
}

export interface TimeSkip {
  /** Keys whose time ran out during the wait: they are gone now. */
  expired: Buffer[];
  /** Keys that still have a TTL, with the milliseconds left after the wait. */
  left: { key: Buffer; pttl: number }[];
}

const num = (r: Reply | undefined): number => (r?.type === "integer" ? Number(r.value) : -2);

/** Moves the deadlines of those keys that have one; two round trips. */
export async function skipTime(conn: Connection, keys: readonly Buffer[], waitMs: number, atLeast7: boolean): Promise<TimeSkip> {
  const out: TimeSkip = { expired: [], left: [] };
  if (!keys.length || waitMs <= 0) return out;
  const ask = atLeast7 ? "PEXPIRETIME" : "PTTL";
  const replies = await conn.pipeline(keys.map((k) => [Buffer.from(ask), k]));
  const moves: Buffer[][] = [];
  const moved: { key: Buffer; pttl: number }[] = [];
  keys.forEach((key, i) => {
    const t = num(replies[i]);
    if (t < 0) return; // no such key, or no expiry
    // A deadline at or before now deletes the key at once, as its expiry would have.
    const next = t - waitMs;
    moves.push(atLeast7 ? [Buffer.from("PEXPIREAT"), key, Buffer.from(String(Math.max(next, 1)))] : [Buffer.from("PEXPIRE"), key, Buffer.from(String(Math.max(next, 0)))]);
    moved.push({ key, pttl: next });
  });
  if (!moves.length) return out;
  await conn.pipeline(moves);
  // What is left, as the server says: the key may have been near its end anyway.
  const after = await conn.pipeline(moved.map((m) => [Buffer.from("PTTL"), m.key]));
  moved.forEach((m, i) => {
    const pttl = num(after[i]);
    if (pttl === -2) out.expired.push(m.key);
    else if (pttl >= 0) out.left.push({ key: m.key, pttl });
  });
  return out;
}
