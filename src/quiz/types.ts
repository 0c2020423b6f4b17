import type { Connection } from "../redis/connection.js";
import type { QuizQuestion } from "../lessons/schema.js";
import type { Client, EngineContext } from "../engine/step.js";
import type { Style } from "../render/style.js";
import type { Random } from "./shuffle.js";

/**
 * A quiz, asked through whatever asks and prints (a terminal, or a script in tests).
 */
export interface QuizIO {
  print(text: string): void;
  /** Returns the index of the chosen option; `start` is where the cursor starts (0 when absent). */
  choose(message: string, options: string[], start?: number): Promise<number>;
  ask(message: string): Promise<string>;
}

export interface QuestionResult {
  id: string;
  kind: QuizQuestion["kind"];
  correct: boolean;
  /** For do-it tasks: commands used, and the shortest known solution's length. */
  commands?: number;
  shortest?: number;
  /** For do-it tasks: the commands that were sent, as typed. */
  typed?: string[];
}

export interface QuizContext {
  conn: Connection;
  client: Client;
  ctx: EngineContext;
  /** Keys wiped before each question so it starts from a clean slate. */
  keys: string[];
  style: Style;
  io: QuizIO;
  /** Shuffles the choices; Math.random when absent. */
  random?: Random;
  /**
   * Why a command must not run here, if it must not: on a server the learner brought,
   * the sandbox's guard (FLUSHALL, SHUTDOWN ...). Absent on the private server.
   */
  guard?: (args: Buffer[]) => Promise<string | undefined>;
  /**
   * Called after each write with the keys the commands name: on a server the learner
   * brought, records what redis-learn left in them (safety/claim.ts). Absent on the private server.
   */
  wrote?: (keys: readonly (string | Buffer)[]) => Promise<void>;
  /** Called before each write: throws once the run is ending, so nothing is written after the clean-up. */
  writing?: () => void;
}
