import { quoteBytes } from "../redis/reply-format.js";
import { PREVIEW_BYTES, type KeyState, type PreviewItem } from "../redis/snapshot.js";
import { diffKey, type KeyDiff, type MarkedItem } from "./key-diff.js";
import type { Style } from "./style.js";
import { thousands } from "./numbers.js";
import { boxTable } from "./box.js";

/**
 * The before/after table of one key: type and encoding, length, TTL and a bounded view
 * of the value, with what changed marked (+ added, - removed, ~ changed). Pure: returns a string.
 */
export function renderKeyChange(before: KeyState | undefined, after: KeyState | undefined, style: Style): string {
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
    );
  }
  return boxTable([style.strong(quoteBytes(key)), "before", `after${changeLabel(diff)}`], [
    ["type", b ? typeText(b) : style.dim("(no such key)"), a ? mark(typeText(a), b !== undefined && typeText(b) !== typeText(a), style) : style.dim("(no such key)")],
    ["length", b ? lengthText(b) : "", a ? lengthText(a) + deltaText(diff, style) : ""],
    ["TTL", b ? ttlText(b) : "", a ? ttlText(a) + ttlMark(diff, style) : ""],
    ...valueRows([b ? valueText(b, diff.before, style, "before") : "", a ? valueText(a, diff.after, style, "after", diff) : ""]),
  ], paint(style));
}

/** One key as it stands, with no before/after: the starting data of a quiz question. */
export function renderKeyNow(state: KeyState, style: Style): string {
  if (!state.exists) return `${style.strong(quoteBytes(state.key))} ${style.dim("(no such key)")}`;
  const diff = diffKey(state, state);
  return boxTable(
    [style.strong(quoteBytes(state.key)), "now"],
    [["type", typeText(state)], ["length", lengthText(state)], ["TTL", ttlText(state)], ...valueRows([valueText(state, diff.after, style, "after")])],
    paint(style),
  );
}

/** The value, one row per line, so that the before and after lines stay side by side. */
function valueRows(columns: string[]): string[][] {
  const lines = columns.map((c) => c.split("\n"));
  const count = Math.max(...lines.map((l) => l.length));
  return Array.from({ length: count }, (_, i) => [i === 0 ? "value" : "", ...lines.map((l) => l[i] ?? "")]);
}

/** One table per key the command touched, in the order the command names them. */
export function renderKeyChanges(before: KeyState[] | undefined, after: KeyState[] | undefined, style: Style): string {
  const count = Math.max(before?.length ?? 0, after?.length ?? 0);
  const tables: string[] = [];
  for (let i = 0; i < count; i++) tables.push(renderKeyChange(before?.[i], after?.[i], style));
  return tables.join("\n");
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

function valueText(s: KeyState, items: MarkedItem[], style: Style, side: "before" | "after", diff?: KeyDiff): string {
  if (s.type === "string") {
    const shown = quoteBytes(s.bytes ?? Buffer.alloc(0));
    const cut = (s.length ?? 0) > PREVIEW_BYTES ? `${shown.slice(0, -1)}…" (${thousands(s.length ?? 0)} bytes)` : shown;
    if (side === "after" && diff?.change === "changed" && diff.valueChanged) return style.changed(`${cut} (new value)`);
    if (side === "after" && diff?.change === "created") return style.added(cut);
    return cut;
  }
  if (unreadable(s)) return style.dim(`not shown here: read it with ${readWith(s)}`);
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
