import { eastAsianWidth } from "get-east-asian-width";

// Width as terminals draw it: text split into grapheme clusters by Intl.Segmenter (an emoji
// with its modifiers, a ZWJ family, a flag, a letter with its accents are one cluster each),
// emoji clusters two columns, the rest by the East Asian Width of their first visible code
// point, from get-east-asian-width (the Unicode data string-width itself uses). string-width
// is not used because it builds an Intl.Segmenter when loaded, 16–50 ms of ICU data on this
// machine, which `list` and `--help` would pay on every start; here printable ASCII never
// needs the segmenter, and it is built on first use.
const ANSI = /\x1b\[[0-9;]*[A-Za-z]/g;
const ANSI_AT = /^\x1b\[[0-9;]*[A-Za-z]/;
const PRINTABLE_ASCII = /^[\x20-\x7e]*$/;
/**
 * Characters that never join others into a cluster: Latin, punctuation, arrows, box drawing
 * (the "·", "→", "…" and "─" every step and table has). Text of only these is measured one
 * character at a time, without building the segmenter.
 */
const NEVER_JOINED = /^[\x20-\x7e\xa0-\xac\xae-\u02ff\u2010-\u2027\u2030-\u205e\u2190-\u21ff\u2500-\u259f\u2713-\u2717]*$/;
let segmenter: Intl.Segmenter | undefined;
const clusters = (text: string): Iterable<Intl.SegmentData> => (segmenter ??= new Intl.Segmenter()).segment(text);

/** Columns a string takes on screen: wide East Asian characters and emoji take two, combining marks and colour codes none. */
export function displayWidth(text: string): number {
  const plain = text.includes("\x1b") ? text.replace(ANSI, "") : text;
  if (PRINTABLE_ASCII.test(plain)) return plain.length;
  let width = 0;
  if (NEVER_JOINED.test(plain)) {
    for (let i = 0; i < plain.length; i++) width += eastAsianWidth(plain.charCodeAt(i));
    return width;
  }
  for (const { segment } of clusters(plain)) width += clusterWidth(segment);
  return width;
}

const INVISIBLE = /^[\p{Default_Ignorable_Code_Point}\p{Control}\p{Format}\p{Mark}\p{Surrogate}]+$/u;
const EMOJI_PRESENTATION = /\p{Emoji_Presentation}|\p{Extended_Pictographic}\uFE0F|\p{Regional_Indicator}{2}|\u200D\p{Extended_Pictographic}|^[#*0-9]\uFE0F?\u20E3$/u;
const LEADING_INVISIBLE = /^[\p{Default_Ignorable_Code_Point}\p{Format}\p{Mark}]+/u;

function clusterWidth(cluster: string): number {
  if (cluster.length === 1 && PRINTABLE_ASCII.test(cluster)) return 1;
  if (INVISIBLE.test(cluster)) return 0;
  if (EMOJI_PRESENTATION.test(cluster)) return 2;
  const base = cluster.replace(LEADING_INVISIBLE, "").codePointAt(0) ?? 0;
  return eastAsianWidth(base);
}

/**
 * The terminal's width: stdout's columns on a terminal, else $COLUMNS, else 80. Never
 * under 40, so that a tiny pane still gets readable (if overflowing) tables.
 */
export function terminalColumns(stream: { isTTY?: boolean; columns?: number } = process.stdout, env: NodeJS.ProcessEnv = process.env): number {
  const fromEnv = Number(env.COLUMNS);
  const columns = stream.isTTY && stream.columns ? stream.columns : Number.isInteger(fromEnv) && fromEnv > 0 ? fromEnv : 80;
  return Math.max(40, columns);
}

/**
 * The text cut to at most `width` columns, ending in "…" and `tail(rest)` when cut, where
 * rest is the plain text cut off. Colour codes are kept (and reset after a cut).
 */
export function cutToWidth(text: string, width: number, tail: (rest: string) => string = () => ""): string {
  if (displayWidth(text) <= width) return text;
  let out = "";
  let used = 0;
  let i = 0;
  let colored = false;
  const plain = text.replace(ANSI, "");
  let plainAt = 0;
  // The suffix's width depends on what is cut off; try the budget shrinking until it fits.
  for (let budget = width - 1; budget >= 0; budget--) {
    out = "";
    used = 0;
    i = 0;
    plainAt = 0;
    colored = false;
    while (i < text.length) {
      const code = ANSI_AT.exec(text.slice(i, i + 20));
      if (code) {
        out += code[0];
        colored = true;
        i += code[0].length;
        continue;
      }
      const next = nextCluster(text, i);
      const w = displayWidth(next);
      if (used + w > budget) break;
      out += next;
      used += w;
      i += next.length;
      plainAt += next.length;
    }
    const suffix = "…" + tail(plain.slice(plainAt));
    if (used + displayWidth(suffix) <= width || budget === 0) return out + (colored ? "\x1b[0m" : "") + suffix;
  }
  return out;
}

/** The grapheme cluster (an emoji with its modifiers, a letter with its accents) starting at i. */
function nextCluster(text: string, i: number): string {
  const end = text.indexOf("\x1b", i);
  const piece = text.slice(i, end === -1 ? Math.min(text.length, i + 32) : Math.min(end, i + 32));
  for (const { segment } of clusters(piece)) return segment;
  return text[i] ?? "";
}

/**
 * Prose wrapped at word boundaries to `width` columns, line by line: each line's leading
 * spaces (an indented list, a code sample) are kept on its continuation lines. A word
 * wider than the line is cut, as nothing else can fit it.
 */
export function wrapText(text: string, width: number): string {
  return text
    .split("\n")
    .map((line) => wrapLine(line, width))
    .join("\n");
}

function wrapLine(line: string, width: number): string {
  if (displayWidth(line) <= width) return line;
  const indent = /^ */.exec(line)?.[0] ?? "";
  const room = Math.max(10, width - indent.length);
  // Split on single spaces: a run of spaces (aligned columns) stays as it was typed.
  const words = line.slice(indent.length).split(" ");
  const out: string[] = [];
  let current: string | undefined;
  for (let word of words) {
    while (displayWidth(word) > room) {
      if (current) out.push(current);
      current = undefined;
      const plain = word.replace(ANSI, "");
      let take = "";
      for (const { segment } of clusters(plain)) {
        if (displayWidth(take + segment) > room) break;
        take += segment;
      }
      if (!take) take = plain.slice(0, 1);
      out.push(take);
      word = plain.slice(take.length);
    }
    if (current === undefined) {
      if (word) current = word;
    } else if (displayWidth(current) + 1 + displayWidth(word) <= room) current += " " + word;
    else {
      out.push(current.trimEnd());
      current = word || undefined;
    }
  }
  if (current) out.push(current);
  return out.map((l) => indent + l).join("\n");
}

/** Text after a lead (a bullet, a name column), wrapped so its continuation lines hang under the text. */
export function hangingWrap(lead: string, text: string, width: number): string {
  const pad = " ".repeat(displayWidth(lead));
  return wrapText(text, Math.max(20, width - pad.length))
    .split("\n")
    .map((l, i) => (i === 0 ? lead : pad) + l)
    .join("\n");
}

/**
 * A plain table of aligned columns under a header line. For `list`, whose start-up is
 * measured against an empty node: it needs no table library, and has no cells that wrap.
 * Given a width, the last column (free text) wraps under itself to stay inside it.
 */
export function columns(head: string[], rows: string[][], style: { strong(s: string): string; dim(s: string): string }, width = Infinity): string {
  const widths = head.map((h, i) => Math.max(displayWidth(h), ...rows.map((r) => displayWidth(r[i] ?? ""))));
  const lastAt = widths.slice(0, -1).reduce((sum, w) => sum + w + 2, 0);
  const lastRoom = Math.max(20, width - lastAt);
  if (widths.length) widths[widths.length - 1] = Math.min(widths[widths.length - 1] ?? 0, lastRoom);
  const line = (cells: string[]): string => {
    const last = wrapText(cells[cells.length - 1] ?? "", lastRoom).split("\n");
    const lead = cells.slice(0, -1).map((c, i) => c + " ".repeat((widths[i] ?? 0) - displayWidth(c))).join("  ");
    const pad = " ".repeat(lastAt);
    return last.map((l, i) => ((i === 0 ? lead : pad.slice(2)) + (cells.length > 1 ? "  " : "") + l).trimEnd()).join("\n");
  };
  return [style.strong(line(head)), style.dim(widths.map((w) => "─".repeat(w)).join("  ")), ...rows.map(line)].join("\n");
}
