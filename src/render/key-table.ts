import { quoteBytes } from "../redis/reply-format.js";
import { type KeyState, type OtherKeys, type PreviewItem } from "../redis/snapshot.js";
import { diffKey, type KeyChange, type KeyDiff, type MarkedItem } from "./key-diff.js";
import type { Style } from "./style.js";
import { thousands } from "./numbers.js";
import { boxTable, type Cell } from "./box.js";
import { terminalColumns } from "./width.js";

/**
 * The before/after table of one key: type and encoding, length, TTL and a bounded view
 * of the value, with what changed marked (+ added, - removed, ~ changed). Pure: returns a string.
 */
export function renderKeyChange(before: KeyState | undefined, after: KeyState | undefined, style: Style, width = terminalColumns()): string {
  const key = (after ?? before)?.key ?? Buffer.alloc(0);
  const diff = diffKey(before, after);
  if (diff.change === "absent") return `${style.strong(quoteBytes(key))} ${style.dim("(no such key)")}`;
  const b = before?.exists ? before : undefined;
  const a = after?.exists ? after : undefined;
  if (diff.change === "unchanged" && a) {
    return boxTable(
      [style.strong(quoteBytes(key)), `now ${style.dim("(unchanged)")}`],
      [["type", typeText(a)], ["length", lengthText(a)], ["TTL", ttlText(a)], ...valueRows([valueText(a, diff.after, style, "after")])],
      paint(style),
      width,
    );
  }
  return boxTable([style.strong(quoteBytes(key)), "before", `after${changeLabel(diff)}`], [
    ["type", b ? typeText(b) : style.dim("(no such key)"), a ? mark(typeText(a), b !== undefined && typeText(b) !== typeText(a), style) : style.dim("(no such key)")],
    ["length", b ? lengthText(b) : "", a ? lengthText(a) + deltaText(diff, style) : ""],
    ["TTL", b ? ttlText(b) : "", a ? ttlText(a) + ttlMark(diff, style) : ""],
    ...valueRows([b ? valueText(b, diff.before, style, "before") : "", a ? valueText(a, diff.after, style, "after", diff) : ""]),
  ], paint(style), width);
}

/** One key as it stands, with no before/after: the starting data of a quiz question. */
export function renderKeyNow(state: KeyState, style: Style, width = terminalColumns()): string {
  if (!state.exists) return `${style.strong(quoteBytes(state.key))} ${style.dim("(no such key)")}`;
  const diff = diffKey(state, state);
  return boxTable(
    [style.strong(quoteBytes(state.key)), "now"],
    [["type", typeText(state)], ["length", lengthText(state)], ["TTL", ttlText(state)], ...valueRows([valueText(state, diff.after, style, "after")])],
    paint(style),
    width,
  );
}

/** The value, one row per line, so that the before and after lines stay side by side. */
function valueRows(columns: Cell[]): Cell[][] {
  const lines = columns.map((c): Cell[] => (typeof c === "function" ? [c] : c.split("\n")));
  const count = Math.max(...lines.map((l) => l.length));
  return Array.from({ length: count }, (_, i) => [i === 0 ? "value" : "", ...lines.map((l) => l[i] ?? "")]);
}

/** Above this many keys, one compact table instead of a table per key. */
export const COMPACT_AFTER = 5;
/** The compact table's rows at most; the rest are counted. */
export const COMPACT_ROWS = 20;

/** Past the keys read in full, how many there are and how many existed before and after. */
export interface OtherCounts {
  before?: OtherKeys;
  after?: OtherKeys;
}

/** One table per key the command touched, in the order the command names them; many keys share one compact table. */
export function renderKeyChanges(before: KeyState[] | undefined, after: KeyState[] | undefined, style: Style, width = terminalColumns(), others?: OtherCounts): string {
  const count = Math.max(before?.length ?? 0, after?.length ?? 0);
  if (count + otherCount(others) > COMPACT_AFTER) return renderManyKeys(before, after, style, width, others);
  const tables: string[] = [];
  for (let i = 0; i < count; i++) tables.push(renderKeyChange(before?.[i], after?.[i], style, width));
  return tables.join("\n");
}

const otherCount = (others: OtherCounts | undefined): number => others?.after?.count ?? others?.before?.count ?? 0;

/**
 * Many keys (MSET of 3,000 pairs, DEL of 10,000 keys): a row per key with its type, before →
 * after and the change, for the first COMPACT_ROWS keys, then what happened to the rest, counted.
 */
