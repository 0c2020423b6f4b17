import { closeSync, constants, copyFileSync, fstatSync, lstatSync, mkdirSync, openSync, readSync, readlinkSync, renameSync, unlinkSync, writeFileSync } from "node:fs";
import os from "node:os";
import path from "node:path";
import { UserError } from "../errors.js";
import { systemClock, type Clock } from "../clock.js";
import { adviceFor } from "./file-errors.js";
import { LockTimeout, withLock } from "../safety/lock.js";
import { migrate } from "./migrate.js";
import { checkProgress, emptyProgress, type Progress } from "./schema.js";

export { emptyProgress, PROGRESS_VERSION } from "./schema.js";
export type { LessonProgress, Progress, QuizProgress, ReviewEntry } from "./schema.js";

/**
 * What a learner has done, kept as versioned JSON in the user's config directory
 * ($XDG_CONFIG_HOME/redis-learn/progress.json). Whatever is found there is treated as
 * possibly damaged or hostile: only a regular file of at most MAX_PROGRESS_BYTES is read;
 * a file that cannot be used at all is set aside (renamed *.bad) and reported; an entry
 * that fails its check is left out and reported, the original file kept as *.bad. Writes
 * go to a temporary file renamed into place, never through a symbolic link.
 */
export const MAX_PROGRESS_BYTES = 4 * 1024 * 1024;

export function configDir(env: NodeJS.ProcessEnv = process.env): string {
  return path.join(env.XDG_CONFIG_HOME || path.join(os.homedir(), ".config"), "redis-learn");
}

export interface LoadedProgress {
  progress: Progress;
  /** Set when a bad file was moved aside or entries were left out: say so to the learner. */
  notice?: string;
}

type Read = { text: string } | { missing: true } | { unusable: string };

export class ProgressStore {
  readonly file: string;

  constructor(
    env: NodeJS.ProcessEnv = process.env,
    private readonly clock: Clock = systemClock,
  ) {
    this.file = path.join(configDir(env), "progress.json");
  }

  load(): LoadedProgress {
    const read = this.read();
    if ("missing" in read) return { progress: emptyProgress() };
    if ("unusable" in read) return { progress: emptyProgress(), notice: this.setAside(read.unusable) };
    let data: unknown;
    try {
      data = JSON.parse(read.text);
    } catch {
      return { progress: emptyProgress(), notice: this.setAside("could not be read as JSON") };
    }
    const checked = checkProgress(data);
    if (!checked.ok) return { progress: emptyProgress(), notice: this.setAside(checked.problem) };
    const progress = migrate(checked.progress, checked.version, this.clock());
    if (!checked.dropped.length) return { progress };
    // Keep the original beside it, then save what could be kept, so this is said once.
    const aside = this.asideName();
    try {
      copyFileSync(this.file, aside, constants.COPYFILE_EXCL);
    } catch (err) {
      throw new UserError(`your progress file ${this.file} has damaged entries, and a copy could not be kept: ${adviceFor(err, path.dirname(this.file))}`);
    }
    let unsaved = "";
    try {
      this.save(progress);
    } catch (err) {
      if (!(err instanceof UserError)) throw err;
      unsaved = ` (${err.message})`;
    }
    const many = checked.dropped.length;
    return {
      progress,
      notice: `your progress file had ${many === 1 ? "a damaged entry" : `${many} damaged entries`}, left out (${checked.dropped.join("; ")}); the rest is kept, and the original is in ${aside}${unsaved}`,
    };
  }

  /** Written to a temporary file in the same folder and renamed, so an interrupted write never leaves half a file. */
  save(progress: Progress): void {
    const dir = path.dirname(this.file);
    const cannot = (err: unknown): UserError => new UserError(`could not save your progress to ${this.file}: ${adviceFor(err, dir)}`);
    try {
      mkdirSync(dir, { recursive: true });
    } catch (err) {
      throw cannot(err);
    }
    const link = this.linkTarget();
    if (link !== undefined) {
      throw new UserError(`could not save your progress: ${this.file} is a symbolic link (to ${link}), and redis-learn never writes through one; replace it with the file itself`);
    }
    const tmp = `${this.file}.${process.pid}.tmp`;
    try {
      // "wx": a file (or a link an attacker placed) already at the temporary name is never written through.
      try {
        writeFileSync(tmp, JSON.stringify(progress, null, 2) + "\n", { flag: "wx", mode: 0o600 });
      } catch (err) {
        if ((err as NodeJS.ErrnoException).code !== "EEXIST") throw err;
        unlinkSync(tmp); // Left by an earlier run with the same process id.
        writeFileSync(tmp, JSON.stringify(progress, null, 2) + "\n", { flag: "wx", mode: 0o600 });
      }
      renameSync(tmp, this.file);
    } catch (err) {
      removeQuietly(tmp);
      throw cannot(err);
    }
  }

