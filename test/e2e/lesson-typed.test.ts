import { mkdirSync, mkdtempSync, readFileSync, writeFileSync } from "node:fs";
import os from "node:os";
import path from "node:path";
import { afterEach, describe, expect, inject, it } from "vitest";
import { Connection } from "../../src/redis/connection.js";
import { BIN } from "../helpers/cli.js";
import { TmuxScreen, e2eTrack } from "../helpers/tmux.js";

const { screens, dirs, cleanup } = e2eTrack();
afterEach(cleanup);

function home(): string {
  const dir = mkdtempSync(path.join(os.tmpdir(), "rl-e2e-typed-"));
  dirs.push(dir);
  return dir;
}

function open(args: string, dir: string): TmuxScreen {
  const screen = new TmuxScreen(`${process.execPath} ${BIN} ${args}`, { XDG_CONFIG_HOME: dir, XDG_STATE_HOME: dir, TERM: "xterm-256color", NO_COLOR: "1" }, 140, 80);
  screens.push(screen);
  return screen;
}

/** What appeared after the last time `marker` was on screen. */
const after = (screen: string, marker: string): string => screen.slice(screen.lastIndexOf(marker));

/** The number a choice is shown with, from a line like "  2. (integer) 4". */
function numberOf(screen: string, choice: string): string {
  const question = after(screen, "Predict:");
  const line = question.split("\n").find((l) => l.trim().replace(/^\d+\.\s+/, "") === choice);
  const n = line && /^\s*(\d+)\./.exec(line)?.[1];
  if (!n) throw new Error(`no choice ${choice} in:\n${question}`);
  return n;
}

