import { spawn, type ChildProcess } from "node:child_process";
import { createHash } from "node:crypto";
import { mkdirSync, mkdtempSync, readFileSync, rmSync, symlinkSync, writeFileSync } from "node:fs";
import os from "node:os";
import path from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { startPrivateServer, type PrivateServer } from "../../src/redis/server.js";
import { quizCommand } from "../../src/commands/quiz.js";
import type { QuizIO } from "../../src/quiz/run.js";
import { buildSync } from "esbuild";
import { BIN, ROOT, runCli, runProcess } from "../helpers/cli.js";
import { connectTo, differences, dumpServer } from "../helpers/server-dump.js";
import { TmuxScreen } from "../helpers/tmux.js";

/**
 * The findings of issue 11, one test each: on a server the learner brought, redis-learn
 * never deletes or changes a key of theirs. A server of this file's own.
 */
let server: PrivateServer;
let tmp: string;
const url = (db: number, user = ""): string => `redis://${user}127.0.0.1:${server.port}/${db}`;
const freshState = (): string => mkdtempSync(path.join(tmp, "state-"));
const env = (state: string): NodeJS.ProcessEnv => ({ XDG_STATE_HOME: state, XDG_CONFIG_HOME: state });

beforeAll(async () => {
  server = await startPrivateServer();
  tmp = mkdtempSync(path.join(os.tmpdir(), "rl-safety-"));
});
afterAll(async () => {
  await server.shutdown();
  rmSync(tmp, { recursive: true, force: true });
});

async function redis(db: number, ...commands: string[][]): Promise<string[]> {
  const conn = await connectTo(server.port, db);
  try {
    const replies = await conn.pipeline(commands);
    return replies.map((r) => ("value" in r ? (Buffer.isBuffer(r.value) ? r.value.toString() : String(r.value)) : r.type));
  } finally {
    conn.close();
  }
}

/** The binary, running in the background, with a way to wait for what it prints. */
function start(args: string[], e: NodeJS.ProcessEnv): { child: ChildProcess; output: () => string; waitFor(text: string): Promise<void>; done: Promise<number | null> } {
  const child = spawn(process.execPath, [BIN, ...args], { env: { ...process.env, NO_COLOR: "1", ...e, REDIS_URL: "" }, stdio: ["pipe", "pipe", "pipe"] });
  let out = "";
  const waiters: { text: string; resolve(): void }[] = [];
  const feed = (c: Buffer): void => {
    out += c.toString("utf8");
    for (const w of waiters.splice(0)) {
      if (out.includes(w.text)) w.resolve();
      else waiters.push(w);
    }
  };
  child.stdout?.on("data", feed);
  child.stderr?.on("data", feed);
  child.stdin?.end();
  const done = new Promise<number | null>((resolve) => child.on("close", (code) => resolve(code)));
  return {
    child,
    output: () => out,
    done,
    waitFor: (text) =>
      new Promise<void>((resolve, reject) => {
        if (out.includes(text)) return resolve();
        waiters.push({ text, resolve });
        void done.then(() => (out.includes(text) ? resolve() : reject(new Error(`exited before printing ${JSON.stringify(text)}:\n${out}`))));
      }),
  };
}

/** A lesson that writes bike:1, then waits, so a test can act while it runs. */
function waitingLesson(): string {
  const file = path.join(tmp, `waiting-${Math.random().toString(36).slice(2)}.yaml`);
  writeFileSync(
    file,
    [
      "id: waiting",
      "title: Waiting",
      "summary: Writes, waits, reads.",
      "keys: [bike:1, bikes:rentals, bikes:queue]",
      "steps:",
      "  - {title: Write, explain: E, run: SET bike:1 ours, expect: OK}",
      "  - {title: Count, explain: E, run: INCR bikes:rentals, expect: (integer) 1}",
      // A lesson's wait moves TTLs instead of sleeping: a blocked pop keeps the run alive for real.
      "  - {title: Wait, explain: E, client: B, blocks: true, run: BLPOP bikes:queue 4}",
      "  - {title: Times out, explain: E, client: B, receive: true, expect: (nil)}",
      "",
    ].join("\n"),
  );
  return file;
}

