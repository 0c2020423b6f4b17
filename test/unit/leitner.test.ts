import { describe, expect, it } from "vitest";
import { addDays, describeWait, dueQuestions, forLessons, nextDue, schedule } from "../../src/progress/leitner.js";
import { dueByLesson } from "../../src/commands/review.js";
import type { Lesson, QuizQuestion } from "../../src/lessons/schema.js";
import { recordAnswers } from "../../src/progress/record.js";
import { emptyProgress, type Progress, type ReviewEntry } from "../../src/progress/schema.js";

const NOW = new Date("2026-12-01T12:00:00.000Z");
const at = (box: number): ReviewEntry => ({ box, due: NOW.toISOString(), lastAnswered: addDays(NOW, -1).toISOString() });
const days = (n: number): string => addDays(NOW, n).toISOString();

describe("the Leitner schedule", () => {
  it.each<[string, ReviewEntry | undefined, boolean, { box: number; due: string } | undefined]>([
    ["right the first time it is ever seen: not scheduled", undefined, true, undefined],
    ["missed the first time: box 1, back in 1 day", undefined, false, { box: 1, due: days(1) }],
    ["right from box 1: box 2, 3 days", at(1), true, { box: 2, due: days(3) }],
    ["right from box 2: box 3, 7 days", at(2), true, { box: 3, due: days(7) }],
    ["right from box 3: box 4, 21 days", at(3), true, { box: 4, due: days(21) }],
    ["right from box 4: stays in box 4, 21 days", at(4), true, { box: 4, due: days(21) }],
    ["wrong from box 1: box 1 again", at(1), false, { box: 1, due: days(1) }],
    ["wrong from box 3: back to box 1", at(3), false, { box: 1, due: days(1) }],
    ["wrong from box 4: back to box 1", at(4), false, { box: 1, due: days(1) }],
  ])("%s", (_name, entry, correct, expected) => {
    const next = schedule(entry, correct, NOW);
    if (!expected) return expect(next).toBeUndefined();
    expect(next).toEqual({ ...expected, lastAnswered: NOW.toISOString() });
  });
});

describe("what is due", () => {
  const progress = (reviews: Progress["reviews"]): Progress => ({ ...emptyProgress(), reviews });
  const entry = (due: string, box = 1): ReviewEntry => ({ box, due, lastAnswered: days(-5) });

  it.each<[string, Progress["reviews"], string[], string | undefined]>([
    ["nothing scheduled", {}, [], undefined],
    ["due exactly now", { strings: { a: entry(days(0)) } }, ["strings/a"], undefined],
    ["due 4 days ago, and one tomorrow", { strings: { a: entry(days(-4)), b: entry(days(1)) } }, ["strings/a"], days(1)],
    ["longest overdue first, across lessons", { strings: { a: entry(days(-1)) }, lists: { b: entry(days(-3)) } }, ["lists/b", "strings/a"], undefined],
    ["only later ones: the soonest is next", { strings: { a: entry(days(7), 3), b: entry(days(3), 2) } }, [], days(3)],
  ])("%s", (_name, reviews, due, next) => {
    expect(dueQuestions(progress(reviews), NOW).map((d) => `${d.lessonId}/${d.questionId}`)).toEqual(due);
    expect(nextDue(progress(reviews), NOW)?.toISOString()).toBe(next);
  });

  it.each<[number, string]>([
    [0, "now"],
    [0.5 / 24, "within the hour"],
    [5 / 24, "in 5 hours"],
    [1, "tomorrow"],
    [3, "in 3 days"],
    [21, "in 21 days"],
  ])("a wait of %s days reads %s", (d, text) => {
    expect(describeWait(addDays(NOW, d), NOW)).toBe(text);
  });
});

