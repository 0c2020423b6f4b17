import { createHash } from "node:crypto";
import type { Connection } from "../redis/connection.js";

/**
 * What a key holds, as a digest: SHA-256 of DUMP's payload (type, value and encoding-free
 * content; not the TTL). null when the key does not exist; undefined when the server
 * would not say (DUMP refused by an ACL, say): then nothing is decided from it.
 */
export type Digest = string | null | undefined;

/** One round trip for all the keys. */
export async function digestKeys(conn: Connection, keys: readonly string[]): Promise<Map<string, Digest>> {
  const out = new Map<string, Digest>();
  const unique = [...new Set(keys)];
  if (!unique.length) return out;
  const replies = await conn.pipeline(unique.map((k) => ["DUMP", k]));
  unique.forEach((key, i) => {
    const r = replies[i];
    out.set(key, r?.type === "bulk" ? createHash("sha256").update(r.value).digest("hex") : r?.type === "nil" ? null : undefined);
  });
  return out;
}
