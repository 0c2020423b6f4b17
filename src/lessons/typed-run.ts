import type { RedisSource } from "../redis/connect.js";
import { terminalColumns, wrapText } from "../render/width.js";
import type { CommandDocs } from "../redis/docs.js";
import { lookupCommand } from "../redis/command-table.js";
import { dangerFor } from "../redis/guard.js";
import type { ReplyTheme } from "../redis/reply-format.js";
import { scanKeys } from "../redis/scan.js";
import { describeTokenizeFailure, tokenize } from "../redis/tokenize.js";
import { commandOutcome, LastSeen, runLessonStep, type StepOutcome } from "../engine/lesson-run.js";
import { restoreKeys, saveKeys, type Saved } from "../engine/key-restore.js";
import { touchedKeys, type StepResult } from "../engine/step.js";
import type { Timeline } from "../engine/timeline.js";
import { bytesToText, inlineCode, renderCommand, waitNote } from "../render/step.js";
import type { Style } from "../render/style.js";
import { renderHint, renderPredictionQuestion, renderStepIntro, renderVerdict, TYPED_KEYS, typedPrompt } from "../render/typed-step.js";
import { complete } from "../sandbox/complete.js";
import { hintFor } from "../sandbox/syntax.js";
import { Terminal } from "../sandbox/terminal.js";
import { describeDifference, sameCommand, showArg } from "./difference.js";
import type { KeyClaim } from "../safety/claim.js";
import { judgePrediction, pickedChoice, shuffle } from "./predict.js";
import type { CommandLine, Lesson, Step, StepPrediction } from "./schema.js";

/**
 * A lesson the learner types: each step shows what to type, and the learner types it in
 * the sandbox's line editor. The step's command runs and shows its reply and key state;
 * any other command runs too, is compared with the step's in one line, and is undone
 * (its keys put back exactly) so the step can be typed again.
 */
export interface TypedLessonContext {
  lesson: Lesson;
  source: RedisSource;
  timeline: Timeline;
  /** The lesson's declared keys and every key its commands name: saved at each step, the only ones a --url run may change. */
  keys: string[];
  claim: KeyClaim;
  docs?: CommandDocs;
  style: Style;
  theme: ReplyTheme;
  /** The step to start at; the ones before it are replayed silently first. */
  start: number;
  /** Called as each step begins, to save the place to resume at. */
  remember(step: number): void;
}

export type TypedEnd = { finished: true; mismatches: number } | { finished: false; position: number };

/** Commands that change the connection itself: a lesson's client must stay as the lesson set it up. */
const CONNECTION_STATE = new Set(["multi", "exec", "discard", "watch", "unwatch", "select", "subscribe", "psubscribe", "ssubscribe", "monitor", "reset", "hello", "auth", "quit"]);
const COMPLETION_KEYS = 50;

type Typed = { kind: "quit" | "back" | "hint" | "enter" } | { kind: "line"; args: Buffer[] };
type StepEnd = "done" | "back" | "quit";

export async function runTypedLesson(ctx: TypedLessonContext): Promise<TypedEnd> {
  const run = new TypedRun(ctx);
  try {
    return await run.loop();
  } finally {
    run.close();
  }
}

class TypedRun {
  private readonly terminal = new Terminal();
  private readonly history: string[] = [];
  /** The keys' exact state as each step began: `b` puts it back. */
  private readonly starts: Saved[] = [];
  private readonly lastSeen = new LastSeen();
  private readonly declared: Set<string>;
  private readonly keyArgs: Buffer[];
  private mismatches = 0;

  constructor(private readonly ctx: TypedLessonContext) {
    this.declared = new Set(ctx.keys);
    this.keyArgs = ctx.keys.map((k) => Buffer.from(k, "utf8"));
  }

  close(): void {
    this.terminal.close();
  }

