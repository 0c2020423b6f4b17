/**
 * The few kinds of failure the program reports. Each carries the exit code it ends
 * with; main.ts is the one place that turns them into output and an exit status.
 */
export class UserError extends Error {
  constructor(
    message: string,
    readonly exitCode = 1,
  ) {
    super(message);
    this.name = "UserError";
  }
}

/** No Redis could be reached or started. */
export class RedisUnavailable extends UserError {
  constructor(message: string, exitCode = 1) {
    super(message, exitCode);
    this.name = "RedisUnavailable";
  }
}

/** A lesson file is malformed; the message already names file:line:column. */
export class LessonFormatError extends UserError {
  constructor(
    message: string,
    readonly file: string,
    readonly line: number,
    readonly column: number,
  ) {
    super(`${file}:${line}:${column}: ${message}`, 1);
    this.name = "LessonFormatError";
  }
}

export const EXIT_USAGE = 2;
