import type { Connection } from "../redis/connection.js";
import { parseCommandDocs, type CommandDocs } from "../redis/docs.js";
import { readLines } from "./lines.js";
import { CliStdout, runLine, type Output } from "./execute.js";
import { redisCliHelp } from "./cli-help.js";

/**
 * The sandbox with stdin not a terminal: each line is one command, and stdout carries
 * exactly what `redis-cli --no-raw` would print, nothing else.
 * Resolves when input ends or quit is typed; rejects if the connection is lost.
 */
export interface PipedOptions {
  serverVersion: string;
  /** Decides whether a command may run; see LineContext.refuse. */
  refuse?: (args: Buffer[]) => Promise<string | undefined>;
}

/** Resolves with how many commands were refused. */
export async function runPiped(input: AsyncIterable<Buffer | string>, conn: Connection, output: Output, options: PipedOptions): Promise<number> {
  const out = new CliStdout(output);
  let refused = 0;
  let docs: CommandDocs | undefined;
  const help = async (topic: Buffer[]): Promise<string> => {
    // redis-cli asks COMMAND DOCS at start; asking only when help is typed saves a round trip.
    docs ??= parseCommandDocs(await conn.send(["COMMAND", "DOCS"]));
    return redisCliHelp(topic.map((t) => t.toString("latin1")), docs, options.serverVersion);
  };
  try {
    for await (const line of readLines(input)) {
      const outcome = await runLine(line, { conn, out, help, ...(options.refuse && { refuse: options.refuse }) });
      if (outcome.refused) refused++;
      if (outcome.quit) return refused;
      if (outcome.streaming) {
        // redis-cli reads messages until it is interrupted or the connection ends.
        await new Promise<never>((_, reject) => {
          conn.onLost = reject;
        });
      }
    }
  } finally {
    await out.flush();
  }
  return refused;
}
