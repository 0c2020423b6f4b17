import Table from "cli-table3";
import { lessonSummaries } from "../lessons/load.js";
import { emptyProgress, ProgressStore } from "../progress/store.js";
import { UserError } from "../errors.js";
import { dueQuestions, forLessons, nextDue } from "../progress/leitner.js";
import { reviewStatus } from "../render/review-status.js";
import { systemClock } from "../clock.js";
import { makeStyle } from "../render/style.js";
import { colorEnabled } from "../render/color.js";
import { displayWidth, terminalColumns, wrapText } from "../render/width.js";

/** `redis-learn progress [--reset [lesson]]`: what is done, as a table; or forget it. */
export async function progressCommand(options: { reset?: string | boolean }): Promise<void> {
  const store = new ProgressStore();
  const lessons = await lessonSummaries();
  if (options.reset !== undefined && options.reset !== false) {
    if (options.reset === true) {
      store.load();
      store.save(emptyProgress());
      process.stdout.write("All progress reset.\n");
      return;
    }
    const id = options.reset;
    if (!lessons.some((l) => l.id === id)) throw new UserError(`no lesson "${id}". Lessons: ${lessons.map((l) => l.id).join(", ")}`);
    store.update((p) => {
      delete p.lessons[id];
      delete p.quizzes[id];
      delete p.reviews[id];
    });
    process.stdout.write(`Progress of "${id}" reset.\n`);
    return;
  }
  const { progress, notice } = store.load();
  if (notice) process.stderr.write(`redis-learn: ${notice}\n`);
  const style = makeStyle(colorEnabled(process.stdout));
  const rows: string[][] = [];
  for (const lesson of lessons) {
    const l = progress.lessons[lesson.id];
    const q = progress.quizzes[lesson.id];
    const status = l?.completed ? style.ok("✓ done") + (l.step > 0 ? ` (again: at step ${l.step + 1})` : "") : l ? `at step ${l.step + 1} of ${lesson.steps}` : style.dim("not started");
    const quiz = !lesson.questions ? style.dim("none") : q ? `last ${q.lastScore}/${q.total}, best ${q.bestScore}/${q.total}${q.missed.length ? `, ${q.missed.length} to retry` : ""}` : style.dim(`${lesson.questions} questions, not taken`);
    rows.push([lesson.id, lesson.title, status, quiz]);
  }
  const table = new Table({ head: ["lesson", "title", "lesson progress", "quiz"], style: style.enabled ? { head: ["cyan"], border: ["grey"] } : { head: [], border: [] }, ...fitted(rows, terminalColumns()) });
  table.push(...rows);
  const now = systemClock();
  const schedule = forLessons(progress, lessons.map((l) => l.id));
  const due = dueQuestions(schedule, now).length;
  const review = reviewStatus(due, nextDue(schedule, now), now);
  process.stdout.write(table.toString() + "\n" + (review ? wrapText(due ? style.strong(review) : review, terminalColumns()) + "\n" : "") + style.dim(`Kept in ${store.file}`) + "\n");
}

/** Column widths that keep the table inside the terminal: the last two columns (status, quiz) wrap when it is too narrow. */
function fitted(rows: string[][], columns: number): { colWidths?: (number | null)[]; wordWrap?: boolean } {
  const head = ["lesson", "title", "lesson progress", "quiz"];
  const natural = head.map((h, i) => Math.max(displayWidth(h), ...rows.map((r) => displayWidth(r[i] ?? ""))) + 2);
  const total = natural.reduce((a, b) => a + b, 0) + natural.length + 1;
  if (total <= columns) return {};
  const fixed = (natural[0] ?? 0) + (natural[1] ?? 0) + natural.length + 1;
  const room = Math.max(24, columns - fixed);
  const status = Math.max(12, Math.min(natural[2] ?? 0, Math.floor(room / 2)));
  return { colWidths: [natural[0] ?? null, natural[1] ?? null, status, Math.max(12, room - status)], wordWrap: true };
}
