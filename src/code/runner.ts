/**
 * The code runner: a child process of redis-learn (dist/code-runner.mjs) that runs one
 * snippet as the body of an async function, so that an endless loop, a crash or a timer
 * left running can never hang or end redis-learn. It is given the snippet over IPC, sends
 * back what the snippet printed, and when the snippet is done, says what it left running
 * and exits. redis-learn kills it at the time limit.
 */
import { Console } from "node:console";
import { once } from "node:events";
import { Writable } from "node:stream";
import { inspect } from "node:util";
import { Worker } from "node:worker_threads";
import { Redis } from "ioredis";
import { SNIPPET_PARAMETERS, mentionsBullmq } from "./globals.js";
import { describeLeftovers } from "./leftovers.js";
import type { RunRequest, RunnerMessage } from "./messages.js";

/** Output beyond this is dropped: a snippet printing in a loop must not fill redis-learn's memory. */
const OUTPUT_LIMIT = 1 << 20;
/** How long closing `redis` may take (the server reads the end of a connection it has blocked on BLPOP late). */
const CLOSE_LIMIT_MS = 1000;
const PARENT_POLL_MS = 250;

type SnippetFunction = (...given: unknown[]) => Promise<unknown>;
const AsyncFunction = Object.getPrototypeOf(async () => {}).constructor as new (...params: string[]) => SnippetFunction;

if (!process.send) {
  process.stderr.write("redis-learn's code runner is started by redis-learn\n");
  process.exit(2);
}
watchParent();
process.once("message", (request: RunRequest) => void run(request));

async function run({ code, host, port }: RunRequest): Promise<void> {
  // From now on the IPC channel must not keep the runner alive (its 'disconnect' listener
  // would): a snippet awaiting what can never happen is then seen as such (beforeExit).
  process.channel?.unref();
  const console = captureOutput();
  // What Node counts of the runner's own (the IPC channel, the watchdog): not the snippet's leftovers.
  const own = process.getActiveResourcesInfo();
  const connection = { host, port };
  const finish = (done: Omit<Extract<RunnerMessage, { type: "done" }>, "type">): void => {
    send({ type: "done", ...done }, () => process.exit(0));
  };

  let snippet: SnippetFunction;
  let bullmq: unknown;
  try {
    // redis-learn checked the syntax with acorn; V8 has the last word.
    snippet = new AsyncFunction(...SNIPPET_PARAMETERS, code);
    bullmq = mentionsBullmq(code) ? await import("bullmq") : undefined;
  } catch (err) {
    return finish({ error: describeError(err), leftovers: [], elapsedMs: 0 });
  }
  // `new Redis()`, as documentation writes it, must reach this server, never one the
  // learner keeps on 6379 (ioredis reads its defaults from Redis.defaultOptions, private in its types).
  Object.assign((Redis as unknown as { defaultOptions: object }).defaultOptions, connection);
  const redis = new Redis({ ...connection, connectionName: "redis", lazyConnect: true });
  // connect() rejects with "Connection is closed."; the 'error' event says why.
  let cause: Error | undefined;
  const onError = (err: Error): void => void (cause ??= err);
  redis.on("error", onError);
  try {
    await redis.connect();
  } catch (err) {
    return finish({ error: `cannot connect to Redis at ${host}:${port}: ${(cause ?? (err as Error)).message}`, leftovers: [], elapsedMs: 0 });
  } finally {
    redis.off("error", onError);
  }

  send({ type: "started" });
  const start = performance.now();
  const error = await settled(snippet(redis, Redis, connection, bullmq, console));
  const elapsedMs = performance.now() - start;
  await closeClient(redis);
  // Closed sockets and answered requests leave Node's list a turn of the loop later.
  await nextTurn();
  await nextTurn();
  finish({ ...(error !== undefined && { error }), leftovers: describeLeftovers(process.getActiveResourcesInfo(), own), elapsedMs });
}

function send(message: RunnerMessage, then?: () => void): void {
  process.send?.(message, undefined, undefined, () => then?.());
}

/**
 * The snippet's outcome: undefined when it returned, one line when it threw or rejected,
 * or when something it started threw later, or when it waits on a promise that nothing
 * left running can settle (Node would end the program there).
 */
function settled(work: Promise<unknown>): Promise<string | undefined> {
  return new Promise((resolve) => {
    const fail = (err: unknown): void => resolve(describeError(err));
    work.then(() => resolve(undefined), fail);
    process.on("uncaughtException", fail);
    process.on("unhandledRejection", fail);
    process.on("beforeExit", () => resolve("the snippet awaited a promise that nothing left running can settle"));
  });
}

function describeError(err: unknown): string {
  if (!(err instanceof Error)) return `Uncaught ${inspect(err, { breakLength: Infinity })}`;
  const message = String(err.message).split("\n")[0] ?? "";
  return message ? `${err.name}: ${message}` : err.name;
}

/**
 * Closes `redis` without a command of its own, so the trace holds only the snippet's: the
 * socket is ended after what was written to it (a SET the snippet did not await still
 * runs), and the server frees the connection when it reads the end.
 */
async function closeClient(redis: Redis): Promise<void> {
  if (redis.status === "end") return;
  const ended = once(redis, "end").catch(() => {});
  redis.disconnect();
  await Promise.race([ended, delay(CLOSE_LIMIT_MS)]);
}

/**
 * A console whose every line goes to redis-learn, in order; libraries' warnings and
 * process.stdout.write go the same way, as they would reach a terminal.
 */
function captureOutput(): Console {
  let sent = 0;
  const emit = (text: string): void => {
    const room = OUTPUT_LIMIT - sent;
    if (room <= 0) return;
    sent += text.length;
    send({ type: "output", text: text.length > room ? `${text.slice(0, room)}\n[more output was not kept]\n` : text });
  };
  const sink = new Writable({
    decodeStrings: false,
    write(chunk: string | Buffer, _encoding, done) {
      emit(String(chunk));
      done();
    },
  });
  const write = (chunk: string | Uint8Array, ...rest: unknown[]): boolean => {
    emit(typeof chunk === "string" ? chunk : Buffer.from(chunk).toString("utf8"));
    const callback = rest.find((r) => typeof r === "function") as (() => void) | undefined;
    if (callback) process.nextTick(callback);
    return true;
  };
  process.stdout.write = write as typeof process.stdout.write;
  process.stderr.write = write as typeof process.stderr.write;
  const console = new Console({ stdout: sink, stderr: sink, colorMode: false });
  globalThis.console = console;
  return console;
}

/**
 * If redis-learn goes, so does the runner: on the IPC channel's end when the event loop
 * is free, and from a watchdog thread when the snippet keeps it busy (`while (true) {}`).
 */
function watchParent(): void {
  process.on("disconnect", () => process.exit(0));
  const watchdog = `
    const { workerData: parent } = require("node:worker_threads");
    setInterval(() => { if (process.ppid !== parent) process.kill(process.pid, "SIGKILL"); }, ${PARENT_POLL_MS});
  `;
  new Worker(watchdog, { eval: true, workerData: process.ppid }).unref();
}

function delay(ms: number): Promise<void> {
  return new Promise((resolve) => setTimeout(resolve, ms).unref());
}

function nextTurn(): Promise<void> {
  return new Promise((resolve) => setImmediate(resolve));
}
