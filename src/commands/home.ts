import { lessonSummaries } from "../lessons/load.js";
import { ProgressStore } from "../progress/store.js";
import { chooseOne } from "../quiz/prompts.js";
import { UserError } from "../errors.js";
import { makeStyle } from "../render/style.js";
import { colorEnabled } from "../render/color.js";
import type { RedisOptions } from "../redis/connect.js";
import { redact } from "../redis/redact.js";
import { dueQuestions, forLessons } from "../progress/leitner.js";
import { questionsDue } from "../render/review-status.js";
import { systemClock } from "../clock.js";

type Choice = { run: () => Promise<void> } | "quit";

/**
 * `redis-learn` with no arguments in a terminal: where to go from here. Continue where
 * you left off, review what is due, pick a lesson (✓ when finished), a quiz, the sandbox, or progress.
 */
export async function homeCommand(options: RedisOptions): Promise<void> {
  const style = makeStyle(colorEnabled(process.stdout));
  process.stdout.write(style.strong("redis-learn") + style.dim(" · learn Redis on a real server, from your terminal") + "\n");
  for (;;) {
    const lessons = await lessonSummaries();
    const { progress, notice } = new ProgressStore().load();
    if (notice) process.stderr.write(`redis-learn: ${notice}\n`);
    const choices: { name: string; value: Choice; description?: string }[] = [];
    const inProgress = Object.entries(progress.lessons)
      .filter(([id, p]) => p.step > 0 && lessons.some((l) => l.id === id))
      .sort((a, b) => b[1].updatedAt.localeCompare(a[1].updatedAt))[0];
    if (inProgress) {
      const lesson = lessons.find((l) => l.id === inProgress[0])!;
      choices.push({ name: `Continue: ${lesson.title}, step ${inProgress[1].step + 1} of ${lesson.steps}`, value: { run: () => lessonRun(lesson.id, options) } });
    }
    const due = dueQuestions(forLessons(progress, lessons.map((l) => l.id)), systemClock()).length;
    if (due) choices.push({ name: `Review: ${questionsDue(due)}`, value: { run: () => reviewRun(options) }, description: "questions you missed, back when they are due" });
    for (const lesson of lessons) {
      const done = progress.lessons[lesson.id]?.completed ? " ✓" : "";
      choices.push({ name: `Lesson: ${lesson.title}${done}`, value: { run: () => lessonRun(lesson.id, options) }, description: lesson.summary });
    }
    for (const lesson of lessons.filter((l) => l.questions)) {
      const q = progress.quizzes[lesson.id];
      const score = q ? ` (best ${q.bestScore}/${q.total})` : "";
      choices.push({ name: `Quiz: ${lesson.title}${score}`, value: { run: () => quizRun(lesson.id, options) }, description: `${lesson.questions} questions on what the ${lesson.title.toLowerCase()} lesson teaches` });
    }
    choices.push(
      { name: "Sandbox: type commands of your own", value: { run: () => sandboxRun(options) } },
      { name: "Progress", value: { run: async () => (await import("./progress.js")).progressCommand({}) } },
      { name: "Quit", value: "quit" },
    );
    let choice: Choice;
    try {
      choice = await chooseOne("What next?", choices);
    } catch {
      return; // Ctrl-C at the menu: leave.
    }
    if (choice === "quit") return;
    try {
      await choice.run();
    } catch (err) {
      // A lesson or quiz that ends in an error returns here, with the error said once.
      if (err instanceof UserError || (err instanceof Error && err.name === "ExitPromptError")) {
        if (err instanceof UserError) process.stderr.write(`redis-learn: ${redact(err.message)}\n`);
        continue;
      }
      throw err;
    }
    process.stdout.write("\n");
  }
}

async function lessonRun(id: string, options: RedisOptions): Promise<void> {
  const { lessonCommand } = await import("./lesson.js");
  await lessonCommand(id, { ...options, pause: true });
}

async function quizRun(id: string, options: RedisOptions): Promise<void> {
  const { quizCommand } = await import("./quiz.js");
  await quizCommand(id, options);
}

async function reviewRun(options: RedisOptions): Promise<void> {
  const { reviewCommand } = await import("./review.js");
  await reviewCommand(options);
}

async function sandboxRun(options: RedisOptions): Promise<void> {
  const { sandboxCommand } = await import("./sandbox.js");
  await sandboxCommand(options);
}
