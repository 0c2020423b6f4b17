import readline from "node:readline";
import type { RedisSource } from "../redis/connect.js";
import { CliStdout, runLine, type Output } from "./execute.js";
import type { ReplyTheme } from "../redis/reply-format.js";

/**
 * The sandbox in a terminal: a plain prompt for now. Ctrl-D or quit leaves; Ctrl-C
 * clears the line being typed.
 */
export async function runInteractive(source: RedisSource, output: Output, theme: ReplyTheme): Promise<void> {
  const out = new CliStdout(output, true);
  const rl = readline.createInterface({ input: process.stdin, output: process.stdout, terminal: true });
  const where = source.server ? `private ${source.info.version}` : source.target.label;
  const prompt = (): void => {
    rl.setPrompt(`${where}> `);
    rl.prompt();
  };
  rl.on("SIGINT", () => {
    rl.write("", { ctrl: true, name: "u" });
    process.stdout.write("\n");
    prompt();
  });
  prompt();
  try {
    for await (const line of rl) {
      const outcome = await runLine(Buffer.from(line, "utf8"), { conn: source.conn, out, theme, help: async () => "" });
      if (outcome.quit) break;
      if (outcome.streaming) {
        await new Promise<void>((resolve) => rl.once("SIGINT", () => resolve()));
        break;
      }
      prompt();
    }
  } finally {
    rl.close();
  }
}
