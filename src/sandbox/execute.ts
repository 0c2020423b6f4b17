import type { Connection } from "../redis/connection.js";
import { cString, formatReply, formatReplyRaw, printsRaw, PLAIN_THEME, type ReplyTheme } from "../redis/reply-format.js";
import type { Reply } from "../redis/reply-types.js";
import { redact, registerTypedSecrets } from "../redis/redact.js";
import { classifyLine, elapsedLine, type LineAction } from "./line.js";

/** Where output goes: text is a byte string (see reply-format.ts); notices are for stderr. */
export interface Output {
  write(text: string): void | Promise<void>;
  notice(text: string): void;
}

/**
 * stdout as redis-cli's C stdio treats it when it is a pipe: some text waits in a buffer
 * until the next fflush, and `clear` bypasses the buffer. Reproducing that keeps the
 * bytes in redis-cli's order.
 */
export class CliStdout {
  private pending = "";
  constructor(
    private readonly out: Output,
    /** A terminal is line-buffered: nothing waits. */
    private readonly immediate = false,
  ) {}

  /** printf without fflush. */
  async buffered(text: string): Promise<void> {
    if (this.immediate) return this.out.write(text);
    this.pending += text;
  }

  /** printf followed by fflush. */
  async flushed(text: string): Promise<void> {
    const all = this.pending + text;
    this.pending = "";
    if (all) await this.out.write(all);
  }

  /** write(2) straight to the file descriptor. */
  async direct(text: string): Promise<void> {
    await this.out.write(text);
  }

  async flush(): Promise<void> {
    await this.flushed("");
  }

  notice(text: string): void {
    this.out.notice(text);
  }
}

export interface LineOutcome {
  /** The person asked to leave (quit / exit). */
  quit: boolean;
  /** The connection is now streaming messages (SUBSCRIBE, MONITOR) and takes no more commands. */
  streaming: boolean;
  /** The command was not sent: see LineContext.refuse. */
  refused?: boolean;
}

const STREAMING_COMMANDS = new Set(["subscribe", "psubscribe", "ssubscribe", "monitor"]);

/**
 * Runs one typed line as redis-cli would and writes what redis-cli would print.
 * Rejects only when the connection is lost.
 */
/** What running a line needs besides the line. */
export interface LineContext {
  conn: Connection;
  out: CliStdout;
  /** redis-cli's help text for a topic (built from COMMAND DOCS, fetched when first needed). */
  help(topic: Buffer[]): Promise<string>;
  /** Why this command must not run here (a dangerous command on a server the learner brought), or undefined. */
  refuse?(args: Buffer[]): Promise<string | undefined>;
  theme?: ReplyTheme;
  now?: () => number;
}

export async function runLine(line: Buffer, ctx: LineContext): Promise<LineOutcome> {
  const { conn, out } = ctx;
  const theme = ctx.theme ?? PLAIN_THEME;
  const now = ctx.now ?? Date.now;
  const action: LineAction = classifyLine(line);
  const outcome: LineOutcome = { quit: false, streaming: false };
  switch (action.kind) {
    case "skip":
      return outcome;
    case "print":
      if (action.text) await (action.flushed ? out.flushed(action.text) : out.buffered(action.text));
      return outcome;
    case "quit":
      return { ...outcome, quit: true };
    case "clear":
      await out.direct("\x1b[H\x1b[2J");
      return outcome;
    case "connect":
      out.notice("redis-learn: 'connect' is not available here; start redis-learn with --url redis://host:port instead");
      return outcome;
    case "help":
      await out.buffered(await ctx.help(action.topic));
      return outcome;
    case "command": {
      // A password typed here is a secret from now on: in this reply, in errors, everywhere.
      registerTypedSecrets(action.args);
      const refusal = await ctx.refuse?.(action.args);
      if (refusal) {
        out.notice(refusal);
        return { ...outcome, refused: true };
      }
      return runCommand(action.args, action.repeat, conn, out, theme, now);
    }
  }
}

async function runCommand(
  args: Buffer[],
  repeat: bigint,
  conn: Connection,
  out: CliStdout,
  theme: ReplyTheme,
  now: () => number,
): Promise<LineOutcome> {
  const name = cString(args[0] ?? Buffer.alloc(0)).toLowerCase();
  const raw = printsRaw(args);
  // Known passwords are masked even in replies (CONFIG GET requirepass): here redis-learn parts from redis-cli.
  const format = (r: Reply): string => redact(raw ? formatReplyRaw(r) : formatReply(r, theme));
  const start = now();
  if (STREAMING_COMMANDS.has(name)) {
    if (name !== "monitor") await out.buffered("Reading messages... (press Ctrl-C to quit)\n");
    // Everything the server sends from now on is printed as it arrives, as redis-cli does.
    conn.onUnsolicited = (r) => void out.flushed(format(r));
    const first = await conn.send(args);
    await out.flushed(format(first));
    if (first.type === "error") {
      conn.onUnsolicited = undefined;
      return { quit: false, streaming: false };
    }
    return { quit: false, streaming: true };
  }
  for (let i = 0n; i < repeat; i++) {
    const reply = await conn.send(args);
    await out.flushed(format(reply));
  }
  const elapsed = elapsedLine(now() - start);
  if (elapsed) await out.buffered(elapsed);
  return { quit: false, streaming: false };
}
