import type { Reply } from "./reply-types.js";

/**
 * Turns a reply into text exactly as `redis-cli --no-raw` prints it (cliFormatReplyTTY
 * and cliFormatReplyRaw in redis-cli.c).
 *
 * The text is a byte string: each character stands for one byte (latin1), because
 * redis-cli writes status, error and verbatim replies as raw bytes. Write it with
 * Buffer.from(text, "latin1"); bulk strings are always escaped to ASCII.
 */

/** Colour roles; every function returns its input unchanged when colour is off. */
export interface ReplyTheme {
  status(s: string): string;
  error(s: string): string;
  integer(s: string): string;
  string(s: string): string;
  nil(s: string): string;
  index(s: string): string;
}

const identity = (s: string): string => s;
export const PLAIN_THEME: ReplyTheme = {
  status: identity,
  error: identity,
  integer: identity,
  string: identity,
  nil: identity,
  index: identity,
};

/** sdscatrepr: a quoted string with every byte outside printable ASCII escaped. */
export function quoteBytes(bytes: Buffer): string {
  let out = '"';
  for (const b of bytes) {
    switch (b) {
      case 0x5c:
        out += "\\\\";
        break;
      case 0x22:
        out += '\\"';
        break;
      case 0x0a:
        out += "\\n";
        break;
      case 0x0d:
        out += "\\r";
        break;
      case 0x09:
        out += "\\t";
        break;
      case 0x07:
        out += "\\a";
        break;
      case 0x08:
        out += "\\b";
        break;
      default:
        out += b >= 0x20 && b <= 0x7e ? String.fromCharCode(b) : `\\x${b.toString(16).padStart(2, "0")}`;
    }
  }
  return out + '"';
}

const EMPTY: Record<string, string> = {
  array: "(empty array)",
  map: "(empty hash)",
  set: "(empty set)",
  push: "(empty push)",
};

const INDEX_SEPARATOR: Record<string, string> = { set: "~", map: "#" };

/**
 * The standard, human-readable form (redis-cli's output to a terminal, or with --no-raw).
 *
 * Written as a loop over a stack of work rather than by recursion: a server sends replies
 * nested thousands deep (a Lua script returning {{{...}}}: Redis 7.0 allows about 7,900
 * levels), and redis-cli prints them, where recursion here ran out of call stack.
 */
export function formatReply(r: Reply, theme: ReplyTheme = PLAIN_THEME, prefix = ""): string {
  const multiLine = multiLineTest();
  let out = "";
  // Text to write, or a reply to format. A reply ends with a newline unless it is a map
  // key, whose value follows on the same line ("1# key => value"), or ends one.
  const work: (string | { r: Reply; prefix: string; newline: boolean })[] = [{ r, prefix, newline: true }];
  for (let item = work.pop(); item !== undefined; item = work.pop()) {
    if (typeof item === "string") {
      out += item;
      continue;
    }
    const { r: node, prefix: at, newline } = item;
    const scalar = "items" in node ? (node.items.length === 0 ? theme.nil(EMPTY[node.type] ?? "(empty aggregate type)") : undefined) : formatScalar(node, theme);
    if (scalar !== undefined) {
      out += newline ? scalar + "\n" : scalar;
      continue;
    }
    const items = (node as { items: Reply[] }).items;
    const isMap = node.type === "map" || node.type === "attribute";
    const step = isMap ? 2 : 1;
    const count = isMap ? Math.floor(items.length / 2) : items.length;
    const width = String(count).length;
    // Nested replies are indented under the parent's index: its width plus ") ".
    const childPrefix = at + " ".repeat(width + 2);
    const separator = INDEX_SEPARATOR[node.type] ?? ")";
    const parts: typeof work = [];
    for (let i = 0; i < count * step; i += step) {
      const humanIndex = String(i / step + 1).padStart(width, " ");
      const last = i + step >= count * step;
      // The first element's line already starts with the parent's index.
      parts.push((i === 0 ? "" : at) + theme.index(`${humanIndex}${separator}`) + " ");
      if (!isMap) {
        parts.push({ r: items[i] as Reply, prefix: childPrefix, newline: !last || newline });
        continue;
      }
      const value = items[i + 1] as Reply;
      parts.push({ r: items[i] as Reply, prefix: childPrefix, newline: false });
      // A value that takes several lines starts on a line of its own, under the key.
      parts.push(" => " + (multiLine(value) ? "\n" + childPrefix : ""));
      parts.push({ r: value, prefix: childPrefix, newline: !last || newline });
    }
    for (let i = parts.length - 1; i >= 0; i--) work.push(parts[i] as (typeof work)[number]);
  }
  return out;
}

