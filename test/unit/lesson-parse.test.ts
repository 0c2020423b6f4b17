import { describe, expect, it } from "vitest";
import { formatProblem, parseLesson } from "../../src/lessons/parse.js";

const FILE = "lessons/09-test.yaml";
const lesson = (steps: string, head = "id: demo\ntitle: Demo\nsummary: A demo.\nkeys: [k]\n"): string => `${head}steps:\n${steps}`;
const problems = (text: string): string[] => {
  const r = parseLesson(text, FILE);
  return r.ok ? [] : r.problems.map(formatProblem);
};

describe("parseLesson reads a valid lesson", () => {
  it("with one-line and list runs, expectations, clients and waits", () => {
    const r = parseLesson(
      lesson(`  - title: Set
    explain: Sets it.
    run: SET k "a b"
    expect: OK
  - title: Two
    explain: Two commands.
    run:
      - GET k
      - STRLEN k
    expect:
      - '"a b"'
      - (integer) 3
    note: Done.
    wait: 0.5
  - title: Block
    explain: B waits.
    client: B
    run: BLPOP k 0
    blocks: true
  - title: Get it
    explain: B gets it.
    client: B
    receive: true
    expect: |-
      1) "k"
      2) "x"
`),
      FILE,
    );
    expect(r.ok).toBe(true);
    if (!r.ok) return;
    const [set, two, block, receive] = r.lesson.steps;
    expect(set?.run[0]?.args.map(String)).toEqual(["SET", "k", "a b"]);
    expect(set?.run[0]?.expect).toBe("OK");
    expect(two?.run.map((c) => c.expect)).toEqual(['"a b"', "(integer) 3"]);
    expect(two?.wait).toBe(0.5);
    expect(two?.note).toBe("Done.");
    expect(block).toMatchObject({ client: "B", blocks: true });
    expect(receive?.run[0]?.expect).toBe('1) "k"\n2) "x"');
    expect(set?.line).toBe(6);
  });
});

const step2 = (body: string): string => lesson(`  - title: T\n    explain: E\n${body}`);

describe("parseLesson reports each problem at file:line:column with the field", () => {
  const step = (body: string): string => lesson(`  - title: T\n    explain: E\n${body}`);
  it.each<[string, string, string]>([
    ["invalid YAML", "id: demo\ntitle: [unclosed\n", `${FILE}:3:1: invalid YAML`],
    ["an unknown top-level field", lesson("  - {title: T, explain: E, run: PING}\n") + "colour: red\n", `${FILE}:7:1: colour: unknown field; expected one of: id, title, summary, requires, keys, steps`],
    ["an unknown step field", step("    run: PING\n    expct: PONG\n"), `${FILE}:9:5: steps[0].expct: unknown field`],
    ["a missing command", step("    expect: PONG\n"), `${FILE}:6:5: steps[0].run: missing: add \`run:\``],
    ["an unbalanced quote", step('    run: GET "abc\n'), `${FILE}:8:14: steps[0].run: unbalanced quote`],
    ["text after a closing quote", step('    run: GET "a"b\n'), `${FILE}:8:17: steps[0].run: a closing quote must be followed by a space`],
    ["a missing title", lesson("  - explain: E\n    run: PING\n"), `${FILE}:6:5: steps[0].title: missing`],
    ["a missing id", "title: T\nsummary: S\nkeys: []\nsteps:\n  - {title: T, explain: E, run: PING}\n", `${FILE}:1:1: id: missing`],
    ["a bad id", lesson("  - {title: T, explain: E, run: PING}\n", "id: My Lesson\ntitle: T\nsummary: S\nkeys: []\n"), `${FILE}:1:5: id: use lower-case letters`],
    ["no steps", "id: a\ntitle: T\nsummary: S\nkeys: []\nsteps: []\n", `${FILE}:5:8: steps: must be a list of at least one step`],
    ["a bad client", step("    run: PING\n    client: b\n"), `${FILE}:9:13: steps[0].client: must be one capital letter`],
    ["a bad wait", step("    run: PING\n    wait: soon\n"), `${FILE}:9:11: steps[0].wait: must be a number of seconds`],
    ["blocks not boolean", step("    run: PING\n    blocks: yes please\n"), `${FILE}:9:13: steps[0].blocks: must be true or false`],
    ["expect count mismatch", step("    run: [GET a, GET b]\n    expect: [(nil)]\n"), `${FILE}:9:13: steps[0].expect: has 1 replies for 2 command(s)`],
    ["a list expect for one command", step("    run: GET a\n    expect: [(nil)]\n"), `${FILE}:9:13: steps[0].expect: \`run\` is one command`],
    ["receive without a blocked client", step("    receive: true\n"), `${FILE}:6:5: steps[0]: client A has no blocked command to receive from`],
    ["a blocked client never received", step("    run: BLPOP k 0\n    blocks: true\n"), `${FILE}:6:5: steps[0]: client A blocks and its reply is never received`],
    ["several lines in one run", step("    run: |\n      SET k v\n      GET k\n"), `${FILE}:8:10: steps[0].run: one command per line`],
    ["expect on a blocking step", step("    run: BLPOP k 0\n    blocks: true\n    expect: (nil)\n  - {title: R, explain: E, receive: true}\n"), `${FILE}:10:13: steps[0].expect: a blocking step's reply is shown by its \`receive: true\` step`],
    ["a bare number as expect", step("    run: INCR k\n    expect: 1\n"), `${FILE}:9:13: steps[0].expect: must be the reply as redis-cli prints it`],
    ["an unquoted version", lesson("  - {title: T, explain: E, run: PING}\n", "id: a\ntitle: T\nsummary: S\nkeys: []\nrequires:\n  redis: 6.10\n"), `${FILE}:6:10: requires.redis: must be a version in quotes`],
    ["a # that YAML took for a comment", step('    run: SET k "on sale #1"\n'), `${FILE}:8:16: steps[0].run: unbalanced quote: close the quote, or escape it as \\" inside double quotes (YAML reads ' #' as the start of a comment`],
    ["a column counted in characters, not bytes", step('    run: SET prix €5 "cinq\n'), `${FILE}:8:22: steps[0].run: unbalanced quote`],
    ["a version that is not a string version", lesson("  - {title: T, explain: E, run: PING}\n", "id: a\ntitle: T\nsummary: S\nkeys: []\nrequires:\n  redis: latest\n"), `${FILE}:6:10: requires.redis: must be a version`],
  ])("%s", (_name, text, expected) => {
    const found = problems(text);
    expect(found.length).toBeGreaterThan(0);
    expect(found.some((p) => p.startsWith(expected))).toBe(true);
  });

  it("reports every problem, not just the first, in the order of the file", () => {
    const found = problems(lesson("  - title: T\n    explain: E\n    colour: red\n    run: GET \"x\n"));
    expect(found).toHaveLength(2);
    expect(found[0]).toMatch(/:8:5: steps\[0\]\.colour/);
    expect(found[1]).toMatch(/:9:14: steps\[0\]\.run/);
  });

  it("a broken command does not also draw a complaint about the number of replies", () => {
    expect(problems(step2("    run: [GET a, 'GET \"b']\n    expect: [(nil), (nil)]\n"))).toHaveLength(1);
  });
});

