import { describe, expect, it } from "vitest";
import { formatProblem, parseLesson, MAX_NESTING } from "../../src/lessons/parse.js";
import { findInvalidUtf8 } from "../../src/lessons/utf8.js";

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
    ["a bad wait", step("    run: PING\n    wait: soon\n"), `${FILE}:9:11: steps[0].wait: must be seconds (1.2) or a time such as 500ms`],
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
    // Found by the property test: the YAML lexer's line count skipped the lines of a block it gave up on.
    ["a stray } before a block of text shifts no later line", step("    run: PING\n    note: |\n}     one\n      two\n      three\n  - title: U\n"), `${FILE}:13:3: invalid YAML: Unexpected seq-item-ind token`],
    ["a long token in a YAML message is cut short", step("    run: PING\n    note: |\n}     one two three four five six seven eight nine ten\n  - title: U\n"), `${FILE}:10:7: invalid YAML: Unexpected scalar token in YAML stream: "one two three four five six seven eight ..."`],
    // Found by the property test: the column was counted along the folded value, past the end of the line.
    ["a quote on a plain command's second line", step("    run: GET\n      it's\n"), `${FILE}:9:9: steps[0].run: unbalanced quote`],
    // Found by the property test: a carriage return in a key rewrote the terminal line.
    ["a carriage return in a field name, escaped", step("    run: PING\n    \rexpect: PONG\n"), `${FILE}:9:5: steps[0].\\rexpect: unknown field`],
    ["a line break in a quoted field name, escaped", step('    run: PING\n    "ex\\npect": PONG\n'), `${FILE}:9:5: steps[0].ex\\npect: unknown field`],
    ["an escape sequence in a field name, escaped", step("    run: PING\n    \u001b[31mx: PONG\n"), `${FILE}:9:5: steps[0].\\x1b[31mx: unknown field`],
  ])("%s", (_name, text, expected) => {
    const found = problems(text);
    expect(found.length).toBeGreaterThan(0);
    expect(found.some((p) => p.startsWith(expected)), found.join("\n")).toBe(true);
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

describe("parseLesson refuses what it cannot read faithfully", () => {
  const base = lesson("  - title: T\n    explain: E\n    run: PING\n");
  it.each<[string, string, string]>([
    ["a wait of .nan", lesson("  - title: T\n    explain: E\n    run: PING\n    wait: .nan\n"), `${FILE}:9:11: steps[0].wait: must be seconds (1.2) or a time such as 500ms`],
    ["a wait of .inf", lesson("  - title: T\n    explain: E\n    run: PING\n    wait: .inf\n"), `${FILE}:9:11: steps[0].wait: must be seconds (1.2) or a time such as 500ms`],
    ["flow collections nested past the limit", base + `note: ${"[".repeat(MAX_NESTING + 1)}${"]".repeat(MAX_NESTING + 1)}\n`, `${FILE}:9:${7 + MAX_NESTING}: nested more than ${MAX_NESTING} levels deep`],
  ])("%s", (_name, text, expected) => {
    expect(problems(text).some((p) => p.startsWith(expected))).toBe(true);
  });

  it("brackets in quotes and comments do not count as nesting", () => {
    const deep = "[".repeat(MAX_NESTING + 5);
    const r = parseLesson(lesson(`  - title: T\n    explain: '${deep}'\n    run: PING\n    note: "${deep}" # ${deep}\n`), FILE);
    expect(r.ok).toBe(true);
  });

  it("a Latin-1 file is refused at the line and column of its first non-UTF-8 byte", () => {
    const bytes = Buffer.concat([Buffer.from(lesson("  - title: T\n    explain: Déjà\n    run: PING\n    note: caf", "id: demo\ntitle: T\nsummary: S\nkeys: []\n")), Buffer.from([0xe9, 0x0a])]);
    const r = parseLesson(bytes, FILE);
    expect(r.ok).toBe(false);
    if (!r.ok) expect(formatProblem(r.problems[0]!)).toMatch(new RegExp(`^${FILE}:9:14: not UTF-8 text: byte 0xE9`));
  });

  it("UTF-8 bytes parse like the same text", () => {
    const text = lesson("  - title: T\n    explain: Déjà vu, 日本, 🚲\n    run: SET k €\n");
    const r = parseLesson(Buffer.from(text, "utf8"), FILE);
    expect(r.ok && r.lesson.steps[0]?.explain).toBe("Déjà vu, 日本, 🚲");
  });
});

describe("findInvalidUtf8 agrees with a strict decoder", () => {
  it.each<[string, number[], number | undefined]>([
    ["ASCII", [0x61, 0x62], undefined],
    ["a two-byte character", [0xc3, 0xa9], undefined],
    ["a lone continuation byte", [0x61, 0x80], 1],
    ["an overlong form", [0xc0, 0xaf], 0],
    ["a surrogate", [0xed, 0xa0, 0x80], 0],
    ["past U+10FFFF", [0xf4, 0x90, 0x80, 0x80], 0],
    ["a truncated sequence at the end", [0x61, 0xe2, 0x82], 1],
    ["Latin-1 é", [0x63, 0x61, 0x66, 0xe9], 3],
  ])("%s", (_name, bytes, offset) => {
    expect(findInvalidUtf8(Uint8Array.from(bytes))?.offset).toBe(offset);
  });

  it("on random bytes, finds a problem exactly when TextDecoder refuses", () => {
    let seed = 12345;
    const next = (): number => (seed = (seed * 1103515245 + 12345) % 2 ** 31) % 256;
    const strict = new TextDecoder("utf-8", { fatal: true });
    for (let n = 0; n < 2000; n++) {
      const bytes = Uint8Array.from({ length: 1 + (n % 12) }, () => { const b = next(); return n % 3 === 0 ? b & 0x7f : b; });
      let valid = true;
      try {
        strict.decode(bytes);
      } catch {
        valid = false;
      }
      const found = findInvalidUtf8(bytes);
      expect(found === undefined, `seed 12345, case ${n}: ${Buffer.from(bytes).toString("hex")}`).toBe(valid);
      if (found) expect(() => strict.decode(bytes.subarray(0, found.offset))).not.toThrow();
    }
  });
});

describe("a step's wait is seconds or a time with its unit", () => {
  const waitOf = (value: string): number | string => {
    const r = parseLesson(lesson(`  - title: T\n    explain: E\n    run: PING\n    wait: ${value}\n`), FILE);
    return r.ok ? (r.lesson.steps[0]?.wait ?? NaN) : r.problems.map(formatProblem).join("; ");
  };
  it.each<[string, number]>([
    ["1.2", 1.2],
    ["0", 0],
    ["500ms", 0.5],
    ["30s", 30],
    ["10m", 600],
    ["1h", 3600],
    ["24h", 86400],
  ])("%s → %d s", (value, seconds) => expect(waitOf(value)).toBe(seconds));
  it.each([["25h"], ["-1"], ["90000"], ["1d"], ["30 seconds"]])("%s is refused", (value) => expect(waitOf(value)).toMatch(/steps\[0\]\.wait: must be seconds/));
});
