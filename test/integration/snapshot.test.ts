import { afterAll, beforeAll, describe, expect, inject, it } from "vitest";
import { Connection } from "../../src/redis/connection.js";
import type { Reply } from "../../src/redis/reply-types.js";
import { PREVIEW_BYTES, PREVIEW_HEAD, PREVIEW_TAIL, parseSnapshot, snapshotCommand } from "../../src/redis/snapshot.js";

const MILLION = 1_000_000;
let conn: Connection;

beforeAll(async () => {
  const port = inject("redisPort");
  // Database 7 of the shared test server is this file's own.
  conn = await Connection.open({ host: "127.0.0.1", port, tls: false, db: 7, label: `127.0.0.1:${port}` });
  await conn.send(["FLUSHDB"]);
  const fill = (cmd: string): string =>
    `for i = 0, ${MILLION - 1}, 1000 do local batch = {} for j = i, i + 999 do batch[#batch + 1] = 'e' .. j end redis.call('${cmd}', KEYS[1], unpack(batch)) end return 1`;
  await conn.pipeline([
    ["EVAL", fill("RPUSH"), "1", "big:list"],
    ["EVAL", fill("SADD"), "1", "big:set"],
    ["RPUSH", "small:list", ...Array.from({ length: 10 }, (_, i) => `e${i}`)],
    ["SET", "big:string", "x".repeat(10 * 1024 * 1024)],
  ]);
}, 60_000);

afterAll(async () => {
  await conn.send(["FLUSHDB"]);
  conn.close();
});

/** How many elements the script sent back, over all keys. */
function replyElements(r: ReturnType<typeof parseSnapshot>): number {
  return (r ?? []).reduce((n, s) => n + (s.head?.length ?? 0) + (s.tail?.length ?? 0), 0);
}

function replyBytes(r: Reply): number {
  if ("items" in r) return r.items.reduce((n, i) => n + replyBytes(i), 0);
  return "value" in r && Buffer.isBuffer(r.value) ? r.value.length : 8;
}

describe("the state of a key is fetched bounded", () => {
  it("a 1,000,000-element list: its length, and only the first and last few elements", async () => {
    const keys = [Buffer.from("big:list")];
    const [state] = parseSnapshot(keys, await conn.send(snapshotCommand(keys))) ?? [];
    expect(state?.length).toBe(MILLION);
    expect(state?.head?.map((i) => i.member.toString())).toEqual(Array.from({ length: PREVIEW_HEAD }, (_, i) => `e${i}`));
    expect(state?.tail?.map((i) => i.index)).toEqual(Array.from({ length: PREVIEW_TAIL }, (_, i) => MILLION - PREVIEW_TAIL + i));
    expect(state?.encoding).toBe("quicklist");
  });

  it("fetches as many elements for a 1,000,000-element list as for a 10-element one, give or take the preview", async () => {
    const big = [Buffer.from("big:list")];
    const small = [Buffer.from("small:list")];
    expect(replyElements(parseSnapshot(big, await conn.send(snapshotCommand(big))))).toBe(PREVIEW_HEAD + PREVIEW_TAIL);
    expect(replyElements(parseSnapshot(small, await conn.send(snapshotCommand(small))))).toBe(10);
  });

  it("a 1,000,000-member set: a bounded sample", async () => {
    const keys = [Buffer.from("big:set")];
    const [state] = parseSnapshot(keys, await conn.send(snapshotCommand(keys))) ?? [];
    expect(state?.length).toBe(MILLION);
    expect(state?.head?.length).toBeLessThanOrEqual(PREVIEW_HEAD + PREVIEW_TAIL);
  });

  it("a 10 MB string: its length and its first bytes only", async () => {
    const keys = [Buffer.from("big:string")];
    const reply = await conn.send(snapshotCommand(keys));
    const [state] = parseSnapshot(keys, reply) ?? [];
    expect(state?.length).toBe(10 * 1024 * 1024);
    expect(replyBytes(reply)).toBeLessThan(1_000);
    expect(state?.bytes?.length).toBe(PREVIEW_BYTES);
  });
});
