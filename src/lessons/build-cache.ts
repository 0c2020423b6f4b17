import { readdirSync, readFileSync, writeFileSync } from "node:fs";
import path from "node:path";
import { fileURLToPath } from "node:url";
import { parseLesson } from "./parse.js";
import { lessonHash, serializeLesson } from "./cache.js";
import { LESSONS_DIR } from "./load.js";
import { packageVersion } from "../package-root.js";

// Run by the build: parses the shipped lessons once and writes dist/lesson-cache.json.
// A lesson that does not parse is left out; redis-learn then reports its problems at run time.
const out: Record<string, string> = {};
const version = packageVersion();
for (const name of readdirSync(LESSONS_DIR).filter((f) => /\.ya?ml$/.test(f))) {
  const text = readFileSync(path.join(LESSONS_DIR, name), "utf8");
  const result = parseLesson(text, name);
  if (!result.ok) continue;
  const { file: _file, ...stored } = result.lesson;
  out[lessonHash(text, version)] = serializeLesson(stored);
}
writeFileSync(path.join(path.dirname(fileURLToPath(import.meta.url)), "lesson-cache.json"), JSON.stringify(out));
