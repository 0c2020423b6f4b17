import { mkdtempSync, readdirSync, rmSync, writeFileSync, mkdirSync, readFileSync } from "node:fs";
import os from "node:os";
import path from "node:path";
import { afterEach, describe, expect, it } from "vitest";
import { judgeGoal, predictionWords, samePrediction } from "../../src/quiz/goals.js";
import { orderQuestions } from "../../src/quiz/run.js";
import { ProgressStore } from "../../src/progress/store.js";
import { reply, type Reply } from "../../src/redis/reply-types.js";
import type { Goal, QuizQuestion } from "../../src/lessons/schema.js";
import { parseLesson, formatProblem } from "../../src/lessons/parse.js";

const { status, bulk, integer, array, nil } = reply;
const goal = (g: Record<string, unknown>): Goal => ({ key: "k", line: 1, ...g }) as Goal;

describe("goals judge the server's state", () => {
  it.each<[string, Goal, Reply, Reply | undefined, boolean, string]>([
    ["a string that equals", goal({ kind: "equals", value: "Deimos" }), status("string"), bulk("Deimos"), true, ""],
    ["a string that differs", goal({ kind: "equals", value: "Deimos" }), status("string"), bulk("Ares"), false, 'k is "Ares", not "Deimos"'],
    ["a missing string", goal({ kind: "equals", value: "x" }), status("none"), nil(), false, "k does not exist"],
    ["a list in order", goal({ kind: "list", items: ["a", "b"] }), status("list"), array(bulk("a"), bulk("b")), true, ""],
    ["a list out of order", goal({ kind: "list", items: ["a", "b"] }), status("list"), array(bulk("b"), bulk("a")), false, "k is [b, a], not [a, b]"],
    ["a list that is a string", goal({ kind: "list", items: ["a"] }), status("string"), array(), false, "k is a string, not a list"],
    ["a hash", goal({ kind: "hash", fields: { f: "v" } }), status("hash"), array(bulk("f"), bulk("v")), true, ""],
    ["a hash with one field too many", goal({ kind: "hash", fields: { f: "v" } }), status("hash"), array(bulk("f"), bulk("v"), bulk("g"), bulk("w")), false, "k is {f: v, g: w}"],
    ["an absent key", goal({ kind: "absent" }), status("none"), integer(0), true, ""],
    ["a key that is still there", goal({ kind: "absent" }), status("list"), integer(1), false, "k still exists (a list)"],
    ["a TTL in range", goal({ kind: "ttl", min: 50, max: 100 }), status("string"), integer(60), true, ""],
    ["no TTL", goal({ kind: "ttl", min: 50, max: 100 }), status("string"), integer(-1), false, "k has no TTL"],
    ["a TTL out of range", goal({ kind: "ttl", min: 50, max: 100 }), status("string"), integer(3600), false, "k has a TTL of 3600 s, not between 50 and 100"],
    ["a type", goal({ kind: "type", type: "list" }), status("list"), status("list"), true, ""],
  ])("%s", (_name, g, type, value, ok, detail) => {
    expect(judgeGoal(g, type, value)).toMatchObject({ ok, detail });
  });
});

describe("a predicted reply may be typed on one line", () => {
  it.each<[string, string, boolean]>([
    ['1) "d"\n2) "c"', "d c", true],
    ['1) "d"\n2) "c"', '"d", "c"', true],
    ['1) "d"\n2) "c"', '1) "d" 2) "c"', true],
    ['1) "d"\n2) "c"', "c d", false],
    ["(integer) 3", "3", true],
    ["(integer) 3", "(integer) 3", true],
    ["(integer) 3", "4", false],
    ["(nil)", "nil", true],
    ["(nil)", "(nil)", true],
    ["OK", "OK", true],
    ['"Deimos"', "Deimos", true],
    ["(empty array)", "(empty array)", true],
    ["(integer) -1", "-1", true],
  ])("%j answered %j: %s", (expected, typed, same) => {
    expect(samePrediction(typed, expected)).toBe(same);
  });

  it("reads a quoted value with spaces as one word", () => {
    expect(predictionWords('"a b" c')).toEqual(["a b", "c"]);
  });
});

describe("missed questions come first", () => {
  const q = (id: string): QuizQuestion => ({ id, kind: "choose", question: id, choices: [], line: 1, column: 1 });
  it("keeps the lesson's order otherwise", () => {
    expect(orderQuestions([q("a"), q("b"), q("c"), q("d")], ["c", "a"]).map((x) => x.id)).toEqual(["a", "c", "b", "d"]);
  });
});

