/** What redis-learn and its code runner (runner.ts, a child process) say to each other over IPC. */

/** redis-learn → runner, once: the snippet and where its server is. */
export interface RunRequest {
  code: string;
  host: string;
  port: number;
}

/** runner → redis-learn. */
export type RunnerMessage =
  /** Something the snippet (or a library it uses) printed, as the console would print it. */
  | { type: "output"; text: string }
  /** `redis` is connected and the snippet starts now: its time limit starts here. */
  | { type: "started" }
  | {
      type: "done";
      /** One line, when the snippet threw or rejected. */
      error?: string;
      leftovers: string[];
      elapsedMs: number;
    };
