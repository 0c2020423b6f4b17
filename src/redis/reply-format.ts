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

/** The standard, human-readable form (redis-cli's output to a terminal, or with --no-raw). */
export function formatReply(r: Reply, theme: ReplyTheme = PLAIN_THEME, prefix = ""): string {
  switch (r.type) {
    case "error":
      return theme.error(`(error) ${r.value.toString("latin1")}`) + "\n";
    case "status":
      return theme.status(r.value.toString("latin1")) + "\n";
    case "integer":
      return theme.integer(`(integer) ${r.value}`) + "\n";
    case "double":
      return theme.integer(`(double) ${r.value}`) + "\n";
    case "bignum":
      return theme.integer(`(big number) ${r.value}`) + "\n";
    case "bulk":
      return theme.string(quoteBytes(r.value)) + "\n";
    case "verbatim":
      return theme.string(r.value.toString("latin1")) + "\n";
    case "nil":
      return theme.nil("(nil)") + "\n";
    case "boolean":
      return theme.integer(r.value ? "(true)" : "(false)") + "\n";
    case "array":
    case "set":
    case "push":
    case "map":
    case "attribute":
      return formatAggregate(r, theme, prefix);
  }
}

function formatAggregate(r: { type: string; items: Reply[] }, theme: ReplyTheme, prefix: string): string {
  if (r.items.length === 0) return theme.nil(EMPTY[r.type] ?? "(empty aggregate type)") + "\n";
  const isMap = r.type === "map" || r.type === "attribute";
  const count = isMap ? Math.floor(r.items.length / 2) : r.items.length;
  const width = String(count).length;
  // Nested replies are indented under the parent's index: its width plus ") ".
  const childPrefix = prefix + " ".repeat(width + 2);
  const separator = INDEX_SEPARATOR[r.type] ?? ")";
  let out = "";
  const step = isMap ? 2 : 1;
  for (let i = 0; i < r.items.length; i += step) {
    const humanIndex = String(i / step + 1).padStart(width, " ");
    // The first element's line already starts with the parent's index.
    out += (i === 0 ? "" : prefix) + theme.index(`${humanIndex}${separator}`) + " ";
    out += formatReply(r.items[i] as Reply, theme, childPrefix);
    if (isMap) {
      const value = r.items[i + 1] as Reply;
      // A value that takes several lines starts on a line of its own, under the key.
      out = out.slice(0, -1) + " => " + (isMultiLine(value) ? "\n" + childPrefix : "") + formatReply(value, theme, childPrefix);
    }
  }
  return out;
}

/** Whether redis-cli 7 prints this reply on more than one line (decided by shape, not by content). */
function isMultiLine(r: Reply): boolean {
  switch (r.type) {
    case "array":
    case "set":
    case "push":
      return r.items.length > 1 || (r.items.length === 1 && isMultiLine(r.items[0] as Reply));
    case "map":
    case "attribute":
      return r.items.length > 2 || (r.items.length === 2 && (isMultiLine(r.items[0] as Reply) || isMultiLine(r.items[1] as Reply)));
    default:
      return false;
  }
}

/**
 * The raw form redis-cli uses, even with --no-raw, for commands whose reply is a report
 * meant to be read as is (INFO, CLIENT LIST, ...): no quotes, no trailing newline
 * added to strings, errors without "(error)".
 */
export function formatReplyRaw(r: Reply, delimiter = "\n"): string {
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
    case "array":
    case "set":
    case "push":
      return r.items.map((item) => formatReplyRaw(item, delimiter)).join(delimiter);
    case "map":
    case "attribute": {
      const pairs: string[] = [];
      for (let i = 0; i < r.items.length; i += 2) {
        pairs.push(formatReplyRaw(r.items[i] as Reply, delimiter) + " " + formatReplyRaw(r.items[i + 1] as Reply, delimiter));
      }
      return pairs.join(delimiter);
    }
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
