import { describe, expect, it } from "vitest";
import { tokenize, type TokenizeResult } from "../../src/redis/tokenize.js";

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

/** Bytes that matter to the splitter, weighted towards the tricky ones. */
const ALPHABET = [0x61, 0x62, 0x78, 0x46, 0x30, 0x37, 0x20, 0x20, 0x09, 0x0d, 0x0a, 0x0b, 0x0c, 0x22, 0x22, 0x27, 0x27, 0x5c, 0x5c, 0x6e, 0x00, 0xc3, 0xa9, 0xff];

describe("tokenize agrees with a plain transcription of sdssplitargs", () => {
  const seed = Number(process.env.TOKENIZE_SEED ?? 20261201);
  it(`on 20,000 random lines (seed ${seed}; set TOKENIZE_SEED to vary)`, () => {
    let state = seed >>> 0;
    const random = (n: number): number => {
      state = (Math.imul(state, 1664525) + 1013904223) >>> 0;
      return state % n;
    };
    for (let i = 0; i < 20_000; i++) {
      const line = Buffer.from(Array.from({ length: random(24) }, () => ALPHABET[random(ALPHABET.length)] as number));
      const expected = referenceSplit(line);
      const actual = tokenize(line);
      const show = (r: TokenizeResult): unknown => (r.ok ? r.args.map((a) => a.toString("hex")) : r);
      expect(show(actual), `seed ${seed}, line ${i}: ${line.toString("hex")}`).toEqual(show(expected));
    }
  });

  it("hands out a long plain or quoted value without copying it into an array", () => {
    const value = "v".repeat(1_000_000);
    for (const line of [`SET k ${value}`, `SET k "${value}"`, `SET k '${value}' EX 10`]) {
      const r = tokenize(line);
      expect(r.ok && r.args[2]?.length).toBe(1_000_000);
    }
  });
});
