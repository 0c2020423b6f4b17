/**
 * What to do when the progress file cannot be read or written, in place of the system's
 * error code (ENOSPC, EACCES, ...): the learner should know how to fix it, not what errno was.
 */
export function adviceFor(err: unknown, dir: string, action: "read" | "write" = "write"): string {
  const code = (err as NodeJS.ErrnoException | undefined)?.code;
  switch (code) {
    case "ENOSPC":
      return "the disk is full; free some space and try again";
    case "EDQUOT":
      return "your disk quota is used up; free some space and try again";
    case "EROFS":
      return `${dir} is on a read-only file system; set XDG_CONFIG_HOME to a folder you can write to`;
    case "EACCES":
    case "EPERM":
      return `you are not allowed to ${action} there; check the permissions of ${dir}, or set XDG_CONFIG_HOME to a folder of your own`;
    case "ENOTDIR":
      return `part of ${dir} is a file, not a folder; move that file away, or set XDG_CONFIG_HOME to another folder`;
    case "ENOENT":
      return `${dir} could not be found or made; check that it exists, or set XDG_CONFIG_HOME to a folder that does`;
    case "EISDIR":
      return "it is a folder; move it away";
    case "ELOOP":
      return `the path through ${dir} has a loop of symbolic links; remove the link`;
    case "EMFILE":
    case "ENFILE":
      return "too many files are open; close some programs and try again";
    case "EIO":
      return "the disk reported an input/output error; check the disk";
    default:
      return code ? `the system said ${code}` : err instanceof Error ? err.message : String(err);
  }
}
