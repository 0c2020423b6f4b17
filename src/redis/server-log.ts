import { closeSync, openSync, readSync, statSync } from "node:fs";

/**
 * Reading a private server's log for the one line that says why it did not start or
 * would not shut down. The log also receives the server's stdout and stderr, where a
 * bad configuration is reported before the log file is opened.
 */

/** The log's size now: what a process started later writes comes after it. */
export function logSize(file: string): number {
  try {
    return statSync(file).size;
  } catch {
    return 0;
  }
}

/** What was written to the log from offset on (at most the last 64 KiB of it). */
export function readLogSince(file: string, offset: number): string {
  const LIMIT = 64 * 1024;
  let fd: number | undefined;
  try {
    fd = openSync(file, "r");
    const end = statSync(file).size;
    const start = Math.max(offset, end - LIMIT);
    const buf = Buffer.alloc(Math.max(0, end - start));
    const read = readSync(fd, buf, 0, buf.length, start);
    return buf.subarray(0, read).toString("utf8");
  } catch {
    return "";
  } finally {
    if (fd !== undefined) closeSync(fd);
  }
}

/** "1234:M 01 Dec 2026 11:29:17.023 # text": pid, role, time, level mark. */
const LOG_LINE = /^\d+:[A-Z] [^*#-]*([*#-]) (.*)$/;
const TROUBLE = /error|fatal|can't|cannot|could not|fail|bad|in use|unknown|invalid|refus/i;

interface Line {
  /** "#" warning, "*" notice, "-" verbose; undefined for text that is not a log line (stderr). */
  level: string | undefined;
  text: string;
}

function lines(log: string): Line[] {
  return log
    .split("\n")
    .map((raw) => raw.trim())
    .filter(Boolean)
    .map((raw) => {
      const m = LOG_LINE.exec(raw);
      return m ? { level: m[1], text: (m[2] ?? "").trim() } : { level: undefined, text: raw };
    });
}

/**
 * The first warning that reports trouble. Warnings about the machine (overcommit, THP,
 * TCP backlog) start with "WARNING" and never stop a server, so they are passed over.
 */
function firstTrouble(all: Line[]): string | undefined {
  return all.find((l) => l.level === "#" && !/^WARNING\b/.test(l.text) && TROUBLE.test(l.text))?.text;
}

/** Why a server that was just started ended or never answered, in one line (or "" if the log does not say). */
export function whyNotStarted(log: string): string {
  const all = lines(log);
  // *** FATAL CONFIG FILE ERROR ***, then ">>> 'name "value"'", then the reason.
  const quoted = all.findIndex((l) => l.level === undefined && l.text.startsWith(">>> "));
  if (quoted !== -1) {
    const reason = all[quoted + 1]?.text ?? "";
    return `bad configuration ${all[quoted]?.text.slice(4)}${reason ? `: ${reason}` : ""}`;
  }
  return firstTrouble(all) ?? all.filter((l) => l.level !== undefined).pop()?.text ?? "";
}

export function portInUse(log: string): boolean {
  return /already in use/i.test(log);
}

/** When the server refused a SIGTERM (it could not save), the line that says why; otherwise undefined. */
export function whyNoShutdown(log: string): string | undefined {
  const all = lines(log);
  const refusal = all.findIndex((l) => /errors trying to shut ?down/i.test(l.text));
  if (refusal === -1) return undefined;
  return firstTrouble(all.slice(0, refusal + 1));
}
