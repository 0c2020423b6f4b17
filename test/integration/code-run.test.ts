import { spawn } from "node:child_process";
import { readFileSync, readdirSync } from "node:fs";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { codeRunnerPath, runSnippet, type SnippetResult } from "../../src/code/run.js";
import { startPrivateServer, type PrivateServer } from "../../src/redis/server.js";

/**
 * Code steps: a snippet runs with a connected ioredis client against a private server
 * this file starts (the shared test server has other files' connections coming and going,
 * which MONITOR would show), through the built runner (dist/code-runner.mjs).
 */
let server: PrivateServer;
beforeAll(async () => {
  server = await startPrivateServer();
});
afterAll(async () => {
  await server.shutdown();
});

const run = (code: string, timeoutMs?: number): Promise<SnippetResult> => runSnippet({ code, host: server.host, port: server.port, ...(timeoutMs && { timeoutMs }) });

/** The trace as lines: "client command args", "*" after the client for setup. */
const traced = (r: SnippetResult): string[] => r.trace.map((c) => `${c.client}${c.setup ? "*" : ""} ${c.args.map((a) => a.toString("utf8")).join(" ")}`);
const own = (r: SnippetResult): string[] => traced(r).filter((line) => !/^\S+\*/.test(line.replace(/^connection \d+/, "c")));

/** What ioredis 6 sends on connecting to Redis 7.0 (which refuses, and MONITOR leaves out, CLIENT SETINFO). */
const REDIS_CONNECTS = ["redis* hello 3", "redis* client setname redis", "redis* info"];

/** Runner processes this test process started that are still there (zombies not counted). Linux /proc. */
function runnersLeft(): number[] {
  const found: number[] = [];
  for (const name of readdirSync("/proc")) {
    if (!/^\d+$/.test(name)) continue;
    try {
      const stat = readFileSync(`/proc/${name}/stat`, "latin1");
      const [state, ppid] = stat.slice(stat.lastIndexOf(")") + 2).split(" ");
      if (state === "Z" || Number(ppid) !== process.pid) continue;
      if (readFileSync(`/proc/${name}/cmdline`, "latin1").includes("code-runner.mjs")) found.push(Number(name));
    } catch {
      // Ended while we looked.
    }
  }
  return found;
}

