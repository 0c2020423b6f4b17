import { openRedis, type RedisOptions } from "../redis/connect.js";
import { terminalColumns, wrapText } from "../render/width.js";
import { COMMAND_INFO, Timeline } from "../engine/timeline.js";
import { NAME_FIRST, firstIdAsked } from "../engine/clients.js";
import { loadAllLessons } from "../lessons/load.js";
import { prepareLessonRun } from "../lessons/prepare.js";
import type { Lesson, QuizQuestion } from "../lessons/schema.js";
import type { KeyClaim } from "../safety/claim.js";
import { UserError } from "../errors.js";
import { makeStyle } from "../render/style.js";
import { colorEnabled } from "../render/color.js";
import { runQuiz, type QuestionResult, type QuizIO } from "../quiz/run.js";
import { terminalIO } from "../quiz/prompts.js";
import { quizContext } from "../quiz/context.js";
import { ProgressStore } from "../progress/store.js";
import { recordAnswers } from "../progress/record.js";
import { describeWait, dueQuestions, forLessons, nextDue } from "../progress/leitner.js";
import { questionsDue } from "../render/review-status.js";
import { systemClock, type Clock } from "../clock.js";

export type ReviewOptions = RedisOptions;

/**
 * `redis-learn review`: the questions that are due (leitner.ts), lesson by lesson, asked
 * through the quiz's own machinery; each lesson's answers are saved as soon as it is done.
 */
export async function reviewCommand(options: ReviewOptions, io?: QuizIO, clock: Clock = systemClock): Promise<QuestionResult[]> {
  const style = makeStyle(colorEnabled(process.stdout));
  const print = io?.print ?? ((t: string) => void process.stdout.write(wrapText(t, terminalColumns())));
  const store = new ProgressStore(process.env, clock);
  const loaded = store.load();
  if (loaded.notice) process.stderr.write(`redis-learn: ${loaded.notice}\n`);
  const now = clock();
  const lessons = await loadAllLessons();
  const groups = dueByLesson(lessons, loaded.progress, now);
  if (!groups.length) {
    const next = nextDue(forLessons(loaded.progress, lessons.map((l) => l.id)), now);
    print(
      next
        ? `Nothing to review now. The next question is due ${describeWait(next, now)} (${next.toISOString().slice(0, 16).replace("T", " ")} UTC).\n`
        : "Nothing to review: questions you miss in a quiz (redis-learn quiz <lesson>) come back here a day later.\n",
    );
    return [];
  }
  // Checked once something is due, so that "nothing to review" can be asked from a script.
  if (!io && !process.stdin.isTTY) {
    throw new UserError("a review asks you questions, so it needs a terminal: run redis-learn review in one (stdin is not a terminal)");
  }
  const total = groups.reduce((n, g) => n + g.questions.length, 0);
  print(style.strong(`Review: ${questionsDue(total)}`) + style.dim(groups.length > 1 ? ` · from ${groups.length} lessons` : "") + "\n\n");

  const source = await openRedis(options, { ask: [COMMAND_INFO, ...NAME_FIRST] });
  process.stderr.write(source.describe() + "\n");
  const all: QuestionResult[] = [];
  try {
    for (const { lesson, questions } of groups) {
      let timeline: Timeline | undefined;
      let claimed: KeyClaim | undefined;
      try {
        const { table, keys, claim } = await prepareLessonRun(source, lesson, { force: false, what: `the review of lesson "${lesson.id}"` });
        claimed = claim;
        print(style.strong(lesson.title) + style.dim(` · ${questions.length} question${questions.length === 1 ? "" : "s"}`) + "\n\n");
        timeline = await Timeline.create(source, table);
        timeline.clients.firstNamed(firstIdAsked(source.answers));
        // The same context as the quiz: on a server the learner brought, the same guard.
        const results = await runQuiz(lesson, questions, await quizContext(source, timeline, keys, claim, style, io ?? terminalIO(print)));
        await claim.release(source.conn);
        const saved = store.transform((p) => recordAnswers(p, lesson.id, results, clock(), "review"));
        for (const r of results) {
          const entry = saved.reviews[lesson.id]?.[r.id];
          const when = entry ? `back ${describeWait(new Date(entry.due), clock())} (box ${entry.box})` : "done";
          print((r.correct ? style.ok("✓ ") : style.bad("✗ ")) + `${lesson.id}/${r.id}: ${when}\n`);
        }
        print("\n");
        all.push(...results);
      } finally {
        timeline?.close();
        await claimed?.release(source.conn).catch(() => {});
      }
    }
  } finally {
    await source.close();
  }
  const right = all.filter((r) => r.correct).length;
  print(`Reviewed ${all.length}: ${right} right${right < all.length ? `, ${all.length - right} missed (they come back tomorrow)` : ""}.\n`);
  return all;
}

interface LessonReview {
  lesson: Lesson;
  questions: QuizQuestion[];
}

/** Due questions grouped by lesson, in the lessons' order; ids no longer in a lesson are skipped. */
export function dueByLesson(lessons: readonly Lesson[], progress: Parameters<typeof dueQuestions>[0], now: Date): LessonReview[] {
  const due = dueQuestions(progress, now);
  return lessons
    .map((lesson) => ({ lesson, questions: lesson.quiz.filter((q) => due.some((d) => d.lessonId === lesson.id && d.questionId === q.id)) }))
    .filter((g) => g.questions.length > 0);
}
