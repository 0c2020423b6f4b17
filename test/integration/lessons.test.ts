import { spawn } from "node:child_process";
import { mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import os from "node:os";
import path from "node:path";
import { afterAll, beforeAll, describe, expect, inject, it } from "vitest";
import { Connection } from "../../src/redis/connection.js";
import { BIN, ROOT, runCli } from "../helpers/cli.js";

let tmp: string;
beforeAll(() => {
  tmp = mkdtempSync(path.join(os.tmpdir(), "rl-lessons-"));
});
afterAll(() => rmSync(tmp, { recursive: true, force: true }));

const text = (r: { stdout: Buffer }): string => r.stdout.toString("utf8");

describe("running the shipped lessons", () => {
  it.each(["lists", "strings"])("`lesson %s --no-pause` shows every step with its reply and key state", async (id) => {
    const r = await runCli(["lesson", id, "--no-pause"], { timeoutMs: 30_000 });
    expect(r.stderr).not.toMatch(/\n\s+at /);
    expect(r.code).toBe(0);
    const out = text(r);
    const steps = out.split(/\n(?=Step \d+\/\d+ · )/).slice(1);
    const total = Number(/Step 1\/(\d+)/.exec(out)?.[1]);
    expect(steps).toHaveLength(total);
    for (const step of steps) {
      // Every step shows the command as typed (or what a blocked client receives) and, for keys it touched, their state.
      expect(step).toMatch(/\n[AB]?> \S|returns:/);
      if (!/is blocked, waiting/.test(step)) expect(step).toMatch(/│ type|\(no such key\)/);
    }
    expect(out).not.toContain("✗ the lesson expected");
    expect(out).toContain("steps done");
  });

  it("shows B blocked, then A's push, then B's reply, in that order", async () => {
    const out = text(await runCli(["lesson", "lists", "--no-pause"], { timeoutMs: 30_000 }));
    const blocked = out.indexOf("B> BLPOP bikes:jobs 0\n(client B is blocked");
    const push = out.indexOf("A> RPUSH bikes:jobs job:1");
    const wakes = out.indexOf("client B's BLPOP bikes:jobs 0 returns:\n1) \"bikes:jobs\"\n2) \"job:1\"");
    expect(blocked).toBeGreaterThan(0);
    expect(push).toBeGreaterThan(blocked);
    expect(wakes).toBeGreaterThan(push);
  });

  it("LMOVE shows the element leaving one list and arriving in the other", async () => {
    const out = text(await runCli(["lesson", "lists", "--no-pause"], { timeoutMs: 30_000 }));
    const step = out.split(/\n(?=Step \d+\/\d+ · )/).find((s) => s.includes("> LMOVE bikes:repairs bikes:finished LEFT RIGHT"));
    expect(step).toMatch(/- \d+\) "bike:3"/);
    expect(step).toMatch(/\+ \d+\) "bike:3"/);
  });

  it("SET NX leaves the old value alone, visibly; EXPIRE gives the key a TTL", async () => {
    const out = text(await runCli(["lesson", "strings", "--no-pause"], { timeoutMs: 30_000 }));
    const steps = out.split(/\n(?=Step \d+\/\d+ · )/);
    const nx = steps.find((s) => /> SET \S+ \S+ NX\n\(nil\)/.test(s));
    expect(nx).toContain("now (unchanged)");
    const expire = steps.find((s) => /> EXPIRE /.test(s));
    expect(expire).toMatch(/TTL\s+│ none\s+│ \d+ s \(set\)/);
  });
});

