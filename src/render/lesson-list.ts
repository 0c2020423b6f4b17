import type { LessonSummary } from "../lessons/cache.js";
import { columns, terminalColumns } from "./width.js";

/** What `redis-learn list` prints: one row per lesson and how to start one. No table library and no chalk, so that it starts fast. */
export function lessonListText(lessons: LessonSummary[], color: boolean, width = terminalColumns()): string {
  const sgr = (code: string) => (s: string): string => (color ? `\x1b[${code}m${s}\x1b[0m` : s);
  const rows = lessons.map((lesson) => {
    const needs = [lesson.requires.redis && `Redis ${lesson.requires.redis}+`, ...lesson.requires.modules].filter(Boolean).join(", ");
    return [lesson.id, lesson.title, String(lesson.steps), lesson.questions ? String(lesson.questions) : "-", needs || "any", lesson.summary];
  });
  const table = columns(["lesson", "title", "steps", "quiz", "needs", "what you learn"], rows, { strong: sgr("1"), dim: sgr("2") }, width);
  return table + "\nStart one with: redis-learn lesson <lesson>\n";
}