  private print(text: string): void {
    // Prose is wrapped at word boundaries to the terminal (tables already fit it).
    this.terminal.write(wrapText(text, terminalColumns()).replace(/\r?\n/g, "\r\n") + "\r\n");
  }

  private get atLeast7(): boolean {
    return this.ctx.timeline.ctx.atLeast7;
  }

  private async save(extra: Buffer[] = []): Promise<Saved> {
    return saveKeys(await this.ctx.timeline.observer(), [...this.keyArgs, ...extra], this.atLeast7);
  }

  async loop(): Promise<TypedEnd> {
    const { lesson, style } = this.ctx;
    let position = this.ctx.start;
    for (let i = 0; i < position; i++) {
      // A fresh server has none of the earlier steps' keys: replay them quietly first.
      this.starts[i] = await this.save();
      await this.remember(this.lastSeen.applyToStep(await runLessonStep(this.ctx.timeline, lesson.steps[i] as Step, i, () => this.writing())));
    }
    if (position > 0) this.print(style.dim(`Resuming at step ${position + 1} of ${lesson.steps.length}; the steps before it were replayed to rebuild their keys (--restart starts over).`) + "\n");
    this.print(style.dim(TYPED_KEYS) + "\n");
    while (position < lesson.steps.length) {
      this.ctx.remember(position);
      this.starts[position] = await this.save();
      this.print(renderStepIntro(lesson, position, style));
      const end = await this.playStep(position);
      if (end === "quit") return { finished: false, position };
      if (end === "back") position = await this.back(position);
      else position++;
    }
    return { finished: true, mismatches: this.mismatches };
  }

  /** The keys a step's commands name are recorded with what they now hold (on --url, so they are cleaned up), and its after-state remembered. */
  private async remember(outcome: StepOutcome): Promise<void> {
    this.lastSeen.rememberStep(outcome);
    await this.wrote(outcome.commands.flatMap((c) => c.result.keys));
  }

  /** Before a write: refused once the run is ending (see KeyClaim.writing). */
  private writing(keys: readonly (string | Buffer)[] = this.ctx.keys): void {
    this.ctx.claim.writing(keys);
  }

  private async wrote(keys: readonly (string | Buffer)[]): Promise<void> {
    if (keys.length) await this.ctx.claim.wrote(await this.ctx.timeline.observer(), keys);
  }

  private async back(position: number): Promise<number> {
    const { lesson, style, timeline } = this.ctx;
    const previous = lesson.steps[position - 1];
    if (!previous) {
      this.print(style.dim("This is the first step.") + "\n");
      return position;
    }
    if (timeline.hasWaiting() || previous.blocks || previous.receive) {
      this.print(style.dim("Cannot go back here: a client's blocking command is part of these steps, and it cannot be taken back.") + "\n");
      return position;
    }
    this.writing();
    await restoreKeys(await timeline.observer(), this.starts[position - 1] as Saved);
    await this.wrote(this.ctx.keys);
    this.print(style.dim("Back one step; its keys are as they were when it began.") + "\n");
    return position - 1;
  }

  private async read(index: number): Promise<Typed> {
    const { docs, style } = this.ctx;
    const result = await this.terminal.readLine(this.history, {
      prompt: style.code(typedPrompt(this.ctx.lesson, index)),
      dim: style.dim,
      hint: (line) => hint(line, docs),
      complete: (line) => complete(line, docs, (prefix) => this.findKeys(prefix)),
    });
    if (result.type !== "line") return { kind: "quit" };
    const line = result.line.trim();
    if (line === "") return { kind: "enter" };
    if (line === "q" || line === "b" || line === "?") return { kind: line === "q" ? "quit" : line === "b" ? "back" : "hint" };
    this.history.push(result.line);
    const split = tokenize(result.line);
    if (!split.ok) {
      this.print(style.bad(`(error) ${describeTokenizeFailure(split.reason)}`));
      return this.read(index);
    }
    return { kind: "line", args: split.args };
  }