describe("progress of a lesson run straight through", () => {
  it("is saved where an interrupted run stopped, and the next run resumes there", async () => {
    const home = mkdtempSync(path.join(tmp, "home-"));
    const env: NodeJS.ProcessEnv = { ...process.env, XDG_CONFIG_HOME: home, XDG_STATE_HOME: home, XDG_CACHE_HOME: home, NO_COLOR: "1" };
    delete env.REDIS_URL;
    const child = spawn(process.execPath, [BIN, "lesson", "lists", "--no-pause"], { env, stdio: ["ignore", "pipe", "pipe"] });
    let out = "";
    // The step after "Cap the log with LTRIM" runs BRPOP with a timeout of 1 s: time enough to stop the run there.
    await new Promise<void>((resolve, reject) => {
      child.stdout.on("data", (c: Buffer) => {
        out += c.toString("utf8");
        if (/Step \d+\/\d+ · Cap the log with LTRIM[\s\S]*\nA> LTRIM /.test(out)) resolve();
      });
      child.on("close", () => reject(new Error(`the lesson ended before it could be stopped:\n${out}`)));
    });
    const stopped = new Promise<number | null>((resolve) => child.on("close", (code) => resolve(code)));
    child.kill("SIGTERM");
    expect(await stopped).toBe(143);
    const shown = [...out.matchAll(/Step (\d+)\/\d+ · /g)].map((m) => Number(m[1]));
    const last = shown.at(-1)!;
    const progress = JSON.parse(readFileSync(path.join(home, "redis-learn", "progress.json"), "utf8"));
    expect(progress.lessons.lists).toMatchObject({ step: last - 1, completed: false });

    const again = await runCli(["lesson", "lists", "--no-pause"], { env: { XDG_CONFIG_HOME: home }, timeoutMs: 30_000 });
    expect(again.code).toBe(0);
    expect(text(again)).toContain(`Resuming at step ${last} of `);
    expect(JSON.parse(readFileSync(path.join(home, "redis-learn", "progress.json"), "utf8")).lessons.lists).toMatchObject({ step: 0, completed: true });
  });
});

describe("--watch, and the end of a lesson off a terminal", () => {
  it("--watch runs straight through as --no-pause does, shows predictions as notes, and names what to run next", async () => {
    // Wide enough that no prose is wrapped (wrapping at 80 columns is width.test.ts's business).
    const r = await runCli(["lesson", "lists", "--watch"], { env: { COLUMNS: "300" }, timeoutMs: 30_000 });
    expect(r.code).toBe(0);
    const out = text(r);
    expect(out).toContain("steps done");
    const step2 = out.split(/\n(?=Step \d+\/\d+ · )/).find((s) => s.startsWith("Step 2/"));
    expect(step2).toMatch(/Predict before you read on: What will Redis reply\? \(\(integer\) 2 · \(integer\) 4 · OK\)\n\n[AB]?> LPUSH/);
    expect(out).toMatch(/Covered: Push to the tail · Push to the head · /);
    expect(out).toMatch(/Next:\n\s+redis-learn quiz lists\b/);
    expect(out).not.toMatch(/redis-learn lesson \S+\s*$/);
    const first = text(await runCli(["lesson", "strings", "--watch"], { timeoutMs: 30_000 }));
    expect(first).toMatch(/Next:\n\s+redis-learn quiz strings\b.*\n\s+redis-learn lesson lists\n/);
  });

  it("a place saved after an earlier finish wins: the lesson resumes there, and finishing puts it back to the start", async () => {
    const home = mkdtempSync(path.join(tmp, "home-"));
    const file = path.join(home, "redis-learn", "progress.json");
    mkdirSync(path.dirname(file), { recursive: true });
    writeFileSync(file, JSON.stringify({ version: 1, lessons: { strings: { step: 3, completed: true, updatedAt: new Date().toISOString() } }, quizzes: {} }));
    const r = await runCli(["lesson", "strings", "--watch"], { env: { XDG_CONFIG_HOME: home }, timeoutMs: 30_000 });
    expect(r.code).toBe(0);
    expect(text(r)).toContain("Resuming at step 4 of ");
    expect(JSON.parse(readFileSync(file, "utf8")).lessons.strings).toMatchObject({ step: 0, completed: true });
  });
});

