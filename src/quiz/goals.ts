import type { Connection } from "../redis/connection.js";
import { replyItems, replyString, type Reply } from "../redis/reply-types.js";
import type { Goal } from "../lessons/schema.js";

/**
 * Checks of a do-it task on the server's state: whatever commands got there, the goal
 * holds or it does not. Reading is one pipelined round trip; judging is pure.
 */
export interface GoalVerdict {
  goal: Goal;
  ok: boolean;
  /** What is there now, in words, when the check fails. */
  detail: string;
}

/** Lists longer than this are not read whole; a goal never needs one. */
const MAX_LIST = 1000;

export function goalReads(goal: Goal): string[][] {
  const read: Record<Goal["kind"], string[]> = {
    equals: ["GET", goal.key],
    list: ["LRANGE", goal.key, "0", String(MAX_LIST - 1)],
    hash: ["HGETALL", goal.key],
    absent: ["EXISTS", goal.key],
    ttl: ["TTL", goal.key],
    type: ["TYPE", goal.key],
  };
  return [["TYPE", goal.key], read[goal.kind]];
}

const text = replyString;
const strings = (r: Reply | undefined): string[] => replyItems(r).map(replyString);

/** Judges one goal from the replies to goalReads(). Pure. */
export function judgeGoal(goal: Goal, typeReply: Reply | undefined, value: Reply | undefined): GoalVerdict {
  const type = text(typeReply);
  const verdict = (ok: boolean, detail: string): GoalVerdict => ({ goal, ok, detail: ok ? "" : detail });
  const wrongType = (wanted: string): GoalVerdict =>
    verdict(false, type === "none" ? `${goal.key} does not exist` : `${goal.key} is a ${type}, not a ${wanted}`);
  switch (goal.kind) {
    case "equals": {
      if (type !== "string") return wrongType("string");
      const now = text(value);
      return verdict(now === goal.value, `${goal.key} is "${now}", not "${goal.value}"`);
    }
    case "list": {
      if (type !== "list") return wrongType("list");
      const now = strings(value);
      return verdict(now.length === goal.items.length && now.every((v, i) => v === goal.items[i]), `${goal.key} is [${now.join(", ")}], not [${goal.items.join(", ")}]`);
    }
    case "hash": {
      if (type !== "hash") return wrongType("hash");
      const flat = strings(value);
      const now: Record<string, string> = {};
      for (let i = 0; i + 1 < flat.length; i += 2) now[flat[i] as string] = flat[i + 1] as string;
      const wanted = Object.entries(goal.fields);
      const same = Object.keys(now).length === wanted.length && wanted.every(([f, v]) => now[f] === v);
      return verdict(same, `${goal.key} is {${Object.entries(now).map(([f, v]) => `${f}: ${v}`).join(", ")}}`);
    }
    case "absent":
      return verdict(type === "none", `${goal.key} still exists (a ${type})`);
    case "ttl": {
      if (type === "none") return verdict(false, `${goal.key} does not exist`);
      const ttl = value?.type === "integer" ? Number(value.value) : -2;
      return verdict(ttl >= goal.min && ttl <= goal.max, ttl === -1 ? `${goal.key} has no TTL` : `${goal.key} has a TTL of ${ttl} s, not between ${goal.min} and ${goal.max}`);
    }
    case "type":
      return verdict(type === goal.type, type === "none" ? `${goal.key} does not exist` : `${goal.key} is a ${type}, not a ${goal.type}`);
  }
}

export async function checkGoals(conn: Connection, goals: Goal[]): Promise<GoalVerdict[]> {
  const replies = await conn.pipeline(goals.flatMap(goalReads));
  return goals.map((g, i) => judgeGoal(g, replies[i * 2], replies[i * 2 + 1]));
}

/**
 * Whether an answer typed for a predict question says what the reply says. A learner
 * types on one line, so `d c a b`, `"d", "c", "a", "b"` and redis-cli's own numbered
 * lines all match an array of those four; `3` matches `(integer) 3`, `OK` matches OK.
 */
export function samePrediction(typed: string, expected: string): boolean {
  return predictionWords(typed).join("\u0000") === predictionWords(expected).join("\u0000");
}

export function predictionWords(text: string): string[] {
  const words: string[] = [];
  const re = /"((?:[^"\\]|\\.)*)"|\((?:integer|double)\)|\(nil\)|\(empty (?:array|list or set|set|hash)\)|\d+\)|[^\s,]+/g;
  for (const m of text.matchAll(re)) {
    const token = m[0];
    if (/^\((?:integer|double)\)$/.test(token) || /^\d+\)$/.test(token)) continue;
    if (token.startsWith("(empty")) words.push("(empty)");
    else words.push(m[1] !== undefined ? m[1] : token.toLowerCase() === "nil" ? "(nil)" : token);
  }
  return words;
}
