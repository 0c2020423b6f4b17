import { copyFileSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import os from "node:os";
import path from "node:path";
import { afterEach, describe, expect, it } from "vitest";
import { ROOT, runCli } from "../helpers/cli.js";

/** Piped runs of the real binary, each with a config folder of its own. */
const DAY = 24 * 60 * 60 * 1000;
const dirs: string[] = [];
afterEach(() => dirs.splice(0).forEach((d) => rmSync(d, { recursive: true, force: true })));

function config(content?: string): { env: NodeJS.ProcessEnv; folder: string } {
  const dir = mkdtempSync(path.join(os.tmpdir(), "rl-review-"));
  dirs.push(dir);
  const folder = path.join(dir, "redis-learn");
  mkdirSync(folder);
  if (content !== undefined) writeFileSync(path.join(folder, "progress.json"), content);
  return { env: { XDG_CONFIG_HOME: dir, XDG_STATE_HOME: dir }, folder };
}

const withReview = (due: Date): string =>
  JSON.stringify({ version: 2, lessons: {}, quizzes: {}, reviews: { strings: { "nx-existing": { box: 2, due: due.toISOString(), lastAnswered: new Date().toISOString() } } } });

describe("redis-learn review, piped", () => {
  it("with nothing scheduled says how questions get there, and exits 0", async () => {
    const r = await runCli(["review"], { env: { ...config().env, COLUMNS: "300" } });
    expect(r.stderr).toBe("");
    expect(r.code).toBe(0);
    expect(r.stdout.toString()).toMatch(/^Nothing to review: questions you miss in a quiz \(redis-learn quiz <lesson>\) come back here a day later\.\n$/);
  });

  it("with nothing due yet says when the next question is due, and exits 0", async () => {
    const r = await runCli(["review"], { env: { ...config(withReview(new Date(Date.now() + 2 * DAY + 60_000))).env, COLUMNS: "300" } });
    expect(r.code).toBe(0);
    expect(r.stdout.toString()).toMatch(/^Nothing to review now\. The next question is due in 2 days \(\d{4}-\d\d-\d\d \d\d:\d\d UTC\)\.\n$/);
  });

  it("with questions due needs a terminal, as a quiz does", async () => {
    const r = await runCli(["review"], { env: config(withReview(new Date(Date.now() - 4 * DAY))).env });
    expect(r.code).toBe(1);
    expect(r.stderr).toBe("redis-learn: a review asks you questions, so it needs a terminal: run redis-learn review in one (stdin is not a terminal)\n");
  });

  it("is listed in --help", async () => {
    const r = await runCli(["--help"]);
    expect(r.stdout.toString()).toMatch(/review\s+\[options\]\s+answer the questions that are due again/);
  });
});

describe("redis-learn progress", () => {
  it("of a version 1 file shows everything it held, and how many questions are due", async () => {
    const { env, folder } = config();
    copyFileSync(path.join(ROOT, "test/fixtures/progress/v1.json"), path.join(folder, "progress.json"));
    const r = await runCli(["progress"], { env });
    expect(r.stderr).toBe("");
    expect(r.code).toBe(0);
    const out = r.stdout.toString();
    expect(out).toMatch(/strings .*✓ done .*last 9\/12, best 11\/12, 3 to retry/);
    expect(out).toMatch(/lists .*at step 7 of \d+ .*last 11\/11, best 11\/11/);
    // Three missed in strings, and two in a lesson (quiz-demo) that is not shipped: only the three count.
    expect(out).toContain("3 questions due for review: redis-learn review\n");
  });

  it.each<[string, string, RegExp]>([
    ["a quiz with no fields (was a TypeError)", '{"version":1,"lessons":{},"quizzes":{"strings":{}}}', /quizzes\.strings\.lastScore: missing/],
    ["a step of 2.5 (was 23 lines of undefined)", '{"version":1,"lessons":{"strings":{"step":2.5,"completed":false,"updatedAt":"2026-11-30T10:00:00.000Z"}},"quizzes":{}}', /lessons\.strings\.step: 2\.5 is not a whole number/],
  ])("of a file with %s drops that entry, says so in one line, and shows the rest", async (_name, content, dropped) => {
    const { env, folder } = config(content);
    const r = await runCli(["progress"], { env });
    expect(r.code).toBe(0);
    expect(r.stderr.trim().split("\n")).toHaveLength(1);
    expect(r.stderr).toMatch(dropped);
    expect(r.stdout.toString()).not.toContain("undefined");
    expect(r.stdout.toString()).toMatch(/strings .*not started/);
    expect(readdirSync(folder).filter((f) => f.endsWith(".bad"))).toHaveLength(1);
    expect(JSON.parse(readFileSync(path.join(folder, "progress.json"), "utf8"))).toMatchObject({ version: 2, lessons: {}, quizzes: {} });
  });
});