describe("1. a stale record of created keys never deletes the learner's keys", () => {
  it("Ctrl-C at the first quiz question, then the learner's own bike:1 and bikes:rentals survive `lesson strings`", async () => {
    const state = freshState();
    await redis(1, ["FLUSHDB"]);
    const saved = { state: process.env.XDG_STATE_HOME, config: process.env.XDG_CONFIG_HOME };
    process.env.XDG_STATE_HOME = state;
    process.env.XDG_CONFIG_HOME = state;
    const interrupted: QuizIO = {
      print: () => {},
      choose: () => Promise.reject(Object.assign(new Error("User force closed the prompt"), { name: "ExitPromptError" })),
      ask: () => Promise.reject(Object.assign(new Error("User force closed the prompt"), { name: "ExitPromptError" })),
    };
    try {
      await expect(quizCommand("strings", { url: url(1) }, interrupted)).rejects.toThrow(/force closed/);
    } finally {
      process.env.XDG_STATE_HOME = saved.state;
      process.env.XDG_CONFIG_HOME = saved.config;
    }
    await redis(1, ["SET", "bike:1", "my own bike"], ["RPUSH", "bikes:rentals", "mine"]);
    const before = await dumpServer(server.port, [1]);
    const r = await runCli(["lesson", "strings", "--watch", "--url", url(1)], { env: env(state), timeoutMs: 30_000 });
    expect(differences(before, await dumpServer(server.port, [1]))).toEqual([]);
    expect(r.code).toBe(1);
    expect(r.stderr).toMatch(/already exists .*not created by redis-learn\. Nothing was changed/);
  });

  it("after SIGKILL mid-lesson, a key the learner changed since is kept and said so in one line", async () => {
    const state = freshState();
    await redis(2, ["FLUSHDB"]);
    const lesson = waitingLesson();
    const run = start(["lesson", lesson, "--watch", "--url", url(2)], env(state));
    await run.waitFor("Step 2/4");
    run.child.kill("SIGKILL");
    await run.done;
    await redis(2, ["SET", "bike:1", "now the learner's"]);
    const before = await dumpServer(server.port, [2]);
    const again = await runCli(["lesson", lesson, "--watch", "--url", url(2)], { env: env(state) });
    const after = await dumpServer(server.port, [2]);
    expect(after.get("db2/bike:1")).toBe(before.get("db2/bike:1"));
    expect(again.stderr).toContain('kept "bike:1": it changed since redis-learn wrote it');
    // bikes:rentals still held exactly what the killed run left: that one was a leftover.
    expect(again.code).toBe(1);
    expect(after.has("db2/bikes:rentals")).toBe(false);
  });

  it.each(["another server's run_id", "the first format (names only)"])("a record of %s that names the learner's key lets nothing go", async (kind) => {
    const state = freshState();
    await redis(3, ["FLUSHDB"], ["SET", "bike:1", "Deimos"]);
    const conn = await connectTo(server.port, 3);
    const dump = await conn.send(["DUMP", "bike:1"]);
    conn.close();
    const digest = createHash("sha256").update(dump.type === "bulk" ? dump.value : Buffer.alloc(0)).digest("hex");
    const at = `127.0.0.1:${server.port}/3`;
    const record =
      kind === "the first format (names only)"
        ? { [at]: ["bike:1"] }
        : { version: 2, servers: { [at]: { runId: "0".repeat(40), keys: { "bike:1": { digest, run: "1-gone" } } } }, runs: {} };
    mkdirSync(path.join(state, "redis-learn"), { recursive: true });
    writeFileSync(path.join(state, "redis-learn", "created-keys.json"), JSON.stringify(record));
    const before = await dumpServer(server.port, [3]);
    const r = await runCli(["lesson", "strings", "--watch", "--url", url(3)], { env: env(state), timeoutMs: 30_000 });
    expect(differences(before, await dumpServer(server.port, [3]))).toEqual([]);
    expect(r.code).toBe(1);
  });
});

