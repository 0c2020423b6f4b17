import { execFileSync } from "node:child_process";
import { existsSync, lstatSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, symlinkSync, truncateSync, writeFileSync } from "node:fs";
import os from "node:os";
import path from "node:path";
import { afterEach, describe, expect, it } from "vitest";
import { checkProgress, emptyProgress, PROGRESS_VERSION } from "../../src/progress/schema.js";
import { MAX_PROGRESS_BYTES, ProgressStore } from "../../src/progress/store.js";
import { adviceFor } from "../../src/progress/file-errors.js";
import { UserError } from "../../src/errors.js";
import { ROOT } from "../helpers/cli.js";

const NOW = new Date("2026-12-01T12:00:00.000Z");
const V1_FIXTURE = path.join(ROOT, "test/fixtures/progress/v1.json");

const lesson = { step: 3, completed: false, updatedAt: "2026-11-20T10:00:00.000Z" };
const quiz = { lastScore: 2, bestScore: 3, total: 4, missed: ["a"], taken: 2, updatedAt: "2026-11-20T10:00:00.000Z" };
const box = { box: 2, due: "2026-11-23T10:00:00.000Z", lastAnswered: "2026-11-20T10:00:00.000Z" };
const v2 = (over: Record<string, unknown>): unknown => ({ version: 2, lessons: { lists: lesson }, quizzes: { lists: quiz }, reviews: { lists: { a: box } }, ...over });

