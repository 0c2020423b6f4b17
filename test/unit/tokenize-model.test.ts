import fc from "fast-check";
import { afterAll, describe, expect, it } from "vitest";
import { tokenize, type TokenizeResult } from "../../src/redis/tokenize.js";
import { PropertyTally, PROPERTY_TIMEOUT_MS, propertySettings } from "../helpers/property.js";

/**
 * sdssplitargs (Redis' sds.c) transcribed as plainly as possible, byte by byte into an
 * array: the reference the fast tokenizer, which copies runs and hands out views of the
 * line, must agree with on any input.
 */
function referenceSplit(line: Buffer): TokenizeResult {
  const nul = line.indexOf(0);
  const end = nul === -1 ? line.length : nul;
  const at = (i: number): number | undefined => (i < end ? line[i] : undefined);
  const isspace = (c: number | undefined): boolean => c !== undefined && [0x20, 0x09, 0x0a, 0x0d, 0x0b, 0x0c].includes(c);
  const hex = (c: number | undefined): number => (c === undefined ? -1 : parseInt(String.fromCharCode(c), 16) >= 0 && /[0-9a-fA-F]/.test(String.fromCharCode(c)) ? parseInt(String.fromCharCode(c), 16) : -1);
  const args: Buffer[] = [];
  let p = 0;
  for (;;) {
    while (isspace(at(p))) p++;
    if (at(p) === undefined) return { ok: true, args };
    let inq = false;
    let insq = false;
    let done = false;
    let quoteAt = 0;
    const cur: number[] = [];
    while (!done) {
      const c = at(p);
      if (inq) {
        if (c === 0x5c && at(p + 1) === 0x78 && hex(at(p + 2)) >= 0 && hex(at(p + 3)) >= 0) {
          cur.push(hex(at(p + 2)) * 16 + hex(at(p + 3)));
          p += 3;
        } else if (c === 0x5c && at(p + 1) !== undefined) {
          p++;
          const e = at(p) as number;
          cur.push(({ 0x6e: 0x0a, 0x72: 0x0d, 0x74: 0x09, 0x62: 0x08, 0x61: 0x07 } as Record<number, number>)[e] ?? e);
        } else if (c === 0x22) {
          if (at(p + 1) !== undefined && !isspace(at(p + 1))) return { ok: false, reason: "text-after-closing-quote", column: p + 2 };
          done = true;
        } else if (c === undefined) {
          return { ok: false, reason: "unbalanced-quote", column: quoteAt + 1 };
        } else cur.push(c);
      } else if (insq) {
        if (c === 0x5c && at(p + 1) === 0x27) {
          p++;
          cur.push(0x27);
        } else if (c === 0x27) {
          if (at(p + 1) !== undefined && !isspace(at(p + 1))) return { ok: false, reason: "text-after-closing-quote", column: p + 2 };
          done = true;
        } else if (c === undefined) {
          return { ok: false, reason: "unbalanced-quote", column: quoteAt + 1 };
        } else cur.push(c);
      } else if (c === undefined || c === 0x20 || c === 0x0a || c === 0x0d || c === 0x09) {
        done = true;
      } else if (c === 0x22) {
        inq = true;
        quoteAt = p;
      } else if (c === 0x27) {
        insq = true;
        quoteAt = p;
      } else cur.push(c);
      if (at(p) !== undefined) p++;
    }
    args.push(Buffer.from(cur));
  }
}

/** Single bytes that matter to the splitter, the tricky ones most often. */
const trickyByte = fc.constantFrom(0x22, 0x27, 0x5c, 0x20, 0x09, 0x0d, 0x0a, 0x0b, 0x0c, 0x00, 0x78, 0x6e, 0x72, 0x74, 0x62, 0x61, 0x30, 0x46, 0x66, 0x67);
/** Pieces of lines: plain and high bytes, escapes whole and broken, quoted runs, and long runs of one piece. */
const piece: fc.Arbitrary<number[]> = fc.oneof(
  { weight: 4, arbitrary: trickyByte.map((b) => [b]) },
  { weight: 2, arbitrary: fc.integer({ min: 0, max: 255 }).map((b) => [b]) },
  { weight: 1, arbitrary: fc.integer({ min: 0x80, max: 0xff }).map((b) => [b]) },
  { weight: 1, arbitrary: fc.constantFrom(..."abcXYZ-:*é€😀".split("")).map((c) => [...Buffer.from(c)]) },
  {
    weight: 2,
    // \x escapes: two hex digits, one, none, or digits that are not hex.
    arbitrary: fc.tuple(fc.constantFrom("0", "7", "a", "F", "f", "g", "G", "", "\\", '"'), fc.constantFrom("0", "9", "b", "E", "z", "", '"', " ")).map(([a, b]) => [...Buffer.from(`\\x${a}${b}`, "latin1")]),
  },
  { weight: 1, arbitrary: fc.constantFrom('\\"', "\\'", "\\\\", "\\n", '""', "''", '" "', "' '", '"\\"', "'\\'").map((s) => [...Buffer.from(s, "latin1")]) },
);
const run = fc.tuple(piece, fc.integer({ min: 2, max: 300 })).map(([p, n]) => Array.from({ length: n }, () => p).flat());
const line = fc
  .array(fc.oneof({ weight: 12, arbitrary: piece }, { weight: 1, arbitrary: run }), { maxLength: 40 })
  .map((pieces) => Buffer.from(pieces.flat()));

const show = (r: TokenizeResult): unknown => (r.ok ? r.args.map((a) => a.toString("hex")) : r);

describe("tokenize agrees with a plain transcription of sdssplitargs (property)", () => {
  const tally = new PropertyTally();
  afterAll(() => console.log(tally.report("tokenize vs sdssplitargs")));

  it("on random lines of quotes, backslashes, \\x escapes, NUL, CR/LF/VT/FF, tabs, high bytes and long runs", () => {
    fc.assert(
      fc.property(line, (bytes) => {
        tally.add("lines");
        const expected = referenceSplit(bytes);
        tally.add(expected.ok ? "split" : `refused (${expected.reason})`);
        expect(show(tokenize(bytes))).toEqual(show(expected));
        // A string is its UTF-8 bytes.
        const text = bytes.toString("utf8");
        expect(show(tokenize(text))).toEqual(show(referenceSplit(Buffer.from(text, "utf8"))));
      }),
      propertySettings(5000),
    );
  }, PROPERTY_TIMEOUT_MS);

  it("hands out a long plain or quoted value without copying it into an array", () => {
    const value = "v".repeat(1_000_000);
    for (const line of [`SET k ${value}`, `SET k "${value}"`, `SET k '${value}' EX 10`]) {
      const r = tokenize(line);
      expect(r.ok && r.args[2]?.length).toBe(1_000_000);
    }
  });
});
