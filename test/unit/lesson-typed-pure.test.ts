import { describe, expect, it } from "vitest";
import { describeDifference, sameCommand } from "../../src/lessons/difference.js";
import { judgePrediction, pickedChoice, predictionNote, shuffle } from "../../src/lessons/predict.js";
import type { ArgDoc, CommandDoc, CommandDocs } from "../../src/redis/docs.js";
import { tokenize } from "../../src/redis/tokenize.js";

const argv = (line: string): Buffer[] => {
  const r = tokenize(line);
  if (!r.ok) throw new Error(line);
  return r.args;
};

const arg = (name: string, type: string, more: Partial<ArgDoc> = {}): ArgDoc => ({ name, type, optional: false, multiple: false, multipleToken: false, arguments: [], ...more });
const doc = (name: string, summary: string, args: ArgDoc[]): CommandDoc => ({ name, summary, group: "list", arguments: args, subcommands: [] });
/** A few commands as COMMAND DOCS describes them. */
const DOCS: CommandDocs = new Map([
  ["LPUSH", doc("LPUSH", "Prepends one or more elements to a list. Creates the key if it doesn't exist.", [arg("key", "key"), arg("element", "string", { multiple: true })])],
  ["LLEN", doc("LLEN", "Returns the length of a list.", [arg("key", "key")])],
  ["LRANGE", doc("LRANGE", "Returns a range of elements from a list.", [arg("key", "key"), arg("start", "integer"), arg("stop", "integer")])],
  ["LMOVE", doc("LMOVE", "Returns an element after popping it from one list and pushing it to another.", [arg("source", "key"), arg("destination", "key"), arg("wherefrom", "oneof"), arg("whereto", "oneof")])],
]);

describe("sameCommand: the name in any case, every other argument byte for byte", () => {
  it.each<[string, string, boolean]>([
    ["LPUSH k a b", "LPUSH k a b", true],
    ["LPUSH k a b", "lpush k a b", true],
    ["LPUSH k a b", 'LPUSH "k" \'a\' b', true],
    ["LPUSH k a b", "LPUSH K a b", false],
    ["LPUSH k a b", "LPUSH k a", false],
    ["LMOVE a b LEFT LEFT", "LMOVE a b left LEFT", false],
    ["SET k v", "SET k v EX 10", false],
  ])("%s vs %s → %s", (expected, typed, same) => {
    expect(sameCommand(argv(expected), argv(typed))).toBe(same);
  });
});

describe("describeDifference says in one line how a typed command differs from the step's", () => {
  it.each<[string, string, string, boolean]>([
    ["LPUSH k a", "RPUSH k a", "the step uses LPUSH; you typed RPUSH, which adds at the other end (the tail)", true],
    ["RPUSH k a", "lpush k a", "the step uses RPUSH; you typed LPUSH, which adds at the other end (the head)", true],
    ["LPOP k", "RPOP k", "the step uses LPOP; you typed RPOP, which takes from the other end (the tail)", true],
    ["SET k v", "SETNX k v", "the step uses SET; you typed SETNX, which sets the value only if the key does not exist yet", true],
    ["PEXPIRE k 100", "EXPIRE k 100", "the step uses PEXPIRE; you typed EXPIRE, which counts in seconds, not milliseconds", true],
    ["LRANGE k 0 -1", "LLEN k", "the step uses LRANGE; you typed LLEN, which does this: returns the length of a list", true],
    ["LRANGE k 0 -1", "LLEN k", "the step uses LRANGE; you typed LLEN", false],
    ["LPUSH bikes:repairs a", "LPUSH bikes:repair a", "same command, but the step uses the key bikes:repairs; you typed bikes:repair", true],
    ["LPUSH bikes:repairs a", "LPUSH bikes:repair a", "same command, but argument 1 is bikes:repairs in the step; you typed bikes:repair", false],
    ["LMOVE a b LEFT RIGHT", "LMOVE a b LEFT LEFT", "same command, but argument 4 is RIGHT in the step; you typed LEFT", true],
    ["LMOVE a b LEFT RIGHT", "LMOVE a b left RIGHT", "same command, but argument 3 is LEFT in the step; you typed left (upper and lower case differ)", true],
    ["LMOVE a b LEFT RIGHT", "LMOVE a c LEFT RIGHT", "same command, but the step uses the key b; you typed c", true],
    ["LPUSH k a b", "LPUSH k a", "same command, but you left out argument 3 (b): the step has 3 arguments", true],
    ["LRANGE k 0 -1", "LRANGE k 0 -1 5", "same command, but you added argument 4 (5), which the step does not have", true],
    ['SET k "a b"', "SET k a", 'same command, but argument 2 is "a b" in the step; you typed a', true],
    ["LPUSH k a", "FOO k a", "the step uses LPUSH; you typed FOO", true],
  ])("%s / %s", (expected, typed, line, withDocs) => {
    expect(describeDifference(argv(expected), argv(typed), withDocs ? DOCS : undefined)).toBe(line);
  });
});

describe("predictions", () => {
  it("shuffle keeps every item and follows its random source", () => {
    const items = ["a", "b", "c", "d"];
    expect(shuffle(items, () => 0)).toEqual(["b", "c", "d", "a"]);
    expect(shuffle(items, () => 0.999)).toEqual(["a", "b", "c", "d"]);
    expect([...shuffle(items)].sort()).toEqual(items);
    expect(items).toEqual(["a", "b", "c", "d"]);
  });

  it("shuffle reaches every order of three over many draws (never a fixed order)", () => {
    const seen = new Set<string>();
    let seed = 1;
    const random = (): number => ((seed = (seed * 16807) % 2147483647) - 1) / 2147483646;
    for (let i = 0; i < 200; i++) seen.add(shuffle(["x", "y", "z"], random).join(""));
    expect(seen.size).toBe(6);
  });

  it.each<[string, string | undefined]>([
    ["1", "(integer) 2"],
    ["3", "(error) x"],
    ["4", undefined],
    ["0", undefined],
    ["a", undefined],
  ])("key %s picks %s", (key, choice) => {
    expect(pickedChoice(["(integer) 2", "(integer) 4", "(error) x"], key)).toBe(choice);
  });

  it.each<[string, string, boolean]>([
    ["(integer) 4", "(integer) 4", true],
    ["4", "(integer) 4", true],
    ["2", "(integer) 4", false],
    ["bike:4 bike:3", '1) "bike:4"\n2) "bike:3"', true],
    ["bike:3 bike:4", '1) "bike:4"\n2) "bike:3"', false],
    ["nil", "(nil)", true],
    ["ok", "OK", false],
  ])("the guess %s against %j → %s", (guess, reply, right) => {
    expect(judgePrediction(guess, reply)).toBe(right);
  });

  it("as a note, names the question and the choices", () => {
    expect(predictionNote({ question: "Q?", choices: ["a", "b"], why: "W", line: 1, column: 1 })).toBe("Predict before you read on: Q? (a · b)");
    expect(predictionNote({ question: "Q?", why: "W", line: 1, column: 1 })).toBe("Predict before you read on: Q?");
  });
});
