import type { Progress } from "./schema.js";
import { PROGRESS_VERSION } from "./schema.js";

/**
 * Brings checked progress of an older format up to PROGRESS_VERSION. Nothing is dropped:
 * lessons and quizzes are carried over as they are. Version 1 had no review schedule,
 * so each question its quizzes missed goes into box 1, due at once.
 */
export function migrate(progress: Progress, fromVersion: number, now: Date): Progress {
  if (fromVersion >= PROGRESS_VERSION) return progress;
  const reviews: Progress["reviews"] = {};
  for (const [lessonId, quiz] of Object.entries(progress.quizzes)) {
    if (!quiz.missed.length) continue;
    reviews[lessonId] = Object.fromEntries(
      quiz.missed.map((id) => [id, { box: 1, due: now.toISOString(), lastAnswered: quiz.updatedAt }]),
    );
  }
  return { ...progress, version: PROGRESS_VERSION, reviews };
}