describe("1. in a terminal, a leftover that changed since is asked about (y/N, default keep)", () => {
  it.each([
    ["Enter keeps it, and the lesson stops", "Enter", true],
    ["y deletes it, and the lesson runs", "y", false],
  ])("%s", async (_, key, kept) => {
    const state = freshState();
    await redis(10, ["FLUSHDB"]);
    const lesson = waitingLesson();
    const run = start(["lesson", lesson, "--watch", "--url", url(10)], env(state));
    await run.waitFor("Step 2/4");
    run.child.kill("SIGKILL");
    await run.done;
    await redis(10, ["SET", "bike:1", "changed by the learner"]);
    const screen = new TmuxScreen(`${process.execPath} ${BIN} lesson ${lesson} --url ${url(10)}`, { ...(env(state) as Record<string, string>), TERM: "xterm-256color", NO_COLOR: "1" }, 160, 40);
    try {
      await screen.waitFor(/"bike:1" on [^\n]* has changed since\. Delete it\? \(y\/N\)/);
      screen.press(key);
      if (key !== "Enter") screen.press("Enter");
      await screen.waitFor(kept ? /kept "bike:1"[\s\S]*already exists/ : /step 1\/4 A> ?$/m);
    } finally {
      screen.close();
    }
    const [value] = await redis(10, ["GET", "bike:1"]);
    expect(value).toBe(kept ? "changed by the learner" : "nil");
  });
});

describe("4. --force puts back the keys that existed before", () => {
  it("the learner's bikes:flash-sale and bike:1 come back with their values and expiry after `lesson strings --force`", async () => {
    const state = freshState();
    await redis(4, ["FLUSHDB"], ["SET", "bikes:flash-sale", "the learner's sale"], ["SET", "bike:1", "mine", "EX", "86400"], ["SET", "unrelated", "x"]);
    const before = await dumpServer(server.port, [4]);
    const r = await runCli(["lesson", "strings", "--watch", "--force", "--url", url(4)], { env: env(state), timeoutMs: 30_000 });
    expect(r.code).toBe(0);
    expect(differences(before, await dumpServer(server.port, [4]))).toEqual([]);
  });

  it("after SIGTERM mid-lesson too, and after SIGKILL the next run puts them back", async () => {
    for (const signal of ["SIGTERM", "SIGKILL"] as const) {
      const state = freshState();
      await redis(5, ["FLUSHDB"], ["SET", "bike:1", "mine", "EX", "86400"]);
      const before = await dumpServer(server.port, [5]);
      const run = start(["lesson", waitingLesson(), "--watch", "--force", "--url", url(5)], env(state));
      await run.waitFor("Step 2/4");
      run.child.kill(signal);
      await run.done;
      if (signal === "SIGKILL") {
        expect(differences(before, await dumpServer(server.port, [5]))).not.toEqual([]);
        const next = await runCli(["lesson", waitingLesson(), "--watch", "--url", url(5)], { env: env(state) });
        expect(next.code).toBe(1); // bike:1 is the learner's again, so the lesson stops
      }
      expect(differences(before, await dumpServer(server.port, [5]))).toEqual([]);
    }
  });
});

