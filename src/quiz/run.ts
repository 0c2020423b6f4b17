import { formatReply } from "../redis/reply-format.js";
import type { ChooseQuestion, Lesson, PredictQuestion, QuizQuestion } from "../lessons/schema.js";
import { runStep } from "../engine/step.js";
import { renderKeyChanges } from "../render/key-table.js";
import { bytesToText } from "../render/step.js";
import { samePrediction } from "./goals.js";
import { arrangeChoices } from "./shuffle.js";
import { cleanSlate, prose, runSilently, startingData } from "./slate.js";
import { askDo } from "./task.js";
import type { QuestionResult, QuizContext } from "./types.js";

export type { QuestionResult, QuizContext, QuizIO } from "./types.js";

/** Missed questions first, then the rest in the lesson's order. */
export function orderQuestions(questions: QuizQuestion[], missed: readonly string[]): QuizQuestion[] {
  const first = questions.filter((q) => missed.includes(q.id));
  return [...first, ...questions.filter((q) => !missed.includes(q.id))];
}

/**
 * A quiz: questions in the order given, each from a clean slate and explained, and a
 * result per question for the summary and for progress.
 */
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

async function askChoose(question: ChooseQuestion, q: QuizContext): Promise<QuestionResult> {
  // A new order on every attempt, and the cursor on a wrong choice: Enter alone must not score.
  const { shown, start } = arrangeChoices(question.choices, q.random ?? Math.random);
  const picked = await q.io.choose(prose(question.question.trim(), q.style), shown.map((c) => c.text), start);
  const choice = shown[picked];
  const right = shown.find((c) => c.correct);
  if (choice?.correct) q.io.print(q.style.ok("✓ Right. ") + choice.why + "\n");
  else q.io.print(q.style.bad("✗ Not quite. ") + (choice?.why ?? "") + "\n" + q.style.ok(`The answer: ${right?.text}. `) + (right?.why ?? "") + "\n");
  return { id: question.id, kind: "choose", correct: choice?.correct === true };
}

async function askPredict(question: PredictQuestion, q: QuizContext): Promise<QuestionResult> {
  await runSilently(q, question.setup);
  q.io.print(prose(question.question.trim(), q.style) + "\n");
  // The keys as the setup left them, before anything shown runs.
  q.io.print(await startingData(q, [...question.setup, ...question.show, question.ask]));
  for (const cmd of question.show) {
    const r = await q.conn.send(cmd.args);
    q.io.print(q.style.code(`> ${cmd.text}`) + "\n" + bytesToText(formatReply(r)));
  }
  q.io.print(q.style.code(`> ${question.ask.text}`) + "\n");
  const typed = await q.io.ask("What does Redis reply? (on one line is fine: d c a b, or 3, or (nil))");
  const result = await runStep(q.ctx, q.client, question.ask.args);
  const actual = bytesToText(formatReply(result.reply)).replace(/\n$/, "");
  const correct = samePrediction(typed, actual);
  q.io.print((correct ? q.style.ok("✓ Right. Redis replied:") : q.style.bad("✗ Redis replied:")) + "\n" + actual + "\n");
  if (result.keys.length && (result.before || result.after)) q.io.print(renderKeyChanges(result.before, result.after, q.style, undefined, result.others) + "\n");
  return { id: question.id, kind: "predict", correct };
}
