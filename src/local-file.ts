import { closeSync, constants, fstatSync, openSync, readSync, renameSync, rmSync, writeFileSync } from "node:fs";

/**
 * Reading and writing redis-learn's own small files (history, created-keys.json) so that
 * a hostile file in their place does no harm: a symlink is never followed, a device or
 * FIFO is never read (/dev/zero would never end), and a huge file is not loaded.
 */

/** Why a file was not used, fit to end a sentence: "... is a symbolic link". */
export class RefusedFile extends Error {
  constructor(
    readonly file: string,
    readonly reason: string,
  ) {
    super(`${file} ${reason}`);
    this.name = "RefusedFile";
  }
}

const NOFOLLOW = constants.O_NOFOLLOW ?? 0;
/** A FIFO with no writer would block the open itself. */
const NONBLOCK = constants.O_NONBLOCK ?? 0;

/** The file's bytes; undefined when it does not exist. Throws RefusedFile for anything but a regular file up to maxBytes. */
export function readRegularFile(file: string, maxBytes: number): Buffer | undefined {
  let fd: number;
  try {
    fd = openSync(file, constants.O_RDONLY | NOFOLLOW | NONBLOCK);
  } catch (err) {
    const code = (err as NodeJS.ErrnoException).code;
    if (code === "ENOENT") return undefined;
    if (code === "ELOOP") throw new RefusedFile(file, "is a symbolic link");
    throw new RefusedFile(file, `cannot be read (${code ?? (err as Error).message})`);
  }
  try {
    const stat = fstatSync(fd);
    if (!stat.isFile()) throw new RefusedFile(file, "is not a regular file");
    if (stat.size > maxBytes) throw new RefusedFile(file, `is larger than ${formatSize(maxBytes)}`);
    const buffer = Buffer.alloc(stat.size);
    let read = 0;
    while (read < buffer.length) {
      const n = readSync(fd, buffer, read, buffer.length - read, read);
      if (n === 0) break;
      read += n;
    }
    return buffer.subarray(0, read);
  } finally {
    closeSync(fd);
  }
}

/** Opens a file to append to, creating it; never through a symlink, never anything but a regular file. */
export function openForAppend(file: string, mode = 0o600): number {
  let fd: number;
  try {
    fd = openSync(file, constants.O_WRONLY | constants.O_APPEND | constants.O_CREAT | NOFOLLOW | NONBLOCK, mode);
  } catch (err) {
    const code = (err as NodeJS.ErrnoException).code;
    if (code === "ELOOP") throw new RefusedFile(file, "is a symbolic link");
    throw new RefusedFile(file, `cannot be written (${code ?? (err as Error).message})`);
  }
  if (!fstatSync(fd).isFile()) {
    closeSync(fd);
    throw new RefusedFile(file, "is not a regular file");
  }
  return fd;
}

/**
 * Replaces a file whole: written to a fresh temporary file (never an existing one or a
 * symlink) and renamed, so a crash never leaves half a file; the temporary file is
 * removed if anything fails.
 */
export function writeFileAtomic(file: string, data: string, mode = 0o600): void {
  const tmp = `${file}.${process.pid}.tmp`;
  try {
    rmSync(tmp, { force: true });
    writeFileSync(tmp, data, { mode, flag: "wx" });
    renameSync(tmp, file);
  } catch (err) {
    rmSync(tmp, { force: true });
    throw err;
  }
}

function formatSize(bytes: number): string {
  return bytes >= 1024 * 1024 ? `${bytes / (1024 * 1024)} MB` : `${bytes} bytes`;
}
