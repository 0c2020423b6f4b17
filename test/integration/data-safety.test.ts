import { spawn } from "node:child_process";
import { mkdtempSync, rmSync } from "node:fs";
import os from "node:os";
import path from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { startPrivateServer, type PrivateServer } from "../../src/redis/server.js";
import { loadAllLessons } from "../../src/lessons/load.js";
import type { Lesson } from "../../src/lessons/schema.js";
import { quizCommand } from "../../src/commands/quiz.js";
import type { QuizIO } from "../../src/quiz/run.js";
import { BIN, runCli } from "../helpers/cli.js";
import { TmuxScreen } from "../helpers/tmux.js";
import { connectTo, differences, dumpServer } from "../helpers/server-dump.js";

/**
 * The data-safety suite: a server of the test's own, full of a learner's data (several
 * databases, keys with expiries, keys named like the lessons' keys), dumped key by key
 * (TYPE, DUMP, PEXPIRETIME) before and after each way redis-learn can be used on it with
 * --url. Any difference in a key the path did not consent to fails the test. The summary
 * (for docs/reliability.md) is printed at the end.
 */
const DBS = [0, 1, 2, 3];
/** Where the learner's keys are named like the lessons' keys. */
const CLASH = 0;
/** Where the learner has data, none of it named like a lesson's keys. */
const OWN = 2;
/** An empty database: a second learner runs there. */
const EMPTY = 3;

let server: PrivateServer;
let tmp: string;
let lessons: Lesson[];
const summary: { path: string; compared: number; unconsented: string[] }[] = [];
const url = (db: number): string => `redis://127.0.0.1:${server.port}/${db}`;
const env = (): NodeJS.ProcessEnv => {
  const dir = mkdtempSync(path.join(tmp, "home-"));
  return { XDG_STATE_HOME: dir, XDG_CONFIG_HOME: dir };
};

async function populate(): Promise<void> {
  for (const db of DBS) {
    const conn = await connectTo(server.port, db);
    await conn.send(["FLUSHDB"]);
    const commands: string[][] = [];
    if (db === CLASH || db === 1) {
      // Every key a lesson names, as the learner's own: strings, some expiring in a day.
      for (const lesson of lessons) for (const [i, key] of lesson.keys.entries()) commands.push(["SET", key, `learner's ${key}`, ...(i % 2 ? ["EX", "86400"] : [])]);
    }
    commands.push(
      ["HSET", `learner:${db}:profile`, "name", "Ada", "city", "London"],
      ["RPUSH", `learner:${db}:queue`, "a", "b", "c"],
      ["SADD", `learner:${db}:tags`, "x", "y"],
      ["ZADD", `learner:${db}:scores`, "1", "one", "2", "two"],
      ["XADD", `learner:${db}:events`, "1-1", "kind", "signup"],
      ["SET", `learner:${db}:session`, "token", "PX", "86400000"],
      ["SET", `learner:${db}:counter`, "41"],
    );
    await conn.pipeline(commands);
    conn.close();
  }
}

/** Runs one path and fails on any change to a key it did not consent to (db/key names). */
async function path_(name: string, run: () => Promise<void>, consented: string[] = []): Promise<void> {
  const before = await dumpServer(server.port, DBS);
  await run();
  const after = await dumpServer(server.port, DBS);
  const allowed = new Set(consented);
  const unconsented = differences(before, after).filter((d) => !allowed.has(d.slice(0, d.lastIndexOf(":"))));
  summary.push({ path: name, compared: before.size, unconsented });
  expect(unconsented, name).toEqual([]);
  // Put back whatever was consented to, so the next path starts from the same data.
  if (consented.length) await populate();
}

/** The binary in the background; signal it once `text` appears on its output. */
function interruptAt(args: string[], e: NodeJS.ProcessEnv, text: string, signal: NodeJS.Signals): Promise<{ code: number | null; signal: NodeJS.Signals | null; out: string }> {
  return new Promise((resolve) => {
    const child = spawn(process.execPath, [BIN, ...args], { env: { ...process.env, NO_COLOR: "1", REDIS_URL: "", ...e }, stdio: ["pipe", "pipe", "pipe"] });
    let out = "";
    let sent = false;
    const feed = (c: Buffer): void => {
      out += c.toString("utf8");
      if (!sent && out.includes(text)) {
        sent = true;
        child.kill(signal);
      }
    };
    child.stdout.on("data", feed);
    child.stderr.on("data", feed);
    child.stdin.end();
    child.on("close", (code, sig) => resolve({ code, signal: sig, out }));
  });
}