describe("redis-learn check", () => {
  it("replays every shipped lesson without a mismatch", async () => {
    const r = await runCli(["check"], { timeoutMs: 30_000 });
    expect(text(r)).toMatch(/^\d+ passed, 0 failed/m);
    expect(r.code).toBe(0);
  });

  it("passes the example lesson of docs/lessons.md, which is kept word for word as a fixture", async () => {
    const fixture = readFileSync(path.join(ROOT, "test/fixtures/lessons/example.yaml"), "utf8");
    expect(readFileSync(path.join(ROOT, "docs/lessons.md"), "utf8")).toContain(fixture.trim());
    const r = await runCli(["check", path.join(ROOT, "test/fixtures/lessons/example.yaml")]);
    expect(text(r)).toContain("1 passed, 0 failed");
  });

  it("fails at the file:line of a changed expected reply, naming expected and actual", async () => {
    const source = readFileSync(path.join(ROOT, "lessons/02-lists.yaml"), "utf8").split("\n");
    // Step 1's reply: it asks for no prediction, whose choices would have to change too.
    const line = source.findIndex((l) => l.trim() === "expect: (integer) 2") + 1;
    expect(line).toBeGreaterThan(0);
    source[line - 1] = source[line - 1]!.replace("(integer) 2", "(integer) 5");
    const file = path.join(tmp, "lists-broken.yaml");
    writeFileSync(file, source.join("\n"));
    const r = await runCli(["check", file], { timeoutMs: 30_000 });
    expect(r.code).toBe(1);
    const out = text(r);
    expect(out).toMatch(new RegExp(`lists-broken\\.yaml:${line}:1: steps\\[\\d+\\]\\.expect: the server replied differently`));
    expect(out).toMatch(/expected:\n\s+\(integer\) 5\n\s+actual:\n\s+\(integer\) 2/);
    expect(out).toContain("0 passed, 1 failed");
  });

  it("reports a step that touches a key the lesson does not list", async () => {
    const file = path.join(tmp, "undeclared.yaml");
    writeFileSync(file, "id: undeclared\ntitle: T\nsummary: S\nkeys: [a]\nsteps:\n  - title: T\n    explain: E\n    run: SET b 1\n    expect: OK\n");
    const r = await runCli(["check", file]);
    expect(r.code).toBe(1);
    expect(text(r)).toContain(`undeclared.yaml:8:10: steps[0].run: touches the key "b", which is not listed under keys:`);
  });

  it("skips a lesson whose requirement the server does not meet, with the reason", async () => {
    const file = path.join(tmp, "future.yaml");
    writeFileSync(file, 'id: future\ntitle: T\nsummary: S\nrequires:\n  redis: "99.0"\nkeys: []\nsteps:\n  - {title: T, explain: E, run: PING, expect: PONG}\n');
    const r = await runCli(["check", file]);
    expect(r.code).toBe(0);
    expect(text(r)).toMatch(/future skipped: needs Redis 99\.0 or newer; this server is redis \d/);
    expect(text(r)).toContain("0 passed, 0 failed, 1 skipped");
  });
});