  private async findKeys(prefix: string): Promise<string[]> {
    const pattern = prefix.replace(/[*?[\]\\]/g, "\\$&") + "*";
    const r = await scanKeys(await this.ctx.timeline.observer(), pattern, { maxKeys: COMPLETION_KEYS, maxScans: 5, count: 200 });
    return r.ok ? [...new Set(r.keys.map((k) => k.toString("utf8")))].sort() : [];
  }

  private async playStep(index: number): Promise<StepEnd> {
    const { lesson, style } = this.ctx;
    const step = lesson.steps[index] as Step;
    if (step.receive) {
      for (;;) {
        const typed = await this.read(index);
        if (typed.kind === "quit" || typed.kind === "back") return typed.kind;
        if (typed.kind === "enter") break;
        this.print(renderHint(step, 0, style));
      }
      const outcome = this.lastSeen.applyToStep(await runLessonStep(this.ctx.timeline, step, index, () => this.writing()));
      await this.remember(outcome);
      for (const c of outcome.commands) this.show(renderCommand(c, style, this.ctx.theme, undefined));
      this.note(step);
      return "done";
    }
    let next = 0;
    while (next < step.run.length) {
      const expected = step.run[next] as CommandLine;
      const typed = await this.read(index);
      if (typed.kind === "quit" || typed.kind === "back") return typed.kind;
      if (typed.kind === "hint") {
        this.print(renderHint(step, next, style));
        continue;
      }
      if (typed.kind === "line" && !sameCommand(expected.args, typed.args)) {
        await this.other(step, expected, typed.args);
        continue;
      }
      if (typed.kind === "enter") this.print(style.dim("runs: ") + style.code(expected.text));
      if ((await this.runExpected(step, index, next)) === "quit") return "quit";
      next++;
    }
    this.note(step);
    return "done";
  }

  private note(step: Step): void {
    if (step.note) this.print(this.ctx.style.dim("Note: ") + inlineCode(step.note.trim(), this.ctx.style) + "\n");
  }

  private show(lines: string[]): void {
    this.print(lines.join("\n").replace(/\n+$/, "") + "\n");
  }

  private async runExpected(step: Step, index: number, next: number): Promise<"done" | "quit"> {
    const { style, timeline } = this.ctx;
    const command = step.run[next] as CommandLine;
    if (next === 0 && step.wait > 0) {
      this.print(style.dim(waitNote(step.wait)) + "\n");
      await timeline.passTime(step.wait * 1000);
    }
    if (step.blocks) {
      await timeline.start(step.client, command.args);
      this.print(style.dim(`(client ${step.client} is blocked, waiting; the lesson goes on)`) + "\n");
      return "done";
    }
    let guess: string | undefined;
    if (step.predict) {
      guess = await this.askPrediction(step.predict);
      if (guess === undefined) return "quit";
    }
    this.writing();
    const [result] = await timeline.runAll(step.client, [command.args]);
    const outcome = commandOutcome(command, result as StepResult);
    await this.remember({ index, step, waiting: false, commands: [outcome] });
    if (outcome.matches === false) this.mismatches++;
    if (step.predict && guess !== undefined) this.print(renderVerdict(judgePrediction(guess, bytesToText(outcome.replyText)), step.predict, style));
    this.show(renderCommand(outcome, style, this.ctx.theme, undefined));
    return "done";
  }

  /** The learner's guess: a choice picked by its number, or a reply typed; undefined to quit. */
  private async askPrediction(p: StepPrediction): Promise<string | undefined> {
    const { style } = this.ctx;
    const shown = p.choices ? shuffle(p.choices) : undefined;
    this.print(renderPredictionQuestion(p, shown, style));
    if (!shown) {
      const r = await this.terminal.readLine([], { prompt: "your guess> ", dim: style.dim, hint: () => undefined, complete: async () => ({ wordStart: 0, candidates: [] }) });
      return r.type === "line" ? r.line : undefined;
    }
    for (;;) {
      const key = await this.terminal.readKey();
      if ((key.ctrl && (key.name === "c" || key.name === "d")) || key.name === "q" || key.name === "escape") return undefined;
      const choice = pickedChoice(shown, key.sequence ?? "");
      if (choice !== undefined) {
        this.print(`${key.sequence}. ${choice.split("\n").join(" ")}`);
        return choice;
      }
    }
  }

