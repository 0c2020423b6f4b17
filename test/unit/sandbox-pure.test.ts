import { describe, expect, it } from "vitest";
import { ioredisCall } from "../../src/sandbox/code.js";
import { keepInHistory } from "../../src/sandbox/history.js";
import { closest, explainError } from "../../src/sandbox/teach.js";
import { dangerReason } from "../../src/redis/guard.js";
import { reply } from "../../src/redis/reply-types.js";
import { parseRedisUrl } from "../../src/redis/target.js";

const argv = (line: string): Buffer[] => line.split(" ").map((w) => Buffer.from(w));

describe(":code writes the ioredis call", () => {
  it.each<[string | Buffer[], string]>([
    ["LMOVE src dst LEFT RIGHT", 'await redis.lmove("src", "dst", "LEFT", "RIGHT")'],
    ["EXPIRE bike:1 100", 'await redis.expire("bike:1", 100)'],
    ["OBJECT ENCODING k", 'await redis.object("ENCODING", "k")'],
    ["JSON.SET doc $ 1", 'await redis.call("JSON.SET", "doc", "$", 1)'],
    [[Buffer.from("SET"), Buffer.from("k"), Buffer.from("a b\"c")], 'await redis.set("k", "a b\\"c")'],
    [[Buffer.from("SET"), Buffer.from("k"), Buffer.from([0xff, 0x00])], 'await redis.set("k", Buffer.from("ff00", "hex"))'],
    ["SET k 007", 'await redis.set("k", "007")'],
    // Issue 11 item 9: a typed password is never shown by :code.
    ["AUTH alice pw", 'await redis.auth("alice", "***")'],
    ["AUTH pw", 'await redis.auth("***")'],
    ["HELLO 3 AUTH bob pw", 'await redis.hello(3, "AUTH", "bob", "***")'],
    ["hello 3 auth bob pw SETNAME x", 'await redis.hello(3, "auth", "bob", "***", "SETNAME", "x")'],
    ["ACL SETUSER bob on >pw ~* +@all", 'await redis.acl("SETUSER", "bob", "on", ">***", "~*", "+@all")'],
    ["CONFIG SET requirepass pw", 'await redis.config("SET", "requirepass", "***")'],
    ["CONFIG SET maxmemory 10mb masterauth pw", 'await redis.config("SET", "maxmemory", "10mb", "masterauth", "***")'],
    ["MIGRATE h 1 k 0 100 AUTH2 u pw", 'await redis.migrate("h", 1, "k", 0, 100, "AUTH2", "u", "***")'],
  ])("%j", (input, expected) => {
    expect(ioredisCall(typeof input === "string" ? argv(input) : input)).toBe(expected);
  });
});

describe("history never keeps passwords", () => {
  it.each<[string, boolean]>([
    ["SET k v", true],
    ["AUTH secret", false],
    ["auth user secret", false],
    ["HELLO 3 AUTH default secret", false],
    ["HELLO 3", true],
    ["ACL SETUSER bob on >pw", false],
    ["CONFIG SET requirepass x", false],
    ["CONFIG SET maxmemory 10mb", true],
    ["MIGRATE h 1 k 0 100 AUTH pw", false],
    ['GET "unbalanced', true],
    // Issue 11 item 9: through a repeat count, in any case, quoting and spacing.
    ["2 AUTH alice pw", false],
    ["  3 auth pw", false],
    ['"AuTh" "alice" "pw"', false],
    ["'auth' pw", false],
    ['AUTH "unbalanced', false],
    ["-1 AUTH pw", false],
    ["2 HELLO 3 AUTH bob pw", false],
    ["ACL SETUSER bob on ~* +@all", true],
    ["ACL SETUSER bob on '>pw'", false],
    ["MIGRATE h 1 k 0 100 AUTH2 u pw", false],
    ["MIGRATE h 1 k 0 100 KEYS auth x", true],
    ["CONFIG SET masterauth pw", false],
    ["ECHO redis://:pw@h:1", false],
    ["2 INCR k", true],
  ])("%s → %s", (line, kept) => {
    expect(keepInHistory(line)).toBe(kept);
  });

  it("nor a password redis-learn was given in a URL", () => {
    parseRedisUrl("redis://:url-password-99@h:1");
    expect(keepInHistory("ECHO url-password-99")).toBe(false);
  });
});

describe("errors that teach", () => {
  it("suggests the closest command names", () => {
    expect(closest("LPUSHH", ["LPUSH", "LPUSHX", "RPUSH", "GET"])).toEqual(["LPUSH", "LPUSHX", "RPUSH"]);
    expect(closest("GTE", ["GET", "SET", "DEL"])).toEqual(["GET"]);
    expect(closest("XYZZY", ["GET", "SET"])).toEqual([]);
  });

  it("says what a WRONGTYPE key holds", () => {
    const text = explainError(reply.error("WRONGTYPE Operation against a key holding the wrong kind of value"), { args: argv("LPUSH bike:1 x"), keyTypes: [{ key: "bike:1", type: "string" }] }, undefined);
    expect(text).toMatch(/^"bike:1" holds a string, but LPUSH works on a different type\. Commands for it: .*\(help @string\)\.$/);
  });

  it("shows the stored value that is not a number", () => {
    const text = explainError(reply.error("ERR value is not an integer or out of range"), { args: argv("INCR bike:1"), keyTypes: [{ key: "bike:1", type: "string" }], storedValue: { key: "bike:1", value: "Deimos" } }, undefined);
    expect(text).toBe('"bike:1" holds "Deimos", which INCR cannot read as a number (a whole number in the 64-bit range).');
  });

  it("names an argument that is not a number", () => {
    const text = explainError(reply.error("ERR value is not an integer or out of range"), { args: argv("INCRBY n abc"), keyTypes: [{ key: "n", type: "none" }] }, undefined);
    expect(text).toBe('"abc" is not a whole number; INCRBY expects a whole number there.');
  });

  it("without the server's docs, still blames a decimal where a whole number goes, not the stored value", () => {
    const text = explainError(reply.error("ERR value is not an integer or out of range"), { args: argv("INCRBY n 1.5"), keyTypes: [{ key: "n", type: "string" }], storedValue: { key: "n", value: "5" } }, undefined);
    expect(text).toBe('"1.5" is not a whole number; INCRBY expects a whole number there.');
  });
});

describe("what needs a yes on a server the learner brought", () => {
  it.each<[string, boolean]>([
    ["FLUSHALL", true],
    ["flushdb ASYNC", true],
    ["CONFIG SET maxmemory 1", true],
    ["CONFIG GET maxmemory", false],
    ["SCRIPT FLUSH", true],
    ["SCRIPT LOAD x", false],
    ["SHUTDOWN NOSAVE", true],
    ["DEBUG SLEEP 0", true],
    ["SET k v", false],
    ["KEYS *", false],
    ["EVAL \"return 1\" 0", true],
    ["EVALSHA abc 0", true],
    ["EVAL_RO \"return 1\" 0", true],
    ["FCALL f 0", true],
    ["FCALL_RO f 0", true],
    ["FUNCTION LOAD code", true],
    ["FUNCTION LIST", false],
    ["MODULE LOADEX /x.so", true],
    ["ACL SAVE", true],
    ["ACL WHOAMI", false],
  ])("%s: %s", (line, dangerous) => {
    expect(dangerReason(argv(line)) !== undefined).toBe(dangerous);
  });
});
