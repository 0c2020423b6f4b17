import { openRedis, type RedisOptions } from "../redis/connect.js";
import { Timeline, COMMAND_INFO } from "../engine/timeline.js";
import { LastSeen, runLessonStep, type StepOutcome } from "../engine/lesson-run.js";
import { findLesson } from "../lessons/load.js";
import { prepareLessonRun } from "../lessons/prepare.js";
import { waitForKey } from "../lessons/pager.js";
import { ProgressStore } from "../progress/store.js";
import { makeStyle } from "../render/style.js";
import { replyTheme } from "../render/theme.js";
import { colorEnabled } from "../render/color.js";
import { onExit } from "../lifecycle.js";
import { renderLessonHeader, renderStep } from "../render/step.js";

export interface LessonOptions extends RedisOptions {
  pause: boolean;
  force?: boolean;
  /** Start from step 1 even if progress says the lesson was left halfway. */
  restart?: boolean;
}

/**
 * `redis-learn lesson <id|file>`: steps through a lesson against a live server,
 * showing each reply and the before/after state of the keys it touched.
 */
export async function lessonCommand(name: string, options: LessonOptions): Promise<void> {
  const lesson = await findLesson(name);
  const source = await openRedis(options, { ask: [COMMAND_INFO] });
  process.stderr.write(source.describe() + "\n");
  const interactive = options.pause && process.stdin.isTTY === true && process.stdout.isTTY === true;
  const color = colorEnabled(process.stdout);
  const style = makeStyle(color);
  const theme = replyTheme(color);
  const print = (text: string): void => void process.stdout.write(text + "\n");
  let timeline: Timeline | undefined;
  try {
    const { table, claim } = await prepareLessonRun(source, lesson, { force: options.force ?? false, what: `lesson "${lesson.id}"` });
    timeline = await Timeline.create(source, table);
    const current = timeline;
    print(renderLessonHeader(lesson, style, source.server ? `private ${source.info.product} ${source.info.version}` : source.target.label));

    const shown: string[] = [];
    const lastSeen = new LastSeen();
    let position = 0;
    const store = new ProgressStore();
    const loaded = store.load();
    if (loaded.notice) process.stderr.write(`redis-learn: ${loaded.notice}\n`);
    /** Runs step i, keeps what it showed and which keys it created. */
    const play = async (i: number): Promise<StepOutcome> => {
      const outcome = lastSeen.applyToStep(await runLessonStep(current, lesson.steps[i]!, i));
      lastSeen.rememberStep(outcome);
      claim.created(createdKeys(outcome));
      shown.push(renderStep(lesson, outcome, style, theme));
      return outcome;
    };
    const saved = loaded.progress.lessons[lesson.id];
    if (saved && !saved.completed && saved.step > 0 && saved.step < lesson.steps.length && !options.restart) {
      // A fresh server has none of the earlier steps' keys: replay them quietly first.
      for (let i = 0; i < saved.step; i++) await play(i);
      position = saved.step;
      print(style.dim(`Resuming at step ${position + 1} of ${lesson.steps.length}; the steps before it were replayed to rebuild their keys (--restart starts over).`) + "\n");
    }
    const remember = (step: number, completed: boolean): void => {
      store.update((p) => {
        p.lessons[lesson.id] = { step, completed: completed || (p.lessons[lesson.id]?.completed ?? false), updatedAt: new Date().toISOString() };
      });
    };
    let quit = false;
    let mismatches = 0;
    // Run straight through, the place to resume at is saved once, however the run ends,
    // rather than after every step: each save costs a file write and a rename.
    let lastShown = -1;
    const stopSavingOnExit = interactive ? undefined : onExit(() => lastShown >= 0 && remember(lastShown, false));
    while (position < lesson.steps.length && !quit) {
      if (position === shown.length) mismatches += (await play(position)).commands.filter((c) => c.matches === false).length;
      print(shown[position] as string);
      lastShown = position;
      if (!interactive) {
        position++;
        continue;
      }
      remember(position, false);
      print(style.dim(position + 1 < lesson.steps.length ? "Enter: next step · b: back · q: quit" : "Enter: finish · b: back · q: quit"));
      const key = await waitForKey();
      if (key === "quit") quit = true;
      else if (key === "back") position = Math.max(0, position - 1);
      else position++;
    }
    timeline.close();
    timeline = undefined;
    await claim.release(source.conn);
    stopSavingOnExit?.();
    if (!quit) remember(0, true);
    if (quit) print(style.dim(`Stopped at step ${position + 1} of ${lesson.steps.length}; redis-learn lesson ${lesson.id} resumes here.`));
    else if (mismatches) print(style.bad(`${lesson.title}: all ${lesson.steps.length} steps done, but ${mismatches} repl${mismatches > 1 ? "ies differ" : "y differs"} from the lesson (marked ✗ above); a different server version can explain that.`));
    else print(style.ok(`✓ ${lesson.title}: all ${lesson.steps.length} steps done.`) + (source.server ? style.dim(" The private server and its keys go away now.") : ""));
  } finally {
    timeline?.close();
    await source.close();
  }
}

/** Keys a step brought into being: absent before it, present after. */
function createdKeys(outcome: StepOutcome): string[] {
  return outcome.commands.flatMap((c) =>
    (c.result.after ?? []).filter((s, i) => s.exists && !c.result.before?.[i]?.exists).map((s) => s.key.toString("utf8")),
  );
}