describe("the progress file", () => {
  const dirs: string[] = [];
  afterEach(() => dirs.splice(0).forEach((d) => rmSync(d, { recursive: true, force: true })));
  const storeIn = (): { store: ProgressStore; dir: string } => {
    const dir = mkdtempSync(path.join(os.tmpdir(), "rl-progress-"));
    dirs.push(dir);
    return { store: new ProgressStore({ XDG_CONFIG_HOME: dir }), dir };
  };

  it("is versioned JSON in XDG_CONFIG_HOME/redis-learn", () => {
    const { store, dir } = storeIn();
    store.update((p) => (p.lessons.lists = { step: 3, completed: false, updatedAt: "t" }));
    expect(JSON.parse(readFileSync(path.join(dir, "redis-learn", "progress.json"), "utf8"))).toMatchObject({ version: 2, lessons: { lists: { step: 3 } } });
    expect(store.load().progress.lessons.lists?.step).toBe(3);
  });

  it.each([
    ["corrupt", "{not json", /could not be read as JSON/],
    ["from a newer redis-learn", JSON.stringify({ version: 99, lessons: {}, quizzes: {} }), /written by a newer redis-learn \(format 99/],
    ["of the wrong shape", JSON.stringify([1, 2]), /is not a progress record/],
  ])("that is %s is set aside, never overwritten, and reported", (_name, content, notice) => {
    const { store, dir } = storeIn();
    mkdirSync(path.join(dir, "redis-learn"), { recursive: true });
    writeFileSync(store.file, content);
    const loaded = store.load();
    expect(loaded.notice).toMatch(notice);
    expect(loaded.progress).toEqual({ version: 2, lessons: {}, quizzes: {}, reviews: {} });
    const aside = readdirSync(path.join(dir, "redis-learn")).filter((f) => f.endsWith(".bad"));
    expect(aside).toHaveLength(1);
    expect(readFileSync(path.join(dir, "redis-learn", aside[0] as string), "utf8")).toBe(content);
  });
});

describe("the quiz format", () => {
  const head = "id: q\ntitle: T\nsummary: S\nkeys: [k]\nsteps:\n  - {title: T, explain: E, run: PING}\nquiz:\n";
  const problems = (quiz: string): string[] => {
    const r = parseLesson(head + quiz, "q.yaml");
    return r.ok ? [] : r.problems.map(formatProblem);
  };
  it.each<[string, string, RegExp]>([
    ["a kind that does not exist", "  - {id: a, kind: guess, question: Q}\n", /quiz\[0\]\.kind: must be choose, predict or do/],
    ["a choose without a right answer", "  - id: a\n    kind: choose\n    question: Q\n    choices:\n      - {text: x, why: w}\n      - {text: y, why: w}\n", /exactly one choice must have correct: true/],
    ["a predict without expect", "  - {id: a, kind: predict, question: Q, ask: GET k, explain: E}\n", /quiz\[0\]\.expect: missing/],
    ["a do without goal", "  - {id: a, kind: do, task: T, hint: H, solution: [SET k v]}\n", /quiz\[0\]\.goal: give at least one check/],
    ["a goal with two checks", "  - {id: a, kind: do, task: T, hint: H, solution: [SET k v], goal: [{key: k, equals: v, absent: true}]}\n", /quiz\[0\]\.goal\[0\]: give exactly one of/],
    ["a bad TTL range", "  - {id: a, kind: do, task: T, hint: H, solution: [SET k v], goal: [{key: k, ttl: [100, 50]}]}\n", /ttl: must be \[min, max\]/],
    ["a field that does not belong", "  - {id: a, kind: choose, question: Q, ask: GET k, choices: [{text: x, why: w, correct: true}, {text: y, why: w}]}\n", /quiz\[0\]\.ask: unknown field/],
    ["a duplicated id", "  - {id: a, kind: predict, question: Q, ask: GET k, expect: (nil), explain: E}\n  - {id: a, kind: predict, question: Q, ask: GET k, expect: (nil), explain: E}\n", /ids must be unique/],
    ["an unbalanced quote in a solution", "  - {id: a, kind: do, task: T, hint: H, solution: ['SET k \"v'], goal: [{key: k, equals: v}]}\n", /quiz\[0\]\.solution\[0\]: unbalanced quote/],
  ])("%s", (_name, quiz, message) => {
    expect(problems(quiz).some((p) => message.test(p))).toBe(true);
  });
});
