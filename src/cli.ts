import { Command, Option } from "commander";

/** Options every command that talks to Redis understands. */
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
    .showHelpAfterError("(run redis-learn --help for usage)");

  redisOptions(
    program
      .command("sandbox")
      .description("type Redis commands; with input from a pipe, prints replies exactly as redis-cli --no-raw does"),
  ).action(async (opts: { url?: string; tlsCa?: string }) => {
    const { sandboxCommand } = await import("./commands/sandbox.js");
    await sandboxCommand(opts);
  });

  return program;
}
