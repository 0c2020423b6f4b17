import { readdirSync, readFileSync } from "node:fs";
import path from "node:path";
import fc from "fast-check";
import { afterAll, describe, expect, it } from "vitest";
import { formatProblem, parseLesson, type ParseResult } from "../../src/lessons/parse.js";
import { ROOT } from "../helpers/cli.js";
import { PropertyTally, PROPERTY_TIMEOUT_MS, propertySettings } from "../helpers/property.js";

/**
 * The lesson parser over mutations of every shipped lesson: whatever an author's editor,
 * a bad merge or a wrong encoding does to a file, the parser answers with problems a
 * person can act on (file:line:column, a message, one line each) and never throws.
 */
const LESSONS = readdirSync(path.join(ROOT, "lessons"))
  .filter((f) => f.endsWith(".yaml"))
  .sort()
  .map((f) => ({ file: `lessons/${f}`, text: readFileSync(path.join(ROOT, "lessons", f), "utf8") }));

/** Values an edit may put where a scalar was: other YAML types, YAML syntax, and edge cases of the lesson schema. */
const VALUES = [
  "true", "false", "null", "~", "0", "-1", "1.5", "61", ".inf", ".nan", "0x1F", "1e3", "[]", "{}", "[a, b]", "{a: b}", "[a, [b, {c: d}]]",
  "|", ">", "|-", "- x", '"unterminated', "'unterminated", "'a''b'", '"\\x41\\u00e9"', "*anchor", "&anchor x", "!!str 1", "!!binary aGk=", "!custom x",
  "a: b", "a #comment", "SET k \"v", "SET k 'v'x", "GET k\\nGET j", "''", '""', "2001-01-01", "@", "`", "%", "? x", "é😀", "\t",
];
/** Field names, right and wrong, for renames. */
const FIELDS = ["id", "title", "summary", "requires", "redis", "modules", "keys", "steps", "quiz", "explain", "run", "expect", "note", "client", "blocks", "receive", "wait", "predict", "choices", "why", "answer", "Title", "titel", "run ", "x-y", "0", '"quoted key"', '"new\\nline"', "'a: b'", "[k]", "{k: v}", "? complex", "<<", "é"];
/** Characters to insert: YAML's indicators, whitespace of every kind, controls and characters outside the BMP. */
const INSERTS = [":", ": ", "-", "- ", "[", "]", "{", "}", ",", "'", '"', "#", " #", "&", "*", "!", "|", ">", "%", "@", "`", "?", "\t", "\n", "\r", "\r\n", " ", "    ", "\u0000", "\u0007", "\u001b[31m", "\u00a0", "\u2028", "\ufeff", "😀", "👩‍👩‍👧", "é", "\\", "\\x", "---", "...", "\n---\n", "<<: *a"];

type Mutation =
  | { kind: "delete" | "duplicate" | "truncate-line"; at: number }
  | { kind: "swap"; at: number; with: number }
  | { kind: "indent"; at: number; by: string }
  | { kind: "dedent"; at: number; by: number }
  | { kind: "insert"; at: number; text: string }
  | { kind: "truncate"; at: number }
  | { kind: "value"; at: number; value: string }
  | { kind: "rename"; at: number; name: string }
  | { kind: "nest"; at: number; depth: number; open: string };

const mutation: fc.Arbitrary<Mutation> = fc.oneof(
  fc.record({ kind: fc.constantFrom("delete" as const, "duplicate" as const, "truncate-line" as const), at: fc.nat() }),
  fc.record({ kind: fc.constant("swap" as const), at: fc.nat(), with: fc.nat() }),
  fc.record({ kind: fc.constant("indent" as const), at: fc.nat(), by: fc.constantFrom(" ", "  ", "   ", "\t", "        ") }),
  fc.record({ kind: fc.constant("dedent" as const), at: fc.nat(), by: fc.integer({ min: 1, max: 8 }) }),
  { weight: 3, arbitrary: fc.record({ kind: fc.constant("insert" as const), at: fc.nat(), text: fc.oneof(fc.constantFrom(...INSERTS), fc.string({ maxLength: 4, unit: "binary" })) }) },
  fc.record({ kind: fc.constant("truncate" as const), at: fc.nat() }),
  { weight: 3, arbitrary: fc.record({ kind: fc.constant("value" as const), at: fc.nat(), value: fc.constantFrom(...VALUES) }) },
  { weight: 2, arbitrary: fc.record({ kind: fc.constant("rename" as const), at: fc.nat(), name: fc.constantFrom(...FIELDS) }) },
  fc.record({ kind: fc.constant("nest" as const), at: fc.nat(), depth: fc.integer({ min: 1, max: 300 }), open: fc.constantFrom("[", "{", "- ", "[{", "? ") }),
);