describe("checking a progress file field by field", () => {
  it.each<[string, unknown, RegExp]>([
    ["a quiz with no fields (crashed `progress` with a TypeError)", v2({ quizzes: { lists: quiz, strings: {} } }), /^quizzes\.strings\.lastScore: missing$/],
    ["a step of 2.5 (printed lines of undefined)", v2({ lessons: { lists: lesson, strings: { ...lesson, step: 2.5 } } }), /^lessons\.strings\.step: 2\.5 is not a whole number/],
    ["a negative step", v2({ lessons: { lists: lesson, strings: { ...lesson, step: -1 } } }), /^lessons\.strings\.step: -1 is not/],
    ["a step given as text", v2({ lessons: { lists: lesson, strings: { ...lesson, step: "3" } } }), /^lessons\.strings\.step: "3" is not/],
    ["a huge step", v2({ lessons: { lists: lesson, strings: { ...lesson, step: 1e300 } } }), /^lessons\.strings\.step: 1e\+300 is not/],
    ["completed that is not a boolean", v2({ lessons: { lists: lesson, strings: { ...lesson, completed: "yes" } } }), /^lessons\.strings\.completed: "yes" is not true or false$/],
    ["a time that is not text", v2({ lessons: { lists: lesson, strings: { ...lesson, updatedAt: 5 } } }), /^lessons\.strings\.updatedAt: 5 is not a time$/],
    ["a lesson that is a number", v2({ lessons: { lists: lesson, strings: 7 } }), /^lessons\.strings: 7 is not a record$/],
    ["a lesson that is null", v2({ lessons: { lists: lesson, strings: null } }), /^lessons\.strings: null is not a record$/],
    ["missed that is text", v2({ quizzes: { lists: quiz, strings: { ...quiz, missed: "a" } } }), /^quizzes\.strings\.missed: "a" is not a list of question ids$/],
    ["missed holding a number", v2({ quizzes: { lists: quiz, strings: { ...quiz, missed: ["a", 3] } } }), /^quizzes\.strings\.missed: \["a",3\] is not a list/],
    ["a NaN-like score", v2({ quizzes: { lists: quiz, strings: { ...quiz, bestScore: null } } }), /^quizzes\.strings\.bestScore: null is not/],
    ["a review box of 0", v2({ reviews: { lists: { a: box, b: { ...box, box: 0 } } } }), /^reviews\.lists\.b\.box: 0 is not a box from 1 to 4$/],
    ["a review box of 5", v2({ reviews: { lists: { a: box, b: { ...box, box: 5 } } } }), /^reviews\.lists\.b\.box: 5 is not a box/],
    ["a review due date that is not one", v2({ reviews: { lists: { a: box, b: { ...box, due: "soon" } } } }), /^reviews\.lists\.b\.due: "soon" is not a date$/],
    ["a lesson's reviews that are a list", v2({ reviews: { lists: { a: box }, strings: [box] } }), /^reviews\.strings: \[.* is not a set of questions$/],
    ["an id that reaches the prototype", JSON.parse(`{"version":2,"lessons":{"lists":${JSON.stringify(lesson)},"__proto__":${JSON.stringify(lesson)}},"quizzes":{"lists":${JSON.stringify(quiz)}},"reviews":{"lists":{"a":${JSON.stringify(box)}}}}`), /^lessons: "__proto__" is not an id$/],
  ])("%s: only that entry is left out", (_name, data, dropped) => {
    const checked = checkProgress(data);
    if (!checked.ok) throw new Error(checked.problem);
    expect(checked.dropped).toHaveLength(1);
    expect(checked.dropped[0]).toMatch(dropped);
    // The good entries are all still there.
    expect(checked.progress.lessons.lists).toEqual(lesson);
    expect(checked.progress.quizzes.lists).toEqual(quiz);
    expect(checked.progress.reviews.lists?.a).toEqual(box);
    expect(Object.getPrototypeOf(checked.progress.lessons)).toBe(Object.prototype);
  });

  it.each<[string, unknown, RegExp]>([
    ["a list", [1, 2], /is not a progress record/],
    ["null", null, /is not a progress record/],
    ["no version", { lessons: {}, quizzes: {} }, /has no version/],
    ["a version given as text", { version: "1", lessons: {}, quizzes: {} }, /has no version/],
    ["a newer version", { version: 99, lessons: {}, quizzes: {} }, /written by a newer redis-learn \(format 99/],
    ["version 0", { version: 0, lessons: {}, quizzes: {} }, /unknown format 0/],
    ["lessons that are a list", { version: 1, lessons: [], quizzes: {} }, /missing its lessons or quizzes/],
    ["quizzes that are missing", { version: 1, lessons: {} }, /missing its lessons or quizzes/],
    ["version 2 without reviews", { version: 2, lessons: {}, quizzes: {} }, /missing its review schedule/],
  ])("%s: the whole file is refused", (_name, data, problem) => {
    const checked = checkProgress(data);
    expect(checked.ok).toBe(false);
    if (!checked.ok) expect(checked.problem).toMatch(problem);
  });

  it("fields it does not know are not kept", () => {
    const checked = checkProgress(v2({ lessons: { lists: { ...lesson, extra: "x" } }, other: 1 }));
    expect(checked.ok && checked.progress.lessons.lists).toEqual(lesson);
    expect(checked.ok && Object.keys(checked.progress)).toEqual(["version", "lessons", "quizzes", "reviews"]);
  });
});

describe("the progress file on disk", () => {
  const dirs: string[] = [];
  afterEach(() => dirs.splice(0).forEach((d) => rmSync(d, { recursive: true, force: true })));
  const storeIn = (): { store: ProgressStore; dir: string; folder: string } => {
    const dir = mkdtempSync(path.join(os.tmpdir(), "rl-progress-file-"));
    dirs.push(dir);
    const folder = path.join(dir, "redis-learn");
    mkdirSync(folder);
    return { store: new ProgressStore({ XDG_CONFIG_HOME: dir }, () => NOW), dir, folder };
  };
  const files = (folder: string): string[] => readdirSync(folder).sort();

  it("a version 1 file loses nothing: every step, flag, score and missed id survives, and missed ones are due now", () => {
    const { store, folder } = storeIn();
    const original = readFileSync(V1_FIXTURE, "utf8");
    writeFileSync(store.file, original);
    const v1 = JSON.parse(original) as { lessons: Record<string, unknown>; quizzes: Record<string, { missed: string[]; updatedAt: string }> };

    const { progress, notice } = store.load();
    expect(notice).toBeUndefined();
    expect(progress.version).toBe(PROGRESS_VERSION);
    expect(progress.lessons).toEqual(v1.lessons);
    expect(progress.quizzes).toEqual(v1.quizzes);
    const due = Object.entries(v1.quizzes).flatMap(([lesson, q]) => q.missed.map((id) => [lesson, id, q.updatedAt] as const));
    expect(due.length).toBeGreaterThan(0);
    for (const [lesson, id, updatedAt] of due) expect(progress.reviews[lesson]?.[id]).toEqual({ box: 1, due: NOW.toISOString(), lastAnswered: updatedAt });
    expect(Object.values(progress.reviews).flatMap((r) => Object.keys(r))).toHaveLength(due.length);
    // Read only: the file stays as it was until something is saved ...
    expect(readFileSync(store.file, "utf8")).toBe(original);

    // ... and then it is version 2, with all of it.
    store.update(() => {});
    const saved = JSON.parse(readFileSync(store.file, "utf8")) as { version: number; lessons: unknown; quizzes: unknown; reviews: unknown };
    expect(saved).toEqual({ version: 2, lessons: v1.lessons, quizzes: v1.quizzes, reviews: progress.reviews });
    expect(files(folder)).toEqual(["progress.json"]);
  });

  it("a damaged entry is left out and reported once; the rest is kept and the original is kept as *.bad", () => {
    const { store, folder } = storeIn();
    const damaged = JSON.stringify({ version: 1, lessons: { lists: lesson, strings: { ...lesson, step: 2.5 } }, quizzes: { lists: quiz, strings: {} } });
    writeFileSync(store.file, damaged);
    const first = store.load();
    expect(first.notice).toMatch(/^your progress file had 2 damaged entries, left out \(lessons\.strings\.step: .*; quizzes\.strings\.lastScore: missing\); the rest is kept, and the original is in .*\.bad$/);
    expect(first.progress.lessons).toEqual({ lists: lesson });
    expect(first.progress.quizzes).toEqual({ lists: quiz });
    const bad = files(folder).filter((f) => f.endsWith(".bad"));
    expect(bad).toHaveLength(1);
    expect(readFileSync(path.join(folder, bad[0] as string), "utf8")).toBe(damaged);
    // Said once: the file now holds what was kept.
    const second = store.load();
    expect(second.notice).toBeUndefined();
    expect(second.progress).toEqual(first.progress);
  });

  it.each<[string, (file: string) => void, RegExp]>([
    ["a named pipe (must not hang)", (f) => execFileSync("mkfifo", [f]), /is not a regular file \(a named pipe\)/],
    ["a link to /dev/zero (must not read forever)", (f) => symlinkSync("/dev/zero", f), /is not a regular file \(a device\)/],
    ["a folder", (f) => mkdirSync(f), /is not a regular file \(a folder\)/],
    ["100 MB (must not be read into memory)", (f) => (writeFileSync(f, ""), truncateSync(f, 100 * 1024 * 1024)), /is larger than 4 MiB/],
    ["a loop of links", (f) => symlinkSync(path.basename(f), f), /loop of symbolic links/],
    ["not JSON", (f) => writeFileSync(f, "{not json"), /could not be read as JSON/],
  ])("that is %s is set aside and progress starts afresh", (_name, make, notice) => {
    const { store, folder } = storeIn();
    make(store.file);
    const loaded = store.load();
    expect(loaded.notice).toMatch(notice);
    expect(loaded.progress).toEqual(emptyProgress());
    expect(files(folder).filter((f) => f.endsWith(".bad"))).toHaveLength(1);
    expect(existsSync(store.file)).toBe(false);
    store.update(() => {});
    expect(lstatSync(store.file).isFile()).toBe(true);
  });

  it("reads up to its size limit", () => {
    expect(MAX_PROGRESS_BYTES).toBe(4 * 1024 * 1024);
  });

  it("never writes through a symbolic link: it says so and leaves the target alone", () => {
    const { store, dir, folder } = storeIn();
    const target = path.join(dir, "elsewhere.json");
    const content = JSON.stringify({ version: 2, lessons: { lists: lesson }, quizzes: {}, reviews: {} });
    writeFileSync(target, content);
    symlinkSync(target, store.file);
    expect(store.load().progress.lessons.lists).toEqual(lesson); // read through it, since it is a regular file
    expect(() => store.update((p) => (p.lessons.strings = lesson))).toThrow(/progress\.json is a symbolic link \(to .*elsewhere\.json\), and redis-learn never writes through one/);
    expect(readFileSync(target, "utf8")).toBe(content);
    expect(lstatSync(store.file).isSymbolicLink()).toBe(true);
    expect(files(folder)).toEqual(["progress.json"]);
  });

  it("removes its temporary file when a write fails, and says what to do", () => {
    const { store, folder } = storeIn();
    mkdirSync(store.file);
    writeFileSync(path.join(store.file, "inside"), "x"); // a folder in the way: the rename fails
    expect(() => store.save(emptyProgress())).toThrow(UserError);
    expect(() => store.save(emptyProgress())).toThrow(/^could not save your progress to .*progress\.json: it is a folder; move it away$/);
    expect(files(folder)).toEqual(["progress.json"]);
  });

  it("a config folder that is a file: what to do, not ENOTDIR", () => {
    const dir = mkdtempSync(path.join(os.tmpdir(), "rl-progress-file-"));
    dirs.push(dir);
    const file = path.join(dir, "not-a-folder");
    writeFileSync(file, "");
    const store = new ProgressStore({ XDG_CONFIG_HOME: file });
    expect(() => store.save(emptyProgress())).toThrow(/^could not save your progress to .*: part of .* is a file, not a folder; move that file away, or set XDG_CONFIG_HOME/);
    expect(() => store.load()).toThrow(/^could not read your progress from .*: part of .* is a file, not a folder/);
  });

  it("a temporary file left by an earlier run with the same process id does not stop a save", () => {
    const { store, folder } = storeIn();
    writeFileSync(`${store.file}.${process.pid}.tmp`, "half");
    store.save(emptyProgress());
    expect(files(folder)).toEqual(["progress.json"]);
  });

  it.each<[string, RegExp]>([
    ["ENOSPC", /^the disk is full; free some space/],
    ["EDQUOT", /quota is used up/],
    ["EACCES", /^you are not allowed to write there; check the permissions of \/cfg/],
    ["EPERM", /not allowed to write there/],
    ["EROFS", /read-only file system; set XDG_CONFIG_HOME/],
    ["ENOTDIR", /part of \/cfg is a file, not a folder/],
    ["ENOENT", /\/cfg could not be found or made/],
    ["EIO", /input\/output error/],
    ["EWHATEVER", /the system said EWHATEVER/],
  ])("%s is said as what to do", (code, advice) => {
    const err = Object.assign(new Error(`${code}: raw text`), { code });
    expect(adviceFor(err, "/cfg")).toMatch(advice);
    expect(adviceFor(err, "/cfg")).not.toContain("raw text");
  });
});