export function renderManyKeys(before: KeyState[] | undefined, after: KeyState[] | undefined, style: Style, width = terminalColumns(), others?: OtherCounts): string {
  const read = Math.max(before?.length ?? 0, after?.length ?? 0);
  const count = read + otherCount(others);
  const rows: Cell[][] = [];
  const counts = { created: 0, deleted: 0, changed: 0, unchanged: 0, kept: 0, absent: 0 };
  for (let i = 0; i < read; i++) {
    const b = before?.[i];
    const a = after?.[i];
    const change = diffKey(b, a).change;
    if (i >= COMPACT_ROWS) {
      counts[change]++;
      continue;
    }
    const state = a?.exists ? a : b;
    const key = (b ?? a)?.key ?? Buffer.alloc(0);
    const arrow = (w: number): string => {
      // "(none)" takes its 6 columns; values share the rest, the old one getting at most half.
      const room = w - 3;
      const left = b?.exists ? shortValue(b, a?.exists ? Math.floor(room / 2) : room - 6) : "(none)";
      return `${left} → ${a?.exists ? shortValue(a, room - left.length) : "(none)"}`;
    };
    rows.push([quoteBytes(key), state?.exists ? (state.type ?? "?") : "", arrow, markOf(change, style)]);
  }
  // Keys only counted: one command either creates or deletes keys like these, so the counts say which.
  const existedBefore = others?.before?.existing ?? 0;
  const existsAfter = others?.after?.existing ?? existedBefore;
  counts.created += Math.max(0, existsAfter - existedBefore);
  counts.deleted += Math.max(0, existedBefore - existsAfter);
  counts.kept += Math.min(existedBefore, existsAfter);
  counts.absent += otherCount(others) - Math.max(existedBefore, existsAfter);
  const head = [style.strong(`${thousands(count)} keys`), "type", "before → after", "change"];
  const out = [boxTable(head, rows, paint(style), width)];
  const rest = count - rows.length;
  if (rest > 0) {
    const parts = (Object.entries(counts) as [keyof typeof counts, number][]).filter(([, n]) => n > 0).map(([what, n]) => `${thousands(n)} ${REST_LABEL[what]}`);
    out.push(style.dim(`… ${thousands(rest)} more key${rest === 1 ? "" : "s"} (${parts.join(", ")})`));
  }
  return out.join("\n");
}

const REST_LABEL = { created: "created", deleted: "deleted", changed: "changed", unchanged: "unchanged", kept: "existed before and after; not read", absent: "no such key" } as const;

function markOf(change: KeyChange, style: Style): string {
  switch (change) {
    case "created":
      return style.added("+ created");
    case "deleted":
      return style.removed("- deleted");
    case "changed":
      return style.changed("~ changed");
    case "unchanged":
      return "  unchanged";
    case "absent":
      return style.dim("  no such key");
  }
}

/** A key's value in a few columns: a string's bytes (cut), or the length of anything else. */
function shortValue(s: KeyState, width: number): string {
  if (s.type === "string") return stringCell(s)(Math.max(8, width));
  return lengthText(s);
}



const paint = (style: Style) => ({ head: (s: string) => style.code(s), border: (s: string) => style.dim(s) });

function changeLabel(diff: KeyDiff): string {
  switch (diff.change) {
    case "created":
      return " (created)";
    case "deleted":
      return " (deleted)";
    case "changed":
      return " (changed)";
    case "unchanged":
      return " (unchanged)";
    case "absent":
      return "";
  }
}

function typeText(s: KeyState): string {
  return `${s.type ?? "?"} (${s.encoding ?? "?"})`;
}

/** The types the snapshot reads; a module's type (JSON, a time series ...) or a vector set it cannot. */
const READABLE_TYPES = new Set(["string", "list", "hash", "set", "zset", "stream"]);

/** The command that shows a value of a type the table cannot read, by the name TYPE gives it. */
const READ_WITH: Record<string, string> = {
  "ReJSON-RL": "JSON.GET",
  "TSDB-TYPE": "TS.RANGE %s - +",
  "MBbloom--": "BF.INFO",
  MBbloomCF: "CF.INFO",
  "TopK-TYPE": "TOPK.LIST",
  "CMSk-TYPE": "CMS.INFO",
  "TDIS-TYPE": "TDIGEST.INFO",
  vectorset: "VINFO",
};

function unreadable(s: KeyState): boolean {
  return s.type !== undefined && !READABLE_TYPES.has(s.type);
}

function readWith(s: KeyState): string {
  const key = quoteBytes(s.key);
  const command = READ_WITH[s.type ?? ""];
  if (!command) return "its module's commands (MODULE LIST)";
  return command.includes("%s") ? command.replace("%s", key) : `${command} ${key}`;
}

function lengthText(s: KeyState): string {
  if (unreadable(s)) return "not read";
  const n = thousands(s.length ?? 0);
  switch (s.type) {
    case "string":
      return `${n} byte${s.length === 1 ? "" : "s"}`;
    case "hash":
      return `${n} field${s.length === 1 ? "" : "s"}`;
    case "stream":
      return `${n} entr${s.length === 1 ? "y" : "ies"}`;
    default:
      return `${n} element${s.length === 1 ? "" : "s"}`;
  }
}