describe("recording answers", () => {
  const quiz = [
    { id: "a", correct: true },
    { id: "b", correct: false },
    { id: "c", correct: true },
  ];

  it("a quiz sets its summary as before, and schedules only what was missed", () => {
    const before = emptyProgress();
    const after = recordAnswers(before, "strings", quiz, NOW);
    expect(after.quizzes.strings).toEqual({ lastScore: 2, bestScore: 2, total: 3, missed: ["b"], taken: 1, updatedAt: NOW.toISOString() });
    expect(after.reviews).toEqual({ strings: { b: { box: 1, due: days(1), lastAnswered: NOW.toISOString() } } });
    expect(before).toEqual(emptyProgress()); // pure: the one given is unchanged
  });

  it("a second quiz keeps the best score, counts the taking, and moves boxes", () => {
    const first = recordAnswers(emptyProgress(), "strings", quiz, NOW);
    const later = addDays(NOW, 2);
    const second = recordAnswers(first, "strings", [{ id: "a", correct: false }, { id: "b", correct: true }, { id: "c", correct: false }], later);
    expect(second.quizzes.strings).toMatchObject({ lastScore: 1, bestScore: 2, missed: ["a", "c"], taken: 2 });
    expect(second.reviews.strings?.b).toMatchObject({ box: 2, due: addDays(later, 3).toISOString() });
    expect(second.reviews.strings?.a).toMatchObject({ box: 1 });
  });

  it("a review moves boxes and the missed list, but leaves scores and the count of quizzes alone", () => {
    const first = recordAnswers(emptyProgress(), "strings", quiz, NOW);
    const later = addDays(NOW, 4);
    const reviewed = recordAnswers(first, "strings", [{ id: "b", correct: true }], later, "review");
    expect(reviewed.quizzes.strings).toMatchObject({ lastScore: 2, bestScore: 2, total: 3, taken: 1, missed: [] });
    expect(reviewed.reviews.strings?.b).toEqual({ box: 2, due: addDays(later, 3).toISOString(), lastAnswered: later.toISOString() });
    const missedAgain = recordAnswers(reviewed, "strings", [{ id: "b", correct: false }], later, "review");
    expect(missedAgain.quizzes.strings?.missed).toEqual(["b"]);
    expect(missedAgain.reviews.strings?.b?.box).toBe(1);
  });

  it("other lessons' progress is untouched", () => {
    const start = recordAnswers(emptyProgress(), "lists", [{ id: "x", correct: false }], NOW);
    const after = recordAnswers(start, "strings", quiz, NOW);
    expect(after.reviews.lists).toEqual(start.reviews.lists);
    expect(after.quizzes.lists).toEqual(start.quizzes.lists);
  });
});

describe("what review asks, lesson by lesson", () => {
  const q = (id: string): QuizQuestion => ({ id, kind: "choose", question: id, choices: [], line: 1, column: 1 });
  const lesson = (id: string, ids: string[]): Lesson => ({ id, quiz: ids.map(q) }) as unknown as Lesson;
  const entry = (due: string): ReviewEntry => ({ box: 1, due, lastAnswered: days(-5) });
  const progress: Progress = {
    ...emptyProgress(),
    reviews: {
      lists: { b: entry(days(-1)), gone: entry(days(-1)) },
      strings: { c: entry(days(-2)), a: entry(days(-4)), later: entry(days(2)) },
      "my-own": { x: entry(days(-9)) },
    },
  };

  it("groups due questions by lesson in the lessons' order, each in its quiz's order; ids a lesson no longer has are skipped", () => {
    const groups = dueByLesson([lesson("strings", ["a", "b", "c", "later"]), lesson("lists", ["a", "b"])], progress, NOW);
    expect(groups.map((g) => [g.lesson.id, g.questions.map((x) => x.id)])).toEqual([
      ["strings", ["a", "c"]],
      ["lists", ["b"]],
    ]);
  });

  it("counts only the lessons it is given (a quiz of a file of one's own is not reviewed)", () => {
    expect(dueQuestions(forLessons(progress, ["strings", "lists"]), NOW)).toHaveLength(4);
    expect(dueQuestions(progress, NOW)).toHaveLength(5);
    expect(nextDue(forLessons(progress, ["lists"]), NOW)).toBeUndefined();
  });
});
