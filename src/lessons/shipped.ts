import { readdirSync, readFileSync } from "node:fs";
import path from "node:path";
import { packageRoot } from "../package-root.js";
import type { LessonSummary } from "./cache.js";

/**
 * The build's record of the lessons that ship with redis-learn. For each file in lessons/
 * that parsed cleanly, dist/shipped-lessons.json holds the hash of its parsed form (in
 * dist/lesson-cache.json) and its summary, and dist/lesson-sources holds a byte-for-byte
 * copy. "Unchanged since the build" is then a plain comparison of bytes: no hashing, no
 * parsing, and it holds whatever happened to the files' times (copies, packing). Kept
 * apart from the parsed lessons so that `list` reads a small file, not all of them.
 */
export interface ShippedRecord {
  hash: string;
  summary: LessonSummary;
}

/** The lessons that ship with redis-learn, in its own folder. */
export const LESSONS_DIR = path.join(packageRoot(), "lessons");
export const BUILT_DIR = path.join(packageRoot(), "dist");
export const SHIPPED_RECORD_FILE = "shipped-lessons.json";
export const PARSED_LESSONS_FILE = "lesson-cache.json";
export const SHIPPED_SOURCES_DIR = "lesson-sources";

let records: Record<string, ShippedRecord> | undefined;

function shippedRecords(): Record<string, ShippedRecord> {
  if (!records) {
    try {
      records = JSON.parse(readFileSync(path.join(BUILT_DIR, SHIPPED_RECORD_FILE), "utf8")) as Record<string, ShippedRecord>;
    } catch {
      // Running from source, or a build that did not finish: every lesson is loaded in full.
      records = {};
    }
  }
  return records;
}

/** The build's record of a shipped lesson file, if the file is still byte for byte what the build parsed. */
export function builtRecord(file: string, bytes: Buffer): ShippedRecord | undefined {
  if (path.dirname(file) !== LESSONS_DIR) return undefined;
  const name = path.basename(file);
  const record = shippedRecords()[name];
  if (!record) return undefined;
  try {
    return readFileSync(path.join(BUILT_DIR, SHIPPED_SOURCES_DIR, name)).equals(bytes) ? record : undefined;
  } catch {
    return undefined;
  }
}

/** The lesson files in a folder, in the order lessons are listed (01-strings.yaml, 02-lists.yaml, ...). */
export function lessonFiles(dir: string): string[] {
  return readdirSync(dir).filter((f) => /\.ya?ml$/.test(f)).sort();
}

/**
 * The summaries of every lesson in lessons/ when each file is the one the build parsed;
 * undefined when any is not (or anything cannot be read), so that the caller loads and
 * checks them in full. Never throws: it only decides whether a shortcut may be taken.
 */
export function shippedSummaries(dir = LESSONS_DIR): LessonSummary[] | undefined {
  try {
    const out: LessonSummary[] = [];
    for (const f of lessonFiles(dir)) {
      const file = path.join(dir, f);
      const record = builtRecord(file, readFileSync(file));
      if (!record) return undefined;
      out.push(record.summary);
    }
    return out;
  } catch {
    return undefined;
  }
}