function deltaText(diff: KeyDiff, style: Style): string {
  if (diff.change !== "changed" || diff.lengthDelta === 0) return "";
  const d = diff.lengthDelta;
  return " " + (d > 0 ? style.added(`(+${d})`) : style.removed(`(${d})`));
}

/** Below this a TTL is shown in milliseconds. */
const SHORT_TTL_MS = 10_000;

export function ttlText(s: KeyState): string {
  const pttl = s.pttl ?? -1;
  return pttl < 0 ? "none" : durationOf(pttl);
}

/** A time to live as the learner reads it: milliseconds when short, else whole seconds as TTL rounds them. */
function durationOf(ms: number): string {
  // A short TTL (PX 500) in whole seconds would read "1 s" or "0 s": show what PTTL says.
  if (ms < SHORT_TTL_MS) return `${thousands(ms)} ms`;
  return `${thousands(Math.floor((ms + 500) / 1000))} s`;
}

function ttlMark(diff: KeyDiff, style: Style): string {
  switch (diff.ttl) {
    case "set":
      return " " + style.changed("(set)");
    case "cleared":
      return " " + style.changed("(cleared)");
    case "changed":
      return " " + style.changed("(changed)");
    default:
      return "";
  }
}

function mark(text: string, changed: boolean, style: Style): string {
  return changed ? style.changed(`${text} (changed)`) : text;
}

const MARKS = { added: "+", removed: "-", changed: "~", same: " " } as const;

function valueText(s: KeyState, items: MarkedItem[], style: Style, side: "before" | "after", diff?: KeyDiff): Cell {
  if (s.type === "string") {
    const cell = stringCell(s);
    if (side === "after" && diff?.change === "changed" && diff.valueChanged) return (w) => style.changed(cell(w - " (new value)".length) + " (new value)");
    if (side === "after" && diff?.change === "created") return (w) => style.added(cell(w));
    return cell;
  }
  if (unreadable(s)) return style.dim(`not shown here: read it with\n${readWith(s)}`);
  if (items.length === 0) return style.dim(s.type === "string" || s.type === undefined ? "" : "(empty)");
  const headCount = s.head?.length ?? 0;
  const shownCount = headCount + (s.tail?.length ?? 0);
  const lines: string[] = [];
  items.forEach((m, i) => {
    if (i === headCount && s.tail) lines.push(style.dim(`… ${thousands((s.length ?? 0) - shownCount)} more …`));
    const line = `${MARKS[m.mark]} ${itemText(s.type, m.item)}`;
    lines.push(m.mark === "added" ? style.added(line) : m.mark === "removed" ? style.removed(line) : m.mark === "changed" ? style.changed(line) : line);
  });
  if (!s.tail && shownCount < (s.length ?? 0)) lines.push(style.dim(`… ${thousands((s.length ?? 0) - shownCount)} more …`));
  return lines.join("\n");
}

/**
 * A string's value fitted to a width: quoted whole when it fits, else its first bytes and
 * "… (+N bytes)", N counting what is not shown (of the whole value, not only the preview).
 */
export function stringCell(s: KeyState): (width: number) => string {
  const bytes = s.bytes ?? Buffer.alloc(0);
  const total = Math.max(s.length ?? 0, bytes.length);
  return (width) => {
    const whole = quoteBytes(bytes);
    if (total <= bytes.length && whole.length <= width) return whole;
    const shown = (k: number): string => `${quoteBytes(bytes.subarray(0, k)).slice(0, -1)}…" (+${thousands(total - k)} bytes)`;
    // The longest prefix whose quoted form and note fit: quoting only grows with k.
    let lo = 0;
    let hi = Math.min(bytes.length, total - 1);
    while (lo < hi) {
      const mid = Math.ceil((lo + hi) / 2);
      if (shown(mid).length <= width) lo = mid;
      else hi = mid - 1;
    }
    return shown(lo);
  };
}

function itemText(type: string | undefined, item: PreviewItem): string {
  switch (type) {
    case "list":
      return `${item.index}) ${quoteBytes(item.member)}`;
    case "hash":
      // A field's own TTL (Redis 7.4+: HEXPIRE) is part of what the field is.
      return `${quoteBytes(item.member)} => ${quoteBytes(item.value ?? Buffer.alloc(0))}${item.ttl !== undefined && item.ttl >= 0 ? ` (TTL ${durationOf(item.ttl)})` : ""}`;
    case "zset":
      return `${(item.index ?? 0) + 1}) ${quoteBytes(item.member)} (score ${item.score})`;
    case "stream":
      return `${item.member.toString("latin1")} ${item.value?.toString("latin1") ?? ""}`;
    default:
      return quoteBytes(item.member);
  }
}
