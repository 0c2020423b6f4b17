import { describe, expect, it } from "vitest";
import { account, describeRefusal, describeRefused, describeRule, forbiddenBy, judgeTask, refusalOf, ruleMatches, unmetRequires, type CommandFacts } from "../../src/quiz/judge.js";
import type { GoalVerdict } from "../../src/quiz/goals.js";
import type { CommandRule, Goal } from "../../src/lessons/schema.js";
import { reply, type Reply } from "../../src/redis/reply-types.js";
import { tokenize } from "../../src/redis/tokenize.js";

const rule = (commands: string[], more: Partial<CommandRule> = {}): CommandRule => ({ commands, with: [], without: [], why: "because", line: 1, column: 1, ...more });
const args = (line: string): Buffer[] => {
  const split = tokenize(line);
  if (!split.ok) throw new Error(`cannot split ${line}`);
  return split.args;
};

describe("a rule matches commands by name and option words", () => {
  it.each<[string, CommandRule, string, boolean]>([
    ["a named command", rule(["INCR", "INCRBY"]), "INCRBY bikes:rentals 5", true],
    ["the name in any case", rule(["INCR", "INCRBY"]), "incrby bikes:rentals 5", true],
    ["another command", rule(["INCR", "INCRBY"]), "INCRBYFLOAT bikes:rentals 5", false],
    ["SET with NX", rule(["SET"], { with: ["NX"] }), "SET bike:2 Ares NX", true],
    ["SET with nx in lower case", rule(["SET"], { with: ["NX"] }), "set bike:2 Ares nx", true],
    ["SET without NX is not SET with NX", rule(["SET"], { with: ["NX"] }), "SET bike:2 Ares", false],
    ["a plain SET is SET without NX", rule(["SET"], { without: ["NX"] }), "SET bike:2 Ares", true],
    ["SET NX is not a plain SET", rule(["SET"], { without: ["NX"] }), "SET bike:2 Ares NX GET", false],
    ["SET ... EX is still a plain SET", rule(["SET"], { without: ["NX"] }), "SET bike:2 Ares EX 60", true],
    ["every with word is needed", rule(["SET"], { with: ["NX", "EX"] }), "SET k v NX", false],
    ["every with word, in any order", rule(["SET"], { with: ["NX", "EX"] }), "SET k v EX 5 NX", true],
    ["a quoted argument is a word like any other", rule(["SET"], { with: ["NX"] }), 'SET k v "NX"', true],
    ["a two-word command", rule(["CONFIG SET"]), "config set maxmemory 1mb", true],
    ["the same first word, another second", rule(["CONFIG SET"]), "CONFIG GET maxmemory", false],
    ["a command name given as an argument does not count", rule(["DEL"]), "GET DEL", false],
  ])("%s", (_name, r, line, matches) => {
    expect(ruleMatches(r, args(line))).toBe(matches);
  });
});

describe("forbid refuses, require asks", () => {
  const counting = {
    require: [rule(["INCR", "INCRBY"])],
    forbid: [rule(["SET", "MSET"], { why: "not counting" }), rule(["DEL"])],
  };
  it.each<[string, string, string | undefined]>([
    ["SET is refused by the first rule", "SET bikes:rentals 15", "not counting"],
    ["DEL by the second", "DEL bikes:rentals", "because"],
    ["INCRBY is allowed", "INCRBY bikes:rentals 5", undefined],
    ["GET is allowed", "GET bikes:rentals", undefined],
  ])("%s", (_name, line, why) => {
    expect(forbiddenBy(counting, args(line))?.why).toBe(why);
  });

  it.each<[string, string[], number]>([
    ["nothing ran", [], 1],
    ["only reads ran", ["GET bikes:rentals"], 1],
    ["INCR ran", ["GET bikes:rentals", "INCR bikes:rentals"], 0],
    ["INCRBY ran", ["INCRBY bikes:rentals 5"], 0],
  ])("%s: %i unmet", (_name, lines, unmet) => {
    expect(unmetRequires(counting, lines.map(args))).toHaveLength(unmet);
  });
});

describe("a task is done when the goal holds and every require is met", () => {
  const goal: Goal = { key: "k", line: 1, kind: "equals", value: "15" };
  const holds: GoalVerdict = { goal, ok: true, detail: "" };
  const differs: GoalVerdict = { goal, ok: false, detail: 'k is "10", not "15"' };
  const rules = { require: [rule(["INCRBY"])], forbid: [] };
  it.each<[string, GoalVerdict[], string[], boolean, number, number]>([
    ["goal and require", [holds], ["INCRBY k 5"], true, 0, 0],
    ["goal without require", [holds], ["GET k"], false, 0, 1],
    ["require without goal", [differs], ["INCRBY k 4"], false, 1, 0],
    ["neither", [differs], [], false, 1, 1],
  ])("%s", (_name, verdicts, ran, done, open, unmet) => {
    const v = judgeTask(rules, ran.map(args), verdicts);
    expect([v.done, v.open.length, v.unmet.length]).toEqual([done, open, unmet]);
  });
});