describe("5. a key state that cannot be read is not (no such key)", () => {
  it.each([
    ["OBJECT", "-object", "state not readable: ERR The user executing the script can't run this command"],
    ["EVAL", "-eval", "state not readable: NOPERM this user has no permissions to run the 'eval' command"],
  ])("an ACL user without %s sees 'state not readable', and a second run is not refused", async (_, rule, line) => {
    const state = freshState();
    const user = `no${rule.slice(1)}`;
    await redis(6, ["FLUSHDB"], ["ACL", "SETUSER", user, "on", `>pw-${user}`, "~*", "+@all", rule]);
    for (let i = 0; i < 2; i++) {
      // A wide terminal, so the reason stays on one line to compare.
      const r = await runCli(["lesson", "strings", "--watch", "--url", url(6, `${user}:pw-${user}@`)], { env: { ...env(state), COLUMNS: "300" }, timeoutMs: 30_000 });
      const out = r.stdout.toString();
      expect(r.code).toBe(0);
      expect(out).toContain(line);
      expect(out).not.toContain('"bike:1" (no such key)');
    }
    expect(await redis(6, ["DBSIZE"])).toEqual(["0"]);
  });
});

describe("6. a state folder that cannot be written stops the run before its first write", () => {
  it.each([
    ["whose parent is a regular file (ENOTDIR)", (): string => (writeFileSync(path.join(tmp, "a-file"), "x"), path.join(tmp, "a-file", "state"))],
    [
      "that is a link to a folder that does not exist (ENOENT)",
      (): string => {
        const state = freshState();
        symlinkSync(path.join(state, "nowhere", "at-all"), path.join(state, "redis-learn"));
        return state;
      },
    ],
  ])("a state folder %s", async (_, make) => {
    await redis(7, ["FLUSHDB"]);
    const r = await runCli(["lesson", "strings", "--watch", "--url", url(7)], { env: { XDG_STATE_HOME: make(), XDG_CONFIG_HOME: freshState() }, timeoutMs: 30_000 });
    expect(r.code).toBe(1);
    expect(await redis(7, ["DBSIZE"])).toEqual(["0"]);
    expect(r.stdout.toString()).not.toContain("Step 1/");
    expect(r.stderr.trim().split("\n").slice(1)).toHaveLength(1);
    expect(r.stderr).toMatch(/nothing was changed on the server: .*XDG_STATE_HOME/);
  });
});

describe("7. two learners on one server with one state folder", () => {
  it("a second run of a lesson whose keys a live run uses stops, and the first run's keys are untouched", async () => {
    const state = freshState();
    await redis(8, ["FLUSHDB"]);
    const lesson = waitingLesson();
    const first = start(["lesson", lesson, "--watch", "--url", url(8)], env(state));
    await first.waitFor("Step 2/4");
    const second = await runCli(["lesson", lesson, "--watch", "--url", url(8)], { env: env(state) });
    expect(second.code).toBe(1);
    expect(second.stderr).toMatch(/another redis-learn \(pid \d+\) is running a lesson with the key "bike:1"/);
    expect(await first.done).toBe(0);
    expect(first.output()).not.toContain("✗");
    expect(await redis(8, ["DBSIZE"])).toEqual(["0"]);
  });

  it("progress.json and the record, changed by several runs at once, keep every run's changes", async () => {
    const state = freshState();
    const script = path.join(tmp, "hammer.cjs");
    buildSync({ entryPoints: [path.join(ROOT, "test/fixtures/safety/hammer.ts")], bundle: true, platform: "node", format: "cjs", outfile: script, logLevel: "silent" });
    const writers = ["a", "b", "c", "d"];
    const runs = await Promise.all(writers.map((w) => runProcess(process.execPath, [script, w, "25"], { env: env(state), timeoutMs: 40_000 })));
    for (const r of runs) expect(r.stderr).toBe("");
    const progress = JSON.parse(readFileSync(path.join(state, "redis-learn", "progress.json"), "utf8")) as { lessons: Record<string, unknown> };
    expect(Object.keys(progress.lessons)).toHaveLength(100);
    const record = JSON.parse(readFileSync(path.join(state, "redis-learn", "created-keys.json"), "utf8")) as { servers: Record<string, { keys: Record<string, unknown> }> };
    expect(Object.keys(record.servers["127.0.0.1:1/0"]?.keys ?? {})).toHaveLength(100);
  });
});
