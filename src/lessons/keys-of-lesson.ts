import type { CommandTable } from "../redis/command-table.js";
import { commandKeys } from "../redis/keys.js";
import type { CommandLine, Lesson } from "./schema.js";

/** Every command line of a lesson: its steps and its quiz. */
export function commandsOfLesson(lesson: Lesson): CommandLine[] {
  const out: CommandLine[] = lesson.steps.flatMap((s) => s.run.filter((c) => c.args.length));
  for (const q of lesson.quiz) {
    if (q.kind === "predict") out.push(...q.setup, ...q.show, q.ask);
    if (q.kind === "do") out.push(...q.setup, ...q.solution, ...q.wrong.flatMap((w) => w.commands));
  }
  return out;
}

/** The listed keys and every key the lesson's commands name (quiz goals included), from the server's key specs. */
export function keysOfLesson(lesson: Lesson, table: CommandTable): string[] {
  const keys = new Set(lesson.keys);
  for (const cmd of commandsOfLesson(lesson)) for (const k of commandKeys(table, cmd.args) ?? []) keys.add(k.toString("utf8"));
  for (const q of lesson.quiz) if (q.kind === "do") for (const g of q.goal) keys.add(g.key);
  return [...keys];
}
