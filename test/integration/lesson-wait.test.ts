import { afterAll, beforeAll, describe, expect, inject, it } from "vitest";
import { openRedis, type RedisSource } from "../../src/redis/connect.js";
import { Timeline } from "../../src/engine/timeline.js";
import { runLessonStep } from "../../src/engine/lesson-run.js";
import { parseLesson } from "../../src/lessons/parse.js";
import type { Reply } from "../../src/redis/reply-types.js";

/**
 * A step's `wait` moves time on for the lesson's keys instead of sleeping: the reply
 * after the wait is the one a real wait would give, and a key the lesson never named
 * keeps its TTL. Database 11 of the shared test server, reached as a server the
 * learner brought.
 */
let source: RedisSource;

beforeAll(async () => {
  source = await openRedis({ url: `redis://127.0.0.1:${inject("redisPort")}/11` });
});
afterAll(async () => {
  await source.conn.send(["FLUSHDB"]);
  await source.close();
});

const lesson = (wait: string): string => `id: waits
title: Waits
summary: A wait.
keys: [offer]
steps:
  - title: Set
    explain: E
    run: SET offer x EX 30
  - title: Some time on
    explain: E
    wait: 10s
    run: TTL offer
  - title: Later
    explain: E
    wait: ${wait}
    run: GET offer
`;

const int = (r: Reply): number => (r.type === "integer" ? Number(r.value) : NaN);

describe("a lesson's wait fast-forwards its keys", () => {
  it.each<[string, string, string]>([
    ["a wait that reaches the end of the TTL", "20s", "(nil)"],
    ["a wait that falls short of it", "19s", '"x"'],
    ["a wait in seconds, as before", "25", "(nil)"],
  ])("%s", async (_name, wait, reply) => {
    await source.conn.send(["FLUSHDB"]);
    await source.conn.send(["SET", "learners:own", "v", "EX", "30"]);
    const parsed = parseLesson(lesson(wait), "waits.yaml");
    if (!parsed.ok) throw new Error(JSON.stringify(parsed.problems));
    const timeline = await Timeline.create(source);
    try {
      const outcomes = [];
      for (const [i, step] of parsed.lesson.steps.entries()) outcomes.push(await runLessonStep(timeline, step, i));
      expect(outcomes[1]?.commands[0]?.replyText).toBe("(integer) 20");
      expect(outcomes[2]?.commands[0]?.replyText).toBe(reply);
    } finally {
      timeline.close();
    }
    // A key the lesson never named keeps its deadline.
    expect(int(await source.conn.send(["TTL", "learners:own"]))).toBeGreaterThan(20);
  });
});
