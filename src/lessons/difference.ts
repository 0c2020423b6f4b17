import { findDoc, type CommandDocs } from "../redis/docs.js";

/**
 * How a command the learner typed differs from the one the step asks for, in one line
 * (pure). The command name is compared as Redis compares it (any case); every other
 * argument byte for byte, since a key or a value in another case is another key or value.
 */
export function sameCommand(expected: readonly Buffer[], typed: readonly Buffer[]): boolean {
  if (expected.length !== typed.length || expected.length === 0) return false;
  if (nameOf(expected) !== nameOf(typed)) return false;
  return expected.every((arg, i) => i === 0 || arg.equals(typed[i] as Buffer));
}

/**
 * Pairs of commands learners mix up, with what each one does that the other does not.
 * Said of the command typed: "you typed RPUSH, which adds at the other end (the tail)".
 */
const CONTRASTS: [string, string, string, string][] = [
  ["LPUSH", "adds at the other end (the head)", "RPUSH", "adds at the other end (the tail)"],
  ["LPOP", "takes from the other end (the head)", "RPOP", "takes from the other end (the tail)"],
  ["BLPOP", "waits on the other end (the head)", "BRPOP", "waits on the other end (the tail)"],
  ["LPUSHX", "adds at the other end (the head)", "RPUSHX", "adds at the other end (the tail)"],
  ["SET", "sets the value whether or not the key exists", "SETNX", "sets the value only if the key does not exist yet"],
  ["EXPIRE", "counts in seconds, not milliseconds", "PEXPIRE", "counts in milliseconds, not seconds"],
  ["TTL", "answers in seconds, not milliseconds", "PTTL", "answers in milliseconds, not seconds"],
  ["SETEX", "takes seconds, not milliseconds", "PSETEX", "takes milliseconds, not seconds"],
  ["INCR", "adds 1 instead of subtracting it", "DECR", "subtracts 1 instead of adding it"],
  ["INCRBY", "adds the amount instead of subtracting it", "DECRBY", "subtracts the amount instead of adding it"],
  ["INCR", "always adds exactly 1", "INCRBY", "adds the amount you give, not just 1"],
  ["GET", "reads one key", "MGET", "reads several keys at once and replies with a list"],
  ["SET", "sets one key", "MSET", "sets several keys at once"],
  ["LRANGE", "reads a range of elements", "LINDEX", "reads only the one element at that index"],
  ["LMOVE", "moves an element between lists", "RPOPLPUSH", "always takes the tail and adds at the head (LMOVE RIGHT LEFT)"],
  ["DEL", "deletes the key at once", "UNLINK", "deletes the key, freeing its memory in the background"],
  ["EXISTS", "checks whether the key exists", "TYPE", "names the key's type rather than answering 0 or 1"],
];

function contrast(expected: string, typed: string): string | undefined {
  for (const [a, aSays, b, bSays] of CONTRASTS) {
    if (expected === a && typed === b) return bSays;
    if (expected === b && typed === a) return aSays;
  }
  return undefined;
}

const nameOf = (args: readonly Buffer[]): string => (args[0] ?? Buffer.alloc(0)).toString("utf8").toUpperCase();

/** An argument as the learner would type it: quoted when it holds a space, a quote or nothing. */
export function showArg(arg: Buffer): string {
  const text = arg.toString("utf8");
  return text === "" || /[\s"'\\]/.test(text) ? JSON.stringify(text) : text;
}

/** Whether argument `position` (1-based, after the name) is a key, as far as the docs say. */
function isKeyArg(name: string, position: number, docs: CommandDocs | undefined): boolean {
  const doc = docs && findDoc(docs, [name]);
  if (!doc) return false;
  // Only the leading arguments can be placed without walking the whole grammar; they are where keys sit.
  let at = 1;
  for (const arg of doc.arguments) {
    if (arg.optional || arg.multiple || arg.token !== undefined || (arg.type !== "key" && arg.arguments.length)) return false;
    if (at === position) return arg.type === "key";
    at++;
  }
  return false;
}

export function describeDifference(expected: readonly Buffer[], typed: readonly Buffer[], docs?: CommandDocs): string {
  const want = nameOf(expected);
  const got = nameOf(typed);
  if (want !== got) {
    const known = contrast(want, got);
    if (known) return `the step uses ${want}; you typed ${got}, which ${known}`;
    const summary = docs && findDoc(docs, [got])?.summary;
    if (summary) return `the step uses ${want}; you typed ${got}, which does this: ${lowerFirst(summary.replace(/\.$/, ""))}`;
    return `the step uses ${want}; you typed ${got}`;
  }
  const count = Math.max(expected.length, typed.length);
  for (let i = 1; i < count; i++) {
    const e = expected[i];
    const t = typed[i];
    if (e && t && e.equals(t)) continue;
    if (e && t) {
      if (isKeyArg(want, i, docs)) return `same command, but the step uses the key ${showArg(e)}; you typed ${showArg(t)}`;
      const caseOnly = e.toString("utf8").toLowerCase() === t.toString("utf8").toLowerCase();
      return `same command, but argument ${i} is ${showArg(e)} in the step; you typed ${showArg(t)}${caseOnly ? " (upper and lower case differ)" : ""}`;
    }
    if (e) return `same command, but you left out argument ${i} (${showArg(e)}): the step has ${expected.length - 1} argument${expected.length === 2 ? "" : "s"}`;
    return `same command, but you added argument ${i} (${showArg(t as Buffer)}), which the step does not have`;
  }
  return "it is the same command";
}

function lowerFirst(text: string): string {
  return text.charAt(0).toLowerCase() + text.slice(1);
}