  /** Changes the progress in place and saves it. */
  update(change: (p: Progress) => void): Progress {
    return this.transform((p) => {
      change(p);
      return p;
    });
  }

  /**
   * Saves what a pure function (record.ts) makes of the progress on file: read, changed
   * and written under a lock, so two runs at once never lose each other's answers.
   */
  transform(change: (p: Progress) => Progress): Progress {
    const run = (): Progress => {
      const changed = change(this.load().progress);
      this.save(changed);
      return changed;
    };
    try {
      mkdirSync(path.dirname(this.file), { recursive: true });
    } catch {
      // save() says why the folder cannot be used.
      return run();
    }
    try {
      return withLock(this.file, run);
    } catch (err) {
      if (err instanceof LockTimeout) throw new UserError(`could not save your progress: another redis-learn (pid ${err.pid}) holds ${err.lock}; remove it if no redis-learn is running`);
      const code = (err as NodeJS.ErrnoException).code;
      // A folder where the lock cannot be made: save() says why, in the learner's words.
      if (code && code !== "EEXIST") return run();
      throw err;
    }
  }

  /** Only a regular file, and only its first MAX_PROGRESS_BYTES: a FIFO, a device or a huge file must not hang or fill memory. */
  private read(): Read {
    let fd: number;
    try {
      // O_NONBLOCK: opening a FIFO with no writer returns at once instead of waiting forever.
      fd = openSync(this.file, constants.O_RDONLY | constants.O_NONBLOCK);
    } catch (err) {
      const code = (err as NodeJS.ErrnoException).code;
      if (code === "ENOENT") return { missing: true };
      if (code === "ELOOP") return { unusable: "is a loop of symbolic links" };
      throw new UserError(`could not read your progress from ${this.file}: ${adviceFor(err, path.dirname(this.file), "read")}`);
    }
    try {
      const stat = fstatSync(fd);
      if (!stat.isFile()) return { unusable: `is not a regular file (${kindOf(stat)})` };
      if (stat.size > MAX_PROGRESS_BYTES) return { unusable: `is larger than ${MAX_PROGRESS_BYTES / 1024 / 1024} MiB, far more than progress takes` };
      const buffer = Buffer.alloc(Math.min(stat.size, MAX_PROGRESS_BYTES) + 1);
      let length = 0;
      for (;;) {
        const n = readSync(fd, buffer, length, buffer.length - length, null);
        if (n === 0) break;
        length += n;
        if (length === buffer.length) return { unusable: `grew past ${stat.size} bytes while it was read` };
      }
      return { text: buffer.subarray(0, length).toString("utf8") };
    } catch (err) {
      if (err instanceof UserError) throw err;
      throw new UserError(`could not read your progress from ${this.file}: ${adviceFor(err, path.dirname(this.file), "read")}`);
    } finally {
      closeSync(fd);
    }
  }

  private linkTarget(): string | undefined {
    try {
      return lstatSync(this.file).isSymbolicLink() ? readlinkSync(this.file) : undefined;
    } catch {
      return undefined;
    }
  }

  private asideName(): string {
    return `${this.file}.${this.clock().toISOString().replace(/[:.]/g, "-")}.bad`;
  }

  /** Renames the file (or the link, never its target) out of the way. */
  private setAside(why: string): string {
    const aside = this.asideName();
    try {
      renameSync(this.file, aside);
    } catch (err) {
      throw new UserError(`your progress file ${this.file} ${why}, and it could not be set aside: ${adviceFor(err, path.dirname(this.file))}`);
    }
    return `your progress file ${why}; it was kept as ${aside} and progress starts afresh`;
  }
}

function kindOf(stat: import("node:fs").Stats): string {
  if (stat.isDirectory()) return "a folder";
  if (stat.isFIFO()) return "a named pipe";
  if (stat.isCharacterDevice() || stat.isBlockDevice()) return "a device";
  if (stat.isSocket()) return "a socket";
  return "not a file";
}

function removeQuietly(file: string): void {
  try {
    unlinkSync(file);
  } catch {
    // Never made, or already gone.
  }
}
