import type { KeyState, PreviewItem } from "../redis/snapshot.js";

/** How one key changed between before and after, worked out from bounded previews (pure). */
export type KeyChange = "created" | "deleted" | "changed" | "unchanged" | "absent";

export type Mark = "added" | "removed" | "changed" | "same";

export interface MarkedItem {
  item: PreviewItem;
  mark: Mark;
}

export interface KeyDiff {
  change: KeyChange;
  before: MarkedItem[];
  after: MarkedItem[];
  ttl: "set" | "cleared" | "changed" | "same";
  valueChanged: boolean;
  lengthDelta: number;
}

/** TTLs shrink on their own between two reads: only a jump of a second or more is a change. */
const TTL_TOLERANCE_MS = 1000;

export function diffKey(before: KeyState | undefined, after: KeyState | undefined): KeyDiff {
  const b = before ?? after;
  const a = after ?? before;
  const existedBefore = before?.exists ?? false;
  const existsAfter = after?.exists ?? false;
  const change: KeyChange = !existedBefore && !existsAfter ? "absent" : !existedBefore ? "created" : !existsAfter ? "deleted" : "unchanged";
  const typeChanged = existedBefore && existsAfter && before?.type !== after?.type;
  const [markedBefore, markedAfter] = typeChanged ? [markAll(b?.head, "removed"), markAll(a?.head, "added")] : diffItems(before, after);
  const valueChanged =
    typeChanged ||
    (before?.bytes !== undefined && after?.bytes !== undefined && !before.bytes.equals(after.bytes)) ||
    before?.length !== after?.length ||
    markedAfter.some((m) => m.mark !== "same") ||
    markedBefore.some((m) => m.mark !== "same");
  const ttl = ttlChange(before, after);
  const finalChange: KeyChange = change === "unchanged" && (valueChanged || ttl !== "same" || before?.encoding !== after?.encoding) ? "changed" : change;
  return {
    change: finalChange,
    before: markedBefore,
    after: markedAfter,
    ttl,
    valueChanged,
    lengthDelta: (after?.exists ? (after.length ?? 0) : 0) - (before?.exists ? (before.length ?? 0) : 0),
  };
}

function ttlChange(before: KeyState | undefined, after: KeyState | undefined): KeyDiff["ttl"] {
  if (!before?.exists || !after?.exists) return "same";
  const b = before.pttl ?? -1;
  const a = after.pttl ?? -1;
  if (b < 0 && a >= 0) return "set";
  if (b >= 0 && a < 0) return "cleared";
  if (b >= 0 && a >= 0 && Math.abs(a - b) >= TTL_TOLERANCE_MS) return "changed";
  return "same";
}

function markAll(items: PreviewItem[] | undefined, mark: Mark): MarkedItem[] {
  return (items ?? []).map((item) => ({ item, mark }));
}

const id = (i: PreviewItem): string => i.member.toString("latin1");
// A field's TTL counts by whether it has one: its milliseconds tick down between two reads.
const full = (i: PreviewItem): string => `${id(i)}\u0000${i.value?.toString("latin1") ?? ""}\u0000${i.score ?? ""}\u0000${i.ttl !== undefined && i.ttl >= 0 ? "ttl" : ""}`;

function diffItems(before: KeyState | undefined, after: KeyState | undefined): [MarkedItem[], MarkedItem[]] {
  const bHead = before?.exists ? (before.head ?? []) : [];
  const aHead = after?.exists ? (after.head ?? []) : [];
  const type = after?.exists ? after.type : before?.type;
  if (type === "list") {
    // Order is what a list is: compare as sequences (head with head, tail with tail).
    const [bh, ah] = sequenceDiff(bHead, aHead);
    const [bt, at] = sequenceDiff(before?.exists ? (before.tail ?? []) : [], after?.exists ? (after.tail ?? []) : []);
    if (before?.tail && after?.tail) {
      // Both previews are windows on a long list: what slid out of (or into) a window's
      // inner edge merely scrolled; it was not removed (or added).
      scrolled(bh, "end");
      scrolled(ah, "end");
      scrolled(bt, "start");
      scrolled(at, "start");
    }
    return [[...bh, ...bt], [...ah, ...at]];
  }
  // Hashes, sets, sorted sets and streams: compare by member.
  const bAll = [...bHead, ...(before?.exists ? (before.tail ?? []) : [])];
  const aAll = [...aHead, ...(after?.exists ? (after.tail ?? []) : [])];
  const bById = new Map(bAll.map((i) => [id(i), i]));
  const aById = new Map(aAll.map((i) => [id(i), i]));
  // Bounded previews of big keys are samples: an element missing from one side's sample
  // may simply not have been read, so only a complete preview can say "added" or "removed".
  const bComplete = !before?.exists || bAll.length >= (before.length ?? 0);
  const aComplete = !after?.exists || aAll.length >= (after.length ?? 0);
  const markBefore = bAll.map((item): MarkedItem => {
    const other = aById.get(id(item));
    if (!other) return { item, mark: aComplete ? "removed" : "same" };
    return { item, mark: full(other) === full(item) ? "same" : "changed" };
  });
  const markAfter = aAll.map((item): MarkedItem => {
    const other = bById.get(id(item));
    if (!other) return { item, mark: bComplete ? "added" : "same" };
    return { item, mark: full(other) === full(item) ? "same" : "changed" };
  });
  return [markBefore, markAfter];
}

function scrolled(marks: MarkedItem[], edge: "start" | "end"): void {
  const order = edge === "end" ? [...marks].reverse() : marks;
  const run = order.findIndex((m) => m.mark === "same");
  // A window that changed entirely really did change; only a partial edge scrolled.
  if (run <= 0) return;
  for (const m of order.slice(0, run)) m.mark = "same";
}

/** Longest common subsequence: what stayed, what was removed, what was added. */
function sequenceDiff(before: PreviewItem[], after: PreviewItem[]): [MarkedItem[], MarkedItem[]] {
  const n = before.length;
  const m = after.length;
  const lcs: number[][] = Array.from({ length: n + 1 }, () => new Array<number>(m + 1).fill(0));
  for (let i = n - 1; i >= 0; i--) {
    for (let j = m - 1; j >= 0; j--) {
      lcs[i]![j] = id(before[i]!) === id(after[j]!) ? lcs[i + 1]![j + 1]! + 1 : Math.max(lcs[i + 1]![j]!, lcs[i]![j + 1]!);
    }
  }
  const keptBefore = new Set<number>();
  const keptAfter = new Set<number>();
  for (let i = 0, j = 0; i < n && j < m; ) {
    if (id(before[i]!) === id(after[j]!)) {
      keptBefore.add(i++);
      keptAfter.add(j++);
    } else if (lcs[i + 1]![j]! >= lcs[i]![j + 1]!) i++;
    else j++;
  }
  return [
    before.map((item, i) => ({ item, mark: keptBefore.has(i) ? "same" : "removed" })),
    after.map((item, j) => ({ item, mark: keptAfter.has(j) ? "same" : "added" })),
  ];
}
