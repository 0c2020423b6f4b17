import { describe, expect, it } from "vitest";
import { formatProblem, parseLesson } from "../../src/lessons/parse.js";

const FILE = "lessons/09-test.yaml";
const lesson = (steps: string): string => `id: demo\ntitle: Demo\nsummary: A demo.\nkeys: [k]\nsteps:\n${steps}`;
/** One step; its body starts on line 8, indented by 4. */
const step = (body: string): string => lesson(`  - title: T\n    explain: E\n${body}`);
const problems = (text: string): string[] => {
  const r = parseLesson(text, FILE);
  return r.ok ? [] : r.problems.map(formatProblem);
};

describe("a step's predict: is read", () => {
  it("with choices, a question and why", () => {
    const r = parseLesson(
      step(`    run: RPUSH k a b
    expect: (integer) 2
    predict:
      question: How long is the list?
      choices: ["(integer) 1", "(integer) 2", "(error) ERR"]
      why: |
        RPUSH replies with the new length.
`),
      FILE,
    );
    expect(r.ok).toBe(true);
    if (!r.ok) return;
    expect(r.lesson.steps[0]?.predict).toEqual({
      question: "How long is the list?",
      choices: ["(integer) 1", "(integer) 2", "(error) ERR"],
      why: "RPUSH replies with the new length.",
      line: 11,
      column: 7,
    });
  });

  it("without choices or question: the learner types the reply to the default question", () => {
    const r = parseLesson(step(`    run: GET k\n    expect: (nil)\n    predict:\n      why: Nothing was set.\n`), FILE);
    expect(r.ok && r.lesson.steps[0]?.predict).toMatchObject({ question: "What will Redis reply?", why: "Nothing was set." });
    expect(r.ok && r.lesson.steps[0]?.predict?.choices).toBeUndefined();
  });

  it("a right choice written as redis-cli's numbered lines or as words is the same reply", () => {
    const r = parseLesson(step(`    run: LRANGE k 0 -1\n    expect: |-\n      1) "a"\n      2) "b"\n    predict:\n      choices: ['a b', 'b a']\n      why: W\n`), FILE);
    expect(r.ok).toBe(true);
  });
});

describe("a broken predict: is reported at file:line:column", () => {
  it.each<[string, string, string]>([
    ["no why", step("    run: GET k\n    expect: (nil)\n    predict:\n      question: Q?\n"), `${FILE}:11:7: steps[0].predict.why: missing: add \`why:\``],
    ["an unknown field", step("    run: GET k\n    expect: (nil)\n    predict:\n      why: W\n      answer: x\n"), `${FILE}:12:7: steps[0].predict.answer: unknown field; expected one of: question, choices, why`],
    ["no expect on the step", step("    run: GET k\n    predict:\n      why: W\n"), `${FILE}:10:7: steps[0].predict: the step needs an \`expect:\``],
    ["several commands", step("    run: [GET k, GET k]\n    expect: [(nil), (nil)]\n    predict:\n      why: W\n"), `${FILE}:11:7: steps[0].predict: a prediction needs a step with exactly one \`run\` command (this one has 2)`],
    ["a blocking step", step("    run: BLPOP k 0\n    blocks: true\n    predict:\n      why: W\n  - {title: R, explain: E, receive: true}\n"), `${FILE}:11:7: steps[0].predict: a blocking step cannot ask for a prediction`],
    ["no right choice", step("    run: GET k\n    expect: (nil)\n    predict:\n      choices: ['\"a\"', '\"b\"']\n      why: W\n"), `${FILE}:11:16: steps[0].predict.choices: none of the choices is the step's \`expect\``],
    ["one choice only", step("    run: GET k\n    expect: (nil)\n    predict:\n      choices: ['(nil)']\n      why: W\n"), `${FILE}:11:16: steps[0].predict.choices: must be a list of 2 to 5 replies`],
    ["six choices", step("    run: GET k\n    expect: (nil)\n    predict:\n      choices: [(nil), a, b, c, d, e]\n      why: W\n"), `${FILE}:11:16: steps[0].predict.choices: must be a list of 2 to 5 replies`],
    ["two choices that are the same reply", step("    run: INCR k\n    expect: (integer) 1\n    predict:\n      choices: ['(integer) 1', '1', '2']\n      why: W\n"), `${FILE}:11:32: steps[0].predict.choices[1]: says the same as choices[0]`],
    ["not a mapping", step("    run: GET k\n    expect: (nil)\n    predict: yes\n"), `${FILE}:10:14: steps[0].predict: must be a mapping`],
  ])("%s", (_name, text, expected) => {
    const found = problems(text);
    expect(found.some((p) => p.startsWith(expected)), found.join("\n")).toBe(true);
  });
});
