import { spawn } from "node:child_process";
import { existsSync } from "node:fs";
import path from "node:path";
import { onExit } from "../lifecycle.js";
import { packageRoot } from "../package-root.js";
import type { Target } from "../redis/target.js";
import type { RunRequest, RunnerMessage } from "./messages.js";
import { CommandRecorder } from "./recorder.js";
import { checkSnippet } from "./syntax.js";
import { buildTrace, type TracedCommand } from "./trace.js";

export type { TracedCommand } from "./trace.js";

export interface SnippetResult {
  /** What the snippet printed with console.log/info/warn/error (and process.stdout.write), in order, as the console would print it. */
  output: string;
  /** One line when the snippet threw or rejected: "TypeError: x is not a function" (no stack). */
  error?: string;
  /** Stopped at the time limit (then `error` is unset and `leftovers` empty: nothing could be asked). */
  timedOut: boolean;
  /** What it left running, said plainly: "1 timer", "1 open connection" (empty when clean). */
  leftovers: string[];
  /** Every command the snippet's connections sent, in the order the server ran them. */
  trace: TracedCommand[];
  /** How long the snippet ran, from its first line to its end (start-up and connecting not counted). */
  elapsedMs: number;
}

export interface SnippetOptions {
  code: string;
  host: string;
  port: number;
  /** Default 5000. Counted from the snippet's first line, once `redis` is connected. */
  timeoutMs?: number;
}

export const DEFAULT_TIMEOUT_MS = 5000;
/** Starting Node, loading ioredis (and BullMQ) and connecting: generous, for a loaded machine. */
const STARTUP_LIMIT_MS = 20_000;
/** After saying it is done the runner exits at once; this is for a runner that does not. */
const EXIT_LIMIT_MS = 2000;
/** The end of what the runner wrote to stderr is kept, to explain a crash (Node's "FATAL ERROR: ... out of memory"). */
const STDERR_KEPT = 4096;
/** A snippet that fills memory in a loop ends at this much heap, not at the machine's limit. */
const RUNNER_HEAP_MB = 256;

/** The runner, beside the built program: dist/code-runner.mjs (scripts/build.mjs). */
export function codeRunnerPath(): string {
  return path.join(packageRoot(), "dist", "code-runner.mjs");
}

/**
 * Runs a snippet with a connected ioredis client named `redis` against the server at
 * host:port, in a child process (runner.ts), and returns what it printed, how it ended,
 * what it left running, and every command its connections sent (from MONITOR).
 */
export async function runSnippet(options: SnippetOptions): Promise<SnippetResult> {
  const invalid = checkSnippet(options.code);
  if (invalid) {
    const error = `SyntaxError: ${invalid.message} (line ${invalid.line}, column ${invalid.column})`;
    return { output: "", error, timedOut: false, leftovers: [], trace: [], elapsedMs: 0 };
  }
  const runner = codeRunnerPath();
  if (!existsSync(runner)) throw new Error(`the code runner ${runner} is missing: build redis-learn (npm run build)`);

  const target: Target = { host: options.host, port: options.port, tls: false, db: 0, label: `${options.host}:${options.port}` };
  // The runner loads ioredis while MONITOR is set up.
  const child = startRunner(runner, options.timeoutMs ?? DEFAULT_TIMEOUT_MS);
  let recorder: CommandRecorder;
  try {
    recorder = await CommandRecorder.start(target);
  } catch (err) {
    child.kill();
    throw err;
  }
  const stopRecorder = onExit(() => recorder.close());
  try {
    const ran = await child.run({ code: options.code, host: options.host, port: options.port });
    const { lines, before } = await recorder.stop();
    const trace = buildTrace(lines, { ignore: before });
    return {
      output: ran.output,
      ...(ran.error !== undefined && { error: ran.error }),
      timedOut: ran.timedOut,
      leftovers: ran.leftovers,
      trace,
      elapsedMs: ran.elapsedMs,
    };
  } finally {
    stopRecorder();
    recorder.close();
  }
}

interface RunnerOutcome {
  output: string;
  error?: string;
  timedOut: boolean;
  leftovers: string[];
  elapsedMs: number;
}

interface RunningRunner {
  run(request: RunRequest): Promise<RunnerOutcome>;
  kill(): void;
}

/**
 * Spawns the runner at once (its start-up overlaps setting up MONITOR); run() hands it the
 * snippet and settles when its process has ended. SIGKILL at the time limit; never left
 * behind when redis-learn ends (lifecycle.ts), and it ends itself when redis-learn
 * vanishes (runner.ts).
 */
function startRunner(runner: string, timeoutMs: number): RunningRunner {
  const child = spawn(process.execPath, [`--max-old-space-size=${RUNNER_HEAP_MB}`, runner], { stdio: ["ignore", "ignore", "pipe", "ipc"] });
  const kill = (): void => void child.kill("SIGKILL");
  const forget = onExit(kill);
  let stderr = "";
  child.stderr?.on("data", (chunk: Buffer) => (stderr = (stderr + chunk.toString("utf8")).slice(-STDERR_KEPT)));
  const closed = new Promise<{ code: number | null; signal: NodeJS.Signals | null; spawnError?: Error }>((resolve) => {
    child.once("error", (spawnError) => resolve({ code: null, signal: null, spawnError }));
    child.once("close", (code, signal) => resolve({ code, signal }));
  }).finally(forget);

  return {
    kill,
    async run(request) {
      const outcome: RunnerOutcome = { output: "", timedOut: false, leftovers: [], elapsedMs: 0 };
      let done = false;
      let startedAt: number | undefined;
      let timer = setTimeout(kill, STARTUP_LIMIT_MS);
      child.on("message", (message: RunnerMessage) => {
        switch (message.type) {
          case "output":
            outcome.output += message.text;
            break;
          case "started":
            startedAt = performance.now();
            clearTimeout(timer);
            timer = setTimeout(() => {
              outcome.timedOut = true;
              kill();
            }, timeoutMs);
            break;
          case "done":
            done = true;
            clearTimeout(timer);
            timer = setTimeout(kill, EXIT_LIMIT_MS);
            if (message.error !== undefined) outcome.error = message.error;
            outcome.leftovers = message.leftovers;
            outcome.elapsedMs = message.elapsedMs;
            break;
        }
      });
      if (child.connected) child.send(request);
      const end = await closed;
      clearTimeout(timer);
      if (done) return outcome;
      outcome.elapsedMs = startedAt === undefined ? 0 : performance.now() - startedAt;
      if (!outcome.timedOut) outcome.error = endedEarly(end, startedAt === undefined, stderr);
      return outcome;
    },
  };
}

/** Why the runner ended without saying it was done, in one line. */
function endedEarly(end: { code: number | null; signal: NodeJS.Signals | null; spawnError?: Error }, beforeStart: boolean, stderr: string): string {
  if (end.spawnError) return `cannot start the code runner: ${end.spawnError.message}`;
  const fatal = stderr.split("\n").find((line) => /\bFATAL ERROR\b|\bError\b/.test(line))?.trim();
  if (fatal) return fatal;
  if (beforeStart && end.signal === "SIGKILL") return `the code runner did not start within ${STARTUP_LIMIT_MS / 1000} s`;
  if (end.signal) return `the snippet's process was ended by ${end.signal}`;
  return `the snippet's process exited (code ${end.code}) before the snippet finished`;
}
