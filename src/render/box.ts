import { cutToWidth, displayWidth } from "./width.js";

/**
 * A cell: text, or text that fits itself to a width (a string value cut with "… (+N bytes)"
 * knows its bytes; plain text is cut with "…").
 */
export type Cell = string | ((width: number) => string);

/** Columns narrower than this are not shrunk further: the table overflows instead. */
const MIN_COLUMN = 8;

/**
 * A boxed table with a heading row and no lines between body rows, drawn as cli-table3
 * draws one (single-line cells, one space of padding each side). Drawn here because
 * every step and every sandbox command shows one per key, and cli-table3 takes 1–2 ms
 * per table (merging its options for every cell), while this takes a few microseconds.
 * Given a width, the widest columns give way until the table fits, and their cells are cut.
 */
export function boxTable(head: Cell[], rows: Cell[][], paint: { head(s: string): string; border(s: string): string }, width = Infinity): string {
  const natural = (c: Cell | undefined): string => (typeof c === "function" ? c(Infinity) : (c ?? ""));
  const inner = head.map((h, i) => Math.max(displayWidth(natural(h)), ...rows.map((r) => displayWidth(natural(r[i])))));
  // Each column takes its text, two spaces of padding and one border; plus the last border.
  let total = inner.reduce((sum, w) => sum + w + 3, 1);
  while (total > width) {
    const widest = inner.reduce((best, w, i) => (w > (inner[best] ?? 0) ? i : best), 0);
    if ((inner[widest] ?? 0) <= MIN_COLUMN) break;
    inner[widest] = (inner[widest] ?? 0) - 1;
    total--;
  }
  const fit = (c: Cell | undefined, w: number): string => {
    if (typeof c === "function") return cutToWidth(c(w), w);
    return cutToWidth(c ?? "", w);
  };
  const widths = inner.map((w) => w + 2);
  const rule = (left: string, mid: string, right: string): string => paint.border(left + widths.map((w) => "─".repeat(w)).join(mid) + right);
  const bar = paint.border("│");
  const line = (cells: Cell[], color: (s: string) => string = (s) => s): string =>
    bar + widths.map((w, i) => {
      const cell = fit(cells[i], w - 2);
      return " " + (cell ? color(cell) : "") + " ".repeat(Math.max(0, w - 1 - displayWidth(cell)));
    }).join(bar) + bar;
  return [rule("┌", "┬", "┐"), line(head, paint.head), rule("├", "┼", "┤"), ...rows.map((r) => line(r)), rule("└", "┴", "┘")].join("\n");
}