function formatScalar(r: Exclude<Reply, { items: Reply[] }>, theme: ReplyTheme): string {
  switch (r.type) {
    // redis-cli prints these two with printf's %s and sdscat: up to the first NUL byte.
    case "error":
      return theme.error(`(error) ${cString(r.value)}`);
    case "status":
      return theme.status(cString(r.value));
    case "integer":
      return theme.integer(`(integer) ${r.value}`);
    case "double":
      return theme.integer(`(double) ${r.value}`);
    case "bignum":
      return theme.integer(`(big number) ${r.value}`);
    case "bulk":
      return theme.string(quoteBytes(r.value));
    case "verbatim":
      return theme.string(r.value.toString("latin1"));
    case "nil":
      return theme.nil("(nil)");
    case "boolean":
      return theme.integer(r.value ? "(true)" : "(false)");
  }
}

/**
 * Whether redis-cli 7 prints a reply on more than one line (decided by shape, not by
 * content): an aggregate of more than one element, or of one element that is. Answers
 * are kept for the length of one formatting, so a chain of one-pair maps thousands deep
 * costs linear time, and the walk is a loop for the same depth.
 */
function multiLineTest(): (r: Reply) => boolean {
  const known = new Map<Reply, boolean>();
  const shape = (r: Reply): { count: number; inner: Reply[] } => {
    if (!("items" in r)) return { count: 0, inner: [] };
    const isMap = r.type === "map" || r.type === "attribute";
    const count = isMap ? Math.floor(r.items.length / 2) : r.items.length;
    return { count, inner: count === 1 ? r.items.slice(0, isMap ? 2 : 1) : [] };
  };
  return (root) => {
    // Depth first: a reply's answer once all its inner ones are known.
    const stack: Reply[] = [root];
    while (stack.length) {
      const r = stack[stack.length - 1] as Reply;
      if (known.has(r)) {
        stack.pop();
        continue;
      }
      const { count, inner } = shape(r);
      const pending = inner.filter((i) => !known.has(i));
      if (pending.length) {
        stack.push(...pending);
        continue;
      }
      known.set(r, count > 1 || inner.some((i) => known.get(i) === true));
      stack.pop();
    }
    return known.get(root) === true;
  };
}

/**
 * The raw form redis-cli uses, even with --no-raw, for commands whose reply is a report
 * meant to be read as is (INFO, CLIENT LIST, ...): no quotes, no trailing newline
 * added to strings, errors without "(error)". A loop, not recursion, for the same reason
 * as formatReply.
 */
export function formatReplyRaw(r: Reply, delimiter = "\n"): string {
  let out = "";
  const work: (string | Reply)[] = [r];
  for (let item = work.pop(); item !== undefined; item = work.pop()) {
    if (typeof item === "string") {
      out += item;
      continue;
    }
    if (!("items" in item)) {
      out += formatScalarRaw(item);
      continue;
    }
    const isMap = item.type === "map" || item.type === "attribute";
    const parts: (string | Reply)[] = [];
    if (isMap) {
      for (let i = 0; i + 1 < item.items.length; i += 2) {
        if (i > 0) parts.push(delimiter);
        parts.push(item.items[i] as Reply, " ", item.items[i + 1] as Reply);
      }
    } else {
      item.items.forEach((element, i) => parts.push(...(i > 0 ? [delimiter, element] : [element])));
    }
    for (let i = parts.length - 1; i >= 0; i--) work.push(parts[i] as string | Reply);
  }
  return out;
}

function formatScalarRaw(r: Exclude<Reply, { items: Reply[] }>): string {
  switch (r.type) {
    case "nil":
      return "";
    case "error":
      return r.value.toString("latin1") + "\n";
    case "status":
    case "bulk":
    case "verbatim":
      return r.value.toString("latin1");
    case "boolean":
      return r.value ? "(true)" : "(false)";
    case "integer":
      return String(r.value);
    case "double":
    case "bignum":
      return r.value;
  }
}

/** Which commands redis-cli prints raw even in its standard mode (cliSendCommand). */
export function printsRaw(args: readonly Buffer[]): boolean {
  const name = args[0] && cString(args[0]).toLowerCase();
  const sub = args[1] && cString(args[1]).toLowerCase();
  const argc = args.length;
  switch (name) {
    case "info":
    case "lolwut":
      return true;
    case "debug":
      return argc >= 2 && (sub === "htstats" || sub === "htstats-key" || sub === "client-eviction");
    case "memory":
      return argc >= 2 && (sub === "malloc-stats" || sub === "doctor");
    case "cluster":
      return argc === 2 && (sub === "nodes" || sub === "info");
    case "client":
      return argc >= 2 && (sub === "list" || sub === "info");
    case "latency":
      return (argc === 3 && sub === "graph") || (argc === 2 && sub === "doctor");
    case "proxy":
      return argc >= 2 && sub === "info";
    default:
      return false;
  }
}

/** An argument as redis-cli's C code compares it: up to the first NUL byte. */
export function cString(word: Buffer): string {
  const nul = word.indexOf(0);
  return (nul === -1 ? word : word.subarray(0, nul)).toString("latin1");
}
