import { mkdirSync, readFileSync, renameSync, writeFileSync } from "node:fs";
import os from "node:os";
import path from "node:path";
import type { CommandLine, Lesson } from "./schema.js";
import { FORMAT_VERSION } from "./schema.js";

/**
 * Parsed lessons, kept by the hash of their text, so that listing lessons or starting
 * one does not load and run the YAML parser every time. The shipped lessons are parsed
 * at build time (dist/lesson-cache.json); others are cached in the user's cache folder
 * the first time they parse cleanly. A changed file has a new hash and is parsed again.
 */
export type StoredLesson = Omit<Lesson, "file">;

/** What list, progress and the home screen need of a lesson: no commands, no steps' text. */
export interface LessonSummary {
  id: string;
  title: string;
  summary: string;
  requires: Lesson["requires"];
  steps: number;
  questions: number;
}

export function summarize(lesson: Omit<Lesson, "file">): LessonSummary {
  return { id: lesson.id, title: lesson.title, summary: lesson.summary, requires: lesson.requires, steps: lesson.steps.length, questions: lesson.quiz.length };
}

/** The build's cache: the shipped lessons, parsed, by hash (see shipped.ts for how a file finds its hash). */
export interface BundledCache {
  lessons: Record<string, string>;
}

/**
 * A key for a lesson's text: its length and two independent 32-bit hashes (FNV-1a and
 * djb2). Plenty to tell the versions of a file apart, and unlike node:crypto it costs
 * no module load, which `list` would otherwise pay on every start.
 */
export function lessonHash(text: string, parserVersion: string): string {
  const input = `${FORMAT_VERSION}\0${parserVersion}\0${text}`;
  let fnv = 0x811c9dc5;
  let djb = 5381;
  for (let i = 0; i < input.length; i++) {
    const c = input.charCodeAt(i);
    fnv = Math.imul(fnv ^ c, 0x01000193) >>> 0;
    djb = (Math.imul(djb, 33) + c) >>> 0;
  }
  return `${input.length.toString(16)}-${fnv.toString(16).padStart(8, "0")}${djb.toString(16).padStart(8, "0")}`;
}

/** Buffers (command arguments) travel as base64 in JSON. */
export function serializeLesson(lesson: StoredLesson): string {
  return JSON.stringify(lesson, (_key, value: unknown) => {
    if (value && typeof value === "object" && (value as { type?: string }).type === "Buffer" && Array.isArray((value as { data?: unknown }).data)) {
      return { $b64: Buffer.from((value as { data: number[] }).data).toString("base64") };
    }
    return value;
  });
}

/** The inverse of serializeLesson. Only command arguments hold bytes, so only they are revived (a reviver over every value is slow). */
export function deserializeLesson(text: string): StoredLesson {
  const lesson = JSON.parse(text) as StoredLesson;
  const revive = (cmd: CommandLine): void => {
    cmd.args = (cmd.args as unknown as { $b64: string }[]).map((a) => Buffer.from(a.$b64, "base64"));
  };
  for (const step of lesson.steps) step.run.forEach(revive);
  for (const q of lesson.quiz) {
    if (q.kind === "predict") [...q.setup, ...q.show, q.ask].forEach(revive);
    if (q.kind === "do") {
      // A lesson cached by an older build has no rules: read as none (it parses again once its text changes).
      q.require ??= [];
      q.forbid ??= [];
      q.writes ??= [];
      q.wrong ??= [];
      [...q.setup, ...q.solution, ...q.wrong.flatMap((w) => w.commands)].forEach(revive);
    }
  }
  return lesson;
}

export class LessonCache {
  private bundledCache: BundledCache | undefined;

  constructor(
    private readonly bundledFile: string,
    private readonly env: NodeJS.ProcessEnv = process.env,
  ) {}

  private userFile(hash: string): string {
    const base = this.env.XDG_CACHE_HOME || path.join(os.homedir(), ".cache");
    return path.join(base, "redis-learn", "lessons", `${hash}.json`);
  }

  get bundled(): BundledCache {
    if (!this.bundledCache) {
      try {
        this.bundledCache = JSON.parse(readFileSync(this.bundledFile, "utf8")) as BundledCache;
      } catch {
        this.bundledCache = { lessons: {} };
      }
    }
    return this.bundledCache;
  }

  get(hash: string): StoredLesson | undefined {
    const hit = this.bundled.lessons[hash];
    if (hit) return deserializeLesson(hit);
    try {
      return deserializeLesson(readFileSync(this.userFile(hash), "utf8"));
    } catch {
      return undefined;
    }
  }

  /** Best effort: a cache that cannot be written only costs time. */
  put(hash: string, lesson: StoredLesson): void {
    try {
      const file = this.userFile(hash);
      mkdirSync(path.dirname(file), { recursive: true });
      const tmp = `${file}.${process.pid}.tmp`;
      writeFileSync(tmp, serializeLesson(lesson));
      renameSync(tmp, file);
    } catch {
      // Read-only home, full disk: parse again next time.
    }
  }
}