describe("running a snippet", () => {
  it("prints what it logs and traces each command, attributed to redis", async () => {
    const r = await run('await redis.set("greeting", "hello");\nconsole.log(await redis.get("greeting"));\nconsole.log({ n: 1, list: [1, 2] });');
    expect(r).toMatchObject({ output: "hello\n{ n: 1, list: [ 1, 2 ] }\n", timedOut: false, leftovers: [] });
    expect(r.error).toBeUndefined();
    expect(traced(r)).toEqual([...REDIS_CONNECTS, "redis set greeting hello", "redis get greeting"]);
    expect(r.trace.map((c) => c.db)).toEqual([0, 0, 0, 0, 0]);
  });

  it("keeps the console's order across log, info, warn, error and process.stdout", async () => {
    const r = await run('console.info("a"); console.warn("b"); console.error("c"); process.stdout.write("d\\n"); console.log("%s=%d", "n", 5)');
    expect(r.output).toBe("a\nb\nc\nd\nn=5\n");
  });

  it.each([
    ["a TypeError", 'await redis.set("n", "1");\nnull.x;', "TypeError: Cannot read properties of null (reading 'x')", ["redis set n 1"]],
    ["a reply error, rejected", 'await redis.set("s", "text");\nawait redis.incr("s");', "ReplyError: ERR value is not an integer or out of range", ["redis set s text", "redis incr s"]],
    ["a thrown string", 'throw "boom"', "Uncaught 'boom'", []],
    ["an error thrown later by a timer", 'setTimeout(() => { throw new RangeError("late") }, 10);\nawait new Promise((r) => setTimeout(r, 500));', "RangeError: late", []],
    ["a promise nothing can settle", "await redis.quit();\nawait new Promise(() => {});", "the snippet awaited a promise that nothing left running can settle", ["redis quit"]],
  ])("reports %s as one line", async (_, code, error, commands) => {
    const r = await run(code);
    expect(r.error).toBe(error);
    expect(r.timedOut).toBe(false);
    expect(own(r)).toEqual(commands);
  });

  it.each([
    ["process.exit()", 'await redis.set("exit", "1");\nprocess.exit(3);', "the snippet's process exited (code 3) before the snippet finished"],
    ["memory filled in a loop", "const all = [];\nwhile (true) all.push(new Array(1e6).fill(1));", "FATAL ERROR: Reached heap limit Allocation failed - JavaScript heap out of memory"],
  ])("reports a process ended by %s, and what it sent before", async (_, code, error) => {
    const r = await run(code, 20_000);
    expect(r).toMatchObject({ error, timedOut: false, leftovers: [] });
    expect(own(r)).toEqual(code.includes("exit") ? ["redis set exit 1"] : []);
  });

  it("refuses a snippet that does not parse, without running it", async () => {
    const r = await run('await redis.set("never", "1");\nconst x = ;');
    expect(r).toEqual({ output: "", error: "SyntaxError: Unexpected token (line 2, column 11)", timedOut: false, leftovers: [], trace: [], elapsedMs: 0 });
  });

  it("stops an endless loop at the time limit, keeping what it printed before", async () => {
    const r = await run('await redis.set("before", "loop");\nconsole.log("looping");\nwhile (true) {}', 1000);
    expect(r).toMatchObject({ output: "looping\n", timedOut: true, leftovers: [] });
    expect(r.error).toBeUndefined();
    expect(own(r)).toEqual(["redis set before loop"]);
    expect(runnersLeft()).toEqual([]);
  });

  it("reports a timer left running, which keeps nothing alive", async () => {
    const r = await run('setInterval(() => {}, 1000);\nconsole.log("started");');
    expect(r).toMatchObject({ output: "started\n", timedOut: false, leftovers: ["1 timer"] });
    expect(r.error).toBeUndefined();
    expect(runnersLeft()).toEqual([]);
  });

  it("reports a connection left open", async () => {
    const r = await run("const other = new Redis(connection);\nawait other.ping();");
    expect(r.leftovers).toEqual(["1 open connection"]);
    expect(own(r)).toEqual(["connection 2 ping"]);
  });

  it("attributes a second client by the name it gives itself, an unnamed one by its place", async () => {
    const code = [
      'const counter = new Redis({ ...connection, connectionName: "counter" });',
      'await counter.incr("visits");',
      "await counter.quit();",
      "const anon = new Redis({ ...connection, db: 2 });",
      'await anon.get("visits");',
      "await anon.quit();",
      'await redis.get("visits");',
    ].join("\n");
    const r = await run(code);
    expect(r.leftovers).toEqual([]);
    expect(traced(r)).toEqual([
      ...REDIS_CONNECTS,
      "counter* hello 3",
      "counter* client setname counter",
      "counter* info",
      "counter incr visits",
      "counter quit",
      "connection 3* hello 3",
      "connection 3* select 2",
      "connection 3* info",
      "connection 3 get visits",
      "connection 3 quit",
      "redis get visits",
    ]);
    expect(r.trace.filter((c) => c.client === "connection 3").map((c) => c.db)).toEqual([0, 2, 2, 2, 2]);
  });

  it("points new Redis() with no options at the same server, not at 6379", async () => {
    const r = await run('const plain = new Redis();\nawait plain.set("plain", "1");\nconsole.log(await redis.get("plain"));\nplain.disconnect();');
    expect(r.output).toBe("1\n");
    expect(own(r)).toEqual(["connection 2 set plain 1", "redis get plain"]);
  });

  it("keeps a QUIT the snippet sends itself", async () => {
    const r = await run('await redis.ping();\nawait redis.quit();');
    expect(own(r)).toEqual(["redis ping", "redis quit"]);
  });

  it("shows the commands a script runs as lua's", async () => {
    const r = await run("await redis.eval(\"redis.call('set', KEYS[1], ARGV[1]); return redis.call('get', KEYS[1])\", 1, \"lk\", \"lv\");");
    expect(own(r)).toEqual(["redis eval redis.call('set', KEYS[1], ARGV[1]); return redis.call('get', KEYS[1]) 1 lk lv", "lua set lk lv", "lua get lk"]);
  });

  it("runs a BullMQ queue and worker, with their scripts and bull: keys in the trace", async () => {
    const code = `const { Queue, Worker } = bullmq;
const queue = new Queue("emails", { connection });
await queue.add("welcome", { to: "ann@example.com" });
const worker = new Worker("emails", async (job) => {
  console.log("sending", job.name, "to", job.data.to);
  return "sent";
}, { connection });
const result = await new Promise((resolve) => worker.on("completed", (job, value) => resolve(value)));
console.log("result:", result);
await worker.close();
await queue.close();`;
    const r = await run(code, 15_000);
    expect(r).toMatchObject({ output: "sending welcome to ann@example.com\nresult: sent\n", timedOut: false, leftovers: [] });
    expect(r.error).toBeUndefined();
    const scripts = r.trace.filter((c) => c.client !== "lua" && /^eval(sha)?$/i.test(c.args[0]?.toString() ?? ""));
    expect(scripts.length).toBeGreaterThanOrEqual(2);
    const byLua = traced(r).filter((line) => line.startsWith("lua "));
    expect(byLua).toContain("lua LPUSH bull:emails:wait 1");
    expect(byLua.some((line) => /^lua HSET bull:emails:1 returnvalue "sent"/.test(line))).toBe(true);
    // The queue's and the worker's connections, none of them called redis.
    expect(new Set(scripts.map((c) => c.client)).has("redis")).toBe(false);
    expect(r.trace.every((c) => c.client === "lua" || !c.setup || !/^(eval|evalsha)$/i.test(c.args[0]?.toString() ?? ""))).toBe(true);
  }, 30_000);
});

