import { mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import os from "node:os";
import path from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { startPrivateServer, type PrivateServer } from "../../src/redis/server.js";
import { openRedis, type RedisSource } from "../../src/redis/connect.js";
import { COMMAND_INFO, Timeline } from "../../src/engine/timeline.js";
import { parseCommandInfo } from "../../src/redis/command-table.js";
import { replyString, type Reply } from "../../src/redis/reply-types.js";
import { findLesson } from "../../src/lessons/load.js";
import { keysOfLesson } from "../../src/lessons/keys-of-lesson.js";
import { runQuiz, type QuestionResult, type QuizIO } from "../../src/quiz/run.js";
import { makeStyle } from "../../src/render/style.js";
import { quizCommand } from "../../src/commands/quiz.js";
import { reviewCommand } from "../../src/commands/review.js";
import { ROOT, runCli } from "../helpers/cli.js";

// A server of this file's own: its command statistics then count only what the quiz sent.
let server: PrivateServer;
let source: RedisSource;
let home: string;
const saved = { config: process.env.XDG_CONFIG_HOME, state: process.env.XDG_STATE_HOME };
beforeAll(async () => {
  server = await startPrivateServer();
  source = await openRedis({ url: `redis://127.0.0.1:${server.port}` }, { ask: [COMMAND_INFO] });
  home = mkdtempSync(path.join(os.tmpdir(), "rl-quiz-rules-"));
  process.env.XDG_CONFIG_HOME = home;
  process.env.XDG_STATE_HOME = home;
});
afterAll(async () => {
  await source.close();
  await server.shutdown();
  process.env.XDG_CONFIG_HOME = saved.config;
  process.env.XDG_STATE_HOME = saved.state;
  rmSync(home, { recursive: true, force: true });
});

/** One task of a shipped lesson, answered with the given lines; what it printed, and how many times each command reached the server. */
async function attempt(lessonId: string, questionId: string, lines: string[]): Promise<{ result: QuestionResult; out: string; calls: Record<string, number> }> {
  const lesson = await findLesson(lessonId);
  const question = lesson.quiz.find((q) => q.id === questionId);
  if (!question) throw new Error(`no question ${questionId}`);
  const table = parseCommandInfo(source.answers[0] as Reply);
  const timeline = await Timeline.create(source, table);
  const printed: string[] = [];
  const queue = [...lines];
  const io: QuizIO = { print: (t) => void printed.push(t), choose: async () => 0, ask: async () => queue.shift() ?? "skip" };
  try {
    await source.conn.send(["CONFIG", "RESETSTAT"]);
    const [result] = await runQuiz(lesson, [question], { conn: source.conn, client: await timeline.client("A"), ctx: timeline.ctx, keys: keysOfLesson(lesson, table), style: makeStyle(false), io });
    const stats = replyString(await source.conn.send(["INFO", "commandstats"]));
    const calls = Object.fromEntries([...stats.matchAll(/cmdstat_([a-z|]+):calls=(\d+)/g)].map((m) => [m[1] as string, Number(m[2])]));
    return { result: result as QuestionResult, out: printed.join(""), calls };
  } finally {
    timeline.close();
  }
}

describe("the counting task", () => {
  it("refuses SET bikes:rentals 15 with its reason, before it reaches the server", async () => {
    const { result, out, calls } = await attempt("strings", "counter-to-15", ["SET bikes:rentals 15", "GET bikes:rentals", "skip"]);
    expect(out).toContain("✗ Not sent: this task rules out SET. Writing the new number yourself is not counting");
    // The key still holds 10, and the only SET the server saw is the task's own setup.
    expect(out).toContain('"10"\n');
    expect(calls.set).toBe(1);
    expect(result).toMatchObject({ correct: false, typed: ["GET bikes:rentals"] });
  });

  it("refuses a roundabout COPY onto the counter and a script, and neither reaches the server", async () => {
    const { result, out, calls } = await attempt("strings", "counter-to-15", [
      "SET bike:99 15",
      "COPY bike:99 bikes:rentals REPLACE",
      `EVAL "return redis.call('SET', KEYS[1], '15')" 1 bikes:rentals`,
      "INCRBY bikes:rentals 0",
      "GET bikes:rentals",
      "skip",
    ]);
    expect(out).toContain("✗ Not sent: COPY would change bikes:rentals, which this task changes only with INCR, INCRBY, DECR, DECRBY or INCRBYFLOAT.");
    expect(out).toContain("✗ Not sent: this task does not take EVAL.");
    // GET's own reply line (key tables draw values inside borders): had COPY or the script
    // run, it would read "15". EVAL's call count cannot tell, as the key tables read with EVAL.
    expect(out).toMatch(/(^|\n)"10"\n/);
    expect(out).not.toMatch(/(^|\n)"15"\n/);
    expect(result.correct).toBe(false);
    expect(calls, JSON.stringify(calls)).not.toHaveProperty("copy");
  });

  it("passes with INCRBY", async () => {
    const { result, out } = await attempt("strings", "counter-to-15", ["INCRBY bikes:rentals 5"]);
    expect(out).toContain("✓ Done in 1 command");
    expect(result).toMatchObject({ correct: true, commands: 1, shortest: 1 });
  });

  it("says what is still open after each command", async () => {
    const { out } = await attempt("strings", "counter-to-15", ["INCR bikes:rentals", "INCRBY bikes:rentals 4"]);
    expect(out).toContain('Not yet:\n  - bikes:rentals is "11", not "15"\n');
    expect(out).toContain("✓ Done in 2 commands");
  });
});

describe("the keep-existing task", () => {
  it("refuses a plain SET, and passes with SET ... NX", async () => {
    const { result, out, calls } = await attempt("strings", "keep-existing", ["SET bike:2 Ares", "SET bike:1 Ares NX", "SET bike:2 Ares NX"]);
    expect(out).toContain("✗ Not sent: this task rules out SET without NX. A plain SET overwrites whatever the key holds");
    expect(out).toContain('Not yet:\n  - bike:2 does not exist\n');
    expect(result).toMatchObject({ correct: true, typed: ["SET bike:1 Ares NX", "SET bike:2 Ares NX"] });
    // The setup's SET and the two with NX.
    expect(calls.set).toBe(3);
  });

  it("reaching the state with SETNX is not enough: the task says which command it wants", async () => {
    const { result, out } = await attempt("strings", "keep-existing", ["SETNX bike:2 Ares", "skip"]);
    expect(out).toContain("Not yet: the keys are as the task wants, but it asks for SET with NX.\n  NX makes SET check that the key is missing");
    expect(result).toMatchObject({ correct: false });
  });
});

describe("a task on a server the learner brought", () => {
  it("refuses FLUSHALL with the sandbox's reason, and the server keeps its keys", async () => {
    const other = await openRedis({ url: `redis://127.0.0.1:${server.port}/5` });
    try {
      await other.conn.send(["SET", "someone-elses-key", "1"]);
      const queue = ["FLUSHALL", "LPUSH q a", "RPUSH q c"];
      const printed: string[] = [];
      const io: QuizIO = {
        print: (t) => void printed.push(t),
        choose: async (_m, options) => options.indexOf("the head"),
        ask: async (message) => (message.startsWith("What does Redis reply") ? "a b" : (queue.shift() ?? "skip")),
      };
      const results = await quizCommand(path.join(ROOT, "test/fixtures/lessons/quiz-demo.yaml"), { url: `redis://127.0.0.1:${server.port}/4` }, io);
      expect(printed.join("")).toContain("✗ Not sent: FLUSHALL deletes every key in every database.");
      expect(results.find((r) => r.id === "build")).toMatchObject({ correct: true, typed: ["LPUSH q a", "RPUSH q c"] });
      expect(replyString(await other.conn.send(["GET", "someone-elses-key"]))).toBe("1");
    } finally {
      await other.close();
    }
  });
});

describe("a review task on a server the learner brought", () => {
  it("refuses FLUSHALL as the quiz does, and the server keeps its keys", async () => {
    const other = await openRedis({ url: `redis://127.0.0.1:${server.port}/7` });
    try {
      await other.conn.send(["SET", "someone-elses-key", "1"]);
      const past = new Date(Date.now() - 4 * 24 * 3600 * 1000).toISOString();
      mkdirSync(path.join(home, "redis-learn"), { recursive: true });
      writeFileSync(
        path.join(home, "redis-learn", "progress.json"),
        JSON.stringify({ version: 2, lessons: {}, quizzes: {}, reviews: { strings: { "counter-to-15": { box: 1, due: past, lastAnswered: past } } } }),
      );
      const queue = ["FLUSHALL", "skip"];
      const printed: string[] = [];
      const io: QuizIO = { print: (t) => void printed.push(t), choose: async () => 0, ask: async () => queue.shift() ?? "skip" };
      const results = await reviewCommand({ url: `redis://127.0.0.1:${server.port}/6` }, io);
      expect(results.map((r) => r.id)).toEqual(["counter-to-15"]);
      expect(printed.join("")).toContain("✗ Not sent: FLUSHALL deletes every key in every database.");
      expect(replyString(await other.conn.send(["GET", "someone-elses-key"]))).toBe("1");
    } finally {
      await other.close();
    }
  });
});

describe("check proves every wrong way is refused", () => {
  it("a wrong: that passes the task fails check at its file:line", async () => {
    const dir = mkdtempSync(path.join(os.tmpdir(), "rl-wrong-"));
    try {
      const file = path.join(dir, "quiz-demo.yaml");
      const text = readFileSync(path.join(ROOT, "test/fixtures/lessons/quiz-demo.yaml"), "utf8").replace("      - - DEL q\n        - RPUSH q a b c\n", "      - - LINSERT q BEFORE b a\n        - RPUSH q c\n");
      writeFileSync(file, text);
      const line = text.split("\n").findIndex((l) => l.includes("LINSERT q BEFORE b a")) + 1;
      const r = await runCli(["check", file], { timeoutMs: 30_000 });
      expect(r.code).toBe(1);
      expect(r.stdout.toString()).toContain(`${file}:${line}:9: quiz[2].wrong[0]: passes the task: add a forbid rule that refuses one of its commands, or a require rule it does not meet`);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });

  it("a predict question whose shown command prints the answer fails check at that command", async () => {
    const dir = mkdtempSync(path.join(os.tmpdir(), "rl-giveaway-"));
    try {
      const file = path.join(dir, "quiz-demo.yaml");
      const text = readFileSync(path.join(ROOT, "test/fixtures/lessons/quiz-demo.yaml"), "utf8").replace("    show: [LPUSH q a]\n", "    show: [LPUSH q a, LRANGE q 0 -1]\n");
      writeFileSync(file, text);
      const line = text.split("\n").findIndex((l) => l.includes("LRANGE q 0 -1]")) + 1;
      const r = await runCli(["check", file], { timeoutMs: 30_000 });
      expect(r.code).toBe(1);
      expect(r.stdout.toString()).toContain(`${file}:${line}:23: quiz[1].show: replies exactly what the question asks for, so it gives the answer away`);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });

  it("passes the quiz example of docs/lessons.md, which is kept word for word as a fixture", async () => {
    const fixture = readFileSync(path.join(ROOT, "test/fixtures/lessons/quiz-example.yaml"), "utf8");
    expect(readFileSync(path.join(ROOT, "docs/lessons.md"), "utf8")).toContain(fixture.trim());
    const r = await runCli(["check", path.join(ROOT, "test/fixtures/lessons/quiz-example.yaml")], { timeoutMs: 30_000 });
    expect(r.stdout.toString()).toContain("✓ counters (1 steps, 3 quiz questions)\n1 passed, 0 failed");
  });
});
