import { afterAll, beforeAll, beforeEach, describe, expect, inject, it } from "vitest";
import { Connection } from "../../src/redis/connection.js";
import { parseCommandInfo } from "../../src/redis/command-table.js";
import { runStep, runSteps, type Client, type EngineContext } from "../../src/engine/step.js";
import { renderKeyChanges } from "../../src/render/key-table.js";
import { formatReply } from "../../src/redis/reply-format.js";
import { createdKeys } from "../../src/lessons/typed-run.js";
import { makeStyle } from "../../src/render/style.js";

/** Commands that touch many keys: the first 20 read in full, the rest counted, and one compact table. */
describe("many keys", () => {
  const port = inject("redisPort");
  let conn: Connection;
  let ctx: EngineContext;
  let client: Client;
  const style = makeStyle(false);
  const b = (words: string[]): Buffer[] => words.map((w) => Buffer.from(w));
  const names = (n: number, prefix = "k"): string[] => Array.from({ length: n }, (_, i) => `${prefix}:${i}`);

  beforeAll(async () => {
    conn = await Connection.open({ host: "127.0.0.1", port, tls: false, db: 12, label: "test" });
    ctx = { table: parseCommandInfo(await conn.send(["COMMAND", "INFO"])), atLeast7: true,
    noTouch: false, observer: async () => conn };
    client = { name: "A", conn, inMulti: false, queuedKeys: [] };
  });
  beforeEach(async () => {
    await conn.send(["FLUSHDB"]);
  });
  afterAll(async () => {
    await conn.send(["FLUSHDB"]);
    conn.close();
  });

  it("an MSET over keys some of which exist: the rest counted as created and as existing", async () => {
    const keys = names(30);
    await conn.send(["MSET", ...keys.slice(25).flatMap((k) => [k, "old"])]);
    await conn.send(["SET", "unrelated", "x"]);
    const r = await runStep(ctx, client, b(["MSET", ...keys.flatMap((k) => [k, "new"])]));
    expect(r.before).toHaveLength(20);
    expect(r.others).toEqual({ before: { count: 10, existing: 5 }, after: { count: 10, existing: 10 } });
    const text = renderKeyChanges(r.before, r.after, style, 80, r.others);
    expect(text).toContain("… 10 more keys (5 created, 5 existed before and after; not read)");
    expect(text.match(/^│ "k:\d+"/gm)).toHaveLength(20);
  });

  it("a lesson's claim names every key an MSET of many created, the counted ones too, so they are cleaned up", async () => {
    const keys = names(30);
    const r = await runStep(ctx, client, b(["MSET", ...keys.flatMap((k) => [k, "v"])]));
    expect(createdKeys(r).sort()).toEqual([...keys].sort());
    const again = await runStep(ctx, client, b(["MSET", ...keys.flatMap((k) => [k, "w"])]));
    expect(createdKeys(again)).toEqual([]);
  });

  it("a DEL of keys some of which never existed", async () => {
    const keys = names(40);
    await conn.send(["MSET", ...keys.slice(0, 30).flatMap((k) => [k, "v"])]);
    const r = await runStep(ctx, client, b(["DEL", ...keys]));
    expect(r.others).toEqual({ before: { count: 20, existing: 10 }, after: { count: 20, existing: 0 } });
    expect(renderKeyChanges(r.before, r.after, style, 80, r.others)).toContain("… 20 more keys (10 deleted, 10 no such key)");
  });

  it("a command that fails when it runs changed nothing, and the counted keys say so too", async () => {
    const keys = names(25);
    await conn.send(["MSET", ...keys.flatMap((k) => [k, "v"])]);
    const r = await runStep(ctx, client, b(["MSET", ...keys.flatMap((k) => [k, "v"]), "odd"]));
    expect(r.reply.type).toBe("error");
    // The key specs take "odd" for a key too: 26 keys, 6 of them counted, "odd" not existing.
    expect(r.others).toEqual({ before: { count: 6, existing: 5 }, after: { count: 6, existing: 5 } });
  });

  it("several commands of one step, each with many keys, in one transaction", async () => {
    const [set, del] = await runSteps(ctx, client, [b(["MSET", ...names(30).flatMap((k) => [k, "v"])]), b(["DEL", ...names(30)])]);
    expect(set?.others?.after).toEqual({ count: 10, existing: 10 });
    expect(del?.others).toEqual({ before: { count: 10, existing: 10 }, after: { count: 10, existing: 0 } });
  });

  it("a DEL of 10,000 keys prints at most 30 lines: its reply, one compact table and the rest counted", async () => {
    const keys = names(10_000, "many");
    await conn.send(["MSET", ...keys.flatMap((k) => [k, "v"])]);
    const r = await runStep(ctx, client, b(["DEL", ...keys]));
    const printed = formatReply(r.reply).replace(/\n$/, "") + "\n" + renderKeyChanges(r.before, r.after, style, 80, r.others);
    expect(printed).toContain("(integer) 10000");
    expect(printed).toContain("… 9,980 more keys (9,980 deleted)");
    expect(printed.split("\n").length).toBeLessThanOrEqual(30);
  });
});
