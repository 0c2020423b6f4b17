import { Chalk, type ChalkInstance } from "chalk";
import type { ReplyTheme } from "../redis/reply-format.js";
import { PLAIN_THEME } from "../redis/reply-format.js";

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
