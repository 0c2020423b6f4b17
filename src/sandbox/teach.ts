import { allDocs, argumentSyntax, findDoc, type CommandDocs } from "../redis/docs.js";
import type { Reply } from "../redis/reply-types.js";
import { thousands } from "../render/numbers.js";
import { numberArguments } from "./syntax.js";

/**
 * A line of explanation under an error reply, so the error teaches something. The
 * facts it needs (a key's type, its stored value) are fetched by the caller. Pure.
 */
export interface ErrorFacts {
  args: Buffer[];
  /** Each touched key with its type ("none" when absent). */
  keyTypes: { key: string; type: string }[];
  /** A touched string key's stored value, when the error may be about it. */
  storedValue?: { key: string; value: string };
}

const NUMBER_ERROR = /not an integer|not a valid float|not a float|out of range|overflow|NaN or Infinity/i;
const INT64_MIN = -(2n ** 63n);
const INT64_MAX = 2n ** 63n - 1n;

/** As Redis reads a whole number (string2ll): canonical decimal, no sign but -, no leading zeros, 64-bit. */
export function isInt64(word: string): boolean {
  if (!/^(0|-?[1-9]\d*)$/.test(word)) return false;
  const n = BigInt(word);
  return n >= INT64_MIN && n <= INT64_MAX;
}

function isFloat(word: string): boolean {
  return /^[+-]?(\d+\.?\d*|\.\d+)(e[+-]?\d+)?$/i.test(word) || /^[+-]?inf$/i.test(word);
}

/**
 * A number error names its culprit in this order: an argument that is not the number the
 * command takes there (INCRBY n 1.5 blames 1.5), then a stored value that is not a number,
 * and otherwise a result past the 64-bit range.
 */
function explainNumber(text: string, name: string, words: string[], facts: ErrorFacts, docs: CommandDocs | undefined): string | undefined {
  const float = /float|NaN or Infinity/i.test(text) && !/not an integer/i.test(text);
  const numbers = docs ? numberArguments(words, docs) : [];
  // The error says which kind of number was wanted; the docs only say where (ZINCRBY's
  // increment is documented as an integer, yet the server takes a float there).
  const bad = numbers.find((n) => (float ? !isFloat(n.word) : n.type === "integer" && !isInt64(n.word)));
  if (bad) {
    return float
      ? `"${bad.word}" is not a number; ${name} takes a number for ${bad.name}.`
      : `"${bad.word}" is not a whole number in the 64-bit range; ${name} takes one for ${bad.name}.`;
  }
  // Where the docs cannot place the number (none at hand, or BLPOP's timeout after its
  // keys): the first word, keys aside, that is no number of the kind wanted.
  const keys = new Set(facts.keyTypes.map((k) => k.key));
  const guess = (): string | undefined => {
    const word = words.slice(1).find((w) => !keys.has(w) && !(float ? isFloat(w) : isInt64(w)));
    const kind = float ? "a number" : "a whole number";
    return word === undefined ? undefined : `"${word}" is not ${kind}; ${name} expects ${kind} there.`;
  };
  if (!docs) {
    const guessed = guess();
    if (guessed) return guessed;
  }
  const stored = facts.storedValue;
  if (stored && !(float ? isFloat(stored.value) : isInt64(stored.value))) {
    const shown = stored.value.length > 60 ? `${stored.value.slice(0, 60)}…` : stored.value;
    return `"${stored.key}" holds "${shown}", which ${name} cannot read as a number${float ? "" : " (a whole number in the 64-bit range)"}.`;
  }
  if (stored) {
    return float
      ? `"${stored.key}" holds ${stored.value}; the result would not be a finite number.`
      : `"${stored.key}" holds ${stored.value}; the result would pass the 64-bit limit (${thousands(INT64_MIN)} to ${thousands(INT64_MAX)}).`;
  }
  return docs && !numbers.length ? guess() : undefined;
}

/** Which error replies want which facts. */
export function factsWanted(reply: Reply): { types: boolean; value: boolean } {
  const text = reply.type === "error" ? reply.value.toString("utf8") : "";
  return {
    types: text.startsWith("WRONGTYPE"),
    value: NUMBER_ERROR.test(text),
  };
}

