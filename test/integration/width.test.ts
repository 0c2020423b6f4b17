import { afterAll, beforeAll, describe, expect, inject, it } from "vitest";
import { Connection } from "../../src/redis/connection.js";
import { parseCommandDocs, allDocs, type CommandDocs } from "../../src/redis/docs.js";
import { parseCommandInfo } from "../../src/redis/command-table.js";
import { loadAllLessons } from "../../src/lessons/load.js";
import { runStep, type EngineContext, type Client } from "../../src/engine/step.js";
import { renderKeyChanges } from "../../src/render/key-table.js";
import { renderPredictionQuestion, renderStepIntro, renderHint, renderVerdict, renderCovered } from "../../src/render/typed-step.js";
import { lessonListText } from "../../src/render/lesson-list.js";
import { lessonSummaries } from "../../src/lessons/load.js";
import { makeStyle } from "../../src/render/style.js";
import { displayWidth } from "../../src/render/width.js";
import { commandHelp, groupsOf, metaHelp } from "../../src/sandbox/help.js";
import { mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import os from "node:os";
import path from "node:path";
import { ROOT, runCli } from "../helpers/cli.js";

/** Every screen at 80 columns: no line is wider than the terminal (display columns: emoji and CJK count two). */
const WIDTH = 80;
const tooWide = (text: string): string[] => text.split(/\r?\n/).filter((l) => displayWidth(l) > WIDTH);

describe("every screen fits 80 columns", () => {
  const port = inject("redisPort");
  let conn: Connection;
  let docs: CommandDocs;
  let ctx: EngineContext;
  let client: Client;
  const style = makeStyle(true);

  beforeAll(async () => {
    conn = await Connection.open({ host: "127.0.0.1", port, tls: false, db: 13, label: "test" });
    docs = parseCommandDocs(await conn.send(["COMMAND", "DOCS"]));
    ctx = { table: parseCommandInfo(await conn.send(["COMMAND", "INFO"])), atLeast7: true,
    noTouch: false, observer: async () => conn };
    client = { name: "A", conn, inMulti: false, queuedKeys: [] };
    await conn.send(["FLUSHDB"]);
  });
  afterAll(async () => {
    await conn.send(["FLUSHDB"]);
    conn.close();
  });

  it.each(["strings", "lists"])("lesson %s, every step with its real key tables, run with COLUMNS=80 and output piped", async (id) => {
    const r = await runCli(["lesson", id, "--watch", "--restart"], { env: { COLUMNS: String(WIDTH), NO_COLOR: "" }, timeoutMs: 60_000 });
    const out = r.stdout.toString("utf8");
    expect(r.code).toBe(0);
    expect(out).toContain("steps done");
    expect(tooWide(out)).toEqual([]);
  });

  it("every shipped lesson's typed screens: intros, hints, predictions, verdicts", async () => {
    for (const lesson of await loadAllLessons()) {
      const screens: string[] = [renderCovered(lesson, style)];
      lesson.steps.forEach((step, i) => {
        screens.push(renderStepIntro(lesson, i, style, WIDTH));
        step.run.forEach((_, j) => screens.push(renderHint(step, j, style, WIDTH)));
        if (step.predict) {
          const choices = "choices" in step.predict && Array.isArray(step.predict.choices) ? step.predict.choices.map(String) : undefined;
          screens.push(renderPredictionQuestion(step.predict, choices, style, WIDTH), renderVerdict(false, step.predict, style, WIDTH));
        }
      });
      expect(screens.flatMap(tooWide)).toEqual([]);
    }
  });

  it("list, :help, help @group and help <command> for every command of the server", async () => {
    const screens = [lessonListText(await lessonSummaries(), true, WIDTH), metaHelp(style, groupsOf(docs), WIDTH)];
    for (const group of groupsOf(docs)) screens.push(commandHelp([`@${group}`], docs, style, WIDTH));
    for (const doc of allDocs(docs)) screens.push(commandHelp(doc.name.split(" "), docs, style, WIDTH));
    expect(screens.flatMap(tooWide)).toEqual([]);
  });

  it("progress, with a lesson done and being taken again and a quiz with questions to retry", async () => {
    const home = mkdtempSync(path.join(os.tmpdir(), "rl-width-"));
    try {
      const progress = JSON.parse(readFileSync(path.join(ROOT, "test/fixtures/progress/v1.json"), "utf8"));
      progress.lessons.strings.step = 12;
      mkdirSync(path.join(home, "redis-learn"));
      writeFileSync(path.join(home, "redis-learn", "progress.json"), JSON.stringify(progress));
      const r = await runCli(["progress"], { env: { XDG_CONFIG_HOME: home, COLUMNS: String(WIDTH) } });
      const out = r.stdout.toString("utf8");
      expect(out).toMatch(/again: at\s/);
      expect(out).toMatch(/3 to\s/);
      expect(tooWide(out.split("\n").filter((l) => !l.startsWith("Kept in")).join("\n"))).toEqual([]);
    } finally {
      rmSync(home, { recursive: true, force: true });
    }
  });

  const value70 = "v".repeat(70);
  it.each<[string, string[][]]>([
    ["a 70-byte value", [["SET", "k:long", value70]]],
    ["emoji, ZWJ sequences and CJK in keys and values", [["SET", "🚲:👨‍👩‍👧", "日本語のテキスト".repeat(6)], ["RPUSH", "列表", "🇫🇷".repeat(30), "中文".repeat(30)]]],
    ["a hash with long fields", [["HSET", "h", "f".repeat(60), value70]]],
    ["a key name of 100 bytes", [["SET", "n".repeat(100), "x"]]],
    ["an MSET of 3,000 pairs", [["MSET", ...Array.from({ length: 3000 }, (_, i) => [`m:${i}`, i % 7 ? `v${i}` : value70]).flat()]]],
  ])("key tables: %s", async (_, commands) => {
    for (const args of commands) {
      const r = await runStep(ctx, client, args.map((a) => Buffer.from(a)));
      const text = renderKeyChanges(r.before, r.after, style, WIDTH, r.others);
      expect(tooWide(text)).toEqual([]);
    }
  });
});