  /** A command other than the step's: refused on --url when unsafe, otherwise run, compared, and undone. */
  private async other(step: Step, expected: CommandLine, args: Buffer[]): Promise<void> {
    const { source, style, timeline } = this.ctx;
    const name = (args[0] ?? Buffer.alloc(0)).toString("utf8").toLowerCase();
    const refuse = (why: string): void => this.print(style.bad(`Not run: ${why}.`) + "\n" + style.dim("The step asks for: ") + style.code(expected.text) + "\n");
    if (CONNECTION_STATE.has(name)) return refuse(`${name.toUpperCase()} changes the connection itself, which the lesson's steps rely on (try it in redis-learn sandbox)`);
    const meta = lookupCommand(timeline.ctx.table, args);
    if (meta?.flags.has("blocking")) return refuse("a blocking command that is not the step's could keep the lesson waiting");
    // A write could hand the waiting client its element; undoing the keys would not take that back.
    if (timeline.hasWaiting() && meta?.flags.has("write")) return refuse("a client of the lesson is waiting for a change, and a write other than the step's could wake it");
    const client = await timeline.client(step.client);
    const touched = await touchedKeys(timeline.ctx, client.conn, args);
    if (!source.server) {
      const danger = await dangerFor(args, () => timeline.observer());
      if (danger) return refuse(`on ${source.target.label}, a server you brought, ${name.toUpperCase()} ${danger}`);
      const foreign = touched.find((k) => !this.declared.has(k.toString("utf8")));
      if (foreign) return refuse(`on ${source.target.label}, a server you brought, a lesson changes only its own keys, and ${showArg(foreign)} is not one of them`);
    }
    const saved = await this.save(touched);
    this.writing(touched);
    const [result] = await timeline.runAll(step.client, [args]);
    // Recorded as written (from the command's own keys) until the undo below puts them back.
    await this.wrote(touched);
    const outcome = commandOutcome({ text: "", args, line: 0, column: 0 }, result as StepResult);
    this.show(renderCommand(outcome, style, this.ctx.theme, undefined));
    this.print(style.changed(`↳ ${describeDifference(expected.args, args, this.ctx.docs)}`));
    await restoreKeys(await timeline.observer(), saved);
    await this.wrote(touched);
    this.print(style.dim("Your command was undone: the keys are as they were before it.") + "\n" + style.dim("The step asks for: ") + style.code(expected.text) + "\n");
  }
}

function hint(line: string, docs: CommandDocs | undefined): string | undefined {
  if (!docs || line.trim() === "") return undefined;
  const split = tokenize(line);
  if (!split.ok) return undefined;
  return hintFor(split.args.map((a) => a.toString("utf8")), /\s$/.test(line), docs);
}

/**
 * Keys a command brought into being: absent before it, present after. Past the keys read in
 * full only counts are known: when some of those were created, all of them are named (the
 * claim never deletes a key that was there before the lesson, and a DEL of one that is not
 * there does nothing).
 */
export function createdKeys(result: StepResult): string[] {
  const read = (result.after ?? []).filter((s, i) => s.exists && !result.before?.[i]?.exists).map((s) => s.key.toString("utf8"));
  const others = result.others;
  const grew = (others?.after?.existing ?? 0) > (others?.before?.existing ?? 0);
  if (!grew) return read;
  return [...read, ...result.keys.slice(result.after?.length ?? 0).map((k) => k.toString("utf8"))];
}
