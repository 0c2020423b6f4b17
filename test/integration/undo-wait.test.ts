import { afterAll, beforeAll, describe, expect, inject, it } from "vitest";
import { openRedis, type RedisSource } from "../../src/redis/connect.js";
import { tokenize } from "../../src/redis/tokenize.js";
import { makeStyle } from "../../src/render/style.js";
import { replyTheme } from "../../src/render/theme.js";
import { SandboxSession } from "../../src/sandbox/session.js";
import { runMeta } from "../../src/sandbox/meta.js";
import type { Reply } from "../../src/redis/reply-types.js";
import { UNDO_MAX_KEY_BYTES } from "../../src/sandbox/undo.js";

/**
 * :undo and :wait against real servers: a private one of this file's own (where both
 * work on every key), and database 12 of the shared test server reached with a URL,
 * as a server the learner brought (where :undo only puts back keys made in the session
 * and :wait refuses).
 */
const ASK = [["COMMAND", "DOCS"], ["COMMAND", "INFO"], ["CLIENT", "ID"]];
let priv: RedisSource;
let url: RedisSource;

beforeAll(async () => {
  const env = { ...process.env };
  delete env.REDIS_URL;
  priv = await openRedis({ env }, { ask: ASK });
  url = await openRedis({ url: `redis://127.0.0.1:${inject("redisPort")}/12` }, { ask: ASK });
  await url.conn.send(["FLUSHDB"]);
});

afterAll(async () => {
  await url.conn.send(["FLUSHDB"]);
  await url.close();
  await priv.close();
});

function sessionOn(source: RedisSource): SandboxSession {
  const s = new SandboxSession(source, makeStyle(false), replyTheme(false));
  s.init(source.answers);
  return s;
}

const args = (line: string): Buffer[] => {
  const split = tokenize(line);
  if (!split.ok) throw new Error(`cannot split ${line}`);
  return split.args;
};

async function typeLines(session: SandboxSession, lines: string[]): Promise<string> {
  let out = "";
  for (const line of lines) out += line.startsWith(":") ? (await runMeta(line, session)).text : await session.present(await session.run(args(line)));
  return out;
}

const int = (r: Reply): number => (r.type === "integer" ? Number(r.value) : NaN);
const text = (r: Reply): string => (r.type === "bulk" || r.type === "status" ? r.value.toString("latin1") : r.type);

describe(":undo on the private server", () => {
  it.each<[string, string[], string[], [string, string, "keeps expiry" | "no expiry" | "gone"][]]>([
    ["DEL of a key with a TTL", ["SET u:1 Deimos EX 100"], ["DEL u:1"], [["u:1", "Deimos", "keeps expiry"]]],
    ["a SET over a value", ["SET u:2 old"], ["SET u:2 new EX 5"], [["u:2", "old", "no expiry"]]],
    ["a key the command created", [], ["RPUSH u:3 a b"], [["u:3", "", "gone"]]],
    ["a whole transaction at EXEC", ["SET u:4 1", "SET u:5 x"], ["MULTI", "INCR u:4", "DEL u:5", "SET u:6 new", "EXEC"], [["u:4", "1", "no expiry"], ["u:5", "x", "no expiry"], ["u:6", "", "gone"]]],
    ["a script's write to a key it declares", ["SET u:8 a"], ["EVAL \"return redis.call('APPEND', KEYS[1], 'b')\" 1 u:8"], [["u:8", "a", "no expiry"]]],
    ["a read after the write changes nothing", ["SET u:7 a"], ["APPEND u:7 b", "GET u:7"], [["u:7", "a", "no expiry"]]],
  ])("%s", async (_name, setup, commands, expected) => {
    const session = sessionOn(priv);
    try {
      await typeLines(session, setup);
      const expireBefore = await Promise.all(expected.map(([k]) => priv.conn.send(["PEXPIRETIME", k])));
      await typeLines(session, commands);
      const said = (await runMeta(":undo", session)).text;
      expect(said).toMatch(/^Undid /);
      for (const [i, [key, value, ttl]] of expected.entries()) {
        if (ttl === "gone") {
          expect(int(await priv.conn.send(["EXISTS", key]))).toBe(0);
          continue;
        }
        expect(text(await priv.conn.send(["GET", key]))).toBe(value);
        const at = int(await priv.conn.send(["PEXPIRETIME", key]));
        if (ttl === "keeps expiry") expect(at).toBe(int(expireBefore[i] as Reply));
        else expect(at).toBe(-1);
      }
      // One level: a second :undo has nothing left.
      expect((await runMeta(":undo", session)).text).toMatch(/^Nothing to undo/);
    } finally {
      session.close();
    }
  });

  it("says so when a key was too big to keep, and leaves it", async () => {
    const session = sessionOn(priv);
    try {
      await priv.conn.send(["SET", "u:big", "x".repeat(UNDO_MAX_KEY_BYTES + 10)]);
      await typeLines(session, ["SET u:small 1", "MSET u:big y u:small 2"]);
      const said = (await runMeta(":undo", session)).text;
      expect(said).toMatch(/"u:big" was too big to keep/);
      expect(text(await priv.conn.send(["GET", "u:big"]))).toBe("y");
      expect(text(await priv.conn.send(["GET", "u:small"]))).toBe("1");
    } finally {
      session.close();
    }
  });
});

