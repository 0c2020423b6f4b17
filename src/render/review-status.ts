import { describeWait } from "../progress/leitner.js";

/** "3 questions due", "1 question due". */
export function questionsDue(count: number): string {
  return `${count} question${count === 1 ? "" : "s"} due`;
}

/** The line `progress` prints under its table about review; undefined when nothing is scheduled. */
export function reviewStatus(due: number, next: Date | undefined, now: Date): string | undefined {
  if (due) return `${questionsDue(due)} for review: redis-learn review`;
  if (next) return `Nothing to review now; the next question is due ${describeWait(next, now)} (${next.toISOString().slice(0, 16).replace("T", " ")} UTC).`;
  return undefined;
}
