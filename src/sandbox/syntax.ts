import { tokenize } from "../redis/tokenize.js";
import { argumentSyntax, findDoc, type ArgDoc, type CommandDoc, type CommandDocs } from "../redis/docs.js";

/**
 * Where a partly typed command stands against its argument specs (COMMAND DOCS): which
 * arguments are still to come. Hints show them; completion offers their tokens. Pure.
 */
export interface Progress {
  doc: CommandDoc;
  /** How many words name the command (2 for CONFIG GET). */
  nameWords: number;
  /** Arguments not yet given, in their documented order. */
  remaining: ArgDoc[];
  /** The argument the next word will fill, when it is a positional one. */
  next?: ArgDoc;
}

const same = (a: string | undefined, b: string | undefined): boolean => a !== undefined && b !== undefined && a.toUpperCase() === b.toUpperCase();

export function commandProgress(words: readonly string[], docs: CommandDocs): Progress | undefined {
  let doc = findDoc(docs, words.slice(0, 1));
  if (!doc) return undefined;
  let nameWords = 1;
  if (doc.subcommands.length && words.length >= 2) {
    const sub = findDoc(docs, words.slice(0, 2));
    if (sub && sub !== doc) {
      doc = sub;
      nameWords = 2;
    }
  }
  const typed = words.slice(nameWords);
  const { remaining, next } = walk(doc.arguments, typed);
  return { doc, nameWords, remaining, ...(next && { next }) };
}

/** Consumes `arg` at word i; the index after it, or undefined when it does not fit there. */
/** Told of each word that fills a plain argument, with that argument's doc. */
type Seen = (arg: ArgDoc, word: string) => void;

function consume(arg: ArgDoc, words: readonly string[], i: number, seen?: Seen): number | undefined {
  if (i >= words.length) return undefined;
  switch (arg.type) {
    case "pure-token":
      return same(words[i], arg.token) ? i + 1 : undefined;
    case "oneof":
      for (const alt of arg.arguments) {
        const j = consume(alt, words, i, seen);
        if (j !== undefined) return j;
      }
      return undefined;
    case "block": {
      let j = i;
      if (arg.token !== undefined) {
        if (!same(words[j], arg.token)) return undefined;
        j++;
      }
      for (const sub of arg.arguments) {
        if (j >= words.length) return sub.optional ? j : undefined;
        const k = consume(sub, words, j, seen);
        if (k === undefined) {
          if (sub.optional) continue;
          return undefined;
        }
        j = k;
      }
      return j;
    }
    default:
      if (arg.token !== undefined) {
        if (!same(words[i], arg.token)) return undefined;
        if (i + 2 > words.length) return undefined;
        seen?.(arg, words[i + 1] as string);
        return i + 2;
      }
      seen?.(arg, words[i] as string);
      return i + 1;
  }
}

/** Whether an argument starts with a fixed word (so it can be recognised wherever it is typed). */
function hasToken(arg: ArgDoc): boolean {
  if (arg.token !== undefined) return true;
  if (arg.type === "oneof") return arg.arguments.every(hasToken);
  return false;
}

function walk(args: readonly ArgDoc[], words: readonly string[], seen?: Seen): { remaining: ArgDoc[]; next?: ArgDoc } {
  const remaining: ArgDoc[] = [];
  let next: ArgDoc | undefined;
  let i = 0;
  const pendingOptional: ArgDoc[] = [];
  for (const arg of args) {
    if (arg.optional) {
      const j = hasToken(arg) ? consume(arg, words, i, seen) : undefined;
      if (j !== undefined) {
        i = repeat(arg, words, j, seen);
        continue;
      }
      pendingOptional.push(arg);
      remaining.push(arg);
      continue;
    }
    if (i >= words.length) {
      next ??= arg;
      remaining.push(arg);
      continue;
    }
    const j = consume(arg, words, i, seen);
    if (j === undefined) {
      next ??= arg;
      remaining.push(arg);
      continue;
    }
    i = repeat(arg, words, j, seen);
    if (arg.multiple) {
      remaining.push({ ...arg, optional: true, multiple: false, arguments: arg.arguments, name: `${arg.name} ...` });
      next ??= arg;
    }
  }
  // Options given out of their documented order (SET k v GET NX) are still recognised.
  while (i < words.length) {
    const found = pendingOptional.findIndex((arg) => consume(arg, words, i) !== undefined);
    if (found === -1) {
      i++;
      continue;
    }
    const arg = pendingOptional[found] as ArgDoc;
    i = consume(arg, words, i, seen) as number;
    pendingOptional.splice(found, 1);
    remaining.splice(remaining.indexOf(arg), 1);
  }
  return { remaining, ...(next && { next }) };
}

