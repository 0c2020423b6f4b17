import { allDocs, argumentSyntax, findDoc, type CommandDocs } from "../redis/docs.js";
import type { Reply } from "../redis/reply-types.js";

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

/** Which error replies want which facts. */
export function factsWanted(reply: Reply): { types: boolean; value: boolean } {
  const text = reply.type === "error" ? reply.value.toString("utf8") : "";
  return {
    types: text.startsWith("WRONGTYPE"),
    value: /not an integer|not a valid float|out of range|overflow/i.test(text),
  };
}

/** Redis type name → COMMAND DOCS group. */
const GROUP_OF_TYPE: Record<string, string> = { string: "string", list: "list", hash: "hash", set: "set", zset: "sorted_set", stream: "stream" };

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
  if (/not an integer|not a valid float|out of range|overflow/i.test(text)) {
    if (facts.storedValue) {
      const shown = facts.storedValue.value.length > 60 ? `${facts.storedValue.value.slice(0, 60)}…` : facts.storedValue.value;
      return `"${facts.storedValue.key}" holds "${shown}", which ${name} cannot read as a number${/float/i.test(text) ? "" : " (a whole number in the 64-bit range)"}.`;
    }
    const keys = new Set(facts.keyTypes.map((k) => k.key));
    const bad = words.slice(1).find((w) => !keys.has(w) && !/^[+-]?(\d+\.?\d*|\.\d+)(e[+-]?\d+)?$/i.test(w));
    if (bad !== undefined) return `"${bad}" is not a number; ${name} expects ${/float/i.test(text) ? "a number" : "a whole number"} there.`;
    return undefined;
  }
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
  return group === "sorted_set" ? "sorted set" : group === "generic" ? "key of any type" : group;
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
