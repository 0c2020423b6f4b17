import { describe, expect, it } from "vitest";
import { cutToWidth, displayWidth, hangingWrap, terminalColumns, wrapText } from "../../src/render/width.js";

describe("displayWidth: the columns a terminal gives a string", () => {
  it.each<[string, string, number]>([
    ["plain ASCII", "hello world", 11],
    ["colour codes take none", "\x1b[1mbold\x1b[22m \x1b[32mgreen\x1b[39m", 10],
    ["East Asian wide characters take two", "日本語", 6],
    ["Hangul syllables", "한국어", 6],
    ["fullwidth forms", "ＡＢ", 4],
    ["halfwidth katakana take one", "ｱｲ", 2],
    ["a combining accent adds nothing", "e\u0301", 1],
    ["an emoji", "🚲", 2],
    ["an emoji with a skin tone", "👍🏽", 2],
    ["a ZWJ family is one emoji", "👨‍👩‍👧‍👦", 2],
    ["a flag (two regional indicators)", "🇫🇷", 2],
    ["a text symbol made emoji by VS16", "❤️", 2],
    ["a text symbol without it", "❤", 1],
    ["a keycap", "1️⃣", 2],
    ["a zero-width space", "a\u200bb", 2],
    ["mixed", "key:日本 🚲!", 12],
  ])("%s", (_, text, width) => {
    expect(displayWidth(text)).toBe(width);
  });
});

describe("cutToWidth", () => {
  it.each<[string, number, string]>([
    ["short", 10, "short"],
    ["abcdefghij", 5, "abcd…"],
    ["日本語テキスト", 7, "日本語…"],
    ["👨‍👩‍👧‍👦👨‍👩‍👧‍👦👨‍👩‍👧‍👦", 5, "👨‍👩‍👧‍👦👨‍👩‍👧‍👦…"],
  ])("%j in %d columns → %j", (text, width, cut) => {
    expect(cutToWidth(text, width)).toBe(cut);
    expect(displayWidth(cutToWidth(text, width))).toBeLessThanOrEqual(width);
  });

  it("says what was cut off, in the room left", () => {
    const out = cutToWidth("x".repeat(100), 30, (rest) => ` (+${rest.length} bytes)`);
    expect(out).toMatch(/^x+… \(\+\d+ bytes\)$/);
    expect(displayWidth(out)).toBeLessThanOrEqual(30);
    expect(Number(/\+(\d+)/.exec(out)?.[1]) + out.indexOf("…")).toBe(100);
  });

  it("keeps colour codes and resets them after the cut", () => {
    expect(cutToWidth("\x1b[32mabcdefgh\x1b[39m", 4)).toBe("\x1b[32mabc\x1b[0m…");
  });
});

describe("wrapText: prose at word boundaries", () => {
  it.each<[string, number]>([
    ["The quick brown fox jumps over the lazy dog and keeps running far away.", 20],
    ["LRANGE costs time in proportion to the number of elements it returns (plus the walk to the first).", 40],
    ["日本語の文章 と English words 混在 する テキスト です", 16],
  ])("%j at %d columns: no line wider, no word broken, nothing lost", (text, width) => {
    const lines = wrapText(text, width).split("\n");
    for (const l of lines) expect(displayWidth(l)).toBeLessThanOrEqual(width);
    expect(lines.join(" ")).toBe(text);
  });

  it("keeps a line's indentation on its continuation lines", () => {
    expect(wrapText("    one two three four five six", 15)).toBe("    one two\n    three four\n    five six");
  });

  it("cuts a word longer than the line, as nothing else fits it", () => {
    for (const l of wrapText("a " + "x".repeat(50), 20).split("\n")) expect(displayWidth(l)).toBeLessThanOrEqual(20);
  });

  it("hangs continuation lines under the text after a lead", () => {
    expect(hangingWrap("  :state  ", "the keys in this database with type", 30)).toBe("  :state  the keys in this\n          database with type");
  });
});

describe("terminalColumns", () => {
  it.each<[string, { isTTY?: boolean; columns?: number }, NodeJS.ProcessEnv, number]>([
    ["a terminal's width", { isTTY: true, columns: 120 }, {}, 120],
    ["$COLUMNS when piped", { isTTY: false }, { COLUMNS: "100" }, 100],
    ["80 when piped without $COLUMNS", {}, {}, 80],
    ["80 for a $COLUMNS that is not a number", {}, { COLUMNS: "wide" }, 80],
    ["never under 40", { isTTY: true, columns: 20 }, {}, 40],
  ])("%s", (_, stream, env, columns) => {
    expect(terminalColumns(stream, env)).toBe(columns);
  });
});

describe("displayWidth of the punctuation every screen has", () => {
  it.each<[string, number]>([
    ["Step 3/21 · Read the whole list ", 32],
    ["\"v\" → (none)", 12],
    ["… 2,980 more keys", 17],
    ["┌──┬──┐", 7],
    ["café — naïve", 12],
  ])("%j is %d columns", (text, width) => {
    expect(displayWidth(text)).toBe(width);
  });
});
