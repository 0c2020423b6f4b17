import { mkdirSync, mkdtempSync, readFileSync, writeFileSync } from "node:fs";
import os from "node:os";
import path from "node:path";
import { afterEach, describe, expect, it } from "vitest";
import { findLesson } from "../../src/lessons/load.js";
import type { ChooseQuestion, PredictQuestion } from "../../src/lessons/schema.js";
import type { Progress } from "../../src/progress/schema.js";
import { BIN } from "../helpers/cli.js";
import { TmuxScreen, e2eTrack } from "../helpers/tmux.js";

/**
 * The review brings back what was missed days ago. Time is moved by the file, not by the
 * program: the progress file is written with dates 4 days in the past, and the binary runs
 * on the real clock. So the program has no way to be told a false time, and the test
 * exercises exactly what a learner's machine does.
 */
const DAY = 24 * 60 * 60 * 1000;
const ago = (days: number): string => new Date(Date.now() - days * DAY).toISOString();

const { screens, dirs, cleanup } = e2eTrack();
afterEach(cleanup);

function home(progress: Progress): { dir: string; file: string } {
  const dir = mkdtempSync(path.join(os.tmpdir(), "rl-e2e-review-"));
  dirs.push(dir);
  mkdirSync(path.join(dir, "redis-learn"));
  const file = path.join(dir, "redis-learn", "progress.json");
  writeFileSync(file, JSON.stringify(progress, null, 2));
  return { dir, file };
}

function open(args: string, dir: string): TmuxScreen {
  const screen = new TmuxScreen(`${process.execPath} ${BIN} ${args}`, { XDG_CONFIG_HOME: dir, XDG_STATE_HOME: dir, TERM: "xterm-256color" });
  screens.push(screen);
  return screen;
}

describe("review in a terminal", () => {
  it("asks the questions missed 4 days ago, and moves each by its answer", async () => {
    const lesson = await findLesson("strings");
    const choose = lesson.quiz.find((q): q is ChooseQuestion => q.kind === "choose")!;
    const predict = lesson.quiz.find((q): q is PredictQuestion => q.kind === "predict")!;
    const later = lesson.quiz.find((q) => q.id !== choose.id && q.id !== predict.id)!;
    const missed4DaysAgo = { box: 1, due: ago(3), lastAnswered: ago(4) };
    const { dir, file } = home({
      version: 2,
      lessons: {},
      quizzes: { strings: { lastScore: 9, bestScore: 9, total: lesson.quiz.length, missed: [choose.id, predict.id], taken: 1, updatedAt: ago(4) } },
      reviews: { strings: { [choose.id]: missed4DaysAgo, [predict.id]: missed4DaysAgo, [later.id]: { box: 2, due: new Date(Date.now() + 2 * DAY).toISOString(), lastAnswered: ago(1) } } },
    });

    const screen = open("review", dir);
    await screen.waitFor(/Review: 2 questions due/);
    // The question missed 4 days ago is asked, in its own words.
    const firstLine = choose.question.trim().split("\n")[0]!.replace(/`/g, "").slice(0, 30);
    await screen.waitFor((text) => /Question 1 of 2/.test(text) && text.includes(firstLine));
    // The choose question comes first (the lesson's order): pick its right answer, wherever
    // the shuffle put it and wherever the cursor starts.
    const right = choose.choices.find((c) => c.correct)!.text;
    const shown = (await screen.waitFor(/↑↓ navigate/)).split("\n");
    const options = shown.slice(shown.findIndex((l) => l.startsWith("? "))).filter((l) => /^(❯ | {2})\S/.test(l));
    const cursor = options.findIndex((l) => l.startsWith("❯ "));
    const target = options.findIndex((l) => l.slice(2).trim() === right);
    expect(target).toBeGreaterThanOrEqual(0);
    for (let i = cursor; i < target; i++) screen.press("Down");
    for (let i = cursor; i > target; i--) screen.press("Up");
    screen.press("Enter");
    await screen.waitFor(/✓ Right\./);
    // The predict question: answer it wrongly.
    await screen.waitFor(/Question 2 of 2[\s\S]*What does Redis reply\?/);
    expect(screen.screen()).toContain(`> ${predict.ask.text}`);
    screen.type("surely not this");
    screen.press("Enter");
    await screen.waitFor(/✗ Redis replied:/);
    await screen.waitFor(/Reviewed 2: 1 right, 1 missed/);
    expect(screen.screen()).not.toContain(later.id);

    const saved = JSON.parse(readFileSync(file, "utf8")) as Progress;
    const moved = saved.reviews.strings![choose.id]!;
    expect(moved.box).toBe(2);
    // Box 2: due 3 days after the answer that put it there.
    expect(Date.parse(moved.due) - Date.parse(moved.lastAnswered)).toBe(3 * DAY);
    expect(Date.parse(moved.lastAnswered)).toBeGreaterThan(Date.parse(ago(0.1)));
    expect(saved.reviews.strings![predict.id]).toMatchObject({ box: 1 });
    expect(Date.parse(saved.reviews.strings![predict.id]!.due) - Date.parse(saved.reviews.strings![predict.id]!.lastAnswered)).toBe(DAY);
    expect(saved.reviews.strings![later.id]).toMatchObject({ box: 2 });
    // The quiz's scores are the quiz's; its missed list follows the answers.
    expect(saved.quizzes.strings).toMatchObject({ lastScore: 9, taken: 1, missed: [predict.id] });
  });

  it("the home screen offers the review when questions are due", async () => {
    const { dir } = home({
      version: 2,
      lessons: {},
      quizzes: {},
      reviews: { strings: { "nx-existing": { box: 1, due: ago(1), lastAnswered: ago(2) }, "ttl-codes": { box: 1, due: ago(1), lastAnswered: ago(2) } } },
    });
    const screen = open("", dir);
    await screen.waitFor(/What next\?[\s\S]*Review: 2 questions due[\s\S]*Lesson: Strings/);
  });
});