describe(":undo keeps to the database it changed", () => {
  it("asks to SELECT that database first, then puts the key back there", async () => {
    const session = sessionOn(priv);
    try {
      await typeLines(session, ["SELECT 3", "SET u:db v", "SELECT 0", "SET u:db other", "SELECT 3", "DEL u:db", "SELECT 0"]);
      expect((await runMeta(":undo", session)).text).toBe("Not undone: DEL u:db changed database 3; SELECT 3 first, then :undo.\n");
      expect(text(await priv.conn.send(["GET", "u:db"]))).toBe("other");
      await typeLines(session, ["SELECT 3"]);
      expect((await runMeta(":undo", session)).text).toMatch(/^Undid DEL u:db/);
      expect(text(await session.client.conn.send(["GET", "u:db"]))).toBe("v");
      await typeLines(session, ["SELECT 0"]);
      expect(text(await priv.conn.send(["GET", "u:db"]))).toBe("other");
    } finally {
      session.close();
    }
  });
});

describe(":undo on a server the learner brought", () => {
  it("puts back a key made in this session", async () => {
    const session = sessionOn(url);
    try {
      await typeLines(session, ["SET mine:1 v EX 100", "DEL mine:1"]);
      expect((await runMeta(":undo", session)).text).toMatch(/^Undid DEL mine:1/);
      expect(text(await url.conn.send(["GET", "mine:1"]))).toBe("v");
      expect(int(await url.conn.send(["TTL", "mine:1"]))).toBeGreaterThan(90);
    } finally {
      session.close();
    }
  });

  it("refuses, in one line, for a key that was there before", async () => {
    await url.conn.send(["SET", "theirs:1", "precious"]);
    const session = sessionOn(url);
    try {
      await typeLines(session, ["SET theirs:1 changed"]);
      const said = (await runMeta(":undo", session)).text;
      expect(said).toMatch(/^Not undone: SET theirs:1 changed touched "theirs:1", which this session did not create/);
      expect(said.trimEnd().split("\n")).toHaveLength(1);
      expect(text(await url.conn.send(["GET", "theirs:1"]))).toBe("changed");
    } finally {
      session.close();
    }
  });
});

describe(":undo with a user the server does not let read keys whole", () => {
  it("never deletes a key it could not keep, and says so", async () => {
    // On this file's own private server: a user without MEMORY and DUMP, reached with a URL.
    await priv.conn.send(["ACL", "SETUSER", "nodump", "on", ">undo-pw", "~*", "+@all", "-memory", "-dump"]);
    const limited = await openRedis({ url: `redis://nodump:undo-pw@${priv.target.host}:${priv.target.port}/5` }, { ask: ASK });
    const session = sessionOn(limited);
    try {
      await typeLines(session, ["SET lim:1 a"]);
      const said = (await runMeta(":undo", session)).text;
      expect(said).toMatch(/"lim:1" could not be kept \(NOPERM[^)]*\): left as it is\./);
      expect(text(await limited.conn.send(["GET", "lim:1"]))).toBe("a");
    } finally {
      session.close();
      await limited.close();
    }
  });
});

describe(":wait fast-forwards TTLs", () => {
  it("expires a 30 s key after :wait 1m and leaves the rest with less time", async () => {
    const session = sessionOn(priv);
    try {
      await priv.conn.send(["FLUSHDB"]);
      await typeLines(session, ["SET w:short a EX 30", "SET w:long b EX 600", "SET w:forever c", "PEXPIRE w:ms 10"]);
      const said = (await runMeta(":wait 1m", session)).text;
      expect(said).toMatch(/Expired: "w:short"/);
      expect(said).toMatch(/Still counting down: "w:long" \((9m|8m 59s) left\)/);
      expect(int(await priv.conn.send(["EXISTS", "w:short"]))).toBe(0);
      const ttl = int(await priv.conn.send(["TTL", "w:long"]));
      expect(ttl).toBeGreaterThan(500);
      expect(ttl).toBeLessThanOrEqual(540);
      expect(int(await priv.conn.send(["TTL", "w:forever"]))).toBe(-1);
    } finally {
      session.close();
    }
  });

  it.each([["10x"], ["-5s"], [""]])("explains its use for %j", async (arg) => {
    const session = sessionOn(priv);
    try {
      expect((await runMeta(`:wait ${arg}`, session)).text).toMatch(/^Usage: :wait <time>/);
    } finally {
      session.close();
    }
  });

  it("refuses on a server the learner brought, and changes nothing", async () => {
    await url.conn.send(["SET", "theirs:ttl", "v", "EX", "30"]);
    const session = sessionOn(url);
    try {
      expect((await runMeta(":wait 1m", session)).text).toMatch(/^:wait works on the private server only/);
      expect(int(await url.conn.send(["TTL", "theirs:ttl"]))).toBeGreaterThan(20);
    } finally {
      session.close();
    }
  });
});
