import type { Lesson, Step, StepPrediction } from "../lessons/schema.js";
import { blockedCommandOf } from "../engine/lesson-run.js";
import { inlineCode, stepHeading } from "./step.js";
import type { Style } from "./style.js";
import { hangingWrap, terminalColumns, wrapText } from "./width.js";

/** What a lesson in typed mode shows around the learner's typing. Strings only. */

export const TYPED_KEYS = "Type the command · Enter alone: run it for me · ?: hint · b: back · q: quit";

/** The prompt: which step, and which client is typing. */
export function typedPrompt(lesson: Lesson, index: number): string {
  return `step ${index + 1}/${lesson.steps.length} ${lesson.steps[index]?.client ?? "A"}> `;
}

/** A step's heading, its explanation and what to type (or, for a `receive` step, to press Enter). */
export function renderStepIntro(lesson: Lesson, index: number, style: Style, width = terminalColumns()): string {
  const step = lesson.steps[index] as Step;
  const out = [stepHeading(lesson, index, style, width), "", wrapText(inlineCode(step.explain.trim(), style), width), ""];
  if (step.receive) {
    const blocked = blockedCommandOf(lesson, index);
    out.push(style.dim(wrapText(`Press Enter to see what client ${step.client}'s ${blocked?.text ?? "command"} returns.`, width)));
  } else {
    const who = step.client !== "A" || lesson.steps.some((s) => s.client !== "A") ? ` as client ${step.client}` : "";
    out.push(style.dim(`Type${who}${step.run.length > 1 ? ", one at a time" : ""}:`));
    for (const c of step.run) out.push(hangingWrap("  ", style.code(c.text), width));
  }
  return out.join("\n") + "\n";
}

/** `?`: the command to type next; a prediction's answer is never given away. */
export function renderHint(step: Step, next: number, style: Style, width = terminalColumns()): string {
  if (step.receive) return style.dim("Press Enter: nothing to type, client " + step.client + "'s reply is waiting to be shown.");
  const c = step.run[next];
  const which = step.run.length > 1 ? ` (command ${next + 1} of ${step.run.length})` : "";
  const predict = step.predict ? " Before it runs you are asked to predict its reply." : "";
  return wrapText(style.dim(`Type${which}: `) + style.code(c?.text ?? "") + style.dim(` — or press Enter and it runs for you.${predict}`), width);
}

/** The question before a command runs; choices numbered in the order given (already shuffled). */
export function renderPredictionQuestion(p: StepPrediction, shown: readonly string[] | undefined, style: Style, width = terminalColumns()): string {
  const out = [style.strong(wrapText(`Predict: ${p.question}`, width))];
  if (shown) {
    shown.forEach((c, i) => {
      const [first, ...rest] = c.split("\n");
      out.push(`  ${i + 1}. ${first}`, ...rest.map((l) => `     ${l}`));
    });
    out.push(style.dim(`Press the number of your answer (1-${shown.length}).`));
  } else out.push(style.dim("Type the reply you expect (e.g. 3, OK, or the elements in order)."));
  return out.join("\n");
}

export function renderVerdict(right: boolean, p: StepPrediction, style: Style, width = terminalColumns()): string {
  return right ? style.ok("✓ right") : wrapText(style.bad("✗ ") + inlineCode(p.why.trim(), style), width);
}

/** What the lesson covered: its step titles, compactly. */
export function renderCovered(lesson: Lesson, style: Style, width = Math.min(COVERED_WIDTH, terminalColumns())): string {
  const lines: string[] = [];
  let line = "Covered:";
  for (const [i, title] of lesson.steps.map((s) => s.title).entries()) {
    const piece = ` ${title}${i < lesson.steps.length - 1 ? " ·" : ""}`;
    if (line.length + piece.length > width && line.length > 0) {
      lines.push(line);
      line = " ".repeat("Covered:".length);
    }
    line += piece;
  }
  lines.push(line);
  return style.strong("Covered:") + lines.join("\n").slice("Covered:".length);
}

const COVERED_WIDTH = 76;

/** Off a terminal, the end of a lesson names the commands to run next. */
export function renderNextCommands(lesson: Lesson, next: string | undefined): string {
  const lines = ["Next:"];
  if (lesson.quiz.length) lines.push(`  redis-learn quiz ${lesson.id}      (check what you learned)`);
  if (next) lines.push(`  redis-learn lesson ${next}`);
  return lines.length > 1 ? lines.join("\n") : "";
}
