import type { Style } from "./style.js";
import { thousands } from "./numbers.js";

/**
 * FLUSHDB, FLUSHALL and SWAPDB touch whole databases, not named keys: what they did is
 * shown as the keys per database (INFO keyspace) before and after. Pure.
 */
export const KEYSPACE_COMMANDS = new Set(["flushdb", "flushall", "swapdb"]);

/** INFO keyspace's "db0:keys=3,expires=0,avg_ttl=0" lines as database → key count. */
export function parseKeyspace(info: string): Map<number, number> {
  const out = new Map<number, number>();
  for (const m of info.matchAll(/^db(\d+):keys=(\d+)/gm)) out.set(Number(m[1]), Number(m[2]));
  return out;
}

export function renderKeyspaceChange(before: Map<number, number>, after: Map<number, number>, style: Style): string {
  const dbs = [...new Set([...before.keys(), ...after.keys()])].sort((a, b) => a - b);
  if (!dbs.length) return style.dim("Keys per database: none before, none after.");
  const parts = dbs.map((db) => {
    const b = before.get(db) ?? 0;
    const a = after.get(db) ?? 0;
    const text = `db${db} ${thousands(b)} → ${thousands(a)}`;
    return a < b ? style.removed(text) : a > b ? style.added(text) : text;
  });
  return `${style.dim("Keys per database, before → after:")} ${parts.join(", ")}`;
}
