import { afterAll, beforeAll, describe, expect, inject, it } from "vitest";
import { Connection } from "../../src/redis/connection.js";
import { dangerFor, scriptToShow } from "../../src/redis/guard.js";

let conn: Connection;
const LIBRARY = `rlguard${process.pid}`;
const askOn = (): Promise<Connection> => Promise.resolve(conn);

beforeAll(async () => {
  const port = inject("redisPort");
  // Database 12 of the shared test server is this file's own; functions are server-wide, so the library's name is unique.
  conn = await Connection.open({ host: "127.0.0.1", port, tls: false, db: 12, label: `127.0.0.1:${port}` });
  const code = `#!lua name=${LIBRARY}\nredis.register_function('${LIBRARY}_wipe', function() return redis.call('FLUSHALL') end)`;
  const loaded = await conn.send(["FUNCTION", "LOAD", code]);
  expect(loaded.type).toBe("bulk");
});

afterAll(async () => {
  await conn.send(["FUNCTION", "DELETE", LIBRARY]);
  conn.close();
});

const argv = (...words: string[]): Buffer[] => words.map((w) => Buffer.from(w));

describe("the question before a script runs on a server the learner brought shows the script", () => {
  it("EVAL shows its own code", async () => {
    const args = argv("EVAL", "redis.call('SWAPDB', 0, 1)\nreturn 1", "0");
    expect(await dangerFor(args, askOn)).toMatch(/Lua script, which can change or delete any key/);
    expect(await scriptToShow(args, askOn)).toBe("  redis.call('SWAPDB', 0, 1)\n  return 1");
  });

  it("FCALL shows the library that holds the function, read from the server", async () => {
    const shown = await scriptToShow(argv("FCALL", `${LIBRARY}_wipe`, "0"), askOn);
    expect(shown).toContain("redis.call('FLUSHALL')");
    expect(shown).toContain(`name=${LIBRARY}`);
  });

  it("FCALL of a function that is not loaded says so", async () => {
    expect(await scriptToShow(argv("FCALL", "no_such_function", "0"), askOn)).toBe("(no function named no_such_function is loaded)");
  });

  it("EVALSHA says its code cannot be shown", async () => {
    expect(await scriptToShow(argv("EVALSHA", "e0e1f9fabfc9d4800c877a703b823ac0578ff8db", "0"), askOn)).toMatch(/cannot show its code/);
  });

  it("a long script is cut after 12 lines", async () => {
    const code = Array.from({ length: 30 }, (_, i) => `-- line ${i + 1}`).join("\n");
    const shown = (await scriptToShow(argv("EVAL", code, "0"), askOn)) ?? "";
    expect(shown.split("\n")).toHaveLength(13);
    expect(shown).toMatch(/… \(18 more lines\)$/);
  });

  it("KEYS asks the size of the keyspace only on the connection it is given", async () => {
    let asked = 0;
    expect(await dangerFor(argv("KEYS", "*"), () => (asked++, Promise.resolve(conn)))).toBeUndefined();
    expect(asked).toBe(1);
    expect(await dangerFor(argv("GET", "k"), () => (asked++, Promise.resolve(conn)))).toBeUndefined();
    expect(asked).toBe(1);
  });
});
