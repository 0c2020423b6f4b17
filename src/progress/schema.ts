import { LAST_BOX } from "./leitner.js";

/**
 * The progress file's format, and how a file read from disk is checked field by field.
 * Version 1 had lessons and quizzes; version 2 adds the review boxes (leitner.ts). A
 * version 1 file is read as version 2 (migrate.ts) and written as version 2 next time.
 */
export const PROGRESS_VERSION = 2;

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

/** One question's place in the review schedule. */
export interface ReviewEntry {
  /** 1 to LAST_BOX: which interval comes next (leitner.ts BOX_DAYS). */
  box: number;
  /** ISO time from which the question is due again. */
  due: string;
  /** ISO time of the answer that put it here. */
  lastAnswered: string;
}

export interface Progress {
  version: number;
  lessons: Record<string, LessonProgress>;
  quizzes: Record<string, QuizProgress>;
  /** Per lesson id, per question id. */
  reviews: Record<string, Record<string, ReviewEntry>>;
}

export function emptyProgress(): Progress {
  return { version: PROGRESS_VERSION, lessons: {}, quizzes: {}, reviews: {} };
}

/** A file's data, checked: what could be kept, and a line for each entry left out. */
export type Checked = { ok: true; version: number; progress: Progress; dropped: string[] } | { ok: false; problem: string };

/** Ids are used as object keys: ones that would reach the prototype, or absurd ones, are refused. */
const MAX_ID_LENGTH = 200;
const FORBIDDEN_IDS = new Set(["__proto__", "constructor", "prototype"]);
/** Steps, scores and counts beyond this are damage, not progress. */
const MAX_COUNT = 1_000_000;

type Field = (value: unknown) => string | undefined;

const count: Field = (v) => (typeof v === "number" && Number.isInteger(v) && v >= 0 && v <= MAX_COUNT ? undefined : `${show(v)} is not a whole number from 0 to ${MAX_COUNT}`);
const flag: Field = (v) => (typeof v === "boolean" ? undefined : `${show(v)} is not true or false`);
/** When an entry was last changed: only ever shown or sorted, so any short text will do (nothing is dropped for it). */
const stamp: Field = (v) => (typeof v === "string" && v.length <= 64 ? undefined : `${show(v)} is not a time`);
/** Review dates are computed with, so they must be dates. */
const time: Field = (v) => (typeof v === "string" && v.length <= 64 && !Number.isNaN(Date.parse(v)) ? undefined : `${show(v)} is not a date`);
const box: Field = (v) => (typeof v === "number" && Number.isInteger(v) && v >= 1 && v <= LAST_BOX ? undefined : `${show(v)} is not a box from 1 to ${LAST_BOX}`);
const ids: Field = (v) => (Array.isArray(v) && v.every((x) => typeof x === "string" && idProblem(x) === undefined) ? undefined : `${show(v)} is not a list of question ids`);

const LESSON_FIELDS: Record<keyof LessonProgress, Field> = { step: count, completed: flag, updatedAt: stamp };
const QUIZ_FIELDS: Record<keyof QuizProgress, Field> = { lastScore: count, bestScore: count, total: count, missed: ids, taken: count, updatedAt: stamp };
const REVIEW_FIELDS: Record<keyof ReviewEntry, Field> = { box, due: time, lastAnswered: time };

/** Checks data parsed from a progress file, of any version this program reads. */
export function checkProgress(data: unknown): Checked {
  if (!isRecord(data)) return { ok: false, problem: "is not a progress record" };
  const version = data.version;
  if (typeof version !== "number" || !Number.isInteger(version)) return { ok: false, problem: "has no version" };
  if (version > PROGRESS_VERSION) return { ok: false, problem: `was written by a newer redis-learn (format ${version}; this one reads ${PROGRESS_VERSION})` };
  if (version < 1) return { ok: false, problem: `has an unknown format ${version}` };
  if (!isRecord(data.lessons) || !isRecord(data.quizzes)) return { ok: false, problem: "is missing its lessons or quizzes" };
  if (version >= 2 && !isRecord(data.reviews)) return { ok: false, problem: "is missing its review schedule" };

  const dropped: string[] = [];
  const lessons = entries(data.lessons, "lessons", dropped, (v, where) => record<LessonProgress>(v, LESSON_FIELDS, where, dropped));
  const quizzes = entries(data.quizzes, "quizzes", dropped, (v, where) => record<QuizProgress>(v, QUIZ_FIELDS, where, dropped));
  const reviews =
    version >= 2 && isRecord(data.reviews)
      ? entries<Record<string, ReviewEntry>>(data.reviews, "reviews", dropped, (v, where) => {
          if (!isRecord(v)) {
            dropped.push(`${where}: ${show(v)} is not a set of questions`);
            return undefined;
          }
          return entries(v, where, dropped, (e, at) => record<ReviewEntry>(e, REVIEW_FIELDS, at, dropped));
        })
      : {};
  return { ok: true, version, progress: { version, lessons, quizzes, reviews }, dropped };
}

/** Keeps the entries whose id and value pass; each one left out is said in `dropped`. */
function entries<T>(object: Record<string, unknown>, where: string, dropped: string[], check: (v: unknown, where: string) => T | undefined): Record<string, T> {
  const kept: [string, T][] = [];
  for (const [id, value] of Object.entries(object)) {
    const bad = idProblem(id);
    if (bad) {
      dropped.push(`${where}: ${bad}`);
      continue;
    }
    const checked = check(value, `${where}.${id}`);
    if (checked !== undefined) kept.push([id, checked]);
  }
  return Object.fromEntries(kept) as Record<string, T>;
}

/** A copy holding exactly the known fields, or undefined (and a line in `dropped`) when one is wrong. */
function record<T>(value: unknown, fields: Record<keyof T, Field>, where: string, dropped: string[]): T | undefined {
  if (!isRecord(value)) {
    dropped.push(`${where}: ${show(value)} is not a record`);
    return undefined;
  }
  const copy: Record<string, unknown> = {};
  for (const [name, check] of Object.entries(fields) as [string, Field][]) {
    const problem = value[name] === undefined ? "missing" : check(value[name]);
    if (problem) {
      dropped.push(`${where}.${name}: ${problem}`);
      return undefined;
    }
    copy[name] = Array.isArray(value[name]) ? [...(value[name] as unknown[])] : value[name];
  }
  return copy as T;
}

function idProblem(id: string): string | undefined {
  if (!id || id.length > MAX_ID_LENGTH || FORBIDDEN_IDS.has(id) || /[\u0000-\u001f]/.test(id)) return `${show(id)} is not an id`;
  return undefined;
}

function isRecord(v: unknown): v is Record<string, unknown> {
  return typeof v === "object" && v !== null && !Array.isArray(v);
}

/** A value as the learner would see it in the file, cut short. */
function show(v: unknown): string {
  const text = v === undefined ? "nothing" : JSON.stringify(v);
  return text.length > 40 ? `${text.slice(0, 37)}...` : text;
}
