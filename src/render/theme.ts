import { Chalk, type ChalkInstance } from "chalk";
import type { ReplyTheme } from "../redis/reply-format.js";
import { PLAIN_THEME } from "../redis/reply-format.js";

/** Colour is for people at a terminal: off when NO_COLOR is set or the stream is not a TTY. */
export function colorEnabled(stream: { isTTY?: boolean }, env: NodeJS.ProcessEnv = process.env): boolean {
  if (env.NO_COLOR !== undefined && env.NO_COLOR !== "") return false;
  if (env.FORCE_COLOR !== undefined && env.FORCE_COLOR !== "0") return true;
  return stream.isTTY === true;
}

export function makeChalk(enabled: boolean): ChalkInstance {
  return new Chalk({ level: enabled ? 1 : 0 });
}

/** Colours by role for replies; the plain theme when colour is off. */
export function replyTheme(enabled: boolean): ReplyTheme {
  if (!enabled) return PLAIN_THEME;
  const c = makeChalk(true);
  return {
    status: (s) => c.green(s),
    error: (s) => c.red(s),
    integer: (s) => c.cyan(s),
    string: (s) => c.yellow(s),
    nil: (s) => c.dim(s),
    index: (s) => c.dim(s),
  };
}
