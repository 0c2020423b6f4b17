import { Connection } from "../../src/redis/connection.js";
import type { Reply } from "../../src/redis/reply-types.js";

/** A connection to a server a test started itself, on one database. */
export function connectTo(port: number, db = 0): Promise<Connection> {
  return Connection.open({ host: "127.0.0.1", port, tls: false, db, label: `127.0.0.1:${port}` });
}

const text = (r: Reply | undefined): string => (r && "value" in r ? String(r.value instanceof Buffer ? r.value.toString("latin1") : r.value) : "");

/**
 * Every key of the given databases, each as "type, DUMP payload (hex), absolute expiry
 * (PEXPIRETIME: the same however long the test takes)": two dumps are equal exactly when
 * no key was added, removed, changed or given another expiry. SCAN, never KEYS.
 */
export async function dumpServer(port: number, dbs: readonly number[]): Promise<Map<string, string>> {
  const out = new Map<string, string>();
  for (const db of dbs) {
    const conn = await connectTo(port, db);
    try {
      let cursor = "0";
      const keys: Buffer[] = [];
      do {
        const r = await conn.send(["SCAN", cursor, "COUNT", "500"]);
        if (r.type !== "array") throw new Error(`SCAN failed: ${text(r)}`);
        cursor = text(r.items[0]);
        const batch = r.items[1];
        if (batch?.type === "array") for (const k of batch.items) if (k.type === "bulk") keys.push(k.value);
      } while (cursor !== "0");
      const unique = [...new Map(keys.map((k) => [k.toString("latin1"), k])).values()];
      const replies = unique.length ? await conn.pipeline(unique.flatMap((k) => [["TYPE", k], ["DUMP", k], ["PEXPIRETIME", k]])) : [];
      unique.forEach((k, i) => {
        const dump = replies[i * 3 + 1];
        out.set(`db${db}/${k.toString("latin1")}`, `${text(replies[i * 3])} ${dump?.type === "bulk" ? dump.value.toString("hex") : "-"} expires:${text(replies[i * 3 + 2])}`);
      });
    } finally {
      conn.close();
    }
  }
  return out;
}

/** The keys whose state differs between two dumps (added, removed or changed), as "db/key: what". */
export function differences(before: Map<string, string>, after: Map<string, string>): string[] {
  const out: string[] = [];
  for (const [k, v] of before) {
    if (!after.has(k)) out.push(`${k}: removed`);
    else if (after.get(k) !== v) out.push(`${k}: changed`);
  }
  for (const k of after.keys()) if (!before.has(k)) out.push(`${k}: added`);
  return out;
}