describe("a lesson in a terminal is typed by the learner", () => {
  it("runs the step's command when typed, undoes another command with one line on how it differs, runs the step on Enter, and asks predictions", async () => {
    const dir = home();
    const screen = open("lesson lists", dir);
    await screen.waitFor(/Type as client A:\n\s+RPUSH bikes:repairs bike:1 bike:2\n\nstep 1\/26 A> ?$/m);

    // The step's own command, typed: its reply and key state, then the next step.
    screen.type("rpush bikes:repairs bike:1 bike:2");
    screen.press("Enter");
    await screen.waitFor(/step 1\/26 A> rpush bikes:repairs bike:1 bike:2\n\(integer\) 2\n[\s\S]*after \(created\)[\s\S]*step 2\/26 A> ?$/m);

    // Another command runs, says how it differs, and is undone.
    screen.type("RPUSH bikes:repairs bike:3 bike:4");
    screen.press("Enter");
    const differs = await screen.waitFor(/↳ the step uses LPUSH; you typed RPUSH, which adds at the other end \(the tail\)\nYour command was undone[^\n]*\n[^\n]*\n\nstep 2\/26 A> ?$/m);
    expect(after(differs, "step 2/26 A> RPUSH")).toMatch(/\(integer\) 4/);
    // The state is back as it was: the list holds two elements again.
    screen.type("LRANGE bikes:repairs 0 -1");
    screen.press("Enter");
    const listed = await screen.waitFor(/step 2\/26 A> LRANGE bikes:repairs 0 -1\n1\) "bike:1"\n2\) "bike:2"\n[\s\S]*↳ the step uses LPUSH; you typed LRANGE[^\n]*\n[^\n]*\n[^\n]*\n\nstep 2\/26 A> ?$/m);
    expect(after(listed, "step 2/26 A> LRANGE")).toMatch(/now \(unchanged\)[\s\S]*2 elements/);

    // Enter alone runs the step for the learner; its prediction is asked first. A wrong guess shows why.
    screen.press("Enter");
    const asked = await screen.waitFor(/Predict: What will Redis reply\?\n\s+1\. [^\n]+\n\s+2\. [^\n]+\n\s+3\. [^\n]+\nPress the number/);
    screen.type(numberOf(asked, "(integer) 2"));
    await screen.waitFor(/✗ LPUSH replies with the length of the whole list[^\n]*\n[^\n]*\n\(integer\) 4\n/);
    await screen.waitFor(/step 3\/26 A> ?$/m);

    // A right guess.
    screen.type("LRANGE bikes:repairs 0 -1");
    screen.press("Enter");
    const again = await screen.waitFor(/Predict: What will LRANGE print\?[\s\S]*Press the number/);
    screen.type(numberOf(again, '1) "bike:4" 2) "bike:3" 3) "bike:1" 4) "bike:2"'));
    await screen.waitFor(/✓ right\n1\) "bike:4"\n2\) "bike:3"\n3\) "bike:1"\n4\) "bike:2"/);

    // q leaves; the place is saved.
    await screen.waitFor(/step 4\/26 A> ?$/m);
    screen.type("q");
    screen.press("Enter");
    await screen.waitFor(/Stopped at step 4 of 26; redis-learn lesson lists resumes here\./);
    expect(JSON.parse(readFileSync(path.join(dir, "redis-learn", "progress.json"), "utf8")).lessons.lists).toMatchObject({ step: 3, completed: false });
  });

  it("types a blocked client's step as B, shows its reply after a push by A, and ends by offering the quiz", async () => {
    const dir = home();
    // Resume just before the worker blocks: the steps before are replayed quietly.
    const file = path.join(dir, "redis-learn", "progress.json");
    mkdirSync(path.dirname(file), { recursive: true });
    writeFileSync(file, JSON.stringify({ version: 1, lessons: { lists: { step: 18, completed: false, updatedAt: new Date().toISOString() } }, quizzes: {} }));
    const screen = open("lesson lists", dir);
    await screen.waitFor(/Resuming at step 19 of 26[\s\S]*step 19\/26 B> ?$/m);
    screen.type("BLPOP bikes:jobs 0");
    screen.press("Enter");
    await screen.waitFor(/\(client B is blocked, waiting; the lesson goes on\)[\s\S]*step 20\/26 A> ?$/m);
    // Another write could wake B, which no undo could take back: refused.
    screen.type("LPUSH bikes:jobs job:0");
    screen.press("Enter");
    await screen.waitFor(/Not run: a client of the lesson is waiting for a change, and a write other than the step's could wake it\.\nThe step asks for: RPUSH bikes:jobs job:1\n\nstep 20\/26 A> ?$/m);
    screen.type("RPUSH bikes:jobs job:1");
    screen.press("Enter");
    const predict = await screen.waitFor(/Predict: Client B is waiting on this list\. What will RPUSH reply\?[\s\S]*Press the number/);
    screen.type(numberOf(predict, "(integer) 1"));
    await screen.waitFor(/✓ right\n\(integer\) 1\n[\s\S]*step 21\/26 B> ?$/m);
    screen.press("Enter");
    await screen.waitFor(/step 21\/26 B> ?\n1\) "bikes:jobs"\n2\) "job:1"\n/);

    // Enter through the rest; the end says what was covered and offers the quiz.
    for (let step = 22; step <= 26; step++) {
      await screen.waitFor(new RegExp(`step ${step}/26 [AB]> ?$`, "m"));
      screen.press("Enter");
      if (step === 22) {
        await screen.waitFor(/runs: RPUSH bikes:pending repair:1[\s\S]*step 22\/26 A> ?$/m);
        screen.press("Enter");
      }
    }
    const end = await screen.waitFor(/Lesson done\. What next\?[\s\S]*Take the quiz: Lists/);
    expect(end).toMatch(/✓ Lists: all 26 steps done\./);
    expect(end).toMatch(/Covered: Push to the tail · Push to the head · /);
    screen.press("Enter");
    await screen.waitFor(/Question 1 of \d+/);
  });

  it("on a server the learner brought, refuses dangerous commands and keys the lesson does not use", async () => {
    const port = inject("redisPort");
    const db = 11;
    const conn = await Connection.open({ host: "127.0.0.1", port, tls: false, db, label: `127.0.0.1:${port}` });
    try {
      const screen = open(`lesson lists --url redis://127.0.0.1:${port}/${db}`, home());
      await screen.waitFor(/step 1\/26 A> ?$/m);
      screen.type("FLUSHDB");
      screen.press("Enter");
      await screen.waitFor(/Not run: on 127\.0\.0\.1:\d+, a server you brought, FLUSHDB deletes every key in the current database\.\nThe step asks for: RPUSH bikes:repairs bike:1 bike:2/);
      screen.type("SET bike:other 1");
      screen.press("Enter");
      await screen.waitFor(/Not run: on 127\.0\.0\.1:\d+, a server you brought, a lesson changes only its own keys, and bike:other is not one of them\./);
      expect(await conn.send(["EXISTS", "bike:other"])).toEqual({ type: "integer", value: 0n });
      // A key of the lesson's own may be changed: the command runs, and is undone.
      screen.type("SET bikes:log hello");
      screen.press("Enter");
      await screen.waitFor(/↳ the step uses RPUSH; you typed SET[^\n]*\nYour command was undone/);
      expect(await conn.send(["EXISTS", "bikes:log"])).toEqual({ type: "integer", value: 0n });
      screen.type("q");
      screen.press("Enter");
      await screen.waitFor(/Stopped at step 1 of 26/);
    } finally {
      conn.close();
    }
  });
});
