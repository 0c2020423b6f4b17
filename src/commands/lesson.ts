import { openRedis, type RedisOptions } from "../redis/connect.js";
import { Timeline, loadCommandTable } from "../engine/timeline.js";
import { LastSeen, runLessonStep, type StepOutcome } from "../engine/lesson-run.js";
import { findLesson, LessonProblems } from "../lessons/load.js";
import { validateCommands } from "../lessons/validate.js";
import { unmetRequirement } from "../lessons/requirements.js";
import { claimLessonKeys } from "../lessons/guard.js";
import { waitForKey } from "../lessons/pager.js";
import { UserError } from "../errors.js";
import { makeStyle } from "../render/style.js";
import { colorEnabled, replyTheme } from "../render/theme.js";
import { renderLessonHeader, renderStep } from "../render/step.js";

export interface LessonOptions extends RedisOptions {
  pause: boolean;
  force?: boolean;
}

/**
 * `redis-learn lesson <id|file>`: steps through a lesson against a live server,
 * showing each reply and the before/after state of the keys it touched.
 */
export async function lessonCommand(name: string, options: LessonOptions): Promise<void> {
  const lesson = findLesson(name);
  const source = await openRedis(options);
  process.stderr.write(source.describe() + "\n");
  const interactive = options.pause && process.stdin.isTTY === true && process.stdout.isTTY === true;
  const color = colorEnabled(process.stdout);
  const style = makeStyle(color);
  const theme = replyTheme(color);
  const print = (text: string): void => void process.stdout.write(text + "\n");
  let timeline: Timeline | undefined;
  try {
    const table = await loadCommandTable(source.conn);
    const problems = validateCommands(lesson, table);
    if (problems.length) throw new LessonProblems(problems);
    const unmet = unmetRequirement(lesson, source.info);
    if (unmet) throw new UserError(`lesson "${lesson.id}" ${unmet}`);

    const claim = await claimLessonKeys(source.conn, lesson, source.target, { private: source.server !== undefined, force: options.force ?? false });
    timeline = await Timeline.create(source, table);
    print(renderLessonHeader(lesson, style, source.server ? `private ${source.info.product} ${source.info.version}` : source.target.label));

    const shown: string[] = [];
    const lastSeen = new LastSeen();
    let position = 0;
    let quit = false;
    while (position < lesson.steps.length && !quit) {
      if (position === shown.length) {
        const outcome: StepOutcome = lastSeen.apply(await runLessonStep(timeline, lesson.steps[position]!, position));
        lastSeen.remember(outcome);
        claim.created(existingKeys(outcome));
        shown.push(renderStep(lesson, outcome, style, theme));
      }
      print(shown[position] as string);
      if (!interactive) {
        position++;
        continue;
      }
      print(style.dim(position + 1 < lesson.steps.length ? "Enter: next step · b: back · q: quit" : "Enter: finish · b: back · q: quit"));
      const key = await waitForKey();
      if (key === "quit") quit = true;
      else if (key === "back") position = Math.max(0, position - 1);
      else position++;
    }
    timeline.close();
    timeline = undefined;
    await claim.release(source.conn);
    if (quit) print(style.dim(`Stopped at step ${position + 1} of ${lesson.steps.length}.`));
    else print(style.ok(`✓ ${lesson.title}: all ${lesson.steps.length} steps done.`) + (source.server ? style.dim(" The private server and its keys go away now.") : ""));
  } finally {
    timeline?.close();
    await source.close();
  }
}

function existingKeys(outcome: StepOutcome): string[] {
  return outcome.commands.flatMap((c) => (c.result.after ?? []).filter((s) => s.exists).map((s) => s.key.toString("utf8")));
}
