import { afterAll, describe, expect, it } from "vitest";
import { openRedis, type RedisSource } from "../../src/redis/connect.js";
import { COMMAND_INFO, Timeline } from "../../src/engine/timeline.js";
import { replyString } from "../../src/redis/reply-types.js";
import { makeStyle } from "../../src/render/style.js";
import { replyTheme } from "../../src/render/theme.js";
import { SandboxSession } from "../../src/sandbox/session.js";
import { runMeta } from "../../src/sandbox/meta.js";
import { otherServer, type OtherServer } from "../helpers/servers.js";

/**
 * The observer changes nothing it shows: reading a key's state for the tables must not
 * reset its idle time where the server can read without touching (CLIENT NO-TOUCH, Redis
 * 7.2+ and Valkey), and with :state off nothing but the learner's commands is sent.
 */
const sources: RedisSource[] = [];
afterAll(async () => {
  for (const s of sources) await s.close();
});

async function privateSource(binary?: string): Promise<RedisSource> {
  const env = { ...process.env, REDIS_URL: "", ...(binary && { REDIS_LEARN_SERVER: binary }) };
  const source = await openRedis({ env }, { ask: [COMMAND_INFO] });
  sources.push(source);
  return source;
}

const IDLE_SECONDS = 2;

/** SET k, wait, then a step (TTL, which itself does not touch) with its before/after state; OBJECT IDLETIME afterwards. */
async function idleAfterAStep(source: RedisSource): Promise<{ idle: number; shown: boolean }> {
  await source.conn.send(["SET", "observed", "v"]);
  await new Promise((r) => setTimeout(r, IDLE_SECONDS * 1000 + 200));
  const timeline = await Timeline.create(source);
  try {
    const [result] = await timeline.runAll("A", [[Buffer.from("TTL"), Buffer.from("observed")]]);
    const idle = await source.conn.send(["OBJECT", "IDLETIME", "observed"]);
    return { idle: Number(replyString(idle)), shown: result?.after?.[0]?.exists === true };
  } finally {
    timeline.close();
  }
}

describe("reading key state for the tables", () => {
  const newer: OtherServer[] = ["valkey-server-8", "redis-server-8"];
  it.each(newer.map((name) => [name, otherServer(name)] as const).filter(([, binary]) => binary !== undefined))(
    "leaves the idle time alone on %s (CLIENT NO-TOUCH)",
    async (_name, binary) => {
      const { idle, shown } = await idleAfterAStep(await privateSource(binary));
      expect(shown).toBe(true);
      expect(idle).toBeGreaterThanOrEqual(IDLE_SECONDS);
    },
    15_000,
  );

  it("on Redis 7.0, which has no NO-TOUCH, resets it: that is why the tables say so once", async () => {
    const source = await privateSource();
    expect(source.info.version).toMatch(/^7\.0\./);
    const { idle, shown } = await idleAfterAStep(source);
    expect(shown).toBe(true);
    expect(idle).toBe(0);
    const session = new SandboxSession(source, makeStyle(false), replyTheme(false));
    session.init([{ type: "array", items: [] }, await source.conn.send(["COMMAND", "INFO"]), { type: "integer", value: 1n }]);
    const first = await session.present(await session.run([Buffer.from("SET"), Buffer.from("a"), Buffer.from("1")]));
    const second = await session.present(await session.run([Buffer.from("SET"), Buffer.from("b"), Buffer.from("1")]));
    expect(first).toMatch(/reading a key for these tables counts as a use/);
    expect(second).not.toMatch(/counts as a use/);
  }, 15_000);
});

describe(":state off", () => {
  it("sends nothing but the learner's own commands", async () => {
    const source = await privateSource();
    const session = new SandboxSession(source, makeStyle(false), replyTheme(false));
    session.init([{ type: "array", items: [] }, await source.conn.send(["COMMAND", "INFO"]), { type: "integer", value: 1n }]);
    session.showState = false;
    await source.conn.send(["CONFIG", "RESETSTAT"]);
    for (const line of [["SET", "a", "1"], ["GET", "a"], ["MULTI"], ["INCR", "a"], ["EXEC"], ["SORT", "nolist"]]) {
      await session.present(await session.run(line.map((w) => Buffer.from(w))));
    }
    expect((await runMeta(":undo", session)).text).toMatch(/^Key state is off/);
    const stats = replyString(await source.conn.send(["INFO", "commandstats"]));
    const called = [...stats.matchAll(/cmdstat_([a-z|]+):calls=(\d+)/g)].map((m) => m[1]).sort();
    expect(called).toEqual(["config|resetstat", "exec", "get", "incr", "multi", "set", "sort"]);
  });
});
