import fc from "fast-check";
import { afterAll, describe, expect, it } from "vitest";
import { formatReply, formatReplyRaw, quoteBytes, type ReplyTheme } from "../../src/redis/reply-format.js";
import type { Reply } from "../../src/redis/reply-types.js";
import { PropertyTally, PROPERTY_TIMEOUT_MS, propertySettings } from "../helpers/property.js";
import { depthOf, replyTree } from "../helpers/reply-arbitrary.js";

/**
 * Properties of the reply formatter over random reply trees. What redis-cli prints for
 * each tree is checked against redis-cli itself in
 * test/integration/reply-format-oracle.property.test.ts; these are the shape rules that
 * hold whatever the tree, checked on many more trees than a process per batch allows.
 */

const tally = new PropertyTally();
afterAll(() => console.log(tally.report("reply formatter")));

/** Whether a reply's own text (status, error, verbatim: printed as the bytes are) holds a line break. */
function rawTextBreaksLines(r: Reply): boolean {
  if (r.type === "status" || r.type === "error" || r.type === "verbatim") return r.value.includes(0x0a);
  return "items" in r && r.items.some(rawTextBreaksLines);
}

/** Written apart from reply-format.ts: how many lines redis-cli 7 prints for a reply whose text has no line breaks of its own. */
function linesOf(r: Reply): number {
  if (!("items" in r) || r.items.length === 0) return 1;
  if (r.type !== "map" && r.type !== "attribute") return r.items.reduce((n, item) => n + linesOf(item), 0);
  let n = 0;
  for (let i = 0; i < r.items.length; i += 2) {
    const key = r.items[i] as Reply;
    const value = r.items[i + 1] as Reply;
    // The value goes on the key's last line, or on lines of its own under it when it takes several.
    n += linesOf(key) - 1 + linesOf(value) + (multiLine(value) ? 1 : 0);
  }
  return n;
}

/** redis-cli decides by shape, not content: an aggregate of more than one element, or of one that is itself several lines. */
function multiLine(r: Reply): boolean {
  if (!("items" in r)) return false;
  const isMap = r.type === "map" || r.type === "attribute";
  const count = isMap ? r.items.length / 2 : r.items.length;
  return count > 1 || (count === 1 && r.items.some(multiLine));
}

/** A theme that marks where each colour starts and ends, with bytes no reply text can hold once formatted. */
const MARKED: ReplyTheme = Object.fromEntries(
  (["status", "error", "integer", "string", "nil", "index"] as const).map((role) => [role, (s: string) => `\u0100${role}\u0101${s}\u0102`]),
) as unknown as ReplyTheme;
const unmark = (s: string): string => s.replace(/\u0100[a-z]+\u0101/g, "").replace(/\u0102/g, "");

describe("formatReply over random RESP2/RESP3 trees (property)", () => {
  it("never throws, ends with a newline, writes bytes only, and prints one line per element", () => {
    fc.assert(
      fc.property(replyTree(7), (r) => {
        tally.add("trees");
        if (depthOf(r) >= 4) tally.add("trees 4+ deep");
        const text = formatReply(r);
        expect(text.endsWith("\n")).toBe(true);
        // A byte string: one character per byte.
        expect(/^[\x00-\xff]*$/.test(text)).toBe(true);
        if (!rawTextBreaksLines(r)) expect(text.split("\n").length - 1).toBe(linesOf(r));
      }),
      propertySettings(2000),
    );
  }, PROPERTY_TIMEOUT_MS);

  it("prints a tree of strings, numbers and nils in printable ASCII, every nested line indented under its index", () => {
    const printable = (r: Reply): boolean => (r.type === "status" || r.type === "error" || r.type === "verbatim" ? false : "items" in r ? r.items.every(printable) : true);
    fc.assert(
      fc.property(
        replyTree(6).filter(printable),
        (r) => {
          tally.add("printable trees");
          const text = formatReply(r);
          expect(/^[\x20-\x7e\n]*$/.test(text)).toBe(true);
          for (const line of text.slice(0, -1).split("\n")) {
            // Spaces of indentation, then an index ("12) ", "3~ ", "1# ") or, under a
            // multi-line map value, nothing; never an empty line or trailing junk.
            expect(line, text).toMatch(/^ *(?:\d+[)~#] )*(?:"(?:[^"\\]|\\.)*"|\(integer\) -?\d+|\(double\) \S+|\(big number\) -?\d+|\(nil\)|\(true\)|\(false\)|\(empty (array|hash|set|push)\))?(?: => (?:\d+[)~#] )*(?:"(?:[^"\\]|\\.)*"|\(integer\) -?\d+|\(double\) \S+|\(big number\) -?\d+|\(nil\)|\(true\)|\(false\)|\(empty (array|hash|set|push)\))?)*$/);
            expect(line.trim(), text).not.toBe("");
          }
        },
      ),
      propertySettings(1000),
    );
  }, PROPERTY_TIMEOUT_MS);

  it("colours never change the text: with the marks taken out, the plain form", () => {
    fc.assert(
      fc.property(replyTree(5), (r) => {
        tally.add("themed trees");
        expect(unmark(formatReply(r, MARKED))).toBe(formatReply(r));
      }),
      propertySettings(1000),
    );
  }, PROPERTY_TIMEOUT_MS);

  it("survives nesting deeper than a server sends (Lua scripts reach about 7,900 levels)", () => {
    fc.assert(
      fc.property(fc.integer({ min: 1, max: 20_000 }), fc.constantFrom("array", "set", "map"), (depth, type) => {
        tally.add("deep trees");
        let r: Reply = { type: "bulk", value: Buffer.from("x") };
        for (let i = 0; i < depth; i++) r = type === "map" ? { type, items: [{ type: "integer", value: BigInt(i) }, r] } : ({ type, items: [r] } as Reply);
        const text = formatReply(r);
        expect(text.endsWith('"x"\n')).toBe(true);
        expect(text.split("\n")).toHaveLength(2);
        expect(formatReplyRaw(r).endsWith("x")).toBe(true);
      }),
      propertySettings(50),
    );
  }, PROPERTY_TIMEOUT_MS);
});

describe("formatReplyRaw and quoteBytes (property)", () => {
  it("formatReplyRaw never throws and prints each byte of a string as it is", () => {
    fc.assert(
      fc.property(replyTree(6), (r) => {
        tally.add("raw trees");
        const text = formatReplyRaw(r);
        expect(/^[\x00-\xff]*$/.test(text)).toBe(true);
        if (r.type === "bulk" || r.type === "status") expect(Buffer.from(text, "latin1").equals(r.value)).toBe(true);
        if (r.type === "array" && r.items.every((i) => i.type === "bulk")) expect(text).toBe(r.items.map((i) => (i.type === "bulk" ? i.value.toString("latin1") : "")).join("\n"));
      }),
      propertySettings(1000),
    );
  }, PROPERTY_TIMEOUT_MS);

  it("quoteBytes is printable ASCII that sdssplitargs reads back to the same bytes", async () => {
    const { tokenize } = await import("../../src/redis/tokenize.js");
    fc.assert(
      fc.property(fc.uint8Array({ maxLength: 64 }), (bytes) => {
        tally.add("quoted byte strings");
        const quoted = quoteBytes(Buffer.from(bytes));
        expect(/^"[\x20-\x7e]*"$/.test(quoted)).toBe(true);
        const back = tokenize(quoted);
        expect(back.ok && back.args.length === 1 && back.args[0]?.equals(Buffer.from(bytes))).toBe(true);
      }),
      propertySettings(2000),
    );
  }, PROPERTY_TIMEOUT_MS);
});
