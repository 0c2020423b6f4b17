import { formatReply, type ReplyTheme } from "../redis/reply-format.js";
import type { Lesson } from "../lessons/schema.js";
import { blockedCommandOf, type CommandOutcome, type StepOutcome } from "../engine/lesson-run.js";
import { renderKeyChanges } from "./key-table.js";
import type { Style } from "./style.js";
import { predictionNote } from "../lessons/predict.js";
import { durationText } from "../engine/time-skip.js";
import type { StepResult } from "../engine/step.js";
import { displayWidth, terminalColumns, wrapText } from "./width.js";

const RULE_WIDTH = 72;

/** A lesson's heading. */
export function renderLessonHeader(lesson: Lesson, style: Style, where: string, note?: string, width = terminalColumns()): string {
  return [style.strong(wrapText(lesson.title, width)), wrapText(lesson.summary, width), style.dim(wrapText(`${lesson.steps.length} steps · ${where}`, width)), ...(note ? [style.dim(note)] : []), ""].join("\n");
}

/** One step: explanation, the command as typed, the reply as redis-cli prints it, the key tables, the note. */
export function renderStep(lesson: Lesson, outcome: StepOutcome, style: Style, theme: ReplyTheme, width = terminalColumns()): string {
  const { step, index } = outcome;
  const multiClient = lesson.steps.some((s) => s.client !== "A");
  const out: string[] = [stepHeading(lesson, index, style, width), "", wrapText(inlineCode(step.explain.trim(), style), width), ""];
  if (step.predict) out.push(style.dim(wrapText(predictionNote(step.predict), width)), "");
  if (step.wait > 0) out.push(style.dim(wrapText(waitNote(step.wait), width)), "");
  const prompt = (text: string): string => style.code(`${multiClient ? `${step.client}> ` : "> "}${text}`);

  if (outcome.waiting) {
    out.push(prompt(step.run[0]?.text ?? ""));
    out.push(style.dim(`(client ${step.client} is blocked, waiting; the lesson goes on)`), "");
  } else if (step.receive) {
    const blocked = blockedCommandOf(lesson, index);
    out.push(style.dim(wrapText(`client ${step.client}'s ${blocked?.text ?? "command"} returns:`, width)));
    for (const c of outcome.commands) out.push(...renderCommand(c, style, theme, undefined, width));
  } else {
    for (const c of outcome.commands) out.push(...renderCommand(c, style, theme, prompt(c.command.text), width));
  }
  if (step.note) out.push(wrapText(style.dim("Note: ") + inlineCode(step.note.trim(), style), width), "");
  return out.join("\n");
}

/** A step's `wait`, which fast-forwards rather than sleeps (Timeline.passTime). */
export function waitNote(seconds: number): string {
  return `(time moves on ${durationText(seconds * 1000)} for the lesson's keys: each TTL is that much nearer its end)`;
}

/** The rule that opens a step: "Step 3/21 · Read the whole list ────". */
export function stepHeading(lesson: Lesson, index: number, style: Style, width = terminalColumns()): string {
  const label = `Step ${index + 1}/${lesson.steps.length} · ${lesson.steps[index]?.title ?? ""} `;
  return style.strong(label) + style.dim("─".repeat(Math.max(3, Math.min(RULE_WIDTH, width) - displayWidth(label))));
}

/** One command's reply (after its prompt line, when given), a ✗ when it differs from the lesson, and its key tables. */
export function renderCommand(c: CommandOutcome, style: Style, theme: ReplyTheme, prompt: string | undefined, width = terminalColumns()): string[] {
  const lines: string[] = [];
  if (prompt) lines.push(wrapText(prompt, width));
  lines.push(wrapText(bytesToText(formatReply(c.result.reply, theme)).replace(/\n$/, ""), width));
  if (c.result.elapsedMs >= 500) lines.push(style.dim(`(${(c.result.elapsedMs / 1000).toFixed(2)}s)`));
  if (c.matches === false) {
    lines.push(style.bad(`✗ the lesson expected (${c.command.expectLine ? `line ${c.command.expectLine}` : "no line"}):`));
    lines.push(style.bad(c.command.expect ?? ""));
  }
  lines.push("");
  const keys = renderResultKeys(c.result, style, width);
  if (keys) lines.push(keys, "");
  return lines;
}

/** A command's key tables; or, when the state could not be read, one line saying why (never "no such key"). */
export function renderResultKeys(result: StepResult, style: Style, width = terminalColumns()): string | undefined {
  if (!result.keys.length) return undefined;
  if (result.stateError) return style.dim(wrapText(`state not readable: ${result.stateError}`, width));
  if (!result.before && !result.after) return undefined;
  return renderKeyChanges(result.before, result.after, style, width, result.others);
}

/** Reply text is bytes (latin1); shown in a terminal, UTF-8 bytes should read as the characters they are. */
export function bytesToText(bytes: string): string {
  return Buffer.from(bytes, "latin1").toString("utf8");
}

/** `LPUSH` in an explanation is shown as code. */
export function inlineCode(text: string, style: Style): string {
  return style.enabled ? text.replace(/`([^`]+)`/g, (_, code: string) => style.code(code)) : text;
}
