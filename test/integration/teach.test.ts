import { afterAll, beforeAll, describe, expect, inject, it } from "vitest";
import { openRedis, type RedisSource } from "../../src/redis/connect.js";
import { tokenize } from "../../src/redis/tokenize.js";
import { makeStyle } from "../../src/render/style.js";
import { replyTheme } from "../../src/render/theme.js";
import { SandboxSession } from "../../src/sandbox/session.js";

/**
 * Errors that teach, against the server's real error replies: each case runs its setup and
 * its command on the test server, and the line under the error must say the right thing.
 */
let source: RedisSource;
let session: SandboxSession;

beforeAll(async () => {
  // Database 13 of the shared test server is this file's own.
  source = await openRedis({ url: `redis://127.0.0.1:${inject("redisPort")}/13` }, { ask: [["COMMAND", "DOCS"], ["COMMAND", "INFO"], ["CLIENT", "ID"]] });
  session = new SandboxSession(source, makeStyle(false), replyTheme(false));
  session.init(source.answers);
});

afterAll(async () => {
  await source.conn.send(["FLUSHDB"]);
  session.close();
  await source.close();
});

const args = (line: string): Buffer[] => {
  const split = tokenize(line);
  if (!split.ok) throw new Error(`cannot split ${line}`);
  return split.args;
};

const MAX = "9223372036854775807";

