import { afterAll, beforeAll, describe, expect, inject, it } from "vitest";
import { Redis } from "ioredis";
import { openRedis, type RedisSource } from "../../src/redis/connect.js";
import { Connection } from "../../src/redis/connection.js";
import { tokenize } from "../../src/redis/tokenize.js";
import { makeStyle } from "../../src/render/style.js";
import { replyTheme } from "../../src/render/theme.js";
import { SandboxSession } from "../../src/sandbox/session.js";
import { runMeta } from "../../src/sandbox/meta.js";
import type { Reply } from "../../src/redis/reply-types.js";

/**
 * :code is code that does what the sandbox did: each sequence runs through a sandbox
 * session in database 10 of the test server; the code :code printed after each command
 * (or after each whole transaction) then runs with a real ioredis client in a fresh
 * database 9; and the two databases must hold the same keys, types, values and TTLs.
 */
const SANDBOX_DB = 10;
const CODE_DB = 9;
let source: RedisSource;
let redis: Redis;
let sandboxConn: Connection;
let codeConn: Connection;

beforeAll(async () => {
  const port = inject("redisPort");
  source = await openRedis({ url: `redis://127.0.0.1:${port}/${SANDBOX_DB}` }, { ask: [["COMMAND", "DOCS"], ["COMMAND", "INFO"], ["CLIENT", "ID"]] });
  redis = new Redis({ host: "127.0.0.1", port, db: CODE_DB, lazyConnect: true });
  await redis.connect();
  sandboxConn = await Connection.open({ host: "127.0.0.1", port, tls: false, db: SANDBOX_DB, label: "sandbox db" });
  codeConn = await Connection.open({ host: "127.0.0.1", port, tls: false, db: CODE_DB, label: "code db" });
});

afterAll(async () => {
  for (const c of [sandboxConn, codeConn]) await c.send(["FLUSHDB"]);
  sandboxConn.close();
  codeConn.close();
  redis.disconnect();
  await source.close();
});

type Unit = string | { line: string; times: number };

const args = (line: string): Buffer[] => {
  const split = tokenize(line);
  if (!split.ok) throw new Error(`cannot split ${line}`);
  return split.args;
};

/** Runs the units in the sandbox and returns the code :code showed along the way. */
async function sandboxCode(units: Unit[]): Promise<string> {
  const session = new SandboxSession(source, makeStyle(false), replyTheme(false));
  session.init(source.answers);
  const code: string[] = [];
  try {
    for (const unit of units) {
      const { line, times } = typeof unit === "string" ? { line: unit, times: 1 } : unit;
      for (let i = 0; i < times; i++) await session.run(args(line));
      session.code.repeated(args(line), times);
      if (session.client.inMulti) continue;
      code.push((await runMeta(":code", session)).text);
    }
  } finally {
    session.close();
  }
  return code.join("\n");
}

const AsyncFunction = Object.getPrototypeOf(async () => {}).constructor as new (...names: string[]) => (...values: unknown[]) => Promise<unknown>;

const text = (r: Reply | undefined): string => (r && (r.type === "bulk" || r.type === "status") ? r.value.toString("hex") : JSON.stringify(r, (_k, v: unknown) => (typeof v === "bigint" ? String(v) : v)));

/** Every key of the database: type, value read as that type (sets and hashes sorted) and TTL to the nearest 10 s. */
async function dump(conn: Connection): Promise<Record<string, string>> {
  const keys = await conn.send(["KEYS", "*"]);
  const out: Record<string, string> = {};
  for (const k of keys.type === "array" ? keys.items : []) {
    if (k.type !== "bulk") continue;
    const key = k.value;
    const [type, pttl] = await conn.pipeline([[Buffer.from("TYPE"), key], [Buffer.from("PTTL"), key]]);
    const t = type?.type === "status" ? type.value.toString() : "?";
    const read: Record<string, Buffer[]> = {
      string: [Buffer.from("GET"), key],
      list: [Buffer.from("LRANGE"), key, Buffer.from("0"), Buffer.from("-1")],
      hash: [Buffer.from("HGETALL"), key],
      set: [Buffer.from("SMEMBERS"), key],
      zset: [Buffer.from("ZRANGE"), key, Buffer.from("0"), Buffer.from("-1"), Buffer.from("WITHSCORES")],
    };
    const value = await conn.send(read[t] ?? [Buffer.from("TYPE"), key]);
    let items = value.type === "array" ? value.items.map(text) : [text(value)];
    if (t === "set") items = items.sort();
    if (t === "hash") items = items.flatMap((v, i) => (i % 2 ? [] : [`${v}=${items[i + 1]}`])).sort();
    const ms = pttl?.type === "integer" ? Number(pttl.value) : -2;
    out[key.toString("hex")] = `${t} ${items.join(",")} ttl:${ms < 0 ? ms : Math.round(ms / 10_000)}`;
  }
  return out;
}

describe(":code, run with ioredis, leaves the same data as the sandbox", () => {
  it.each<[string, Unit[]]>([
    ["single commands", ["SET a 1", "INCR a", "APPEND s hi", "SET t v EX 100", "HSET h f 1 g 2", "DEL a"]],
    ["a transaction", ["MULTI", "INCR a", "RPUSH l x y", "HSET h f v", "EXPIRE l 100", "EXEC"]],
    ["WATCH, then a transaction", ["SET a 1", "WATCH a", "MULTI", "SET a 5", "SADD s m1 m2", "EXEC", "GET a"]],
    ["transactions between single commands", ["ZADD z 1 a 2 b", "MULTI", "ZINCRBY z 5 a", "LPUSH q j1", "EXEC", "MULTI", "LMOVE q r LEFT RIGHT", "EXEC", "DEL z"]],
    ["a discarded transaction", ["MULTI", "SET gone 1", "DISCARD", "SET kept 1"]],
    ["a transaction EXEC refused", ["SET a 1", "MULTI", "INCR a", "SET onlyone", "EXEC"]],
    ["a repeated command as a pipeline", [{ line: "INCR n", times: 3 }, { line: "RPUSH l x", times: 2 }]],
    ["bytes that are not UTF-8, and spaces", ['SET "bin key" "\\xff\\x00"', 'MULTI', 'APPEND "bin key" "\\xfe"', 'SET "a b" "c d"', "EXEC"]],
  ])("%s", async (_name, units) => {
    await sandboxConn.send(["FLUSHDB"]);
    await codeConn.send(["FLUSHDB"]);
    const code = await sandboxCode(units);
    await new AsyncFunction("redis", code)(redis);
    const [sandbox, replayed] = [await dump(sandboxConn), await dump(codeConn)];
    expect(Object.keys(sandbox).length).toBeGreaterThan(0);
    expect(replayed).toEqual(sandbox);
  });
});
