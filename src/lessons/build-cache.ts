import { mkdirSync, readFileSync, writeFileSync } from "node:fs";
import path from "node:path";
import { parseLesson } from "./parse.js";
import { lessonHash, serializeLesson, summarize, type BundledCache } from "./cache.js";
import { BUILT_DIR, LESSONS_DIR, PARSED_LESSONS_FILE, SHIPPED_RECORD_FILE, SHIPPED_SOURCES_DIR, lessonFiles, type ShippedRecord } from "./shipped.js";
import { parserVersion } from "../package-root.js";

// Run by the build: parses the shipped lessons once and writes dist/lesson-cache.json (the
// parsed lessons) and dist/shipped-lessons.json (each file's hash and summary), with a copy
// of each file in dist/lesson-sources. A lesson that does not parse is left out; redis-learn
// then reports its problems at run time.
const cache: BundledCache = { lessons: {} };
const shipped: Record<string, ShippedRecord> = {};
const version = parserVersion();
mkdirSync(path.join(BUILT_DIR, SHIPPED_SOURCES_DIR), { recursive: true });
for (const name of lessonFiles(LESSONS_DIR)) {
  const file = path.join(LESSONS_DIR, name);
  const bytes = readFileSync(file);
  const text = bytes.toString("utf8");
  const result = parseLesson(bytes, name);
  if (!result.ok) continue;
  const { file: _file, ...stored } = result.lesson;
  const hash = lessonHash(text, version);
  cache.lessons[hash] = serializeLesson(stored);
  shipped[name] = { hash, summary: summarize(stored) };
  // The very bytes that were parsed, so that a file edited during the build never matches.
  writeFileSync(path.join(BUILT_DIR, SHIPPED_SOURCES_DIR, name), bytes);
}
writeFileSync(path.join(BUILT_DIR, PARSED_LESSONS_FILE), JSON.stringify(cache));
writeFileSync(path.join(BUILT_DIR, SHIPPED_RECORD_FILE), JSON.stringify(shipped));
