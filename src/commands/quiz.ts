import Table from "cli-table3";
import { openRedis, type RedisOptions } from "../redis/connect.js";
import { COMMAND_INFO } from "../engine/timeline.js";
import { versionAtLeast } from "../redis/server-info.js";
import { findLesson, LessonProblems } from "../lessons/load.js";
import { validateCommands } from "../lessons/validate.js";
import { unmetRequirement } from "../lessons/requirements.js";
import { claimLessonKeys } from "../lessons/guard.js";
import { keysOfLesson } from "../lessons/keys-of-lesson.js";
import { UserError } from "../errors.js";
import { parseCommandInfo } from "../redis/command-table.js";
import type { Reply } from "../redis/reply-types.js";
import { makeStyle, type Style } from "../render/style.js";
import { colorEnabled } from "../render/color.js";
import { orderQuestions, runQuiz, type QuestionResult, type QuizIO } from "../quiz/run.js";
import { terminalIO } from "../quiz/prompts.js";
import { ProgressStore } from "../progress/store.js";

export type QuizOptions = RedisOptions;

/** `redis-learn quiz <lesson>`: asks, scores, explains, and remembers what was missed. */
export async function quizCommand(name: string, options: QuizOptions, io?: QuizIO): Promise<QuestionResult[]> {
  if (!io && !process.stdin.isTTY) {
    throw new UserError("a quiz asks you questions, so it needs a terminal: run redis-learn quiz in one (stdin is not a terminal)");
  }
  const lesson = await findLesson(name);
  if (!lesson.quiz.length) throw new UserError(`lesson "${lesson.id}" has no quiz yet`);
  const style = makeStyle(colorEnabled(process.stdout));
  const print = io?.print ?? ((t: string) => void process.stdout.write(t));
  const store = new ProgressStore();
  const loaded = store.load();
  if (loaded.notice) process.stderr.write(`redis-learn: ${loaded.notice}\n`);

  const source = await openRedis(options, { ask: [COMMAND_INFO] });
  process.stderr.write(source.describe() + "\n");
  try {
    const table = parseCommandInfo(source.answers[0] as Reply);
    const problems = validateCommands(lesson, table);
    if (problems.length) throw new LessonProblems(problems);
    const unmet = unmetRequirement(lesson, source.info);
    if (unmet) throw new UserError(`the quiz of lesson "${lesson.id}" ${unmet}`);
    const keys = keysOfLesson(lesson, table);
    const claim = await claimLessonKeys(source.conn, lesson, keys, source.target, { private: source.server !== undefined, force: false });
    // Recorded as ours before anything is written, so an interrupted quiz leaves nothing that looks foreign.
    claim.created(keys);
    const missed = loaded.progress.quizzes[lesson.id]?.missed ?? [];
    const questions = orderQuestions(lesson.quiz, missed);
    print(style.strong(`Quiz: ${lesson.title}`) + style.dim(` · ${questions.length} questions${missed.length ? `, the ${missed.length} you missed last time first` : ""}`) + "\n\n");
    const results = await runQuiz(lesson, questions, {
      conn: source.conn,
      client: { name: "A", conn: source.conn, inMulti: false, queuedKeys: [] },
      ctx: { table, atLeast7: versionAtLeast(source.info.version, "7.0"), observer: () => source.connect() },
      keys,
      style,
      io: io ?? terminalIO(print),
    });
    await claim.release(source.conn);
    const score = results.filter((r) => r.correct).length;
    store.update((p) => {
      const before = p.quizzes[lesson.id];
      p.quizzes[lesson.id] = {
        lastScore: score,
        bestScore: Math.max(score, before?.bestScore ?? 0),
        total: results.length,
        missed: results.filter((r) => !r.correct).map((r) => r.id),
        taken: (before?.taken ?? 0) + 1,
        updatedAt: new Date().toISOString(),
      };
    });
    print(summary(lesson.quiz.map((q) => q.id), results, style));
    return results;
  } finally {
    await source.close();
  }
}

function summary(order: string[], results: QuestionResult[], style: Style): string {
  const table = new Table({ head: ["question", "kind", "result", "commands"], style: style.enabled ? { head: ["cyan"], border: ["grey"] } : { head: [], border: [] } });
  for (const id of order) {
    const r = results.find((x) => x.id === id);
    if (!r) continue;
    const commands = r.kind === "do" ? `${r.commands} (shortest ${r.shortest})` : "";
    table.push([id, r.kind === "do" ? "do it" : r.kind, r.correct ? style.ok("✓ right") : style.bad("✗ missed"), commands]);
  }
  const score = results.filter((r) => r.correct).length;
  return `${table.toString()}\nScore: ${score} of ${results.length}.${score < results.length ? " The ones you missed come first next time." : " All right!"}\n`;
}
