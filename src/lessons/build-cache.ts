import { copyFileSync, mkdirSync, readdirSync, readFileSync, writeFileSync } from "node:fs";
import path from "node:path";
import { fileURLToPath } from "node:url";
import { parseLesson } from "./parse.js";
import { lessonHash, serializeLesson, summarize, type BundledCache } from "./cache.js";
import { LESSONS_DIR } from "./load.js";
import { packageVersion } from "../package-root.js";

// Run by the build: parses the shipped lessons once and writes dist/lesson-cache.json.
// A lesson that does not parse is left out; redis-learn then reports its problems at run time.
const out: BundledCache = { lessons: {}, files: {} };
const version = packageVersion();
const dist = path.dirname(fileURLToPath(import.meta.url));
mkdirSync(path.join(dist, "lesson-sources"), { recursive: true });
for (const name of readdirSync(LESSONS_DIR).filter((f) => /\.ya?ml$/.test(f))) {
  const file = path.join(LESSONS_DIR, name);
  const text = readFileSync(file, "utf8");
  const result = parseLesson(text, name);
  if (!result.ok) continue;
  const { file: _file, ...stored } = result.lesson;
  const hash = lessonHash(text, version);
  out.lessons[hash] = serializeLesson(stored);
  out.files[name] = { hash, summary: summarize(stored) };
  copyFileSync(file, path.join(dist, "lesson-sources", name));
}
writeFileSync(path.join(dist, "lesson-cache.json"), JSON.stringify(out));