/** A learner in the quiz: the first choice, "(nil)" as every prediction, and "skip" for tasks; or Ctrl-C at question `stopAt`. */
function learner(stopAt?: number): QuizIO {
  let asked = 0;
  const interrupt = (): Promise<never> => Promise.reject(Object.assign(new Error("User force closed the prompt"), { name: "ExitPromptError" }));
  return {
    print: () => {},
    choose: () => (++asked === stopAt ? interrupt() : Promise.resolve(0)),
    ask: (message) => {
      if (message.startsWith("What does Redis reply")) return ++asked === stopAt ? interrupt() : Promise.resolve("(nil)");
      return Promise.resolve("skip");
    },
  };
}

async function quizIn(db: number, io: QuizIO): Promise<void> {
  const saved = { state: process.env.XDG_STATE_HOME, config: process.env.XDG_CONFIG_HOME };
  Object.assign(process.env, env());
  try {
    for (const lesson of lessons.filter((l) => l.quiz.length)) await quizCommand(lesson.id, { url: url(db) }, io).catch((err: Error) => expect(err.message).toMatch(/force closed|already exists/));
  } finally {
    process.env.XDG_STATE_HOME = saved.state;
    process.env.XDG_CONFIG_HOME = saved.config;
  }
}

beforeAll(async () => {
  server = await startPrivateServer();
  tmp = mkdtempSync(path.join(os.tmpdir(), "rl-data-safety-"));
  lessons = await loadAllLessons();
  await populate();
});
afterAll(async () => {
  const paths = summary.length;
  const compared = summary.reduce((n, s) => n + s.compared, 0);
  const bad = summary.flatMap((s) => s.unconsented.map((u) => `${s.path}: ${u}`));
  console.log(
    [`data-safety: ${paths} paths tried, ${compared} key states compared, ${bad.length} unconsented changes`, ...summary.map((s) => `  ${s.unconsented.length ? "✗" : "✓"} ${s.path} (${s.compared} keys)`), ...bad.map((b) => `  ✗ ${b}`)].join("\n"),
  );
  await server.shutdown();
  rmSync(tmp, { recursive: true, force: true });
});

