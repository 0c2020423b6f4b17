import type { Connection } from "./connection.js";
import { replyItems, replyString } from "./reply-types.js";

/**
 * Keys matching a pattern, found with SCAN and bounded twice: by how many keys and by
 * how many SCAN calls, so a huge keyspace never stalls the server or the learner.
 */
export interface ScanLimits {
  maxKeys: number;
  maxScans: number;
  /** SCAN's COUNT hint per call. */
  count: number;
}

export type ScanResult = { ok: true; keys: Buffer[]; complete: boolean } | { ok: false; error: string };

export async function scanKeys(conn: Connection, pattern: string, limits: ScanLimits): Promise<ScanResult> {
  const found = new Map<string, Buffer>();
  let cursor = "0";
  for (let scans = 0; scans < limits.maxScans; ) {
    const r = await conn.send(["SCAN", cursor, "MATCH", pattern, "COUNT", String(limits.count)]);
    if (r.type !== "array") return { ok: false, error: r.type === "error" ? r.value.toString() : "SCAN failed" };
    const [next, keys] = r.items;
    // SCAN may return a key twice; each is listed once.
    for (const k of replyItems(keys)) if (k.type === "bulk") found.set(k.value.toString("latin1"), k.value);
    cursor = replyString(next) || "0";
    scans++;
    if (cursor === "0" || found.size >= limits.maxKeys) break;
  }
  return { ok: true, keys: [...found.values()].slice(0, limits.maxKeys), complete: cursor === "0" };
}
