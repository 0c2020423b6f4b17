import { displayWidth } from "./width.js";

/**
 * A boxed table with a heading row and no lines between body rows, drawn as cli-table3
 * draws one (single-line cells, one space of padding each side). Drawn here because
 * every step and every sandbox command shows one per key, and cli-table3 takes 1–2 ms
 * per table (merging its options for every cell), while this takes a few microseconds.
 */
export function boxTable(head: string[], rows: string[][], paint: { head(s: string): string; border(s: string): string }): string {
  const widths = head.map((h, i) => Math.max(displayWidth(h), ...rows.map((r) => displayWidth(r[i] ?? ""))) + 2);
  const rule = (left: string, mid: string, right: string): string => paint.border(left + widths.map((w) => "─".repeat(w)).join(mid) + right);
  const bar = paint.border("│");
  const line = (cells: string[], color: (s: string) => string = (s) => s): string =>
    bar + widths.map((w, i) => {
      const cell = cells[i] ?? "";
      return " " + (cell ? color(cell) : "") + " ".repeat(w - 1 - displayWidth(cell));
    }).join(bar) + bar;
  return [rule("┌", "┬", "┐"), line(head, paint.head), rule("├", "┼", "┤"), ...rows.map((r) => line(r)), rule("└", "┴", "┘")].join("\n");
}
