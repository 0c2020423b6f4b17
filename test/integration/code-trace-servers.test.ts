import { afterAll, describe, expect, it } from "vitest";
import { runSnippet } from "../../src/code/run.js";
import { startPrivateServer, type PrivateServer } from "../../src/redis/server.js";
import { otherServer } from "../helpers/servers.js";

/**
 * MONITOR's lines, and what ioredis 6 sends on connecting, as each server shows them:
 * Redis 7.0 refuses CLIENT SETINFO (7.2+), and MONITOR leaves refused commands out.
 */
const servers: PrivateServer[] = [];
afterAll(async () => {
  for (const s of servers) await s.shutdown();
});

const BINARY_KEY = [0x00, 0x01, 0xff, 0x22, 0x5c, 0x0a, 0x20];
const SNIPPET = `const key = Buffer.from(${JSON.stringify(BINARY_KEY)});
await redis.select(2);
await redis.set(key, "é");
await redis.eval("return redis.call('get', KEYS[1])", 1, key);
redis.set("not-awaited", "1");`;

const SETINFO = [
  { args: ["client", "SETINFO", "LIB-VER", "6.0.0"], db: 0, setup: true },
  { args: ["client", "SETINFO", "LIB-NAME", "ioredis"], db: 0, setup: true },
];

describe.each([
  ["Redis 7.0", undefined, false],
  ["Valkey 8", otherServer("valkey-server-8"), true],
  ["Redis 8", otherServer("redis-server-8"), true],
] as const)("the trace on %s", (name, binary, setinfo) => {
  it.skipIf(name !== "Redis 7.0" && !binary)("holds each command's exact bytes, database and connection", async () => {
    const server = await startPrivateServer({ env: { ...process.env, ...(binary && { REDIS_LEARN_SERVER: binary }) } });
    servers.push(server);
    const r = await runSnippet({ code: SNIPPET, host: server.host, port: server.port });
    expect(r.error).toBeUndefined();
    const key = Buffer.from(BINARY_KEY);
    expect(r.trace).toEqual(
      [
        { args: ["hello", "3"], db: 0, setup: true },
        { args: ["client", "setname", "redis"], db: 0, setup: true },
        ...(setinfo ? SETINFO : []),
        { args: ["info"], db: 0, setup: true },
        { args: ["select", "2"], db: 2, setup: false },
        { args: ["set", key, "é"], db: 2, setup: false },
        { args: ["eval", "return redis.call('get', KEYS[1])", "1", key], db: 2, setup: false },
        { args: ["get", key], db: 2, setup: false, client: "lua" },
        { args: ["set", "not-awaited", "1"], db: 2, setup: false },
      ].map((c) => ({ client: "redis", ...c, args: c.args.map((a) => (Buffer.isBuffer(a) ? a : Buffer.from(a))) })),
    );
  }, 20_000);
});
