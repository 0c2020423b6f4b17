import type { Progress, ReviewEntry } from "./schema.js";

/**
 * Spaced review with Leitner boxes. A missed question goes to box 1 and comes back a day
 * later; each right answer moves it one box on (3, 7, then 21 days), and a wrong one sends
 * it back to box 1. A question answered right the first time it is ever asked is not
 * scheduled at all: review is for what the learner found hard, and the quiz is still there.
 */
export const BOX_DAYS = [1, 3, 7, 21] as const;
export const LAST_BOX = BOX_DAYS.length;

const DAY_MS = 24 * 60 * 60 * 1000;

export function addDays(now: Date, days: number): Date {
  return new Date(now.getTime() + days * DAY_MS);
}

/** The next state of one question after an answer; undefined when it needs no review. */
export function schedule(entry: ReviewEntry | undefined, correct: boolean, now: Date): ReviewEntry | undefined {
  if (!entry && correct) return undefined;
  const box = correct && entry ? Math.min(entry.box + 1, LAST_BOX) : 1;
  return { box, due: addDays(now, BOX_DAYS[box - 1] as number).toISOString(), lastAnswered: now.toISOString() };
}

export interface DueQuestion {
  lessonId: string;
  questionId: string;
  entry: ReviewEntry;
}

/** Every question due at `now`, the longest overdue first. */
export function dueQuestions(progress: Pick<Progress, "reviews">, now: Date): DueQuestion[] {
  return allScheduled(progress)
    .filter((q) => Date.parse(q.entry.due) <= now.getTime())
    .sort((a, b) => Date.parse(a.entry.due) - Date.parse(b.entry.due));
}

/** When the next question not yet due falls due; undefined when nothing is scheduled. */
export function nextDue(progress: Pick<Progress, "reviews">, now: Date): Date | undefined {
  const later = allScheduled(progress)
    .map((q) => Date.parse(q.entry.due))
    .filter((t) => t > now.getTime());
  return later.length ? new Date(Math.min(...later)) : undefined;
}

/** The schedule of these lessons only: a quiz of a lesson file of one's own is not reviewed. */
export function forLessons(progress: Pick<Progress, "reviews">, lessonIds: Iterable<string>): Pick<Progress, "reviews"> {
  const known = new Set(lessonIds);
  return { reviews: Object.fromEntries(Object.entries(progress.reviews).filter(([id]) => known.has(id))) };
}

function allScheduled(progress: Pick<Progress, "reviews">): DueQuestion[] {
  return Object.entries(progress.reviews).flatMap(([lessonId, questions]) =>
    Object.entries(questions).map(([questionId, entry]) => ({ lessonId, questionId, entry })),
  );
}

/** "in 3 days", "tomorrow", "in 5 hours": how far off a due date is, for people. */
export function describeWait(due: Date, now: Date): string {
  const ms = due.getTime() - now.getTime();
  if (ms <= 0) return "now";
  const hours = Math.ceil(ms / (60 * 60 * 1000));
  if (hours < 24) return hours === 1 ? "within the hour" : `in ${hours} hours`;
  const days = Math.round(ms / DAY_MS);
  return days <= 1 ? "tomorrow" : `in ${days} days`;
}
