import { schedule } from "./leitner.js";
import type { Progress, QuizProgress } from "./schema.js";

export interface Answer {
  id: string;
  correct: boolean;
}

/**
 * What a quiz or a review leaves in progress, as a new Progress (the one given is not
 * changed). Every answer moves its question in the review schedule. A whole quiz
 * ("quiz") also sets the quiz's summary as a quiz always did: last and best score,
 * total, missed ids, times taken. A review asks only some questions, so it leaves the
 * scores alone and only keeps the missed ids true: ones now right leave, ones missed join.
 */
export function recordAnswers(progress: Progress, lessonId: string, results: readonly Answer[], now: Date, how: "quiz" | "review" = "quiz"): Progress {
  const boxes = { ...(progress.reviews[lessonId] ?? {}) };
  for (const r of results) {
    const next = schedule(boxes[r.id], r.correct, now);
    if (next) boxes[r.id] = next;
    else delete boxes[r.id];
  }
  const reviews = { ...progress.reviews };
  if (Object.keys(boxes).length) reviews[lessonId] = boxes;
  else delete reviews[lessonId];

  const quizzes = { ...progress.quizzes };
  const before = progress.quizzes[lessonId];
  if (how === "quiz") quizzes[lessonId] = quizSummary(before, results, now);
  else if (before) {
    const right = new Set(results.filter((r) => r.correct).map((r) => r.id));
    const missed = [...before.missed.filter((id) => !right.has(id)), ...results.filter((r) => !r.correct && !before.missed.includes(r.id)).map((r) => r.id)];
    quizzes[lessonId] = { ...before, missed, updatedAt: now.toISOString() };
  }
  return { ...progress, quizzes, reviews };
}

function quizSummary(before: QuizProgress | undefined, results: readonly Answer[], now: Date): QuizProgress {
  const score = results.filter((r) => r.correct).length;
  return {
    lastScore: score,
    bestScore: Math.max(score, before?.bestScore ?? 0),
    total: results.length,
    missed: results.filter((r) => !r.correct).map((r) => r.id),
    taken: (before?.taken ?? 0) + 1,
    updatedAt: now.toISOString(),
  };
}
