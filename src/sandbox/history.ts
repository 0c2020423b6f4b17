import { appendFileSync, mkdirSync, readFileSync, writeFileSync } from "node:fs";
import path from "node:path";
import { stateDir } from "../lessons/ownership.js";
import { redact } from "../redis/redact.js";
import { tokenize } from "../redis/tokenize.js";

/** How many lines of history are kept. */
export const HISTORY_LIMIT = 1000;

/**
 * Whether a line may be kept in history. Like redis-cli, never AUTH or HELLO ... AUTH;
 * also nothing else that carries a password (ACL SETUSER, CONFIG SET requirepass,
 * MIGRATE ... AUTH), and nothing that contains a password redis-learn knows. Pure.
 */
export function keepInHistory(line: string): boolean {
  if (redact(line) !== line) return false;
  const split = tokenize(line);
  if (!split.ok) return true;
  const words = split.args.map((a) => a.toString("utf8").toLowerCase());
  const [cmd, sub] = words;
  if (cmd === "auth") return false;
  if (cmd === "hello" && words.includes("auth")) return false;
  if (cmd === "acl" && sub === "setuser") return false;
  if (cmd === "config" && sub === "set" && words.some((w) => /pass|auth/.test(w))) return false;
  if (cmd === "migrate" && (words.includes("auth") || words.includes("auth2"))) return false;
  return true;
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
