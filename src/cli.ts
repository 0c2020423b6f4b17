import { Command, Option } from "commander";

/** Options every command that talks to a server of the learner's choosing understands. */
function redisOptions(cmd: Command): Command {
  return cmd
    .addOption(new Option("--url <url>", "use this Redis instead of a private one: redis://[user:password@]host:port[/db], rediss:// for TLS").env("REDIS_URL"))
    .option("--tls-ca <file>", "PEM file of the certificate authority for a rediss:// server");
}

/** Commander wiring only: each command imports its module when it runs, so --help stays fast. */
export function buildProgram(version: string): Command {
  const program = new Command("redis-learn")
    .description("Learn Redis from your terminal, against a real Redis server")
    .version(version)
    .showHelpAfterError("(run redis-learn --help for usage)")
    // The home screen's --url is the program's own; after a command name, options are that command's.
    .enablePositionalOptions();

  redisOptions(
    program
      .command("lesson")
      .argument("<lesson>", "a lesson id (see redis-learn list) or the path to a lesson file")
      .description("step through a lesson: each command runs on a real server, with the state of its keys before and after")
      .option("--no-pause", "run straight through without waiting for Enter (the default when output is not a terminal)")
      .option("--force", "with --url: run even if the lesson's keys already exist (they are changed, but never deleted)")
      .option("--restart", "start from step 1, even if you left this lesson halfway"),
  ).action(async (name: string, opts: { url?: string; tlsCa?: string; pause: boolean; force?: boolean; restart?: boolean }) => {
    const { lessonCommand } = await import("./commands/lesson.js");
    await lessonCommand(name, opts);
  });

  redisOptions(
    program
      .command("sandbox")
      .description("type Redis commands; with input from a pipe, prints replies exactly as redis-cli --no-raw does")
      .option("--yes", "with --url: run commands that destroy or reconfigure (FLUSHALL, CONFIG SET, ...) without asking"),
  ).action(async (opts: { url?: string; tlsCa?: string; yes?: boolean }) => {
    const { sandboxCommand } = await import("./commands/sandbox.js");
    await sandboxCommand(opts);
  });

  redisOptions(
    program
      .command("quiz")
      .argument("<lesson>", "a lesson id (see redis-learn list)")
      .description("answer questions and do small tasks on a live server; missed questions come back first next time"),
  ).action(async (name: string, opts: { url?: string; tlsCa?: string }) => {
    const { quizCommand } = await import("./commands/quiz.js");
    await quizCommand(name, opts);
  });

  program
    .command("progress")
    .description("show what you have done; --reset forgets it")
    .option("--reset [lesson]", "forget the progress of one lesson, or of everything")
    .action(async (opts: { reset?: string | boolean }) => {
      const { progressCommand } = await import("./commands/progress.js");
      await progressCommand(opts);
    });

  redisOptions(program)
    .action(async (opts: { url?: string; tlsCa?: string }) => {
      // No command: a home screen in a terminal, the usage otherwise.
      if (!process.stdin.isTTY || !process.stdout.isTTY) {
        program.outputHelp();
        return;
      }
      const { homeCommand } = await import("./commands/home.js");
      await homeCommand(opts);
    });

  program
    .command("list")
    .description("list the lessons")
    .action(async () => {
      const { listCommand } = await import("./commands/list.js");
      await listCommand();
    });

  program
    .command("check")
    .argument("[lessons...]", "lesson ids or files (default: all lessons)")
    .description("replay lessons on a fresh private server and fail on any reply that differs from the lesson")
    .action(async (names: string[]) => {
      const { checkCommand } = await import("./commands/check.js");
      await checkCommand(names);
    });

  return program;
}