describe("the parsed-lesson cache", () => {
  it("gives back the lesson it was given, bytes included", async () => {
    const { serializeLesson, deserializeLesson } = await import("../../src/lessons/cache.js");
    const r = parseLesson(
      lesson(`  - {title: T, explain: E, run: 'SET k "\\xff\\x00"', expect: OK}\n`) +
        "quiz:\n  - {id: a, kind: predict, question: Q, setup: [SET k v], ask: GET k, expect: '\"v\"', explain: E}\n" +
        "  - {id: b, kind: do, task: T, hint: H, setup: [DEL k], solution: [SET k v], goal: [{key: k, equals: v}], forbid: [{command: MSET, why: W}], wrong: [[MSET k v]]}\n",
      FILE,
    );
    expect(r.ok).toBe(true);
    if (!r.ok) return;
    const { file: _file, ...stored } = r.lesson;
    const back = deserializeLesson(serializeLesson(stored));
    expect(back).toEqual(stored);
    expect(back.steps[0]?.run[0]?.args[2]).toEqual(Buffer.from([0xff, 0x00]));
    const task = back.quiz[1];
    expect(task?.kind === "do" && task.wrong[0]?.commands[0]?.args).toEqual([Buffer.from("MSET"), Buffer.from("k"), Buffer.from("v")]);
  });
});

describe("lesson summaries for list, progress and the home screen", () => {
  it("come from any lesson folder, loading the files that the build did not see", async () => {
    const { mkdtempSync, copyFileSync, rmSync } = await import("node:fs");
    const os = await import("node:os");
    const path = await import("node:path");
    const { lessonSummaries } = await import("../../src/lessons/load.js");
    const dir = mkdtempSync(path.join(os.tmpdir(), "rl-summaries-"));
    try {
      copyFileSync(path.join(__dirname, "../fixtures/lessons/quiz-demo.yaml"), path.join(dir, "01-demo.yaml"));
      expect(await lessonSummaries(dir)).toEqual([
        { id: "quiz-demo", title: "Quiz demo", summary: "A tiny lesson whose quiz the tests answer.", requires: { modules: [] }, steps: 1, questions: 3 },
      ]);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });
});
