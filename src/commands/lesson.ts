import { openRedis, type RedisOptions } from "../redis/connect.js";
import { parseCommandDocs, type CommandDocs } from "../redis/docs.js";
import type { Reply } from "../redis/reply-types.js";
import { Timeline, COMMAND_DOCS, COMMAND_INFO } from "../engine/timeline.js";
import { NAME_FIRST, firstIdAsked } from "../engine/clients.js";
import { LastSeen, runLessonStep, type StepOutcome } from "../engine/lesson-run.js";
import { findLesson, lessonSummaries } from "../lessons/load.js";
import { prepareLessonRun } from "../lessons/prepare.js";
import { runTypedLesson } from "../lessons/typed-run.js";
import type { KeyClaim } from "../safety/claim.js";
import type { Lesson } from "../lessons/schema.js";
import { ProgressStore } from "../progress/store.js";
import { makeStyle, type Style } from "../render/style.js";
import { replyTheme } from "../render/theme.js";
import { terminalColumns, wrapText } from "../render/width.js";
import { colorEnabled } from "../render/color.js";
import { onExit } from "../lifecycle.js";
import { renderLessonHeader, renderStep } from "../render/step.js";
import { TOUCH_NOTE } from "../engine/observe.js";
import { versionAtLeast } from "../redis/server-info.js";
import { renderCovered, renderNextCommands } from "../render/typed-step.js";

export interface LessonOptions extends RedisOptions {
  /** false with --no-pause: the same as --watch. */
  pause?: boolean;
  /** Run straight through, every command run for the learner (the default off a terminal). */
  watch?: boolean;
  force?: boolean;
  /** Start from step 1 even if progress says the lesson was left halfway. */
  restart?: boolean;
}

/**
 * `redis-learn lesson <id|file>`: in a terminal the learner types each step's command
 * (lessons/typed-run.ts); with --watch, or off a terminal, every step runs straight
 * through. Either way each reply shows with the before/after state of its keys.
 */
export async function lessonCommand(name: string, options: LessonOptions): Promise<void> {
  const lesson = await findLesson(name);
  const typed = !options.watch && options.pause !== false && process.stdin.isTTY === true && process.stdout.isTTY === true;
  const source = await openRedis(options, { ask: typed ? [COMMAND_INFO, COMMAND_DOCS, ...NAME_FIRST] : [COMMAND_INFO, ...NAME_FIRST] });
  process.stderr.write(source.describe() + "\n");
  const color = colorEnabled(process.stdout);
  const style = makeStyle(color);
  const theme = replyTheme(color);
  // Prose is wrapped at word boundaries to the terminal (tables already fit it).
  const print = (text: string): void => void process.stdout.write(wrapText(text, terminalColumns()) + "\n");
  let timeline: Timeline | undefined;
  let finished = false;
  let claimed: KeyClaim | undefined;
  try {
    const { table, keys, claim } = await prepareLessonRun(source, lesson, { force: options.force ?? false, what: `lesson "${lesson.id}"` });
    claimed = claim;
    timeline = await Timeline.create(source, table);
    timeline.clients.firstNamed(firstIdAsked(source.answers));
    const touches = !versionAtLeast(source.info.version, "7.2");
    print(renderLessonHeader(lesson, style, source.server ? `private ${source.info.product} ${source.info.version}` : source.target.label, touches ? TOUCH_NOTE : undefined));

    const store = new ProgressStore();
    const loaded = store.load();
    if (loaded.notice) process.stderr.write(`redis-learn: ${loaded.notice}\n`);
    const remember = (step: number, completed: boolean): void => {
      store.update((p) => {
        p.lessons[lesson.id] = { step, completed: completed || (p.lessons[lesson.id]?.completed ?? false), updatedAt: new Date().toISOString() };
      });
    };
    // The place saved when the learner left halfway wins, even on a lesson finished before;
    // a finished run puts the place back to the start (see remember(0, true) below).
    const saved = loaded.progress.lessons[lesson.id];
    const start = saved && saved.step > 0 && saved.step < lesson.steps.length && !options.restart ? saved.step : 0;

    let mismatches = 0;
    let stoppedAt = 0;
    if (typed) {
      const docs = docsFrom(source.answers[1]);
      const end = await runTypedLesson({ lesson, source, timeline, keys, claim, style, theme, start, remember: (step) => remember(step, false), ...(docs && { docs }) });
      finished = end.finished;
      if (end.finished) mismatches = end.mismatches;
      else stoppedAt = end.position;
    } else {
      mismatches = await runStraightThrough(lesson, timeline, start, { style, theme, print, writing: () => claim.writing(keys), wrote: (k) => claim.wrote(k.conn, k.keys), remember });
      finished = true;
    }
    timeline.close();
    timeline = undefined;
    await claim.release(source.conn);
    if (finished) remember(0, true);
    if (!finished) print(style.dim(`Stopped at step ${stoppedAt + 1} of ${lesson.steps.length}; redis-learn lesson ${lesson.id} resumes here.`));
    else if (mismatches) print(style.bad(`${lesson.title}: all ${lesson.steps.length} steps done, but ${mismatches} repl${mismatches > 1 ? "ies differ" : "y differs"} from the lesson (marked ✗ above); a different server version can explain that.`));
    else print(style.ok(`✓ ${lesson.title}: all ${lesson.steps.length} steps done.`) + (source.server ? style.dim(" The private server and its keys go away now.") : ""));
    if (finished) print(renderCovered(lesson, style));
  } finally {
    timeline?.close();
    // However the lesson ended (an error, a lost connection): what it wrote goes; a second call does nothing.
    await claimed?.release(source.conn).catch(() => {});
    await source.close();
  }
  if (finished) await whatNext(name, lesson, options, typed, style);
}

