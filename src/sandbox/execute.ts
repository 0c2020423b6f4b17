import type { Connection } from "../redis/connection.js";
import { formatReply, formatReplyRaw, printsRaw, PLAIN_THEME, type ReplyTheme } from "../redis/reply-format.js";
import type { Reply } from "../redis/reply-types.js";
import { classifyLine, elapsedLine, type LineAction } from "./line.js";

/** Where output goes: text is a byte string (see reply-format.ts); notices are for stderr. */
export interface Output {
  write(text: string): void | Promise<void>;
  notice(text: string): void;
}

export interface LineOutcome {
  /** The person asked to leave (quit / exit). */
  quit: boolean;
  /** The connection is now streaming messages (SUBSCRIBE, MONITOR) and takes no more commands. */
  streaming: boolean;
}

const STREAMING_COMMANDS = new Set(["subscribe", "psubscribe", "ssubscribe", "monitor"]);

/**
 * Runs one typed line as redis-cli would and writes what redis-cli would print.
 * Rejects only when the connection is lost.
 */
export async function runLine(
  line: Buffer,
  conn: Connection,
  out: Output,
  theme: ReplyTheme = PLAIN_THEME,
  now: () => number = Date.now,
): Promise<LineOutcome> {
  const action: LineAction = classifyLine(line);
  const outcome: LineOutcome = { quit: false, streaming: false };
  switch (action.kind) {
    case "skip":
      return outcome;
    case "print":
      if (action.text) await out.write(action.text);
      return outcome;
    case "quit":
      return { ...outcome, quit: true };
    case "clear":
      await out.write("\x1b[H\x1b[2J");
      return outcome;
    case "connect":
      out.notice("redis-learn: 'connect' is not available here; start redis-learn with --url redis://host:port instead");
      return outcome;
    case "help":
      out.notice("redis-learn: help is not available yet in this mode");
      return outcome;
    case "command":
      return runCommand(action.args, action.repeat, conn, out, theme, now);
  }
}

async function runCommand(
  args: Buffer[],
  repeat: bigint,
  conn: Connection,
  out: Output,
  theme: ReplyTheme,
  now: () => number,
): Promise<LineOutcome> {
  const name = (args[0] ?? Buffer.alloc(0)).toString("latin1").toLowerCase();
  const raw = printsRaw(args);
  const format = (r: Reply): string => (raw ? formatReplyRaw(r) : formatReply(r, theme));
  const start = now();
  if (STREAMING_COMMANDS.has(name)) {
    if (name !== "monitor") await out.write("Reading messages... (press Ctrl-C to quit)\n");
    // Everything the server sends from now on is printed as it arrives, as redis-cli does.
    conn.onUnsolicited = (r) => void out.write(format(r));
    const first = await conn.send(args);
    await out.write(format(first));
    if (first.type === "error") {
      conn.onUnsolicited = undefined;
      return { quit: false, streaming: false };
    }
    return { quit: false, streaming: true };
  }
  for (let i = 0n; i < repeat; i++) {
    const reply = await conn.send(args);
    await out.write(format(reply));
  }
  const elapsed = elapsedLine(now() - start);
  if (elapsed) await out.write(elapsed);
  return { quit: false, streaming: false };
}
