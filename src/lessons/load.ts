import { readFileSync } from "node:fs";
import path from "node:path";
import { LessonFormatError, UserError } from "../errors.js";
import { parserVersion } from "../package-root.js";
import { LessonCache, lessonHash, summarize, type LessonSummary } from "./cache.js";
import type { LessonProblem } from "./parse.js";
import type { Lesson } from "./schema.js";
import { BUILT_DIR, LESSONS_DIR, PARSED_LESSONS_FILE, builtRecord, lessonFiles, shippedSummaries } from "./shipped.js";

const cache = new LessonCache(path.join(BUILT_DIR, PARSED_LESSONS_FILE));

/** Thrown with every problem of one or more files; each line is file:line:column: field: message. */
export class LessonProblems extends LessonFormatError {
  constructor(readonly problems: LessonProblem[]) {
    const first = problems[0] as LessonProblem;
    super(first.message, first.file, first.line, first.column);
    this.message = problems.map((p) => `${p.file}:${p.line}:${p.column}: ${p.field ? `${p.field}: ` : ""}${p.message}`).join("\n");
  }
}

/** Reads one lesson file, parsing it unless the same text was parsed before. */
export async function loadLessonFile(file: string, displayName = displayPath(file)): Promise<Lesson> {
  let bytes: Buffer;
  try {
    bytes = readFileSync(file);
  } catch (err) {
    throw new UserError(`cannot read lesson ${displayName}: ${(err as NodeJS.ErrnoException).code ?? String(err)}`);
  }
  const text = bytes.toString("utf8");
  const hash = builtRecord(path.resolve(file), bytes)?.hash ?? lessonHash(text, parserVersion());
  const cached = cache.get(hash);
  if (cached) return { ...cached, file: displayName };
  // The YAML parser is loaded only when a lesson is not in the cache.
  const { parseLesson } = await import("./parse.js");
  const result = parseLesson(bytes, displayName);
  if (!result.ok) throw new LessonProblems(result.problems);
  const { file: _file, ...stored } = result.lesson;
  cache.put(hash, stored);
  return result.lesson;
}

/** Every lesson in lessons/, in file-name order (01-strings.yaml, 02-lists.yaml, ...). */
export async function loadAllLessons(dir = LESSONS_DIR): Promise<Lesson[]> {
  const files = lessonFiles(dir);
  const lessons: Lesson[] = [];
  const problems: LessonProblem[] = [];
  for (const f of files) {
    try {
      lessons.push(await loadLessonFile(path.join(dir, f)));
    } catch (err) {
      if (err instanceof LessonProblems) problems.push(...err.problems);
      else throw err;
    }
  }
  if (problems.length) throw new LessonProblems(problems);
  const seen = new Map<string, string>();
  for (const l of lessons) {
    const other = seen.get(l.id);
    if (other) throw new UserError(`two lessons have the id "${l.id}": ${other} and ${l.file}`);
    seen.set(l.id, l.file);
  }
  return lessons;
}

/**
 * What list, progress and the home screen show of every lesson: the build's record when
 * every shipped file is unchanged, otherwise every lesson loaded (and checked) in full, so
 * that problems are reported as loadAllLessons reports them.
 */
export async function lessonSummaries(dir = LESSONS_DIR): Promise<LessonSummary[]> {
  return shippedSummaries(dir) ?? (await loadAllLessons(dir)).map((l) => summarize(l));
}

/** A lesson by id ("lists"), or a path to a file of one's own ("./my-lesson.yaml"). */
export async function findLesson(name: string, dir = LESSONS_DIR): Promise<Lesson> {
  if (looksLikePath(name)) return loadLessonFile(path.resolve(name), name);
  const lessons = await loadAllLessons(dir);
  const lesson = lessons.find((l) => l.id === name);
  if (!lesson) {
    throw new UserError(`no lesson "${name}". Lessons: ${lessons.map((l) => l.id).join(", ")} (or give a path to a .yaml file)`);
  }
  return lesson;
}

function looksLikePath(name: string): boolean {
  return name.includes("/") || name.includes(path.sep) || /\.ya?ml$/.test(name);
}

/** lessons/02-lists.yaml rather than an absolute path, when the file is inside the project. */
function displayPath(file: string): string {
  const root = path.dirname(LESSONS_DIR);
  const rel = path.relative(root, file);
  const fromCwd = path.relative(process.cwd(), file);
  if (!rel.startsWith("..")) return rel;
  return fromCwd.startsWith("..") ? file : fromCwd;
}
