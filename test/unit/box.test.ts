import Table from "cli-table3";
import { describe, expect, it } from "vitest";
import { boxTable } from "../../src/render/box.js";

const plain = { head: (s: string) => s, border: (s: string) => s };

/** What the key tables were drawn with before: cli-table3, with no lines between body rows. */
function withCliTable3(head: string[], rows: string[][]): string {
  const compact = { mid: "", "left-mid": "", "mid-mid": "", "right-mid": "" };
  const table = new Table({ head, style: { head: [], border: [] } });
  rows.forEach((row, i) => table.push(i === 0 ? row : row.map((content) => ({ content, chars: compact }))));
  return table.toString();
}

describe("boxTable", () => {
  it("draws a heading, a rule under it and rows without rules between them", () => {
    expect(boxTable(["k", "before", "after"], [["type", "list", "list"], ["", "", "+ 1) \"x\""]], plain)).toBe(
      [
        "┌──────┬────────┬──────────┐",
        "│ k    │ before │ after    │",
        "├──────┼────────┼──────────┤",
        "│ type │ list   │ list     │",
        "│      │        │ + 1) \"x\" │",
        "└──────┴────────┴──────────┘",
      ].join("\n"),
    );
  });

  it("lays out every table as cli-table3 does, wide characters included", () => {
    const words = ["", "a", "type", "list (quicklist)", "1,000,000 elements", "\"caf\\xc3\\xa9\"", "中文", "emoji 🚲", "\x1b[32m+ 3) \"bike:3\"\x1b[39m"];
    let seed = 7;
    const pick = (): string => words[(seed = (seed * 1103515245 + 12345) % 2 ** 31) % words.length]!;
    for (let t = 0; t < 200; t++) {
      const cols = 2 + (t % 3);
      const head = Array.from({ length: cols }, () => pick() || "h");
      const rows = Array.from({ length: 1 + (t % 6) }, () => Array.from({ length: cols }, pick));
      expect(boxTable(head, rows, plain)).toBe(withCliTable3(head, rows));
    }
  });

  it("paints the heading and the borders, not the body", () => {
    const out = boxTable(["h"], [["x"]], { head: (s) => `<${s}>`, border: (s) => `[${s}]` });
    expect(out.split("\n")).toEqual(["[┌───┐]", "[│] <h> [│]", "[├───┤]", "[│] x [│]", "[└───┘]"]);
  });
});