/** The command's answer to COMMAND DOCS asked with the login; undefined when the server would not say. */
function docsFrom(reply: Reply | undefined): CommandDocs | undefined {
  if (!reply || reply.type === "error") return undefined;
  return parseCommandDocs(reply);
}

interface StraightOptions {
  style: Style;
  theme: ReturnType<typeof replyTheme>;
  print(text: string): void;
  writing(): void;
  wrote(k: { conn: import("../redis/connection.js").Connection; keys: Buffer[] }): Promise<void>;
  remember(step: number, completed: boolean): void;
}

/** --watch, or output that is not a terminal: every step runs and prints, one after the other. Returns the replies that differ. */
async function runStraightThrough(lesson: Lesson, timeline: Timeline, start: number, o: StraightOptions): Promise<number> {
  const lastSeen = new LastSeen();
  let mismatches = 0;
  const play = async (i: number): Promise<StepOutcome> => {
    const outcome = lastSeen.applyToStep(await runLessonStep(timeline, lesson.steps[i]!, i, o.writing));
    lastSeen.rememberStep(outcome);
    await o.wrote({ conn: await timeline.observer(), keys: outcome.commands.flatMap((c) => c.result.keys) });
    return outcome;
  };
  // A fresh server has none of the earlier steps' keys: replay them quietly first.
  for (let i = 0; i < start; i++) await play(i);
  if (start > 0) o.print(o.style.dim(`Resuming at step ${start + 1} of ${lesson.steps.length}; the steps before it were replayed to rebuild their keys (--restart starts over).`) + "\n");
  // The place to resume at is saved once, however the run ends, rather than after every
  // step: each save costs a file write and a rename.
  let lastShown = -1;
  const stopSavingOnExit = onExit(() => lastShown >= 0 && o.remember(lastShown, false));
  for (let i = start; i < lesson.steps.length; i++) {
    const outcome = await play(i);
    mismatches += outcome.commands.filter((c) => c.matches === false).length;
    o.print(renderStep(lesson, outcome, o.style, o.theme));
    lastShown = i;
  }
  stopSavingOnExit();
  return mismatches;
}

/** The end of a lesson: its quiz, the next lesson, or leave (a menu in a terminal; the commands otherwise). */
async function whatNext(name: string, lesson: Lesson, options: LessonOptions, typed: boolean, style: Style): Promise<void> {
  const summaries = await lessonSummaries().catch(() => []);
  const at = summaries.findIndex((l) => l.id === lesson.id);
  const next = at >= 0 ? summaries[at + 1] : undefined;
  if (!typed) {
    const text = renderNextCommands(lesson, next?.id);
    if (text) process.stdout.write(style.dim(text) + "\n");
    return;
  }
  type Next = "quiz" | "next" | "leave";
  const choices: { name: string; value: Next }[] = [];
  if (lesson.quiz.length) choices.push({ name: `Take the quiz: ${lesson.title} (${lesson.quiz.length} questions)`, value: "quiz" });
  if (next) choices.push({ name: `Next lesson: ${next.title}`, value: "next" });
  if (!choices.length) return;
  choices.push({ name: "Leave", value: "leave" });
  const { chooseOne } = await import("../quiz/prompts.js");
  let choice: Next;
  try {
    choice = await chooseOne("Lesson done. What next?", choices);
  } catch {
    return; // Ctrl-C at the menu: leave.
  }
  const redis: RedisOptions = { ...(options.url !== undefined && { url: options.url }), ...(options.tlsCa !== undefined && { tlsCa: options.tlsCa }) };
  if (choice === "quiz") await (await import("./quiz.js")).quizCommand(name, redis);
  else if (choice === "next" && next) await lessonCommand(next.id, { ...redis, ...(options.force !== undefined && { force: options.force }) });
}