function mutate(text: string, m: Mutation): string {
  const lines = text.split("\n");
  const n = (k: number): number => k % lines.length;
  const line = lines[n(m.at)] as string;
  const keyed = /^(\s*-?\s*)([^\s:#][^:#]*?):(\s|$)(.*)$/.exec(line);
  switch (m.kind) {
    case "delete":
      lines.splice(n(m.at), 1);
      break;
    case "duplicate":
      lines.splice(n(m.at), 0, line);
      break;
    case "truncate-line":
      lines[n(m.at)] = line.slice(0, m.at % (line.length + 1));
      break;
    case "swap":
      lines[n(m.at)] = lines[n(m.with)] as string;
      lines[n(m.with)] = line;
      break;
    case "indent":
      lines[n(m.at)] = m.by + line;
      break;
    case "dedent":
      lines[n(m.at)] = line.replace(new RegExp(`^ {0,${m.by}}`), "");
      break;
    case "insert": {
      const at = m.at % (text.length + 1);
      return text.slice(0, at) + m.text + text.slice(at);
    }
    case "truncate":
      return text.slice(0, m.at % (text.length + 1));
    case "value":
      lines[n(m.at)] = keyed ? `${keyed[1]}${keyed[2]}: ${m.value}` : line.replace(/^(\s*-\s*).*/, `$1${m.value}`);
      break;
    case "rename":
      if (keyed) lines[n(m.at)] = `${keyed[1]}${m.name}:${keyed[3]}${keyed[4]}`;
      break;
    case "nest": {
      const open = m.open.repeat(m.depth);
      lines[n(m.at)] = keyed ? `${keyed[1]}${keyed[2]}: ${open}x` : open + line;
      break;
    }
  }
  return lines.join("\n");
}

/** Bytes that are not UTF-8 (a lone continuation byte, a truncated sequence, an overlong form, a surrogate, Latin-1 text) or are. */
const BYTE_INSERTS = [[0x80], [0xff], [0xc3], [0xe9], [0xc0, 0xaf], [0xed, 0xa0, 0x80], [0xf4, 0x90, 0x80, 0x80], [0xe2, 0x82], [0xc3, 0xa9], [0xef, 0xbb, 0xbf], [0x00], [0x0d]];
const byteEdit = fc.record({ at: fc.nat(), bytes: fc.oneof(fc.constantFrom(...BYTE_INSERTS), fc.uint8Array({ minLength: 1, maxLength: 3 }).map((a) => [...a])) });

const input = fc.record({
  lesson: fc.nat(),
  mutations: fc.array(mutation, { minLength: 1, maxLength: 4 }),
  // Sometimes the file arrives as bytes, with bytes that may not be UTF-8.
  bytes: fc.option(fc.array(byteEdit, { maxLength: 2 }), { freq: 3 }),
});

/** The file as its lines, to bound every position by; bytes as a lenient decoder would show them. */
function linesOf(source: string | Uint8Array): string[] {
  return (typeof source === "string" ? source : Buffer.from(source).toString("utf8")).split("\n");
}

function checkProblems(result: ParseResult, source: string | Uint8Array, file: string): void {
  if (result.ok) return;
  expect(result.problems.length).toBeGreaterThan(0);
  const lines = linesOf(source);
  for (const p of result.problems) {
    expect(p.file).toBe(file);
    expect(Number.isInteger(p.line) && p.line >= 1 && p.line <= lines.length, `line ${p.line} of ${lines.length}: ${formatProblem(p)}`).toBe(true);
    const width = (lines[p.line - 1] as string).length;
    expect(Number.isInteger(p.column) && p.column >= 1 && p.column <= width + 1, `column ${p.column} of a line ${width} long: ${formatProblem(p)}`).toBe(true);
    expect(p.message.trim()).not.toBe("");
    const shown = formatProblem(p);
    expect(shown.startsWith(`${file}:${p.line}:${p.column}: `)).toBe(true);
    expect(shown, "one line per problem").not.toMatch(/[\n\r\u2028\u2029]/);
    expect(shown).not.toMatch(/undefined|\[object |NaN|\n\s+at /);
  }
}

const tally = new PropertyTally();
afterAll(() => console.log(tally.report("lesson parser over mutated lessons")));

describe("parseLesson over mutations of every shipped lesson (property)", () => {
  it("shipped lessons parse as they are", () => {
    expect(LESSONS.length).toBeGreaterThan(0);
    for (const { file, text } of LESSONS) expect(parseLesson(text, file).ok, file).toBe(true);
  });

  it("never throws, and every problem is one `file:line:col: message` line within the file", () => {
    fc.assert(
      fc.property(input, ({ lesson, mutations, bytes }) => {
        const { file, text } = LESSONS[lesson % LESSONS.length] as (typeof LESSONS)[number];
        let source: string | Uint8Array = mutations.reduce(mutate, text);
        if (bytes) {
          const buf = [...Buffer.from(source, "utf8")];
          for (const edit of bytes) buf.splice(edit.at % (buf.length + 1), 0, ...edit.bytes);
          source = Uint8Array.from(buf);
        }
        tally.add("mutated lessons");
        const result = parseLesson(source, file);
        tally.add(result.ok ? "still valid" : "rejected");
        if (!result.ok) tally.add("problems reported", result.problems.length);
        checkProblems(result, source, file);
      }),
      propertySettings(250),
    );
  }, PROPERTY_TIMEOUT_MS);
});
