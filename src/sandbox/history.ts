import { appendFileSync, mkdirSync, readFileSync, writeFileSync } from "node:fs";
import path from "node:path";
import { stateDir } from "../lessons/ownership.js";
import { redact } from "../redis/redact.js";
import { secretArgs } from "../redis/secret-args.js";
import { classifyLine } from "./line.js";

/** How many lines of history are kept. */
export const HISTORY_LIMIT = 1000;

/**
 * Whether a line may be kept in history. Like redis-cli, never AUTH or HELLO ... AUTH;
 * also nothing else that carries a password (ACL SETUSER >pw, CONFIG SET requirepass,
 * MIGRATE ... AUTH, see secret-args.ts), even behind a repeat count (`2 AUTH pw`), in any
 * case or quoting; and nothing that contains a password redis-learn knows or a URL with
 * credentials. Pure.
 */
export function keepInHistory(line: string): boolean {
  if (redact(line) !== line) return false;
  const action = classifyLine(Buffer.from(line, "utf8"));
  if (action.kind === "command") return secretArgs(action.args).length === 0;
  if (action.kind === "help") return true;
  // Not a command redis-cli would send (an unbalanced quote ...): judge it by its words,
  // so that `AUTH "pw` is not kept either.
  const words = line.trim().split(/\s+/).map((w) => Buffer.from(w.replace(/^["']|["']$/g, ""), "utf8"));
  const [first] = words;
  const args = first && /^[+-]?\d+$/.test(first.toString()) ? words.slice(1) : words;
  return secretArgs(args).length === 0;
}

export class History {
  readonly entries: string[];

  constructor(private readonly file = path.join(stateDir(), "history")) {
    this.entries = History.read(file);
  }

  private static read(file: string): string[] {
    try {
      return readFileSync(file, "utf8").split("\n").filter(Boolean).slice(-HISTORY_LIMIT);
    } catch {
      return [];
    }
  }

  add(line: string): void {
    if (!line.trim() || !keepInHistory(line) || this.entries.at(-1) === line) return;
    this.entries.push(line);
    try {
      mkdirSync(path.dirname(this.file), { recursive: true });
      appendFileSync(this.file, line + "\n", { mode: 0o600 });
      if (this.entries.length > HISTORY_LIMIT * 2) {
        this.entries.splice(0, this.entries.length - HISTORY_LIMIT);
        writeFileSync(this.file, this.entries.join("\n") + "\n", { mode: 0o600 });
      }
    } catch {
      // History is a comfort, not a reason to stop.
    }
  }
}
