import { mkdtempSync, readFileSync, rmSync, writeFileSync, mkdirSync } from "node:fs";
import os from "node:os";
import path from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { quizCommand } from "../../src/commands/quiz.js";
import type { QuizIO } from "../../src/quiz/run.js";
import { ROOT, runCli } from "../helpers/cli.js";

const LESSON = path.join(ROOT, "test/fixtures/lessons/quiz-demo.yaml");
let config: string;
const saved = { config: process.env.XDG_CONFIG_HOME, state: process.env.XDG_STATE_HOME };

beforeAll(() => {
  config = mkdtempSync(path.join(os.tmpdir(), "rl-quiz-"));
  process.env.XDG_CONFIG_HOME = config;
  process.env.XDG_STATE_HOME = config;
});
afterAll(() => {
  process.env.XDG_CONFIG_HOME = saved.config;
  process.env.XDG_STATE_HOME = saved.state;
  rmSync(config, { recursive: true, force: true });
});

/** Answers as a learner would: a choice (by its text, since the order is shuffled), a predicted reply, then the commands of the do-it task. */
function scripted(choice: string, prediction: string, commands: string[]): { io: QuizIO; asked: string[]; printed: string[] } {
  const asked: string[] = [];
  const printed: string[] = [];
  const queue = [...commands];
  return {
    asked,
    printed,
    io: {
      print: (t) => void printed.push(t),
      choose: async (message, options) => {
        asked.push(message);
        return options.indexOf(choice);
      },
      ask: async (message) => {
        if (message.startsWith("What does Redis reply")) {
          asked.push("predict");
          return prediction;
        }
        return queue.shift() ?? "skip";
      },
    },
  };
}

describe("a quiz on a live server", () => {
  it("accepts one correct way to do the task", async () => {
    const { io, printed } = scripted("the head", "a b", ["LPUSH q a", "RPUSH q c"]);
    const results = await quizCommand(LESSON, {}, io);
    expect(results.map((r) => [r.id, r.correct])).toEqual([["pick", true], ["guess", true], ["build", true]]);
    expect(results[2]).toMatchObject({ commands: 2, shortest: 2 });
    expect(printed.join("")).toContain("✓ Done in 2 commands (the shortest known way takes 2)");
  });

  it("accepts a different way that keeps to the task's rules", async () => {
    const { io } = scripted("the head", '1) "a"\n2) "b"', ["LINSERT q BEFORE b a", "RPUSH q c"]);
    const results = await quizCommand(LESSON, {}, io);
    expect(results.find((r) => r.id === "build")).toMatchObject({ correct: true, commands: 2, typed: ["LINSERT q BEFORE b a", "RPUSH q c"] });
  });

  it("refuses a forbidden command before it runs, and shows what the learner ran against the shortest way", async () => {
    const { io, printed } = scripted("the head", "a b", ["DEL q", "LRANGE q 0 -1", "LPUSH q a", "RPUSH q c"]);
    const results = await quizCommand(LESSON, {}, io);
    const out = printed.join("");
    expect(out).toContain("✗ Not sent: this task rules out DEL. b stays in the list; add the others around it.");
    // DEL never ran: the list still holds b.
    expect(out).toMatch(/rules out DEL[^\n]*\n1\) "b"\n/);
    expect(out).toMatch(/You ran:\n {2}LRANGE q 0 -1\n {2}LPUSH q a\n {2}RPUSH q c\nThe shortest known way \(2 commands\):\n {2}LPUSH q a\n {2}RPUSH q c/);
    expect(results.find((r) => r.id === "build")).toMatchObject({ correct: true, commands: 3 });
  });

  it("rejects a wrong way: the goal never holds, so the learner ends up skipping", async () => {
    const { io, printed } = scripted("the tail", "b a", ["RPUSH q a c", "skip"]);
    const results = await quizCommand(LESSON, {}, io);
    expect(results.map((r) => r.correct)).toEqual([false, false, false]);
    expect(printed.join("")).toContain("✗ Not quite. That is RPUSH.");
    expect(printed.join("")).toContain("Score: 0 of 3.");
  });

  it("asks what was missed first next time, and the summary agrees with redis-learn progress", async () => {
    const first = scripted("the head", "wrong", ["skip"]);
    const results = await quizCommand(LESSON, {}, first.io);
    expect(results.map((r) => r.correct)).toEqual([true, false, false]);
    const again = scripted("the head", "a b", ["LPUSH q a", "RPUSH q c"]);
    const second = await quizCommand(LESSON, {}, again.io);
    expect(second.map((r) => r.id)).toEqual(["guess", "build", "pick"]);
    const stored = JSON.parse(readFileSync(path.join(config, "redis-learn", "progress.json"), "utf8"));
    expect(stored.quizzes["quiz-demo"]).toMatchObject({ lastScore: 3, bestScore: 3, total: 3, missed: [] });
  });
});

