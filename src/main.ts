#!/usr/bin/env node
import { UserError } from "./errors.js";
import { redact } from "./redis/redact.js";
import { runCleanups } from "./lifecycle.js";
import { packageVersion } from "./package-root.js";

/** The one place an error becomes a message and an exit code. */
function fail(err: unknown): never {
  // Ctrl-C in a quiz question or a menu: leave quietly, as a shell does.
  if (err instanceof Error && err.name === "ExitPromptError") {
    runCleanups();
    process.exit(130);
  }
  const message = err instanceof Error ? err.message : String(err);
  process.stderr.write(`redis-learn: ${redact(message)}\n`);
  if (process.env.REDIS_LEARN_DEBUG && err instanceof Error && err.stack) process.stderr.write(redact(err.stack) + "\n");
  runCleanups();
  process.exit(err instanceof UserError ? err.exitCode : 1);
}

process.on("uncaughtException", fail);
process.on("unhandledRejection", fail);
// A reader that closes the pipe early (| head) is not an error worth a message.
process.stdout.on("error", (err: NodeJS.ErrnoException) => {
  if (err.code === "EPIPE") process.exit(0);
  fail(err);
});

/** Commands that take no options or arguments need no argument parser, and start faster without one. */
const WITHOUT_OPTIONS: Record<string, () => Promise<void>> = {
  list: async () => (await import("./commands/list.js")).listCommand(),
};

try {
  const direct = process.argv.length === 3 ? WITHOUT_OPTIONS[process.argv[2] as string] : undefined;
  if (direct) await direct();
  else await (await import("./cli.js")).buildProgram(packageVersion()).parseAsync(process.argv);
  runCleanups();
  process.exit(0);
} catch (err) {
  fail(err);
}
