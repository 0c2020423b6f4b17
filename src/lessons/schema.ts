/**
 * The lesson format, version 1. A lesson is one YAML file in lessons/; docs/lessons.md
 * describes it for authors. Every field below is checked by parse.ts, and an unknown
 * field is an error (a misspelt `expect` must not silently disable a check).
 */
export const FORMAT_VERSION = 1;

export interface Lesson {
  /** Lower-case name used on the command line: `redis-learn lesson lists`. */
  id: string;
  title: string;
  /** One line: what the learner will be able to do afterwards. */
  summary: string;
  requires: Requirements;
  /** Every key the lesson's steps create or touch. On a server the learner brought, none may exist beforehand. */
  keys: string[];
  steps: Step[];
  /** Self-check questions (redis-learn quiz <id>); empty when the lesson has none. */
  quiz: QuizQuestion[];
  /** Where it was read from, for messages. */
  file: string;
}

export interface Requirements {
  /** Minimum server version, e.g. "6.2". */
  redis?: string;
  /** Modules that must be loaded, e.g. ["ReJSON"]. */
  modules: string[];
}

export interface Step {
  title: string;
  /** What the command does and why; a few sentences. */
  explain: string;
  /** The command lines, as typed into redis-cli. Empty for a `receive` step. */
  run: CommandLine[];
  /** Which connection runs it: "A" unless the lesson shows several clients. */
  client: string;
  /** The command blocks: the lesson goes on, and a later `receive` step shows its reply. */
  blocks: boolean;
  /** Runs nothing: shows the reply that this client's blocked command finally got. */
  receive: boolean;
  /** Seconds to pause before running (to let a TTL run out). */
  wait: number;
  /** Shown after the result. */
  note?: string;
  /** Asked before the command runs, in a terminal; a note when the lesson runs straight through. */
  predict?: StepPrediction;
  /** Where the step starts in its file. */
  line: number;
  column: number;
}

/** "What will Redis reply?" before a step's one command runs. Its answer is the command's `expect`. */
export interface StepPrediction {
  question: string;
  /** 2-5 replies to pick from, exactly one the same as `expect`; absent: the learner types the reply. */
  choices?: string[];
  /** Shown after a wrong guess, before the command runs. */
  why: string;
  line: number;
  column: number;
}

export interface CommandLine {
  text: string;
  args: Buffer[];
  /** The reply as redis-cli prints it, when the lesson states it. */
  expect?: string;
  /** Where this command (and its expected reply) are written. */
  line: number;
  column: number;
  expectLine?: number;
}

/** A self-check question. Quizzes live at the end of their lesson's file. */
export type QuizQuestion = ChooseQuestion | PredictQuestion | DoQuestion;

interface QuestionBase {
  /** Stable within the lesson: progress remembers missed questions by id. */
  id: string;
  /** A short name for the score table; when absent, the first line of the question or task is used. */
  title?: string;
  /** Shown after answering, right or wrong. */
  explain?: string;
  line: number;
  column: number;
}

export interface Choice {
  text: string;
  correct: boolean;
  /** Why this choice is right, or why it is wrong. */
  why: string;
}

export interface ChooseQuestion extends QuestionBase {
  kind: "choose";
  question: string;
  choices: Choice[];
}

/** The learner types what Redis will answer; it is then run and compared as redis-cli prints it. */
export interface PredictQuestion extends QuestionBase {
  kind: "predict";
  question: string;
  /** Run silently first, on a clean slate. */
  setup: CommandLine[];
  /** Run and shown with their replies before the question. */
  show: CommandLine[];
  ask: CommandLine;
  /** The reply, as redis-cli prints it; check verifies it against the server. */
  expect: string;
  explain: string;
}

/** The learner types real commands until the goal holds on the server. */
export interface DoQuestion extends QuestionBase {
  kind: "do";
  task: string;
  setup: CommandLine[];
  goal: Goal[];
  hint: string;
  /** The shortest known solution; the learner's command count is compared with its length. */
  solution: CommandLine[];
  /** Commands the task wants: each rule must be met by at least one command the learner ran. */
  require: CommandRule[];
  /** Commands the task rules out: refused before they reach the server. */
  forbid: CommandRule[];
  /**
   * When not empty, the only commands that may change the goal's keys: any other command
   * that writes one of them (COPY, RENAME, RESTORE, a pop into another list ...) is refused.
   */
  writes: CommandRule[];
  /** Sequences that reach the goal the wrong way; check proves each one is refused. */
  wrong: WrongWay[];
}

/**
 * Which commands a rule is about: any of `commands` (a name, or two words such as
 * CONFIG SET), with every word of `with` and none of `without` among its arguments.
 * Names and words compare case-insensitively.
 */
export interface CommandRule {
  commands: string[];
  with: string[];
  without: string[];
  /** Said to the learner when the rule refuses a command or is not met. */
  why: string;
  line: number;
  column: number;
}

export interface WrongWay {
  commands: CommandLine[];
  line: number;
  column: number;
}

/** One check on the server's state (never on what was typed). */
export type Goal = { key: string; line: number } & (
  | { kind: "equals"; value: string }
  | { kind: "list"; items: string[] }
  | { kind: "hash"; fields: Record<string, string> }
  | { kind: "absent" }
  | { kind: "ttl"; min: number; max: number }
  | { kind: "type"; type: string }
);
