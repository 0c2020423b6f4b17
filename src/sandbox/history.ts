import { closeSync, mkdirSync, writeSync } from "node:fs";
import path from "node:path";
import { stateDir } from "../safety/record.js";
import { redact } from "../redis/redact.js";
import { RefusedFile, openForAppend, readRegularFile, writeFileAtomic } from "../local-file.js";
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

/** A bigger history file is not read (and not written): it is not one redis-learn made. */
export const HISTORY_MAX_BYTES = 1024 * 1024;

/**
 * The sandbox's line history, kept in the state directory. A file that is not a regular
 * file (a symlink, /dev/zero, a FIFO) or is too big is neither read nor written, and
 * `notify` is told so once; history is a comfort, never a reason to stop.
 */
export class History {
  readonly entries: string[] = [];
  private saving = true;

  constructor(
    private readonly file = path.join(stateDir(), "history"),
    private readonly notify: (text: string) => void = () => {},
  ) {
    try {
      const data = readRegularFile(file, HISTORY_MAX_BYTES);
      if (data) this.entries = data.toString("utf8").split("\n").filter(Boolean).slice(-HISTORY_LIMIT);
    } catch (err) {
      this.stopSaving(err, true);
    }
  }

  add(line: string): void {
    if (!line.trim() || !keepInHistory(line) || this.entries.at(-1) === line) return;
    this.entries.push(line);
    if (!this.saving) return;
    try {
      mkdirSync(path.dirname(this.file), { recursive: true, mode: 0o700 });
      const fd = openForAppend(this.file);
      try {
        writeSync(fd, line + "\n");
      } finally {
        closeSync(fd);
      }
      if (this.entries.length > HISTORY_LIMIT * 2) {
        this.entries.splice(0, this.entries.length - HISTORY_LIMIT);
        writeFileAtomic(this.file, this.entries.join("\n") + "\n");
      }
    } catch (err) {
      this.stopSaving(err);
    }
  }

  private stopSaving(err: unknown, reading = false): void {
    if (!this.saving) return;
    this.saving = false;
    const why = err instanceof RefusedFile ? `${err.file} ${err.reason}` : `${(err as Error).message}`;
    this.notify(reading ? `History is off: ${why}, so it is neither read nor saved (remove it to start a new history).` : `History is not saved: ${why}.`);
  }
}
