/**
 * Colour is for people at a terminal: off when NO_COLOR is set or the stream is not a
 * TTY, on when FORCE_COLOR asks for it. Kept apart from chalk so that deciding costs no import.
 */
export function colorEnabled(stream: { isTTY?: boolean }, env: NodeJS.ProcessEnv = process.env): boolean {
  if (env.NO_COLOR !== undefined && env.NO_COLOR !== "") return false;
  if (env.FORCE_COLOR !== undefined && env.FORCE_COLOR !== "0") return true;
  return stream.isTTY === true;
}