describe("quiz and progress from the command line", () => {
  it("a quiz without a terminal exits 1 with a clear message", async () => {
    const r = await runCli(["quiz", "strings"], { env: { XDG_CONFIG_HOME: config } });
    expect(r.code).toBe(1);
    expect(r.stderr.trim()).toBe("redis-learn: a quiz asks you questions, so it needs a terminal: run redis-learn quiz in one (stdin is not a terminal)");
  });

  it("progress survives between runs, shows as a table, and --reset forgets one lesson or everything", async () => {
    const home = mkdtempSync(path.join(os.tmpdir(), "rl-progress-cli-"));
    try {
      const env = { XDG_CONFIG_HOME: home, XDG_STATE_HOME: home };
      mkdirSync(path.join(home, "redis-learn"));
      writeFileSync(
        path.join(home, "redis-learn", "progress.json"),
        JSON.stringify({ version: 1, lessons: { strings: { step: 0, completed: true, updatedAt: "t" }, lists: { step: 4, completed: false, updatedAt: "t" } }, quizzes: { strings: { lastScore: 7, bestScore: 9, total: 12, missed: ["a"], taken: 2, updatedAt: "t" } } }),
      );
      const shown = (await runCli(["progress"], { env })).stdout.toString();
      expect(shown).toMatch(/strings\s+│ Strings\s+│ ✓ done\s+│ last 7\/12, best 9\/12, 1 to retry/);
      expect(shown).toMatch(/lists\s+│ Lists\s+│ at step 5 of \d+/);
      expect((await runCli(["progress", "--reset", "lists"], { env })).stdout.toString()).toBe('Progress of "lists" reset.\n');
      expect((await runCli(["progress"], { env })).stdout.toString()).toMatch(/lists\s+│ Lists\s+│ not started/);
      expect((await runCli(["progress", "--reset"], { env })).stdout.toString()).toBe("All progress reset.\n");
      expect((await runCli(["progress"], { env })).stdout.toString()).toMatch(/strings\s+│ Strings\s+│ not started/);
    } finally {
      rmSync(home, { recursive: true, force: true });
    }
  });

  it("a corrupt progress file does not crash anything: it is set aside and reported", async () => {
    const home = mkdtempSync(path.join(os.tmpdir(), "rl-progress-bad-"));
    try {
      mkdirSync(path.join(home, "redis-learn"));
      writeFileSync(path.join(home, "redis-learn", "progress.json"), "{{{");
      const r = await runCli(["progress"], { env: { XDG_CONFIG_HOME: home } });
      expect(r.code).toBe(0);
      expect(r.stderr).toMatch(/your progress file could not be read as JSON; it was kept as .*progress\.json\..*\.bad and progress starts afresh/);
      const lesson = await runCli(["lesson", "strings", "--no-pause"], { env: { XDG_CONFIG_HOME: home }, timeoutMs: 30_000 });
      expect(lesson.code).toBe(0);
    } finally {
      rmSync(home, { recursive: true, force: true });
    }
  });

  it("with no arguments and no terminal, prints the usage", async () => {
    const r = await runCli([]);
    expect(r.code).toBe(0);
    expect(r.stdout.toString()).toMatch(/^Usage: redis-learn/);
  });
});
