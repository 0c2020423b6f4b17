import { UserError } from "./errors.js";
import { redact, registerUrlSecrets } from "./redis/redact.js";
import { looksLikeUrl } from "./redis/redaction.js";
import { runCleanups } from "./lifecycle.js";
import type { lessonCommand } from "./commands/lesson.js";
import type { sandboxCommand } from "./commands/sandbox.js";
import type { quizCommand } from "./commands/quiz.js";
import type { reviewCommand } from "./commands/review.js";
import type { progressCommand } from "./commands/progress.js";
import type { homeCommand } from "./commands/home.js";
import type { checkCommand } from "./commands/check.js";

/**
 * The program behind the launcher (bin.ts): it runs one command and is the one place an
 * error becomes a message and an exit code. Each command's code is imported when it runs.
 */
const COMMANDS = {
  lesson: async (...args: Parameters<typeof lessonCommand>) => (await import("./commands/lesson.js")).lessonCommand(...args),
  sandbox: async (...args: Parameters<typeof sandboxCommand>) => (await import("./commands/sandbox.js")).sandboxCommand(...args),
  quiz: async (name: string, options: Parameters<typeof quizCommand>[1]) => void (await (await import("./commands/quiz.js")).quizCommand(name, options)),
  review: async (options: Parameters<typeof reviewCommand>[0]) => void (await (await import("./commands/review.js")).reviewCommand(options)),
  progress: async (...args: Parameters<typeof progressCommand>) => (await import("./commands/progress.js")).progressCommand(...args),
  home: async (...args: Parameters<typeof homeCommand>) => (await import("./commands/home.js")).homeCommand(...args),
  list: async () => (await import("./commands/list.js")).listCommand(),
  check: async (...args: Parameters<typeof checkCommand>) => (await import("./commands/check.js")).checkCommand(...args),
};

export type CommandName = keyof typeof COMMANDS;
export type CommandArgs<C extends CommandName> = Parameters<(typeof COMMANDS)[C]>;

/** Runs one command to its end, then exits: 0, or whatever fail() decides. */
export async function run<C extends CommandName>(command: C, args: CommandArgs<C>): Promise<never> {
  try {
    await (COMMANDS[command] as (...a: CommandArgs<C>) => Promise<void>)(...args);
  } catch (err) {
    fail(err);
  }
  runCleanups();
  process.exit(0);
}

/** The one place an error becomes a message and an exit code. */
export function fail(err: unknown): never {
  // Ctrl-C in a quiz question or a menu: leave quietly, as a shell does.
  if (err instanceof Error && err.name === "ExitPromptError") {
    runCleanups();
    process.exit(130);
  }
  process.stderr.write(errorText(err));
  runCleanups();
  process.exit(err instanceof UserError ? err.exitCode : 1);
}

/**
 * What fail() prints for an error: one line, redacted. A URL typed anywhere on the command
 * line or in REDIS_URL (even where a lesson name belongs, even mistyped) has its password
 * registered first, since the error may be about that very argument.
 */
export function errorText(err: unknown, argv = process.argv.slice(2), env = process.env): string {
  for (const arg of [...argv, env.REDIS_URL]) if (looksLikeUrl(arg)) registerUrlSecrets(arg);
  const message = err instanceof Error ? err.message : String(err);
  let text = `redis-learn: ${redact(message)}\n`;
  if (env.REDIS_LEARN_DEBUG && err instanceof Error && err.stack) text += redact(err.stack) + "\n";
  return text;
}
