import type { RedisSource } from "../redis/connect.js";
import { parseCommandInfo, type CommandTable } from "../redis/command-table.js";
import type { Reply } from "../redis/reply-types.js";
import { UserError } from "../errors.js";
import { LessonProblems } from "./load.js";
import { validateCommands } from "./validate.js";
import { unmetRequirement } from "./requirements.js";
import { claimLessonKeys, type KeyClaim } from "../safety/claim.js";
import { keysOfLesson } from "./keys-of-lesson.js";
import type { Lesson } from "./schema.js";

/**
 * What a lesson or its quiz does before its first command: read the command table the
 * login asked for, check every command exists here and the server meets the lesson's
 * requirements, and claim the lesson's keys (see guard.ts). `what` names it in errors.
 */
export async function prepareLessonRun(
  source: RedisSource,
  lesson: Lesson,
  options: { force: boolean; what: string; env?: NodeJS.ProcessEnv; ask?: (question: string) => Promise<boolean> },
): Promise<{ table: CommandTable; keys: string[]; claim: KeyClaim }> {
  const table = parseCommandInfo(source.answers[0] as Reply);
  const problems = validateCommands(lesson, table);
  if (problems.length) throw new LessonProblems(problems);
  const unmet = unmetRequirement(lesson, source.info);
  if (unmet) throw new UserError(`${options.what} ${unmet}`);
  const keys = keysOfLesson(lesson, table);
  const claim = await claimLessonKeys(source.conn, lesson, keys, source.target, {
    private: source.server !== undefined,
    force: options.force,
    ...(source.info.runId !== undefined && { runId: source.info.runId }),
    ...(options.env && { env: options.env }),
    ...(options.ask && { ask: options.ask }),
  });
  return { table, keys, claim };
}
