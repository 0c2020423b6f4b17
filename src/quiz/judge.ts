import type { CommandRule, DoQuestion } from "../lessons/schema.js";
import type { GoalVerdict } from "./goals.js";
import type { Reply } from "../redis/reply-types.js";

/**
 * How a do-it task is judged, shared by the quiz and by `check`: a forbidden command is
 * refused before it runs; the task is done when every goal holds on the server and every
 * `require` rule was met by a command that ran. Pure: the server's state comes in as
 * goal verdicts, the commands as argument arrays.
 */
export type TaskRules = Pick<DoQuestion, "require" | "forbid">;

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
export function forbiddenBy(rules: TaskRules, args: readonly Buffer[]): CommandRule | undefined {
  return rules.forbid.find((r) => ruleMatches(r, args));
}

/** Require rules that none of the commands that ran (and were not refused by the server) meets. */
export function unmetRequires(rules: TaskRules, ran: readonly (readonly Buffer[])[]): CommandRule[] {
  return rules.require.filter((r) => !ran.some((args) => ruleMatches(r, args)));
}

export function judgeTask(rules: TaskRules, ran: readonly (readonly Buffer[])[], verdicts: readonly GoalVerdict[]): TaskVerdict {
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
