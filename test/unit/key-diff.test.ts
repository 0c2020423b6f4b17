import { describe, expect, it } from "vitest";
import { diffKey } from "../../src/render/key-diff.js";
import { renderKeyChange, ttlText } from "../../src/render/key-table.js";
import { displayWidth } from "../../src/render/width.js";
import { makeStyle } from "../../src/render/style.js";
import type { KeyState } from "../../src/redis/snapshot.js";

const key = Buffer.from("k");
const list = (items: string[], extra: Partial<KeyState> = {}): KeyState => ({
  key, exists: true, type: "list", encoding: "listpack", pttl: -1, length: items.length,
  head: items.map((m, i) => ({ index: i, member: Buffer.from(m) })), ...extra,
});
const str = (value: string, pttl = -1): KeyState => ({ key, exists: true, type: "string", encoding: "embstr", pttl, length: value.length, bytes: Buffer.from(value) });
const none: KeyState = { key, exists: false };
const marks = (d: ReturnType<typeof diffKey>, side: "before" | "after"): string[] => d[side].map((m) => `${m.mark}:${m.item.member}`);

describe("diffKey", () => {
  it.each<[string, KeyState, KeyState, string]>([
    ["a new key is created", none, str("v"), "created"],
    ["a removed key is deleted", str("v"), none, "deleted"],
    ["the same value is unchanged", str("v"), str("v"), "unchanged"],
    ["a new value is a change", str("v"), str("w"), "changed"],
    ["a TTL set is a change", str("v"), str("v", 100_000), "changed"],
    ["a TTL ticking down is not", str("v", 100_000), str("v", 99_990), "unchanged"],
    ["a key absent throughout", none, none, "absent"],
  ])("%s", (_name, before, after, change) => {
    expect(diffKey(before, after).change).toBe(change);
  });

  it("marks pushed elements as added and keeps the rest", () => {
    const d = diffKey(list(["a", "b"]), list(["c", "a", "b"]));
    expect(marks(d, "after")).toEqual(["added:c", "same:a", "same:b"]);
    expect(marks(d, "before")).toEqual(["same:a", "same:b"]);
    expect(d.lengthDelta).toBe(1);
  });

  it("marks a popped element as removed", () => {
    expect(marks(diffKey(list(["a", "b"]), list(["b"])), "before")).toEqual(["removed:a", "same:b"]);
  });

  it("does not call elements that scrolled out of a long list's preview removed", () => {
    const head = Array.from({ length: 10 }, (_, i) => `e${i}`);
    const tail = [{ index: 99, member: Buffer.from("last") }];
    const before = list(head, { length: 100, tail });
    const after = list(["new", ...head.slice(0, 9)], { length: 101, tail: [{ index: 100, member: Buffer.from("last") }] });
    const d = diffKey(before, after);
    expect(marks(d, "before").filter((m) => m.startsWith("removed"))).toEqual([]);
    expect(marks(d, "after").filter((m) => m.startsWith("added"))).toEqual(["added:new"]);
  });

  it("compares hashes by field", () => {
    const hash = (pairs: [string, string][]): KeyState => ({
      key, exists: true, type: "hash", encoding: "listpack", pttl: -1, length: pairs.length,
      head: pairs.map(([f, v]) => ({ member: Buffer.from(f), value: Buffer.from(v) })),
    });
    const d = diffKey(hash([["a", "1"], ["b", "2"]]), hash([["a", "9"], ["c", "3"]]));
    expect(marks(d, "after")).toEqual(["changed:a", "added:c"]);
    expect(marks(d, "before")).toEqual(["changed:a", "removed:b"]);
  });
});

describe("renderKeyChange, without colour", () => {
  const plain = makeStyle(false);
  it("shows SET NX leaving the old value alone", () => {
    const out = renderKeyChange(str("Deimos"), str("Deimos"), plain);
    expect(out).toContain("now (unchanged)");
    expect(out).toContain('"Deimos"');
  });

  it("shows EXPIRE giving the key a TTL", () => {
    const out = renderKeyChange(str("v"), str("v", 100_000), plain);
    expect(out).toMatch(/TTL\s+│ none\s+│ 100 s \(set\)/);
    expect(out).toContain("after (changed)");
  });

  it("shows a new value", () => {
    expect(renderKeyChange(str("a"), str("b"), plain)).toContain('"b" (new value)');
  });

  it("cuts a long string inside its cell and says how many bytes are not shown", () => {
    const long: KeyState = { ...str("x".repeat(80)), length: 10_000_000 };
    const out = renderKeyChange(none, long, plain, 80);
    const shown = /"(x+)…" \(\+([\d,]+) bytes\)/.exec(out);
    expect(shown).not.toBeNull();
    expect(shown![1]!.length + Number(shown![2]!.replace(/,/g, ""))).toBe(10_000_000);
    expect(out).toContain("10,000,000 bytes");
  });

  it.each([80, 100, 140])("keeps a table with a 70-byte value inside %d columns, the value cut in its cell", (width) => {
    const out = renderKeyChange(str("v"), str("y".repeat(70)), plain, width);
    for (const line of out.split("\n")) expect(displayWidth(line)).toBeLessThanOrEqual(width);
    if (width < 140) expect(out).toMatch(/"y+…" \(\+\d+ bytes\)/);
    else expect(out).toContain(`"${"y".repeat(70)}"`);
  });

  it("says how many elements are not shown", () => {
    const big = list(["a"], { length: 1_000_000, tail: [{ index: 999_999, member: Buffer.from("z") }] });
    expect(renderKeyChange(big, big, plain)).toContain("… 999,998 more …");
  });

  it("shows a key that never existed in one line", () => {
    expect(renderKeyChange(none, none, plain)).toBe('"k" (no such key)');
  });
});

describe("a TTL is shown as the learner would read it", () => {
  it.each<[number, string]>([
    [-1, "none"],
    [500, "500 ms"],
    [9_999, "9,999 ms"],
    [10_000, "10 s"],
    [99_600, "100 s"],
    [86_400_000, "86,400 s"],
  ])("PTTL %d → %s", (pttl, text) => {
    expect(ttlText(str("v", pttl))).toBe(text);
  });
});

describe("a key of a type the table cannot read", () => {
  const module = (type: string): KeyState => ({ key: Buffer.from("doc:1"), exists: true, type, encoding: "raw", pttl: -1, length: 0 });
  it.each<[string, string]>([
    ["ReJSON-RL", 'JSON.GET "doc:1"'],
    ["TSDB-TYPE", 'TS.RANGE "doc:1" - +'],
    ["MBbloom--", 'BF.INFO "doc:1"'],
    ["vectorset", 'VINFO "doc:1"'],
    ["some-module-type", "its module's commands (MODULE LIST)"],
  ])("%s is named, with the command that reads it, never as empty", (type, reader) => {
    const out = renderKeyChange({ key: Buffer.from("doc:1"), exists: false }, module(type), makeStyle(false));
    expect(out).toContain(`${type} (raw)`);
    expect(out.replace(/[│ ]+\n[│ ]+/g, " ")).toContain(`not shown here: read it with ${reader}`);
    expect(out).toContain("not read");
    expect(out).not.toMatch(/0 elements|\(empty\)/);
  });
});
