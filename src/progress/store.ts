import { existsSync, mkdirSync, readFileSync, renameSync, writeFileSync } from "node:fs";
import os from "node:os";
import path from "node:path";

/**
 * What a learner has done, kept as versioned JSON in the user's config directory
 * ($XDG_CONFIG_HOME/redis-learn/progress.json). A file that cannot be read, or that a
 * newer redis-learn wrote, is set aside under another name and reported; it is never
 * silently overwritten.
 */
export const PROGRESS_VERSION = 1;

export interface LessonProgress {
  /** The step to resume at (0-based). */
  step: number;
  completed: boolean;
  updatedAt: string;
}

export interface QuizProgress {
  lastScore: number;
  bestScore: number;
  total: number;
  /** Question ids answered wrongly last time: they come first next time. */
  missed: string[];
  taken: number;
  updatedAt: string;
}

export interface Progress {
  version: number;
  lessons: Record<string, LessonProgress>;
  quizzes: Record<string, QuizProgress>;
}

export function configDir(env: NodeJS.ProcessEnv = process.env): string {
  return path.join(env.XDG_CONFIG_HOME || path.join(os.homedir(), ".config"), "redis-learn");
}

export function emptyProgress(): Progress {
  return { version: PROGRESS_VERSION, lessons: {}, quizzes: {} };
}

export interface LoadedProgress {
  progress: Progress;
  /** Set when a bad file was moved aside: say so to the learner. */
  notice?: string;
}

export class ProgressStore {
  readonly file: string;

  constructor(env: NodeJS.ProcessEnv = process.env) {
    this.file = path.join(configDir(env), "progress.json");
  }

  load(): LoadedProgress {
    if (!existsSync(this.file)) return { progress: emptyProgress() };
    let data: unknown;
    try {
      data = JSON.parse(readFileSync(this.file, "utf8"));
    } catch {
      return { progress: emptyProgress(), notice: this.setAside("could not be read as JSON") };
    }
    const problem = validate(data);
    if (problem) return { progress: emptyProgress(), notice: this.setAside(problem) };
    return { progress: data as Progress };
  }

  /** Written to a temporary file and renamed, so an interrupted write never leaves half a file. */
  save(progress: Progress): void {
    mkdirSync(path.dirname(this.file), { recursive: true });
    const tmp = `${this.file}.${process.pid}.tmp`;
    writeFileSync(tmp, JSON.stringify(progress, null, 2) + "\n");
    renameSync(tmp, this.file);
  }

  update(change: (p: Progress) => void): Progress {
    const { progress } = this.load();
    change(progress);
    this.save(progress);
    return progress;
  }

  private setAside(why: string): string {
    const aside = `${this.file}.${new Date().toISOString().replace(/[:.]/g, "-")}.bad`;
    renameSync(this.file, aside);
    return `your progress file ${why}; it was kept as ${aside} and progress starts afresh`;
  }
}

function validate(data: unknown): string | undefined {
  if (!data || typeof data !== "object" || Array.isArray(data)) return "is not a progress record";
  const d = data as Partial<Progress>;
  if (typeof d.version !== "number") return "has no version";
  if (d.version > PROGRESS_VERSION) return `was written by a newer redis-learn (format ${d.version}; this one reads ${PROGRESS_VERSION})`;
  if (d.version < 1) return `has an unknown format ${d.version}`;
  if (!d.lessons || typeof d.lessons !== "object" || !d.quizzes || typeof d.quizzes !== "object") return "is missing its lessons or quizzes";
  return undefined;
}
