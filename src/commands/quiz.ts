import Table from "cli-table3";
import { terminalColumns, wrapText } from "../render/width.js";
import { openRedis, type RedisOptions } from "../redis/connect.js";
import { COMMAND_INFO, Timeline } from "../engine/timeline.js";
import { NAME_FIRST, firstIdAsked } from "../engine/clients.js";
import { findLesson } from "../lessons/load.js";
import { prepareLessonRun } from "../lessons/prepare.js";
import { UserError } from "../errors.js";
import { makeStyle, type Style } from "../render/style.js";
import { colorEnabled } from "../render/color.js";
import { orderQuestions, runQuiz, type QuestionResult, type QuizIO } from "../quiz/run.js";
import { terminalIO } from "../quiz/prompts.js";
import { quizContext } from "../quiz/context.js";
import { ProgressStore } from "../progress/store.js";
import { recordAnswers } from "../progress/record.js";
import { systemClock } from "../clock.js";
import { shortTitle } from "../quiz/title.js";
import type { QuizQuestion } from "../lessons/schema.js";
import type { KeyClaim } from "../safety/claim.js";

export type QuizOptions = RedisOptions;

/** `redis-learn quiz <lesson>`: asks, scores, explains, and remembers what was missed. */
export async function quizCommand(name: string, options: QuizOptions, io?: QuizIO): Promise<QuestionResult[]> {
  if (!io && !process.stdin.isTTY) {
    throw new UserError("a quiz asks you questions, so it needs a terminal: run redis-learn quiz in one (stdin is not a terminal)");
  }
  const lesson = await findLesson(name);
  if (!lesson.quiz.length) throw new UserError(`lesson "${lesson.id}" has no quiz yet`);
  const style = makeStyle(colorEnabled(process.stdout));
  const print = io?.print ?? ((t: string) => void process.stdout.write(wrapText(t, terminalColumns())));
  const store = new ProgressStore();
  const loaded = store.load();
  if (loaded.notice) process.stderr.write(`redis-learn: ${loaded.notice}\n`);

  const source = await openRedis(options, { ask: [COMMAND_INFO, ...NAME_FIRST] });
  process.stderr.write(source.describe() + "\n");
  let timeline: Timeline | undefined;
  let claimed: KeyClaim | undefined;
  try {
    const { table, keys, claim } = await prepareLessonRun(source, lesson, { force: false, what: `the quiz of lesson "${lesson.id}"` });
    claimed = claim;
    const missed = loaded.progress.quizzes[lesson.id]?.missed ?? [];
    const questions = orderQuestions(lesson.quiz, missed);
    print(style.strong(`Quiz: ${lesson.title}`) + style.dim(` · ${questions.length} questions${missed.length ? `, the ${missed.length} you missed last time first` : ""}`) + "\n\n");
    timeline = await Timeline.create(source, table);
    timeline.clients.firstNamed(firstIdAsked(source.answers));
    const results = await runQuiz(lesson, questions, await quizContext(source, timeline, keys, claim, style, io ?? terminalIO(print)));
    await claim.release(source.conn);
    // The quiz's score and, for each question, its place in the review schedule (record.ts).
    store.transform((p) => recordAnswers(p, lesson.id, results, systemClock()));
    print(summary(lesson.quiz, results, style));
    return results;
  } finally {
    timeline?.close();
    // Ctrl-C at a question: what the quiz wrote goes (a second call does nothing).
    await claimed?.release(source.conn).catch(() => {});
    await source.close();
  }
}

function summary(order: QuizQuestion[], results: QuestionResult[], style: Style): string {
  const table = new Table({ head: ["question", "kind", "result", "commands"], style: style.enabled ? { head: ["cyan"], border: ["grey"] } : { head: [], border: [] } });
  for (const question of order) {
    const r = results.find((x) => x.id === question.id);
    if (!r) continue;
    const commands = r.kind === "do" ? `${r.commands} (shortest ${r.shortest})` : "";
    table.push([shortTitle(question), r.kind === "do" ? "do it" : r.kind, r.correct ? style.ok("✓ right") : style.bad("✗ missed"), commands]);
  }
  const score = results.filter((r) => r.correct).length;
  return `${table.toString()}\nScore: ${score} of ${results.length}.${score < results.length ? " The ones you missed come first next time." : " All right!"}\n`;
}
