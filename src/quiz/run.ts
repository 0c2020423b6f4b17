import type { Connection } from "../redis/connection.js";
import { formatReply } from "../redis/reply-format.js";
import type { ChooseQuestion, CommandLine, DoQuestion, Lesson, PredictQuestion, QuizQuestion } from "../lessons/schema.js";
import type { Client, EngineContext } from "../engine/step.js";
import { runStep } from "../engine/step.js";
import { renderKeyChanges } from "../render/key-table.js";
import { bytesToText } from "../render/step.js";
import type { Style } from "../render/style.js";
import { tokenize } from "../redis/tokenize.js";
import { checkGoals, samePrediction } from "./goals.js";

/**
 * A quiz, asked through whatever asks and prints (a terminal, or a script in tests):
 * questions in order, missed ones from last time first, each explained, and a result
 * per question for the summary and for progress.
 */
export interface QuizIO {
  print(text: string): void;
  /** Returns the index of the chosen option. */
  choose(message: string, options: string[]): Promise<number>;
  ask(message: string): Promise<string>;
}

export interface QuestionResult {
  id: string;
  kind: QuizQuestion["kind"];
  correct: boolean;
  /** For do-it tasks: commands used, and the shortest known solution's length. */
  commands?: number;
  shortest?: number;
}

export interface QuizContext {
  conn: Connection;
  client: Client;
  ctx: EngineContext;
  /** Keys wiped before each question so it starts from a clean slate. */
  keys: string[];
  style: Style;
  io: QuizIO;
}

/** Missed questions first, then the rest in the lesson's order. */
export function orderQuestions(questions: QuizQuestion[], missed: readonly string[]): QuizQuestion[] {
  const first = questions.filter((q) => missed.includes(q.id));
  return [...first, ...questions.filter((q) => !missed.includes(q.id))];
}

export async function runQuiz(lesson: Lesson, questions: QuizQuestion[], q: QuizContext): Promise<QuestionResult[]> {
  const results: QuestionResult[] = [];
  for (const [i, question] of questions.entries()) {
    q.io.print(q.style.strong(`Question ${i + 1} of ${questions.length}`) + q.style.dim(` · ${question.kind === "do" ? "do it" : question.kind}`) + "\n");
    await cleanSlate(q);
    if (question.kind === "choose") results.push(await askChoose(question, q));
    else if (question.kind === "predict") results.push(await askPredict(question, q));
    else results.push(await askDo(question, q));
    if (question.explain) q.io.print(q.style.dim(prose(question.explain.trim(), q.style)) + "\n");
    q.io.print("\n");
  }
  await cleanSlate(q);
  return results;
}

/** `code` in prose is shown as code in a terminal that has colour; otherwise the backticks stay. */
function prose(text: string, style: Style): string {
  return style.enabled ? text.replace(/`([^`]+)`/g, (_, code: string) => style.code(code)) : text;
}

async function cleanSlate(q: QuizContext): Promise<void> {
  if (q.keys.length) await q.conn.send(["DEL", ...q.keys]);
}

async function runSilently(q: QuizContext, commands: CommandLine[]): Promise<void> {
  if (commands.length) await q.conn.pipeline(commands.map((c) => c.args));
}

async function askChoose(question: ChooseQuestion, q: QuizContext): Promise<QuestionResult> {
  const picked = await q.io.choose(prose(question.question.trim(), q.style), question.choices.map((c) => c.text));
  const choice = question.choices[picked];
  const right = question.choices.find((c) => c.correct);
  if (choice?.correct) q.io.print(q.style.ok("✓ Right. ") + choice.why + "\n");
  else q.io.print(q.style.bad("✗ Not quite. ") + (choice?.why ?? "") + "\n" + q.style.ok(`The answer: ${right?.text}. `) + (right?.why ?? "") + "\n");
  return { id: question.id, kind: "choose", correct: choice?.correct === true };
}

async function askPredict(question: PredictQuestion, q: QuizContext): Promise<QuestionResult> {
  await runSilently(q, question.setup);
  q.io.print(prose(question.question.trim(), q.style) + "\n");
  for (const cmd of question.show) {
    const r = await q.conn.send(cmd.args);
    q.io.print(q.style.code(`> ${cmd.text}`) + "\n" + bytesToText(formatReply(r)));
  }
  q.io.print(q.style.code(`> ${question.ask.text}`) + "\n");
  const typed = await q.io.ask("What does Redis reply? (on one line is fine: d c a b, or 3, or (nil))");
  const actual = bytesToText(formatReply(await q.conn.send(question.ask.args))).replace(/\n$/, "");
  const correct = samePrediction(typed, actual);
  q.io.print((correct ? q.style.ok("✓ Right. Redis replied:") : q.style.bad("✗ Redis replied:")) + "\n" + actual + "\n");
  return { id: question.id, kind: "predict", correct };
}

const WORDS = { hint: "hint", reset: "reset", solution: "solution", skip: "skip" };

async function askDo(question: DoQuestion, q: QuizContext): Promise<QuestionResult> {
  await runSilently(q, question.setup);
  q.io.print(
    prose(question.task.trim(), q.style) + "\n" +
      q.style.dim(`Type Redis commands. "${WORDS.hint}" for a nudge, "${WORDS.reset}" to start the task again, "${WORDS.solution}" to see one, "${WORDS.skip}" to move on.`) + "\n",
  );
  let used = 0;
  for (;;) {
    const line = (await q.io.ask("do>")).trim();
    if (!line) continue;
    const word = line.toLowerCase();
    if (word === WORDS.hint) {
      const open = q.client.inMulti ? [] : (await checkGoals(q.conn, question.goal)).filter((v) => !v.ok);
      q.io.print(q.style.changed(question.hint.trim()) + "\n" + (open[0] ? q.style.dim(`Right now: ${open[0].detail}.`) + "\n" : ""));
      continue;
    }
    if (word === WORDS.reset) {
      await cleanSlate(q);
      await runSilently(q, question.setup);
      q.io.print(q.style.dim("The keys are back as they were when the task began.") + "\n");
      continue;
    }
    if (word === WORDS.solution || word === WORDS.skip) {
      if (word === WORDS.solution) q.io.print(q.style.dim("One way:") + "\n" + question.solution.map((c) => q.style.code(`  ${c.text}`)).join("\n") + "\n");
      return { id: question.id, kind: "do", correct: false, commands: used, shortest: question.solution.length };
    }
    const split = tokenize(line);
    if (!split.ok || split.args.length === 0) {
      q.io.print("Invalid argument(s)\n");
      continue;
    }
    used++;
    const result = await runStep(q.ctx, q.client, split.args);
    q.io.print(bytesToText(formatReply(result.reply)));
    if (result.keys.length && (result.before || result.after)) q.io.print(renderKeyChanges(result.before, result.after, q.style) + "\n");
    if (q.client.inMulti) continue;
    const verdicts = await checkGoals(q.conn, question.goal);
    if (verdicts.every((v) => v.ok)) {
      const shortest = question.solution.length;
      q.io.print(q.style.ok(`✓ Done in ${used} command${used > 1 ? "s" : ""}`) + q.style.dim(` (the shortest known way takes ${shortest})`) + "\n");
      return { id: question.id, kind: "do", correct: true, commands: used, shortest };
    }
  }
}
