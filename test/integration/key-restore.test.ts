import { afterAll, beforeAll, describe, expect, inject, it } from "vitest";
import { Connection } from "../../src/redis/connection.js";
import { restoreKeys, saveKeys } from "../../src/engine/key-restore.js";
import type { Reply } from "../../src/redis/reply-types.js";

let conn: Connection;
beforeAll(async () => {
  const port = inject("redisPort");
  conn = await Connection.open({ host: "127.0.0.1", port, tls: false, db: 3, label: `127.0.0.1:${port}` });
});
afterAll(() => conn.close());

const b = (s: string): Buffer => Buffer.from(s);
const text = (r: Reply | undefined): string => (r && (r.type === "status" || r.type === "bulk") ? r.value.toString("latin1") : JSON.stringify(r));
const int = (r: Reply | undefined): number => (r?.type === "integer" ? Number(r.value) : NaN);

/** Everything that must come back: the type, the value read as that type, and the expiry time. */
async function stateOf(key: string): Promise<{ type: string; value: string[]; expireAt: number }> {
  const [type, at] = await conn.pipeline([["TYPE", key], ["PEXPIRETIME", key]]);
  const read: Record<string, string[]> = {
    string: ["GET", key],
    list: ["LRANGE", key, "0", "-1"],
    hash: ["HGETALL", key],
    set: ["SMEMBERS", key],
    zset: ["ZRANGE", key, "0", "-1", "WITHSCORES"],
  };
  const command = read[text(type)];
  const reply = command ? await conn.send(command) : undefined;
  const items = reply?.type === "array" ? reply.items.map(text) : reply ? [text(reply)] : [];
  // A set's and a hash's order is the table's, not part of the value.
  const value = text(type) === "set" ? items.sort() : text(type) === "hash" ? pairs(items).sort() : items;
  return { type: text(type), value, expireAt: int(at) };
}

const pairs = (items: string[]): string[] => items.flatMap((v, i) => (i % 2 ? [] : [`${v}=${items[i + 1]}`]));

describe("saveKeys and restoreKeys put keys back exactly", () => {
  it.each<[string, string[][], string[][]]>([
    ["a string with a TTL", [["SET", "kr:s", "Deimos\xff", "PX", "600000"]], [["APPEND", "kr:s", "!"], ["PERSIST", "kr:s"]]],
    ["a string without a TTL", [["SET", "kr:s2", "v"]], [["SET", "kr:s2", "w", "EX", "100"]]],
    ["a list", [["RPUSH", "kr:l", "a", "b", "c"], ["PEXPIRE", "kr:l", "900000"]], [["LPUSH", "kr:l", "z"], ["RPOP", "kr:l"]]],
    ["a list emptied by the learner", [["RPUSH", "kr:l2", "a"]], [["LPOP", "kr:l2"]]],
    ["a hash", [["HSET", "kr:h", "f", "1", "g", "2"]], [["HDEL", "kr:h", "f"], ["HSET", "kr:h", "x", "y"]]],
    ["a set", [["SADD", "kr:set", "a", "b"]], [["SREM", "kr:set", "a"]]],
    ["a sorted set", [["ZADD", "kr:z", "1", "a", "2.5", "b"], ["EXPIRE", "kr:z", "1000"]], [["ZINCRBY", "kr:z", "1", "a"]]],
    ["a key replaced by another type", [["SET", "kr:t", "1"]], [["DEL", "kr:t"], ["RPUSH", "kr:t", "x"]]],
  ])("%s", async (_name, setup, change) => {
    const key = setup[0]?.[1] as string;
    await conn.send(["DEL", key]);
    await conn.pipeline(setup);
    const before = await stateOf(key);
    const saved = await saveKeys(conn, [b(key)]);
    await conn.pipeline(change);
    expect(await stateOf(key)).not.toEqual(before);
    await restoreKeys(conn, saved);
    expect(await stateOf(key)).toEqual(before);
  });

  it("a key that did not exist is deleted again", async () => {
    await conn.send(["DEL", "kr:new"]);
    const saved = await saveKeys(conn, [b("kr:new"), b("kr:new")]);
    await conn.send(["SET", "kr:new", "x"]);
    await restoreKeys(conn, saved);
    expect(int(await conn.send(["EXISTS", "kr:new"]))).toBe(0);
  });

  it("without PEXPIRETIME (servers before 7.0), the remaining PTTL is used", async () => {
    await conn.send(["SET", "kr:old", "v", "EX", "1000"]);
    const saved = await saveKeys(conn, [b("kr:old")], false);
    await conn.send(["PERSIST", "kr:old"]);
    await restoreKeys(conn, saved);
    const pttl = int(await conn.send(["PTTL", "kr:old"]));
    expect(pttl).toBeGreaterThan(0);
    expect(pttl).toBeLessThanOrEqual(1_000_000);
    expect(text(await conn.send(["GET", "kr:old"]))).toBe("v");
  });
});
