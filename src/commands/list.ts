import Table from "cli-table3";
import { loadAllLessons } from "../lessons/load.js";
import { colorEnabled } from "../render/theme.js";

/** `redis-learn list`: every lesson as a table. Needs no server. */
export function listCommand(): void {
  const color = colorEnabled(process.stdout);
  const table = new Table({
    head: ["lesson", "title", "steps", "needs"],
    style: color ? { head: ["cyan"], border: ["grey"] } : { head: [], border: [] },
  });
  for (const lesson of loadAllLessons()) {
    const needs = [lesson.requires.redis && `Redis ${lesson.requires.redis}+`, ...lesson.requires.modules].filter(Boolean).join(", ");
    table.push([lesson.id, `${lesson.title}\n${lesson.summary}`, String(lesson.steps.length), needs || "any"]);
  }
  process.stdout.write(table.toString() + "\n");
  process.stdout.write("Start one with: redis-learn lesson <lesson>\n");
}
