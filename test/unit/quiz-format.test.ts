import { describe, expect, it } from "vitest";
import { formatProblem, parseLesson } from "../../src/lessons/parse.js";
import type { DoQuestion, QuizQuestion } from "../../src/lessons/schema.js";
import { shortTitle } from "../../src/quiz/title.js";

const HEAD = "id: q\ntitle: T\nsummary: S\nkeys: [k]\nsteps:\n  - {title: T, explain: E, run: PING}\nquiz:\n";
/** The quiz starts at line 8. */
const task = (extra: string): string =>
  "  - id: t\n    kind: do\n    task: Count to 15.\n    setup: [SET k 10]\n    goal: [{key: k, equals: '15'}]\n    hint: H\n    solution: [INCRBY k 5]\n" + extra;

const problems = (quiz: string): string[] => {
  const r = parseLesson(HEAD + quiz, "q.yaml");
  return r.ok ? [] : r.problems.map(formatProblem);
};
const parsed = (quiz: string): DoQuestion => {
  const r = parseLesson(HEAD + quiz, "q.yaml");
  if (!r.ok) throw new Error(r.problems.map(formatProblem).join("\n"));
  return r.lesson.quiz[0] as DoQuestion;
};

describe("require, forbid and wrong", () => {
  it("read into rules and sequences, with where each is written", () => {
    const q = parsed(
      task(
        "    require:\n      - command: [INCR, INCRBY]\n        why: count\n" +
          "    forbid:\n      - command: SET\n        without: NX\n        why: no plain SET\n" +
          "    wrong:\n      - SET k 15\n      - - DEL k\n        - INCRBY k 15\n",
      ),
    );
    expect(q.require).toEqual([{ commands: ["INCR", "INCRBY"], with: [], without: [], why: "count", line: 16, column: 9 }]);
    expect(q.forbid).toEqual([{ commands: ["SET"], with: [], without: ["NX"], why: "no plain SET", line: 19, column: 9 }]);
    expect(q.wrong.map((w) => [w.line, w.column, w.commands.map((c) => c.text)])).toEqual([
      [23, 9, ["SET k 15"]],
      [24, 9, ["DEL k", "INCRBY k 15"]],
    ]);
  });

  it.each<[string, string, string]>([
    ["a task without wrong", task(""), "q.yaml:8:5: quiz[0].wrong: missing: add `wrong:` with at least one list of commands that reaches the goal a way the task rules out, e.g. - SET counter 15"],
    ["an empty wrong", task("    wrong: []\n"), "q.yaml:15:12: quiz[0].wrong: add `wrong:` with at least one list of commands that reaches the goal a way the task rules out, e.g. - SET counter 15"],
    ["a rule without why", task("    forbid:\n      - command: SET\n    wrong: [SET k 15]\n"), "q.yaml:16:9: quiz[0].forbid[0].why: missing: say why the task wants or rules out these commands; the learner reads it"],
    ["a rule without command", task("    require:\n      - {with: NX, why: W}\n    wrong: [SET k 15]\n"), "q.yaml:16:9: quiz[0].require[0].command: missing: add `command:`, e.g. - {command: [INCR, INCRBY], why: ...} or - {command: SET, without: NX, why: ...}"],
    ["a rule with an unknown field", task("    forbid:\n      - {command: SET, unless: NX, why: W}\n    wrong: [SET k 15]\n"), "q.yaml:16:24: quiz[0].forbid[0].unless: unknown field"],
    ["a rule whose words are not words", task("    forbid:\n      - {command: SET, with: [{a: 1}], why: W}\n    wrong: [SET k 15]\n"), "q.yaml:16:30: quiz[0].forbid[0].with: must be a word or a list of words, e.g. NX or [INCR, INCRBY]"],
    ["forbid that is not a list", task("    forbid: SET\n    wrong: [SET k 15]\n"), "q.yaml:15:13: quiz[0].forbid: must be a list of rules, e.g. - {command: [INCR, INCRBY], why: ...} or - {command: SET, without: NX, why: ...}"],
    ["a wrong command with an unbalanced quote", task("    wrong:\n      - - 'SET k \"15'\n"), 'q.yaml:16:11: quiz[0].wrong[0][0]: unbalanced quote'],
    ["a wrong command YAML read as a mapping", task("    wrong:\n      - [SET k model: x]\n"), "q.yaml:16:10: quiz[0].wrong[0][0]: YAML read this command as a mapping"],
  ])("%s", (_name, quiz, problem) => {
    expect(problems(quiz).some((p) => p.startsWith(problem))).toBe(true);
  });
});

describe("a question's short name in the score table", () => {
  const choose = (question: string, title?: string): QuizQuestion => ({ id: "a", kind: "choose", question, choices: [], line: 1, column: 1, ...(title && { title }) });
  it.each<[string, QuizQuestion, string]>([
    ["its title when it has one", choose("Anything at all", "SET ... NX on a key that exists"), "SET ... NX on a key that exists"],
    ["else its first line, without backticks", choose("`bike:1` holds a bike.\nWhat then?"), "bike:1 holds a bike."],
    ["cut at a word to fit", choose("Both `GETSET bikes:rentals 0` and `SET bikes:rentals 0 GET` store 0"), "Both GETSET bikes:rentals 0 and SET…"],
  ])("%s", (_name, q, text) => {
    expect(shortTitle(q)).toBe(text);
  });

  it("title: is read from the file", () => {
    const r = parseLesson(HEAD + "  - {id: a, kind: predict, title: A short name, question: Q, ask: GET k, expect: (nil), explain: E}\n", "q.yaml");
    expect(r.ok && r.lesson.quiz[0]?.title).toBe("A short name");
  });
});
