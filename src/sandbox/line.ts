import { tokenize } from "../redis/tokenize.js";
import { cString } from "../redis/reply-format.js";

/**
 * What one typed line asks for, decided the way redis-cli's repl() decides it. Pure:
 * running it is the caller's business.
 */
export type LineAction =
  | { kind: "skip" }
  /**
   * Text to print on stdout without asking the server. redis-cli flushes some of these
   * at once and leaves others in its stdout buffer until the next flush, which matters
   * when `clear` writes its escape sequence straight to the terminal in between.
   */
  | { kind: "print"; text: string; flushed: boolean }
  | { kind: "quit" }
  | { kind: "clear" }
  | { kind: "connect"; host: Buffer; port: Buffer }
  | { kind: "help"; topic: Buffer[] }
  | { kind: "command"; args: Buffer[]; repeat: bigint };

export const INVALID_ARGUMENTS = "Invalid argument(s)\n";
export const INVALID_REPEAT = "Invalid redis-cli repeat command option value.\n";

const LONG_MAX = 2n ** 63n - 1n;
const LONG_MIN = -(2n ** 63n);

/** C's strtol(s, &end, 10) with the check redis-cli makes: is the whole word a number? */
function repeatCount(word: Buffer): { number: boolean; value: bigint; overflow: boolean } {
  const text = cString(word);
  if (text === "") return { number: true, value: 0n, overflow: false };
  const match = /^[ \t\n\v\f\r]*([+-]?\d+)$/.exec(text);
  if (!match?.[1]) return { number: false, value: 0n, overflow: false };
  const value = BigInt(match[1]);
  return { number: true, value, overflow: value > LONG_MAX || value < LONG_MIN };
}

const lower = (word: Buffer | undefined): string => (word ? cString(word).toLowerCase() : "");

export function classifyLine(line: Buffer): LineAction {
  if (line.length === 0 || line[0] === 0) return { kind: "skip" };
  const split = tokenize(line);
  if (!split.ok) return { kind: "print", text: INVALID_ARGUMENTS, flushed: true };
  const argv = split.args;
  if (argv.length === 0) return { kind: "skip" };

  let repeat = 1n;
  let skip = 0;
  const count = repeatCount(argv[0] as Buffer);
  if (argv.length > 1 && count.number) {
    if (count.overflow || count.value <= 0n) return { kind: "print", text: INVALID_REPEAT, flushed: false };
    repeat = count.value;
    skip = 1;
  }

  const first = lower(argv[0]);
  if (first === "quit" || first === "exit") return { kind: "quit" };
  if (first.startsWith(":")) return { kind: "print", text: preference(argv), flushed: false };
  if (first === "restart") return { kind: "print", text: "Use 'restart' only in Lua debugging mode.\n", flushed: true };
  if (argv.length === 3 && first === "connect") return { kind: "connect", host: argv[1] as Buffer, port: argv[2] as Buffer };
  if (argv.length === 1 && first === "clear") return { kind: "clear" };

  const args = argv.slice(skip);
  const name = lower(args[0]);
  if (name === "help" || name === "?") return { kind: "help", topic: args.slice(1) };
  return { kind: "command", args, repeat };
}

/** redis-cli's ":set hints" and friends: accepted silently, or named as unknown. */
function preference(argv: Buffer[]): string {
  if (lower(argv[0]) === ":set" && argv.length >= 2) {
    const name = lower(argv[1]);
    if (name === "hints" || name === "nohints") return "";
    return `unknown redis-cli preference '${cString(argv[1] as Buffer)}'\n`;
  }
  return `unknown redis-cli internal command '${cString(argv[0] as Buffer)}'\n`;
}

/** The elapsed-time line redis-cli prints after a command that took half a second or more. */
export function elapsedLine(ms: number): string | undefined {
  if (ms < 500) return undefined;
  return `(${printfFixed2(ms / 1000)}s)\n`;
}

/** printf("%.2f"): the exact binary value rounded, ties to even (toFixed rounds ties up). */
function printfFixed2(x: number): string {
  const [whole = "0", frac = ""] = x.toFixed(20).split(".");
  const kept = frac.slice(0, 2);
  const rest = frac.slice(2);
  const half = "5".padEnd(rest.length, "0");
  const up = rest > half || (rest === half && Number(kept[1]) % 2 === 1);
  const hundredths = BigInt(whole + kept) + (up ? 1n : 0n);
  return `${hundredths / 100n}.${String(hundredths % 100n).padStart(2, "0")}`;
}
