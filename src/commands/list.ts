import { lessonSummaries } from "../lessons/load.js";
import { colorEnabled } from "../render/color.js";
import { columns } from "../render/width.js";

/** `redis-learn list`: every lesson as a table. Needs no server, and starts fast (no table library, no chalk). */
export async function listCommand(): Promise<void> {
  const color = colorEnabled(process.stdout);
  const sgr = (code: string) => (s: string): string => (color ? `\x1b[${code}m${s}\x1b[0m` : s);
  const rows = (await lessonSummaries()).map((lesson) => {
    const needs = [lesson.requires.redis && `Redis ${lesson.requires.redis}+`, ...lesson.requires.modules].filter(Boolean).join(", ");
    return [lesson.id, lesson.title, String(lesson.steps), lesson.questions ? String(lesson.questions) : "-", needs || "any", lesson.summary];
  });
  const table = columns(["lesson", "title", "steps", "quiz", "needs", "what you learn"], rows, { strong: sgr("1"), dim: sgr("2") });
  process.stdout.write(table + "\nStart one with: redis-learn lesson <lesson>\n");
}