/** Gone, or ended and waiting to be reaped by whoever adopted it. */
function ended(pid: number): boolean {
  try {
    const stat = readFileSync(`/proc/${pid}/stat`, "latin1");
    return stat.slice(stat.lastIndexOf(")") + 2).startsWith("Z");
  } catch {
    return true;
  }
}

/**
 * Starts the runner from a stand-in for redis-learn, which is SIGKILLed once the snippet
 * runs; then waits (up to a generous bound, not a measured time) for the runner to end.
 */
async function runnerAfterParentKilled(code: string): Promise<boolean> {
  const script = `
    const { fork } = require("node:child_process");
    const runner = fork(${JSON.stringify(codeRunnerPath())}, [], { stdio: ["ignore", "ignore", "ignore", "ipc"] });
    runner.on("message", (m) => { if (m.type === "started") process.stdout.write(runner.pid + "\\n"); });
    runner.send(${JSON.stringify({ code, host: server.host, port: server.port })});
  `;
  const standIn = spawn(process.execPath, ["-e", script], { stdio: ["ignore", "pipe", "inherit"] });
  const pid = await new Promise<number>((resolve, reject) => {
    standIn.stdout.once("data", (chunk: Buffer) => resolve(Number(chunk.toString("utf8").trim())));
    standIn.once("exit", () => reject(new Error("the stand-in ended before the snippet started")));
  });
  standIn.kill("SIGKILL");
  for (let waited = 0; waited < 10_000 && !ended(pid); waited += 50) await new Promise((r) => setTimeout(r, 50));
  const gone = ended(pid);
  if (!gone) process.kill(pid, "SIGKILL");
  return gone;
}

describe("the runner never outlives redis-learn, even when it is SIGKILLed", () => {
  it.each([
    ["while the snippet keeps the event loop busy", "while (true) {}"],
    ["while the snippet waits with a timer running", "setInterval(() => {}, 1000);\nawait new Promise(() => {});"],
  ])("%s", async (_, code) => {
    expect(await runnerAfterParentKilled(code)).toBe(true);
  });
});
