import type { CommandRule, DoQuestion } from "../lessons/schema.js";
import type { GoalVerdict } from "./goals.js";
import type { Reply } from "../redis/reply-types.js";

/**
 * How a do-it task is judged, shared by the quiz and by `check`: a forbidden command is
 * refused before it runs; the task is done when every goal holds on the server and every
 * `require` rule was met by a command that ran. Pure: the server's state comes in as
 * goal verdicts, the commands as argument arrays.
 */
export type TaskRules = Pick<DoQuestion, "require" | "forbid" | "writes" | "goal">;

export interface TaskVerdict {
  done: boolean;
  /** Goals that do not hold yet. */
  open: GoalVerdict[];
  /** Require rules no command that ran has met. */
  unmet: CommandRule[];
}

const word = (b: Buffer | undefined): string => (b ?? Buffer.alloc(0)).toString("latin1").toUpperCase();

/** The number of leading arguments that name the command when it is one of `names` (1 or 2), else 0. */
function nameLength(names: readonly string[], args: readonly Buffer[]): number {
  for (const name of names) {
    const parts = name.trim().toUpperCase().split(/\s+/);
    if (parts.length <= args.length && parts.every((p, i) => word(args[i]) === p)) return parts.length;
  }
  return 0;
}

/** Whether a command is one the rule speaks of: a named command, with all `with` words and none of `without`. */
export function ruleMatches(rule: CommandRule, args: readonly Buffer[]): boolean {
  const named = nameLength(rule.commands, args);
  if (named === 0) return false;
  const words = new Set(args.slice(named).map(word));
  return rule.with.every((w) => words.has(w.toUpperCase())) && !rule.without.some((w) => words.has(w.toUpperCase()));
}

/** The forbid rule that refuses this command, if any: then it must not be sent. */
export function forbiddenBy(rules: Pick<TaskRules, "forbid">, args: readonly Buffer[]): CommandRule | undefined {
  return rules.forbid.find((r) => ruleMatches(r, args));
}

/**
 * A script or function runs commands that no rule sees, so a task refuses them unless one
 * of its own rules names them (a task about scripts).
 */
export const SCRIPTS: CommandRule = {
  commands: ["EVAL", "EVALSHA", "EVAL_RO", "EVALSHA_RO", "FCALL", "FCALL_RO", "FUNCTION LOAD"],
  with: [],
  without: [],
  why: "A script or a function would run its commands out of sight; this task is about the commands you type.",
  line: 0,
  column: 0,
};

/** What the server's command table says of a command: the keys it names, and whether it may write. */
export interface CommandFacts {
  keys: readonly Buffer[];
  writes: boolean;
}

export type Refusal =
  | { kind: "forbid"; rule: CommandRule }
  | { kind: "script"; rule: CommandRule }
  /** It would change `key`, which only the task's `writes` rules (`allowed`; `rule` is the first) may change. */
  | { kind: "writes"; rule: CommandRule; allowed: CommandRule[]; key: string };

/** Why this command must not be sent in the task, or undefined: a forbid rule, a script, or a write to a goal key by another command than `writes` allows. */
export function refusalOf(rules: TaskRules, args: readonly Buffer[], facts: CommandFacts): Refusal | undefined {
  const forbidden = forbiddenBy(rules, args);
  if (forbidden) return { kind: "forbid", rule: forbidden };
  const own = [...rules.require, ...rules.writes];
  if (ruleMatches(SCRIPTS, args) && !own.some((r) => ruleMatches(r, args))) return { kind: "script", rule: SCRIPTS };
  if (rules.writes.length && facts.writes && !rules.writes.some((r) => ruleMatches(r, args))) {
    const goalKeys = new Set(rules.goal.map((g) => g.key));
    const key = facts.keys.map((k) => k.toString("utf8")).find((k) => goalKeys.has(k));
    if (key !== undefined) return { kind: "writes", rule: rules.writes[0] as CommandRule, allowed: rules.writes, key };
  }
  return undefined;
}

/** The one line said when a command is refused (after "Not sent: "). */
export function describeRefusal(refusal: Refusal, args: readonly Buffer[]): string {
  const name = word(args[0]);
  switch (refusal.kind) {
    case "forbid":
      return `this task rules out ${describeRefused(refusal.rule, args)}.`;
    case "script":
      return `this task does not take ${name}.`;
    case "writes":
      return `${name} would change ${refusal.key}, which this task changes only with ${rulesText(refusal.allowed)}.`;
  }
}

/** Several rules as one phrase: "INCR or INCRBY", "SET with NX or SETNX". */
export function rulesText(rules: readonly CommandRule[]): string {
  return rules.map(describeRule).join(" or ");
}

/** Require rules that none of the commands that ran (and were not refused by the server) meets. */
export function unmetRequires(rules: Pick<TaskRules, "require">, ran: readonly (readonly Buffer[])[]): CommandRule[] {
  return rules.require.filter((r) => !ran.some((args) => ruleMatches(r, args)));
}

export function judgeTask(rules: Pick<TaskRules, "require">, ran: readonly (readonly Buffer[])[], verdicts: readonly GoalVerdict[]): TaskVerdict {
  const open = verdicts.filter((v) => !v.ok);
  const unmet = unmetRequires(rules, ran);
  return { done: open.length === 0 && unmet.length === 0, open, unmet };
}

/** How a refusal names what was refused: the command as typed ("DEL", "SET without NX"), not the rule's whole list. */
export function describeRefused(rule: CommandRule, args: readonly Buffer[]): string {
  const named = rule.commands.filter((c) => nameLength([c], args) > 0);
  return describeRule({ ...rule, commands: named.length ? named : rule.commands });
}

/** "INCR or INCRBY", "SET with NX", "SET without NX": how messages name a rule. */
export function describeRule(rule: CommandRule): string {
  const names = rule.commands.map((c) => c.trim().toUpperCase());
  const list = names.length > 1 ? `${names.slice(0, -1).join(", ")} or ${names[names.length - 1]}` : (names[0] ?? "");
  const withText = rule.with.length ? ` with ${rule.with.map((w) => w.toUpperCase()).join(" and ")}` : "";
  const withoutText = rule.without.length ? ` without ${rule.without.map((w) => w.toUpperCase()).join(" or ")}` : "";
  return list + withText + withoutText;
}

/** What has run, as far as `require` is concerned: a queued command counts once EXEC ran it without error. */
export function account(args: Buffer[], reply: Reply, inMulti: boolean, ran: Buffer[][], queued: Buffer[][]): { ran: Buffer[][]; queued: Buffer[][] } {
  const name = word(args[0]);
  if (!inMulti) return { ran: reply.type === "error" ? ran : [...ran, args], queued: name === "MULTI" ? [] : queued };
  if (name === "EXEC") {
    const items = reply.type === "array" ? reply.items : [];
    return { ran: [...ran, ...queued.filter((_, i) => items[i] !== undefined && items[i]?.type !== "error")], queued: [] };
  }
  if (name === "DISCARD" || name === "RESET") return { ran, queued: [] };
  return { ran, queued: reply.type === "error" ? queued : [...queued, args] };
}
