import { openRedis, type RedisOptions } from "../redis/connect.js";
import { redact } from "../redis/redact.js";
import { runPiped } from "../sandbox/piped.js";
import { runInteractive } from "../sandbox/tty.js";
import type { Output } from "../sandbox/execute.js";
import { colorEnabled, replyTheme } from "../render/theme.js";

export type SandboxOptions = RedisOptions;

/** `redis-learn sandbox`: piped input is answered exactly as redis-cli --no-raw; a terminal gets a prompt. */
export async function sandboxCommand(options: SandboxOptions): Promise<void> {
  const source = await openRedis(options);
  process.stderr.write(source.describe() + "\n");
  const out = stdoutOutput();
  try {
    if (process.stdin.isTTY) {
      await runInteractive(source, out, replyTheme(colorEnabled(process.stdout)));
    } else {
      await runPiped(process.stdin, source.conn, out, source.info.version);
    }
  } finally {
    await source.close();
  }
}

/** Writes byte strings to stdout, waiting when the pipe is full so nothing is lost. */
function stdoutOutput(): Output {
  return {
    write(text) {
      if (process.stdout.write(Buffer.from(text, "latin1"))) return;
      return new Promise<void>((resolve) => process.stdout.once("drain", () => resolve()));
    },
    notice(text) {
      process.stderr.write(redact(text) + "\n");
    },
  };
}