describe("a learner's data survives every way of using redis-learn on their server", () => {
  it("every shipped lesson, piped and --watch: refused where its keys are the learner's, run and cleaned up elsewhere, and with --force put back", async () => {
    for (const lesson of lessons) {
      await path_(`lesson ${lesson.id} --watch where the learner has its keys`, async () => {
        const r = await runCli(["lesson", lesson.id, "--watch", "--url", url(CLASH)], { env: env(), timeoutMs: 30_000 });
        expect(r.code).toBe(1);
      });
      await path_(`lesson ${lesson.id} piped (no --watch) beside the learner's data`, async () => {
        const r = await runCli(["lesson", lesson.id, "--url", url(OWN)], { env: env(), timeoutMs: 30_000 });
        expect(r.code).toBe(0);
      });
      await path_(`lesson ${lesson.id} --watch --force over the learner's keys`, async () => {
        const r = await runCli(["lesson", lesson.id, "--watch", "--force", "--url", url(CLASH)], { env: env(), timeoutMs: 30_000 });
        expect(r.code).toBe(0);
      });
    }
  });

  it("every quiz, answered through a scripted learner, and interrupted at a question", async () => {
    await path_("every quiz beside the learner's data", () => quizIn(OWN, learner()));
    await path_("every quiz where the learner has the lesson's keys (refused)", () => quizIn(CLASH, learner()));
    await path_("every quiz, Ctrl-C at the first question", () => quizIn(OWN, learner(1)));
    await path_("every quiz, Ctrl-C at the third question", () => quizIn(OWN, learner(3)));
  });

  it("Ctrl-C and SIGTERM at each stage of a lesson; SIGKILL, then the next run", async () => {
    const [lesson] = lessons;
    if (!lesson) throw new Error("no shipped lesson");
    const stages: [string, string][] = [
      ["during setup", "redis-learn: connected to"],
      ["at the first step", "Step 1/"],
      ["mid-lesson", `Step ${Math.ceil(lesson.steps.length / 2)}/`],
    ];
    for (const [stage, text] of stages) {
      for (const signal of ["SIGINT", "SIGTERM"] as const) {
        await path_(`lesson ${lesson.id} --watch, ${signal} ${stage}`, async () => {
          await interruptAt(["lesson", lesson.id, "--watch", "--url", url(OWN)], env(), text, signal);
        });
      }
    }
    await path_(`lesson ${lesson.id} --watch --force, SIGTERM mid-lesson`, async () => {
      await interruptAt(["lesson", lesson.id, "--watch", "--force", "--url", url(CLASH)], env(), stages[2]?.[1] ?? "", "SIGTERM");
    });
    // SIGKILL can land between a write and its record: that key is in doubt, so the next run
    // keeps it and says so (the rule: when in doubt, keep). Only such a key of the lesson's may be left.
    const left: string[] = [];
    await path_(
      `lesson ${lesson.id} --watch, SIGKILL mid-lesson, then the lesson again`,
      async () => {
        const home = env();
        await interruptAt(["lesson", lesson.id, "--watch", "--url", url(OWN)], home, stages[2]?.[1] ?? "", "SIGKILL");
        const again = await runCli(["lesson", lesson.id, "--watch", "--url", url(OWN)], { env: home, timeoutMs: 30_000 });
        const kept = [...again.stderr.matchAll(/kept "([^"]+)": it changed since redis-learn wrote it/g)].map((m) => m[1] as string);
        for (const k of kept) expect(lesson.keys).toContain(k);
        left.push(...kept.map((k) => `db${OWN}/${k}`));
        expect(again.code).toBe(kept.length ? 1 : 0);
      },
      left,
    );
    await path_(`lesson ${lesson.id} --watch --force, SIGKILL mid-lesson, then the lesson again`, async () => {
      const home = env();
      await interruptAt(["lesson", lesson.id, "--watch", "--force", "--url", url(CLASH)], home, stages[2]?.[1] ?? "", "SIGKILL");
      const again = await runCli(["lesson", lesson.id, "--watch", "--url", url(CLASH)], { env: home, timeoutMs: 30_000 });
      expect(again.code).toBe(1); // the learner's keys are back, so the lesson stops
    });
  });

  it("the sandbox, without --yes and with it, scripts included: only the keys typed change", async () => {
    const session = `SET learner:${OWN}:counter 42\nDEL learner:${OWN}:tags\nFLUSHDB\nFLUSHALL\nEVAL "return redis.call('DEL', KEYS[1])" 1 learner:${OWN}:queue\nSET sandbox:new 1\n`;
    await path_(
      "sandbox without --yes (FLUSHDB, FLUSHALL and a script refused)",
      async () => {
        const r = await runCli(["sandbox", "--url", url(OWN)], { env: env(), input: session });
        expect(r.stderr).toContain("3 commands were refused");
      },
      [`db${OWN}/learner:${OWN}:counter`, `db${OWN}/learner:${OWN}:tags`, `db${OWN}/sandbox:new`],
    );
    await path_(
      "sandbox --yes with a script that writes the key it names",
      async () => {
        const r = await runCli(["sandbox", "--yes", "--url", url(OWN)], { env: env(), input: `EVAL "return redis.call('SET', KEYS[1], 'from a script')" 1 learner:${OWN}:counter\n` });
        expect(r.stdout.toString()).toBe("OK\n");
      },
      [`db${OWN}/learner:${OWN}:counter`],
    );
  });

  it("a typed lesson in a terminal: a command undone, a step taken back, then q", async () => {
    const lesson = lessons.find((l) => l.id === "lists");
    if (!lesson) throw new Error("no lists lesson");
    await path_("typed lesson lists: undo and back, then q", async () => {
      const e = env();
      const screen = new TmuxScreen(`${process.execPath} ${BIN} lesson lists --url ${url(OWN)}`, { ...(e as Record<string, string>), TERM: "xterm-256color", NO_COLOR: "1" }, 140, 60);
      try {
        await screen.waitFor(/step 1\/\d+ A> ?$/m, 20_000);
        screen.type("rpush bikes:repairs bike:1 bike:2");
        screen.press("Enter");
        await screen.waitFor(/step 2\/\d+ A> ?$/m);
        screen.type("RPUSH bikes:repairs bike:3 bike:4");
        screen.press("Enter");
        await screen.waitFor(/Your command was undone[\s\S]*step 2\/\d+ A> ?$/m);
        screen.type("b");
        screen.press("Enter");
        await screen.waitFor(/Back one step[\s\S]*step 1\/\d+ A> ?$/m);
        screen.type("q");
        screen.press("Enter");
        await screen.waitFor(/resumes here/);
      } finally {
        screen.close();
      }
    });
  });

  it("two learners at once with one state folder", async () => {
    await path_("two learners: the same lesson twice on one database, and the other lesson beside them", async () => {
      const home = env();
      const ids = lessons.map((l) => l.id);
      const runs = await Promise.all([
        runCli(["lesson", ids[0] ?? "strings", "--watch", "--url", url(OWN)], { env: home, timeoutMs: 30_000 }),
        runCli(["lesson", ids[0] ?? "strings", "--watch", "--url", url(OWN)], { env: home, timeoutMs: 30_000 }),
        runCli(["lesson", ids[1] ?? "lists", "--watch", "--url", url(EMPTY)], { env: home, timeoutMs: 30_000 }),
      ]);
      // The twin runs: one runs, the other either runs after it or stops naming the other run.
      for (const r of runs) if (r.code !== 0) expect(r.stderr).toMatch(/another redis-learn \(pid \d+\)|already exists/);
      expect(runs[2]?.code).toBe(0);
    });
  });
});
