import { tokenize } from "../redis/tokenize.js";
import type { CommandDocs } from "../redis/docs.js";
import { commandProgress, expectsKey, tokenCandidates } from "./syntax.js";

/**
 * What Tab offers for the word before the cursor: command names, subcommands, option
 * tokens from the argument specs, or key names (found by the caller with a bounded
 * SCAN). Pure apart from the key lookup it is handed.
 */
export interface Completion {
  /** Where the word being completed starts (in characters). */
  wordStart: number;
  candidates: string[];
}

export const META_COMMANDS = [":state", ":peek", ":code", ":client", ":quit", ":help", ":set"];

export async function complete(
  line: string,
  docs: CommandDocs | undefined,
  findKeys: (prefix: string) => Promise<string[]>,
): Promise<Completion> {
  const chars = Array.from(line);
  let wordStart = chars.length;
  while (wordStart > 0 && chars[wordStart - 1] !== " ") wordStart--;
  const word = chars.slice(wordStart).join("");
  const before = chars.slice(0, wordStart).join("");
  const split = tokenize(before);
  const words = split.ok ? split.args.map((a) => a.toString("utf8")) : [];
  const match = (options: Iterable<string>, caseOf = word): string[] => {
    const lower = caseOf === caseOf.toLowerCase() && caseOf !== caseOf.toUpperCase();
    const out = new Set<string>();
    for (const o of options) if (o.toUpperCase().startsWith(word.toUpperCase())) out.add(lower ? o.toLowerCase() : o);
    return [...out].sort();
  };

  if (words.length === 0) {
    if (word.startsWith(":")) return { wordStart, candidates: META_COMMANDS.filter((m) => m.startsWith(word)) };
    return { wordStart, candidates: docs ? match([...docs.keys(), "HELP"]) : [] };
  }
  const first = (words[0] ?? "").toLowerCase();
  if (first === "help" || first === "?") {
    if (!docs) return { wordStart, candidates: [] };
    if (word.startsWith("@")) return { wordStart, candidates: match([...new Set([...docs.values()].map((d) => `@${d.group}`))]) };
    return { wordStart, candidates: match(docs.keys()) };
  }
  if (first === ":peek") return { wordStart, candidates: await findKeys(word) };
  if (first === ":state" && words.length === 1) return { wordStart, candidates: match(["on", "off"]) };
  if (!docs) return { wordStart, candidates: [] };

  const top = docs.get(first.toUpperCase());
  if (top && top.subcommands.length && words.length === 1) {
    return { wordStart, candidates: match(top.subcommands.map((s) => s.name.split(" ")[1] as string)) };
  }
  const progress = commandProgress(words, docs);
  if (!progress) return { wordStart, candidates: [] };
  const tokens = match(tokenCandidates(progress));
  const keys = expectsKey(progress) ? await findKeys(word) : [];
  return { wordStart, candidates: [...tokens, ...keys] };
}

/** The longest prefix all candidates share (what Tab can fill in when it cannot choose). */
export function commonPrefix(candidates: string[]): string {
  if (candidates.length === 0) return "";
  let prefix = candidates[0] as string;
  for (const c of candidates) {
    while (!c.toUpperCase().startsWith(prefix.toUpperCase())) prefix = prefix.slice(0, -1);
  }
  return prefix;
}