function repeat(arg: ArgDoc, words: readonly string[], from: number, seen?: Seen): number {
  if (!arg.multiple) return from;
  let i = from;
  for (;;) {
    const j = consume(arg.multipleToken || arg.token === undefined ? arg : { ...arg, token: undefined }, words, i, seen);
    if (j === undefined || j === i) return i;
    i = j;
  }
}

/** The words of a whole command that fill number arguments (integer or double), by the docs. */
export function numberArguments(words: readonly string[], docs: CommandDocs): { word: string; type: "integer" | "double"; name: string }[] {
  const progress = commandProgress(words, docs);
  if (!progress) return [];
  const found: { word: string; type: "integer" | "double"; name: string }[] = [];
  walk(progress.doc.arguments, words.slice(progress.nameWords), (arg, word) => {
    if (arg.type === "integer" || arg.type === "double") found.push({ word, type: arg.type, name: arg.name });
  });
  return found;
}

/** The hint after what is typed, like redis-cli's: the arguments still to come. */
export function hintFor(words: readonly string[], endsWithSpace: boolean, docs: CommandDocs): string | undefined {
  if (words.length === 0) return undefined;
  const progress = commandProgress(words, docs);
  if (!progress) return undefined;
  // While the command's own name is still being typed, there is nothing to hint yet.
  if (words.length < progress.nameWords || (!endsWithSpace && words.length === progress.nameWords && !same(words.at(-1), progress.doc.name.split(" ").at(-1)))) {
    return undefined;
  }
  // A container command (CONFIG, OBJECT, XINFO) hints at its subcommands.
  const subs = progress.nameWords === 1 && progress.doc.subcommands.length && words.length === 1
    ? progress.doc.subcommands.map((s) => s.name.split(" ")[1]).filter((n) => n !== "HELP").sort().join("|")
    : "";
  const syntax = subs || progress.remaining.map(display).join(" ");
  if (!syntax) return undefined;
  return (endsWithSpace ? "" : " ") + syntax;
}

function display(arg: ArgDoc): string {
  if (arg.name.endsWith(" ...")) return `[${arg.name}]`;
  return argumentSyntax([arg]);
}

/** Fixed words the next argument may be: option tokens and oneof alternatives. */
export function tokenCandidates(progress: Progress): string[] {
  const out = new Set<string>();
  const collect = (arg: ArgDoc): void => {
    if (arg.token) out.add(arg.token);
    else if (arg.type === "oneof") arg.arguments.forEach(collect);
    else if (arg.type === "block" && arg.arguments[0]) collect(arg.arguments[0]);
  };
  for (const arg of progress.remaining) {
    collect(arg);
    if (!arg.optional) break;
  }
  return [...out];
}

/** Whether the word being typed is a key, so key names are worth offering. */
export function expectsKey(progress: Progress): boolean {
  const arg = progress.next ?? progress.remaining.find((a) => !a.optional);
  return arg?.type === "key";
}

/** The hint for a typed line (what the line editor shows dim after it), or none while the line does not split into words. */
export function hintForLine(line: string, docs: CommandDocs): string | undefined {
  const split = tokenize(line);
  if (!split.ok) return undefined;
  return hintFor(split.args.map((a) => a.toString("utf8")), /\s$/.test(line), docs);
}
