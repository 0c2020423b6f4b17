import { formatReply } from "../redis/reply-format.js";
import type { Lesson, Step, CommandLine } from "../lessons/schema.js";
import type { StepResult } from "./step.js";
import type { KeyState } from "../redis/snapshot.js";
import type { Timeline } from "./timeline.js";

/** One command of a step, run, with its reply compared to what the lesson expects. */
export interface CommandOutcome {
  command: CommandLine;
  result: StepResult;
  /** The reply as redis-cli prints it (a byte string, see reply-format.ts), without the final newline. */
  replyText: string;
  /** Undefined when the lesson states no expectation. */
  matches?: boolean;
}

export interface StepOutcome {
  index: number;
  step: Step;
  /** For a blocking step: the command was sent and is waiting. */
  waiting: boolean;
  commands: CommandOutcome[];
}

/** The reply as redis-cli prints it, as lessons write it. */
export function replyText(result: StepResult): string {
  return formatReply(result.reply).replace(/\n$/, "");
}

/** Lessons are UTF-8 text; redis-cli's output is bytes. Compare them as bytes. */
export function sameReply(expected: string, actual: string): boolean {
  return Buffer.from(expected, "utf8").toString("latin1") === actual;
}

/**
 * Runs one step on the timeline and returns what happened; prints nothing. A `wait`
 * never sleeps: time moves on for the keys the lesson named (Timeline.passTime).
 */
export async function runLessonStep(timeline: Timeline, step: Step, index: number, beforeSend?: () => void): Promise<StepOutcome> {
  // Last word before anything is sent: a run being stopped throws here.
  beforeSend?.();
  if (step.wait > 0) await timeline.passTime(step.wait * 1000);
  if (step.blocks) {
    await timeline.start(step.client, (step.run[0] as CommandLine).args);
    return { index, step, waiting: true, commands: [] };
  }
  if (step.receive) {
    const result = await timeline.receive(step.client);
    const expected = step.run[0];
    const command: CommandLine = { ...(expected ?? { line: step.line, column: step.column }), text: "", args: result.args };
    return { index, step, waiting: false, commands: [commandOutcome(command, result)] };
  }
  const results = await timeline.runAll(step.client, step.run.map((c) => c.args));
  return { index, step, waiting: false, commands: step.run.map((command, i) => commandOutcome(command, results[i] as StepResult)) };
}

/**
 * The state of keys as the lesson last showed them. A blocked command's own "before"
 * was read when it started blocking; by the time it returns, other clients may have
 * changed its keys, so its step compares against what the learner last saw.
 */
export class LastSeen {
  private readonly states = new Map<string, KeyState>();

  remember(result: StepResult): void {
    for (const s of result.after ?? []) this.states.set(s.key.toString("latin1"), s);
  }

  /** For a command that was blocked: its before-state becomes the last state shown. */
  applyTo(result: StepResult): StepResult {
    if (result.before) result.before = result.before.map((s) => this.states.get(s.key.toString("latin1")) ?? s);
    return result;
  }

  rememberStep(outcome: StepOutcome): void {
    for (const c of outcome.commands) this.remember(c.result);
  }

  /** For a `receive` step. */
  applyToStep(outcome: StepOutcome): StepOutcome {
    if (outcome.step.receive) for (const c of outcome.commands) this.applyTo(c.result);
    return outcome;
  }
}

/** A command's result with its reply compared to what the lesson expects. */
export function commandOutcome(command: CommandLine, result: StepResult): CommandOutcome {
  const text = replyText(result);
  return { command, result, replyText: text, ...(command.expect !== undefined && { matches: sameReply(command.expect, text) }) };
}

/** The command that a `receive` step shows: the one its client started earlier. */
export function blockedCommandOf(lesson: Lesson, index: number): CommandLine | undefined {
  const client = lesson.steps[index]?.client;
  for (let i = index - 1; i >= 0; i--) {
    const s = lesson.steps[i] as Step;
    if (s.client === client && s.blocks) return s.run[0];
  }
  return undefined;
}