describe("malformed lessons give file:line errors and exit 1, before anything runs", () => {
  const head = "id: broken\ntitle: T\nsummary: S\nkeys: [k]\nsteps:\n";
  it.each<[string, string, RegExp]>([
    ["bad YAML", "id: [x\n", /^bad-yaml\.yaml:\d+:\d+: invalid YAML/],
    ["an unknown field", head + "  - title: T\n    explain: E\n    run: PING\n    expected: PONG\n", /^an-unknown-field\.yaml:9:5: steps\[0\]\.expected: unknown field/],
    ["a missing command", head + "  - title: T\n    explain: E\n", /^a-missing-command\.yaml:6:5: steps\[0\]\.run: missing/],
    ["an unbalanced quote", head + "  - title: T\n    explain: E\n    run: SET k \"oops\n", /^an-unbalanced-quote\.yaml:8:16: steps\[0\]\.run: unbalanced quote/],
    ["an unknown Redis command", head + "  - title: T\n    explain: E\n    run: LPUSHH k v\n", /^an-unknown-redis-command\.yaml:8:10: steps\[0\]\.run: unknown Redis command "LPUSHH"/],
  ])("%s", async (name, content, message) => {
    const file = path.join(tmp, `${name.toLowerCase().replace(/ /g, "-")}.yaml`);
    writeFileSync(file, content);
    for (const args of [["lesson", file, "--no-pause"], ["check", file]]) {
      const r = await runCli(args, { env: { PWD: tmp } });
      expect(r.code).toBe(1);
      const errors = (text(r) + r.stderr).split("\n").filter((l) => l.includes(".yaml:"));
      expect(errors.length).toBeGreaterThan(0);
      expect(errors.some((l) => message.test(l.replace(/^.*?redis-learn: /, "").replace(/^\s+/, "").replace(/^.*\//, "")))).toBe(true);
      expect(r.stderr).not.toMatch(/\n\s+at /);
      expect(text(r)).not.toContain("Step 1/");
    }
  });
});

describe("a server the learner brought (--url)", () => {
  const url = (db: number): string => `redis://127.0.0.1:${inject("redisPort")}/${db}`;
  async function connect(db: number): Promise<Connection> {
    const port = inject("redisPort");
    return Connection.open({ host: "127.0.0.1", port, tls: false, db, label: `127.0.0.1:${port}` });
  }

  it("refuses to touch a key the lesson owns that redis-learn did not create, and leaves it alone", async () => {
    const conn = await connect(5);
    try {
      await conn.send(["FLUSHDB"]);
      await conn.send(["RPUSH", "bikes:repairs", "mine"]);
      const r = await runCli(["lesson", "lists", "--no-pause", "--url", url(5)], { env: { XDG_STATE_HOME: tmp } });
      expect(r.code).toBe(1);
      expect(r.stderr).toMatch(/uses the key "bikes:repairs".*already exists.*not created by redis-learn\. Nothing was changed/);
      expect(text(r)).not.toContain("Step 1/");
      const left = await conn.send(["LRANGE", "bikes:repairs", "0", "-1"]);
      expect(left.type === "array" && left.items.map((i) => (i.type === "bulk" ? i.value.toString() : ""))).toEqual(["mine"]);
    } finally {
      await conn.send(["FLUSHDB"]);
      conn.close();
    }
  });

  it("protects a key the learner has that a lesson names without listing it, and never deletes a key it only read", async () => {
    const conn = await connect(8);
    const file = path.join(tmp, "reads-unlisted.yaml");
    try {
      await conn.send(["FLUSHDB"]);
      await conn.send(["SET", "learner:data", "precious"]);
      writeFileSync(file, "id: unlisted\ntitle: T\nsummary: S\nkeys: [bike:1]\nsteps:\n  - {title: T, explain: E, run: SET bike:1 x}\n  - {title: U, explain: E, run: GET learner:data}\n");
      const state = mkdtempSync(path.join(tmp, "state-"));
      const refused = await runCli(["lesson", file, "--no-pause", "--url", url(8)], { env: { XDG_STATE_HOME: state } });
      expect(refused.code).toBe(1);
      expect(refused.stderr).toContain('uses the key "learner:data"');
      const forced = await runCli(["lesson", file, "--no-pause", "--force", "--url", url(8)], { env: { XDG_STATE_HOME: state } });
      expect(forced.code).toBe(0);
      const left = await conn.send(["GET", "learner:data"]);
      expect(left.type === "bulk" && left.value.toString()).toBe("precious");
      const bike = await conn.send(["EXISTS", "bike:1"]);
      expect(bike.type === "integer" && bike.value).toBe(0n);
    } finally {
      await conn.send(["FLUSHDB"]);
      conn.close();
    }
  });

  it("runs on a clean database and deletes only the keys it created", async () => {
    const conn = await connect(6);
    try {
      await conn.send(["FLUSHDB"]);
      await conn.send(["SET", "someone:else", "keep me"]);
      const state = mkdtempSync(path.join(tmp, "state-"));
      const r = await runCli(["lesson", "strings", "--no-pause", "--url", url(6)], { env: { XDG_STATE_HOME: state }, timeoutMs: 30_000 });
      expect(r.code).toBe(0);
      const keys = await conn.send(["KEYS", "*"]);
      expect(keys.type === "array" && keys.items.map((i) => (i.type === "bulk" ? i.value.toString() : ""))).toEqual(["someone:else"]);
      expect(JSON.parse(readFileSync(path.join(state, "redis-learn", "created-keys.json"), "utf8"))).toEqual({ version: 2, servers: {}, runs: {} });
    } finally {
      await conn.send(["FLUSHDB"]);
      conn.close();
    }
  });
});
