import { describe, expect, it } from "vitest";
import { loadAllLessons } from "../../src/lessons/load.js";
import type { ChooseQuestion, Lesson } from "../../src/lessons/schema.js";
import { runQuiz, type QuizContext, type QuizIO } from "../../src/quiz/run.js";
import { arrangeChoices, seededRandom, shuffle } from "../../src/quiz/shuffle.js";
import { makeStyle } from "../../src/render/style.js";

/** Attempts per lesson: enough that chance shows as a steady average. */
const RUNS = 2000;
/**
 * How far the blind average may be from the 1/n chance average. With ~20,000 answers
 * per lesson the standard error is about 0.003, so 0.02 is far outside the noise while
 * far below anything a leak of the answer would give.
 */
const TOLERANCE = 0.02;

const lessons = await loadAllLessons();
const chooseOf = (lesson: Lesson): ChooseQuestion[] => lesson.quiz.filter((q): q is ChooseQuestion => q.kind === "choose");

/** A learner who never reads: always the first option, or always where the cursor starts. */
function blind(strategy: "first" | "preselected"): QuizIO {
  return {
    print: () => {},
    choose: async (_message, _options, start) => (strategy === "first" ? 0 : (start ?? 0)),
    ask: async () => "skip",
  };
}

/** Choose questions need no server: a context without one. */
function context(io: QuizIO, seed: number): QuizContext {
  return { conn: undefined as never, client: undefined as never, ctx: undefined as never, keys: [], style: makeStyle(false), io, random: seededRandom(seed) };
}

describe("choose questions answered blind score about chance, not 100%", () => {
  it.each(lessons.filter((l) => chooseOf(l).length).map((l) => [l.id, l] as const))("lesson %s", async (_id, lesson) => {
    const questions = chooseOf(lesson);
    const chance = questions.reduce((sum, q) => sum + 1 / q.choices.length, 0) / questions.length;
    let first = 0;
    let preselected = 0;
    for (let run = 0; run < RUNS; run++) {
      first += (await runQuiz(lesson, questions, context(blind("first"), run))).filter((r) => r.correct).length;
      preselected += (await runQuiz(lesson, questions, context(blind("preselected"), run))).filter((r) => r.correct).length;
    }
    const average = first / (RUNS * questions.length);
    expect(Math.abs(average - chance)).toBeLessThan(TOLERANCE);
    // The cursor never starts on the right answer: Enter alone scores nothing.
    expect(preselected).toBe(0);
  });
});

describe("the choices of an attempt", () => {
  const choices = [
    { text: "right", correct: true, why: "" },
    { text: "a", correct: false, why: "" },
    { text: "b", correct: false, why: "" },
    { text: "c", correct: false, why: "" },
  ];

  it("put the right answer at every position about equally often", () => {
    const random = seededRandom(7);
    const at = [0, 0, 0, 0];
    for (let i = 0; i < 8000; i++) at[arrangeChoices(choices, random).shown.findIndex((c) => c.correct)]! += 1;
    for (const count of at) expect(Math.abs(count / 8000 - 0.25)).toBeLessThan(TOLERANCE);
  });

  it("never start the cursor on the right answer, and keep every choice", () => {
    const random = seededRandom(11);
    for (let i = 0; i < 1000; i++) {
      const { shown, start } = arrangeChoices(choices, random);
      expect(shown[start]?.correct).toBe(false);
      expect(shown.map((c) => c.text).sort()).toEqual(["a", "b", "c", "right"]);
    }
  });

  it("are the same for the same seed and differ between seeds", () => {
    const order = (seed: number): string => shuffle(["a", "b", "c", "d", "e"], seededRandom(seed)).join("");
    expect(order(1)).toBe(order(1));
    expect(new Set([1, 2, 3, 4, 5, 6].map(order)).size).toBeGreaterThan(1);
  });
});
