import { afterAll, beforeAll, describe, expect, it, inject } from "vitest";
import { Connection } from "../../src/redis/connection.js";
import { loadCommandTable } from "../../src/engine/timeline.js";
import { lookupCommand, type CommandTable } from "../../src/redis/command-table.js";
import { keysFromSpecs } from "../../src/redis/keys.js";
import { tokenize } from "../../src/redis/tokenize.js";

let conn: Connection;
let table: CommandTable;
beforeAll(async () => {
  const port = inject("redisPort");
  conn = await Connection.open({ host: "127.0.0.1", port, tls: false, db: 0, label: `127.0.0.1:${port}` });
  table = await loadCommandTable(conn);
});
afterAll(() => conn.close());

const argv = (line: string): Buffer[] => {
  const r = tokenize(line);
  if (!r.ok) throw new Error(line);
  return r.args;
};

/** The server's own answer, the oracle for the key-spec evaluation. */
async function serverKeys(args: Buffer[]): Promise<string[]> {
  const r = await conn.send([Buffer.from("COMMAND"), Buffer.from("GETKEYS"), ...args]);
  return r.type === "array" ? r.items.map((k) => (k.type === "bulk" ? k.value.toString() : "?")) : [];
}

describe("keys from key specs agree with COMMAND GETKEYS", () => {
  it.each([
    "SET bike:1 Deimos",
    "SET bike:1 Deimos NX GET",
    "GET bike:1",
    "MSET a 1 b 2 c 3",
    "MGET a b c",
    "DEL a b c",
    "LPUSH l x y",
    "LMOVE src dst LEFT RIGHT",
    "BLMOVE src dst LEFT RIGHT 0",
    "BLPOP q1 q2 0",
    "BRPOP q1 5",
    "RPOPLPUSH a b",
    "LMPOP 2 l1 l2 LEFT COUNT 2",
    "BLMPOP 0 2 l1 l2 RIGHT",
    "ZUNIONSTORE out 2 z1 z2 WEIGHTS 1 2",
    "ZINTER 2 z1 z2",
    "SINTERCARD 3 s1 s2 s3 LIMIT 1",
    "EVAL \"return 1\" 2 k1 k2 arg",
    "FCALL f 1 k1 x",
    "XREAD COUNT 2 STREAMS s1 s2 0 0",
    "XREAD BLOCK 0 STREAMS s1 $",
    "XREADGROUP GROUP g c COUNT 1 STREAMS s1 s2 > >",
    "XADD s * f v",
    "OBJECT ENCODING k",
    "XINFO STREAM s",
    "RENAME a b",
    "COPY a b REPLACE",
    "BITOP AND dest a b c",
    "GEOSEARCHSTORE dst src FROMLONLAT 0 0 BYRADIUS 1 km",
    "HSET h f v",
    "EXPIRE k 10",
    "SMOVE s1 s2 m",
  ])("%s", async (line) => {
    const args = argv(line);
    const meta = lookupCommand(table, args);
    expect(meta).toBeDefined();
    const fromSpecs = keysFromSpecs(meta!, args);
    expect(fromSpecs?.map(String)).toEqual(await serverKeys(args));
  });

  it("finds no keys in a command that has none", () => {
    const args = argv("PING");
    expect(keysFromSpecs(lookupCommand(table, args)!, args)).toEqual([]);
  });

  it("says it cannot tell where a spec is incomplete, so the server is asked instead", () => {
    const args = argv("SORT src BY w:* STORE dst");
    expect(keysFromSpecs(lookupCommand(table, args)!, args)).toBeUndefined();
  });
});