/** Redis type name → COMMAND DOCS group. */
const GROUP_OF_TYPE: Record<string, string> = { string: "string", list: "list", hash: "hash", set: "set", zset: "sorted-set", stream: "stream" };

export function explainError(reply: Reply, facts: ErrorFacts, docs: CommandDocs | undefined): string | undefined {
  if (reply.type !== "error") return undefined;
  const text = reply.value.toString("utf8");
  const words = facts.args.map((a) => a.toString("utf8"));
  const name = (words[0] ?? "").toUpperCase();
  const doc = docs ? findDoc(docs, words.slice(0, 2)) : undefined;

  if (text.startsWith("WRONGTYPE")) {
    const held = facts.keyTypes.filter((k) => k.type !== "none");
    const parts = held.map((k) => `"${k.key}" holds a ${k.type === "zset" ? "sorted set" : k.type}`);
    const groups = [...new Set(held.map((k) => GROUP_OF_TYPE[k.type]).filter((g): g is string => g !== undefined))];
    const fitting = docs && groups[0] ? commandsOf(docs, groups[0]) : [];
    const advice = groups[0] ? ` Commands for it: ${fitting.join(", ")}${fitting.length ? ", … " : ""}(help @${groups[0]}).` : "";
    return `${parts.join(", ")}, but ${name} works on a ${doc ? groupNoun(doc.group) : "different type"}.${advice}`;
  }
  if (NUMBER_ERROR.test(text)) return explainNumber(text, name, words, facts, docs);
  if (/wrong number of arguments/i.test(text) || /syntax error/i.test(text)) {
    return doc ? `Usage: ${doc.name} ${argumentSyntax(doc.arguments)}` : undefined;
  }
  if (/unknown command/i.test(text) && docs) {
    const close = closest(name, [...docs.keys()]);
    return close.length ? `Did you mean ${close.join(" or ")}?` : `No such command; help @<group> lists commands by group.`;
  }
  if (/unknown subcommand/i.test(text) && doc?.subcommands.length) {
    return `${doc.name} takes: ${doc.subcommands.map((s) => s.name.split(" ")[1]).join(", ")}.`;
  }
  return undefined;
}

function groupNoun(group: string): string {
  return group === "sorted-set" ? "sorted set" : group === "generic" ? "key of any type" : group;
}

function commandsOf(docs: CommandDocs, group: string): string[] {
  return allDocs(docs)
    .filter((d) => d.group === group && !d.name.includes(" ") && !d.deprecatedSince)
    .map((d) => d.name)
    .slice(0, 8);
}

/** Command names within an edit distance of 2 (or sharing the typed prefix). */
export function closest(typed: string, names: string[]): string[] {
  const word = typed.toUpperCase();
  if (!word) return [];
  const scored = names
    .map((n) => ({ n, d: distance(word, n) }))
    .filter(({ n, d }) => d <= (word.length <= 3 ? 1 : 2) || (word.length >= 3 && n.startsWith(word)))
    .sort((a, b) => a.d - b.d || a.n.localeCompare(b.n));
  return scored.slice(0, 3).map(({ n }) => n);
}

/** Edit distance counting a swap of two neighbours as one edit (GTE → GET), as typos go. */
function distance(a: string, b: string): number {
  const d: number[][] = Array.from({ length: a.length + 1 }, (_, i) => Array.from({ length: b.length + 1 }, (_, j) => (i === 0 ? j : j === 0 ? i : 0)));
  for (let i = 1; i <= a.length; i++) {
    for (let j = 1; j <= b.length; j++) {
      const cost = a[i - 1] === b[j - 1] ? 0 : 1;
      let best = Math.min(d[i - 1]![j]! + 1, d[i]![j - 1]! + 1, d[i - 1]![j - 1]! + cost);
      if (i > 1 && j > 1 && a[i - 1] === b[j - 2] && a[i - 2] === b[j - 1]) best = Math.min(best, d[i - 2]![j - 2]! + 1);
      d[i]![j] = best;
    }
  }
  return d[a.length]![b.length]!;
}
