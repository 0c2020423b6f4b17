import type { QuizQuestion } from "../lessons/schema.js";

/** How wide a question's name may be in the score table. */
export const TITLE_WIDTH = 48;

/**
 * A question's short name for the score table: its `title:`, or else the first line of
 * its question or task, without backticks, cut at a word to fit.
 */
export function shortTitle(question: QuizQuestion, width = TITLE_WIDTH): string {
  if (question.title) return question.title;
  const text = question.kind === "do" ? question.task : question.question;
  const first = (text.trim().split("\n")[0] ?? "").replace(/`/g, "").trim();
  if (first.length <= width) return first;
  const cut = first.slice(0, width - 1);
  const space = cut.lastIndexOf(" ");
  return (space > width / 2 ? cut.slice(0, space) : cut).replace(/[\s,.:;]+$/, "") + "…";
}
