import { afterAll, describe, expect, it } from "vitest";
import { openRedis, type RedisSource } from "../../src/redis/connect.js";
import { COMMAND_INFO, Timeline } from "../../src/engine/timeline.js";
import { renderKeyChanges } from "../../src/render/key-table.js";
import { replyString } from "../../src/redis/reply-types.js";
import { makeStyle } from "../../src/render/style.js";
import { otherServer } from "../helpers/servers.js";

/** Hash fields have TTLs of their own from Redis 7.4 (HEXPIRE): the key table shows them where the server has HPTTL. */
const sources: RedisSource[] = [];
afterAll(async () => {
  for (const s of sources) await s.close();
});

async function stepOn(binary: string | undefined, args: string[]): Promise<{ table: string; hpttlAsked: boolean }> {
  const env = { ...process.env, REDIS_URL: "", ...(binary && { REDIS_LEARN_SERVER: binary }) };
  const source = await openRedis({ env }, { ask: [COMMAND_INFO] });
  sources.push(source);
  await source.conn.send(["HSET", "bike:1:parts", "seat", "new", "chain", "worn"]);
  await source.conn.send(["CONFIG", "RESETSTAT"]);
  const timeline = await Timeline.create(source);
  try {
    const [result] = await timeline.runAll("A", [args.map((a) => Buffer.from(a))]);
    const stats = replyString(await source.conn.send(["INFO", "commandstats"]));
    return { table: renderKeyChanges(result?.before, result?.after, makeStyle(false)), hpttlAsked: /cmdstat_hpttl:/.test(stats) };
  } finally {
    timeline.close();
  }
}

describe("hash fields' own TTLs in the key table", () => {
  const redis8 = otherServer("redis-server-8");
  it.skipIf(!redis8)("on Redis 8, HEXPIRE shows the field's TTL, and only that field's", async () => {
    const { table, hpttlAsked } = await stepOn(redis8, ["HEXPIRE", "bike:1:parts", "100", "FIELDS", "1", "chain"]);
    expect(hpttlAsked).toBe(true);
    expect(table).toMatch(/~ "chain" => "worn" \(TTL 100 s\)/);
    expect(table).toMatch(/ {2}"seat" => "new"(?! \(TTL)/);
  }, 15_000);

  it("on Redis 7.0, which has no field TTLs, asks nothing more", async () => {
    const { table, hpttlAsked } = await stepOn(undefined, ["HSET", "bike:1:parts", "bell", "loud"]);
    expect(hpttlAsked).toBe(false);
    expect(table).toMatch(/\+ "bell" => "loud"/);
    expect(table).not.toMatch(/TTL \d/);
  });
});