describe("what counts as run", () => {
  const { status, error, array, integer } = reply;
  const step = (state: { ran: Buffer[][]; queued: Buffer[][]; inMulti: boolean }, line: string, r: Reply) => {
    const a = args(line);
    const next = account(a, r, state.inMulti, state.ran, state.queued);
    const name = line.split(" ")[0]?.toUpperCase();
    const inMulti = name === "MULTI" ? true : name === "EXEC" || name === "DISCARD" ? false : state.inMulti;
    return { ...next, inMulti };
  };
  const texts = (ran: Buffer[][]): string[] => ran.map((a) => a.map((b) => b.toString()).join(" "));
  it.each<[string, [string, Reply][], string[]]>([
    ["a command that ran", [["INCR k", integer(11)]], ["INCR k"]],
    ["a command the server refused", [["INCR k", error("ERR value is not an integer")]], []],
    ["queued commands count once EXEC ran them", [["MULTI", status("OK")], ["INCR k", status("QUEUED")], ["EXEC", array(integer(11))]], ["MULTI", "INCR k"]],
    ["queued commands do not count after DISCARD", [["MULTI", status("OK")], ["INCR k", status("QUEUED")], ["DISCARD", status("OK")]], ["MULTI"]],
    ["a queued command that failed inside EXEC does not count", [["MULTI", status("OK")], ["INCR k", status("QUEUED")], ["EXEC", array(error("ERR not an integer"))]], ["MULTI"]],
  ])("%s", (_name, steps, ran) => {
    let state = { ran: [] as Buffer[][], queued: [] as Buffer[][], inMulti: false };
    for (const [line, r] of steps) state = step(state, line, r);
    expect(texts(state.ran)).toEqual(ran);
  });
});

describe("rules are named in messages", () => {
  it.each<[CommandRule, string]>([
    [rule(["incr", "incrby"]), "INCR or INCRBY"],
    [rule(["SET", "MSET", "GETSET"]), "SET, MSET or GETSET"],
    [rule(["SET"], { with: ["nx"] }), "SET with NX"],
    [rule(["SET"], { without: ["NX"] }), "SET without NX"],
  ])("%j", (r, text) => {
    expect(describeRule(r)).toBe(text);
  });
});

describe("a refusal names the command as typed", () => {
  it.each<[CommandRule, string, string]>([
    [rule(["DEL", "UNLINK", "LPOP"]), "unlink k", "UNLINK"],
    [rule(["SET", "MSET"], { without: ["NX"] }), "SET k v", "SET without NX"],
    [rule(["CONFIG SET"]), "config set maxmemory 1", "CONFIG SET"],
  ])("%j refusing %s", (r, line, text) => {
    expect(describeRefused(r, args(line))).toBe(text);
  });
});

describe("writes and scripts: the roundabout ways a forbid list cannot name", () => {
  const goal = (key: string): Goal => ({ key, line: 1, kind: "equals", value: "15" });
  const counter = {
    require: [rule(["INCR", "INCRBY"])],
    forbid: [rule(["SET"])],
    writes: [rule(["INCR", "INCRBY", "DECR", "DECRBY"], { why: "only counting" })],
    goal: [goal("bikes:rentals")],
  };
  const writing = (...keys: string[]): CommandFacts => ({ keys: keys.map((k) => Buffer.from(k)), writes: true });
  it.each<[string, string, CommandFacts, string | undefined]>([
    ["a counting command may write the counter", "INCRBY bikes:rentals 5", writing("bikes:rentals"), undefined],
    ["COPY onto the counter is refused", "COPY tmp bikes:rentals REPLACE", writing("tmp", "bikes:rentals"), "COPY would change bikes:rentals, which this task changes only with INCR, INCRBY, DECR or DECRBY."],
    ["RENAME onto the counter is refused", "RENAME tmp bikes:rentals", writing("tmp", "bikes:rentals"), "RENAME would change bikes:rentals, which this task changes only with INCR, INCRBY, DECR or DECRBY."],
    ["a write to another key is none of the task's business", "SETNX other 1", writing("other"), undefined],
    ["a read of the counter is fine", "GET bikes:rentals", { keys: [Buffer.from("bikes:rentals")], writes: false }, undefined],
    ["a forbid rule speaks first", "SET bikes:rentals 15", writing("bikes:rentals"), "this task rules out SET."],
    ["a script is refused, whatever it names", "EVAL \"return 1\" 0", { keys: [], writes: true }, "this task does not take EVAL."],
    ["a function call is refused", "FCALL f 0", { keys: [], writes: true }, "this task does not take FCALL."],
  ])("%s", (_name, line, facts, said) => {
    const refusal = refusalOf(counter, args(line), facts);
    expect(refusal && describeRefusal(refusal, args(line))).toBe(said);
  });

  it("a task whose own rules name a script takes it", () => {
    const scripted = { require: [rule(["EVAL"])], forbid: [], writes: [], goal: [goal("k")] };
    expect(refusalOf(scripted, args('EVAL "return 1" 0'), { keys: [], writes: true })).toBeUndefined();
    expect(refusalOf(scripted, args("FCALL f 0"), { keys: [], writes: true })?.kind).toBe("script");
  });

  it("without writes rules, any command may write the goal's keys", () => {
    expect(refusalOf({ ...counter, writes: [] }, args("COPY tmp bikes:rentals"), writing("bikes:rentals"))).toBeUndefined();
  });
});