describe("the line under an error names the real culprit", () => {
  it.each<[string, string[], string, RegExp, RegExp]>([
    ["a stored word is no number", ["SET n Deimos"], "INCR n", /not an integer/, /"n" holds "Deimos", which INCR cannot read as a number/],
    ["a decimal increment, not the stored 5", ["SET n 5"], "INCRBY n 1.5", /not an integer/, /"1\.5" is not a whole number in the 64-bit range; INCRBY takes one for increment/],
    ["a word as the increment", ["SET n 5"], "INCRBY n abc", /not an integer/, /"abc" is not a whole number.*INCRBY takes one for increment/],
    ["an increment past 64 bits", ["SET n 5"], "DECRBY n 99999999999999999999", /not an integer/, /"99999999999999999999" is not a whole number in the 64-bit range; DECRBY/],
    ["INCR past the top", [`SET n ${MAX}`], "INCR n", /overflow/, /"n" holds 9223372036854775807; the result would pass the 64-bit limit \(-9,223,372,036,854,775,808 to 9,223,372,036,854,775,807\)/],
    ["DECR past the bottom", ["SET n -9223372036854775808"], "DECR n", /overflow/, /would pass the 64-bit limit/],
    ["INCRBY past the top", [`SET n ${MAX}`], "INCRBY n 10", /overflow/, /would pass the 64-bit limit/],
    ["leading zeros are not a whole number", ["SET n 007"], "INCR n", /not an integer/, /"n" holds "007", which INCR cannot read as a number/],
    ["twenty digits are not a whole number", ["SET n 12345678901234567890"], "INCR n", /not an integer/, /"n" holds "12345678901234567890", which INCR cannot read/],
    ["a word as a float increment", ["SET f 1"], "INCRBYFLOAT f abc", /not a valid float/, /"abc" is not a number; INCRBYFLOAT takes a number for increment/],
    ["a stored word as a float", ["SET f x"], "INCRBYFLOAT f 1", /not a valid float/, /"f" holds "x", which INCRBYFLOAT cannot read as a number\./],
    ["an infinite float result", ["SET f 1"], "INCRBYFLOAT f inf", /NaN or Infinity/, /"f" holds 1; the result would not be a finite number/],
    ["EXPIRE with a word", ["SET k v"], "EXPIRE k soon", /not an integer/, /"soon" is not a whole number.*EXPIRE takes one for seconds/],
    ["SET EX with a word", [], "SET k v EX abc", /not an integer/, /"abc" is not a whole number.*SET takes one for seconds/],
    ["SET EX with a decimal", [], "SET k v EX 1.5", /not an integer/, /"1\.5" is not a whole number.*SET takes one for seconds/],
    ["ZADD with a word as the score", [], "ZADD z abc m", /not a valid float/, /"abc" is not a number; ZADD takes a number for score/],
    ["ZINCRBY with a word", [], "ZINCRBY z abc m", /not a valid float/, /"abc" is not a number; ZINCRBY takes a number for increment/],
    ["LRANGE with a word as the start", ["RPUSH l a"], "LRANGE l a -1", /not an integer/, /"a" is not a whole number.*LRANGE takes one for start/],
    ["LINDEX with a word", ["RPUSH l a"], "LINDEX l first", /not an integer/, /"first" is not a whole number.*LINDEX takes one for index/],
    ["SETRANGE with a word as the offset", ["SET k v"], "SETRANGE k here x", /not an integer/, /"here" is not a whole number.*SETRANGE takes one for offset/],
    ["HINCRBY with a decimal", [], "HINCRBY h f 1.5", /not an integer/, /"1\.5" is not a whole number.*HINCRBY takes one for increment/],
    ["BLPOP with a word as the timeout", [], "BLPOP l soon", /timeout is not a float/, /"soon" is not a number; BLPOP expects a number there/],
    ["a string key pushed to", ["SET s v"], "LPUSH s x", /WRONGTYPE/, /"s" holds a string, but LPUSH works on a list\. Commands for it: .*GET/],
    ["a list key read with GET", ["RPUSH l a"], "GET l", /WRONGTYPE/, /"l" holds a list, but GET works on a string\. Commands for it: .*LINDEX.*\(help @list\)/],
    ["a string key used as a hash", ["SET s v"], "HSET s f v", /WRONGTYPE/, /"s" holds a string, but HSET works on a hash/],
    ["a list key used as a set", ["RPUSH l a"], "SADD l m", /WRONGTYPE/, /"l" holds a list, but SADD works on a set/],
    ["a hash used as a sorted set", ["HSET h f v"], "ZADD h 1 m", /WRONGTYPE/, /"h" holds a hash, but ZADD works on a sorted set\./],
    ["a sorted set pushed to", ["ZADD z 1 m"], "LPUSH z x", /WRONGTYPE/, /"z" holds a sorted set, but LPUSH works on a list/],
    ["a list used as a sorted set names sorted-set commands", ["RPUSH z a"], "ZINCRBY z 1 m", /WRONGTYPE/, /Commands for it: .*\(help @list\)/],
    ["a sorted set read as a string names its commands", ["ZADD z 1 m"], "GET z", /WRONGTYPE/, /"z" holds a sorted set, but GET works on a string\. Commands for it: .*ZADD.*\(help @sorted-set\)/],
    ["a typo of GET", [], "GTE k", /unknown command/, /Did you mean GET/],
    ["a typo of LPUSH", [], "LPUHS k v", /unknown command/, /Did you mean .*LPUSH/],
    ["GET without a key", [], "GET", /wrong number of arguments/, /Usage: GET key/],
    ["SET without a value", [], "SET k", /wrong number of arguments/, /Usage: SET key value/],
    ["SET with NX and XX", [], "SET k v NX XX", /syntax error/, /Usage: SET key value \[NX\|XX\]/],
    ["an unknown CONFIG subcommand", [], "CONFIG FOO", /unknown subcommand/, /CONFIG takes: .*GET.*SET/],
    ["an unknown OBJECT subcommand", ["SET k v"], "OBJECT FOO k", /unknown subcommand/, /OBJECT takes: .*ENCODING/],
  ])("%s", async (_name, setup, line, reply, explanation) => {
    await source.conn.send(["FLUSHDB"]);
    for (const s of setup) expect((await source.conn.send(args(s))).type).not.toBe("error");
    const result = await session.run(args(line));
    expect(result.reply.type).toBe("error");
    expect(result.reply.type === "error" && result.reply.value.toString()).toMatch(reply);
    const shown = await session.present(result);
    expect(shown).toMatch(new RegExp(`↳ .*${explanation.source}`));
  });
});
