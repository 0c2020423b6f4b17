import { Command, Option } from "commander";
import type { CommandArgs, CommandName } from "./main.js";
import { looksLikeUrl, redactText, urlSecrets } from "./redis/redaction.js";

/** Hands a parsed command to the program (main.ts), which loads that command's code then. */
export type RunCommand = <C extends CommandName>(command: C, args: CommandArgs<C>) => Promise<void>;

/** Options every command that talks to a server of the learner's choosing understands. */
function redisOptions(cmd: Command): Command {
  return cmd
    .addOption(new Option("--url <url>", "use this Redis instead of a private one: redis://[user:password@]host:port[/db], rediss:// for TLS").env("REDIS_URL"))
    .option("--tls-ca <file>", "PEM file of the certificate authority for a rediss:// server");
}

type RedisOpts = { url?: string; tlsCa?: string };

/**
 * A --url or --tls-ca given before the command name (redis-learn --url ... sandbox) is the
 * program's option, not the command's; it counts for the command too, unless the command
 * was given its own. REDIS_URL (an option's env source) gives way to either.
 */
function withProgramOptions<T extends RedisOpts>(opts: T, cmd: Command): T {
  const program = cmd.parent;
  if (!program) return opts;
  const merged = { ...opts };
  for (const key of ["url", "tlsCa"] as const) {
    if (cmd.getOptionValueSource(key) !== "cli" && program.getOptionValueSource(key) === "cli") merged[key] = program.getOptionValue(key) as string;
  }
  return merged;
}

/** Passwords in anything on the command line or in REDIS_URL that looks like a URL (see main.ts errorText). */
function argvSecrets(): string[] {
  return [...process.argv.slice(2), process.env.REDIS_URL].flatMap((a) => (looksLikeUrl(a) ? urlSecrets(a) : []));
}

/** Commander wiring only: no command's code is loaded here, so --help stays fast. */
export function buildProgram(version: string, run: RunCommand): Command {
  const program = new Command("redis-learn")
    .description("Learn Redis from your terminal, against a real Redis server")
    .version(version)
    .showHelpAfterError("(run redis-learn --help for usage)")
    // commander echoes what it could not use ("unknown option '--urll=redis://:pw@host'"): redacted like every error.
    .configureOutput({ outputError: (text, write) => write(redactText(text, argvSecrets())) })
    // After a command name, options are that command's; a --url before it also reaches it (withProgramOptions).
    .enablePositionalOptions();

  redisOptions(
    program
      .command("lesson")
      .argument("<lesson>", "a lesson id (see redis-learn list) or the path to a lesson file")
      .description("step through a lesson: in a terminal you type each command; it runs on a real server, with the state of its keys before and after")
      .option("--watch", "run straight through, every command run for you (the default when input or output is not a terminal)")
      .option("--no-pause", "the same as --watch")
      .option("--force", "with --url: run even if the lesson's keys already exist (they are changed, but never deleted)")
      .option("--restart", "start from step 1, even if you left this lesson halfway"),
  ).action((name: string, opts: RedisOpts & { pause: boolean; watch?: boolean; force?: boolean; restart?: boolean }, cmd: Command) => run("lesson", [name, withProgramOptions(opts, cmd)]));

  redisOptions(
    program
      .command("sandbox")
      .description("type Redis commands; with input from a pipe, prints replies exactly as redis-cli --no-raw does")
      .option("--yes", "with --url: run commands that destroy or reconfigure (FLUSHALL, CONFIG SET, ...) without asking"),
  ).action((opts: RedisOpts & { yes?: boolean }, cmd: Command) => run("sandbox", [withProgramOptions(opts, cmd)]));

  redisOptions(
    program
      .command("quiz")
      .argument("<lesson>", "a lesson id (see redis-learn list)")
      .description("answer questions and do small tasks on a live server; missed questions come back first next time"),
  ).action((name: string, opts: RedisOpts, cmd: Command) => run("quiz", [name, withProgramOptions(opts, cmd)]));

  redisOptions(
    program
      .command("review")
      .description("answer the questions that are due again: missed ones come back after 1 day, then 3, 7 and 21"),
  ).action((opts: RedisOpts, cmd: Command) => run("review", [withProgramOptions(opts, cmd)]));

  program
    .command("progress")
    .description("show what you have done; --reset forgets it")
    .option("--reset [lesson]", "forget the progress of one lesson, or of everything")
    .action((opts: { reset?: string | boolean }) => run("progress", [opts]));

  redisOptions(program)
    .action(async (opts: { url?: string; tlsCa?: string }) => {
      // No command: a home screen in a terminal, the usage otherwise.
      if (!process.stdin.isTTY || !process.stdout.isTTY) {
        program.outputHelp();
        return;
      }
      await run("home", [opts]);
    });

  program
    .command("list")
    .description("list the lessons")
    .action(() => run("list", []));

  program
    .command("check")
    .argument("[lessons...]", "lesson ids or files (default: all lessons)")
    .description("replay lessons on a fresh private server and fail on any reply that differs from the lesson")
    .action((names: string[]) => run("check", [names]));

  return program;
}
