import { execFileSync, spawn, type ChildProcess } from "node:child_process";
import { mkdirSync, mkdtempSync, readdirSync, readFileSync, realpathSync, rmSync } from "node:fs";
import os from "node:os";
import path from "node:path";
import { afterAll, describe, expect, it } from "vitest";
import { seededRandom } from "../../src/quiz/shuffle.js";
import { BIN } from "../helpers/cli.js";
import { killServersUnder, serversUnder } from "../helpers/procs.js";

/**
 * The fault suite: the real binary, killed with a random signal at a random moment,
 * mostly during start-up. Whatever the moment, no private server and no temp directory
 * may be left once it has exited (and, after SIGKILL, once the next run has cleaned up
 * its orphans). Each trial has its own TMPDIR, so only servers this suite started are
 * ever looked at. The seed is printed; REDIS_LEARN_FAULT_SEED replays a run.
 */
const SEED = Number(process.env.REDIS_LEARN_FAULT_SEED ?? Math.floor(Math.random() * 2 ** 31));
const TRIALS = Number(process.env.REDIS_LEARN_FAULT_TRIALS ?? 60);
/** Trials run side by side: each has its own TMPDIR, state and (for tmux) tmux server. */
const CONCURRENCY = Math.max(2, Math.min(6, os.availableParallelism() * 2));
const SIGNALS = ["SIGINT", "SIGTERM", "SIGHUP", "SIGKILL"] as const;
const SCENARIOS = ["sandbox piped", "sandbox in tmux", "lesson strings --no-pause", "check strings"] as const;
type Scenario = (typeof SCENARIOS)[number];


interface Trial {
  index: number;
  scenario: Scenario;
  signal: (typeof SIGNALS)[number];
  delayMs: number;
}

function plan(seed: number, count: number): Trial[] {
  const random = seededRandom(seed);
  const pick = <T,>(items: readonly T[]): T => items[Math.floor(random() * items.length)] as T;
  return Array.from({ length: count }, (_, index) => ({
    index,
    scenario: pick(SCENARIOS),
    signal: pick(SIGNALS),
    // Mostly during start-up (0–300 ms), sometimes later, while it works or waits.
    delayMs: random() < 0.75 ? Math.floor(random() * 300) : 300 + Math.floor(random() * 1200),
  }));
}

const roots: string[] = [];
afterAll(() => {
  for (const root of roots) {
    killServersUnder(path.join(root, "tmp"));
    rmSync(root, { recursive: true, force: true });
  }
});

function envFor(root: string): NodeJS.ProcessEnv {
  const env: NodeJS.ProcessEnv = {
    ...process.env,
    TMPDIR: path.join(root, "tmp"),
    XDG_STATE_HOME: path.join(root, "state"),
    XDG_CONFIG_HOME: path.join(root, "state"),
    XDG_CACHE_HOME: path.join(root, "state"),
    NO_COLOR: "1",
    TERM: "xterm-256color",
  };
  delete env.REDIS_URL;
  return env;
}

/** Starts the scenario; returns the pid to signal and a promise of its end. */
function launch(scenario: Scenario, env: NodeJS.ProcessEnv, root: string): { pid: number; ended: Promise<void>; stop(): void } {
  if (scenario === "sandbox in tmux") {
    // The tmux server's socket lives in the trial's directory, so it goes with it.
    const tmuxEnv = { ...env, TMUX_TMPDIR: root };
    const tmux = (...args: string[]): string => execFileSync("tmux", ["-L", "fault", ...args], { encoding: "utf8", env: tmuxEnv, stdio: ["ignore", "pipe", "ignore"] });
    const quote = (s: string): string => `'${s.replace(/'/g, "'\\''")}'`;
    // exec: the pane's process is redis-learn itself, so the signal reaches it and nothing else.
    tmux("new-session", "-d", "-s", "main", "-x", "120", "-y", "40", `exec ${quote(process.execPath)} ${quote(BIN)} sandbox`);
    const pid = Number(tmux("list-panes", "-t", "main", "-F", "#{pane_pid}").trim());
    setTimeout(() => {
      try {
        tmux("send-keys", "-t", "main", "-l", "SET bike:1 Deimos");
        tmux("send-keys", "-t", "main", "Enter");
      } catch {
        // Already gone.
      }
    }, 400);
    const ended = waitForPid(pid);
    return {
      pid,
      ended,
      stop: () => {
        try {
          tmux("kill-server");
        } catch {
          // The session ended with its program.
        }
      },
    };
  }
  const args = scenario === "sandbox piped" ? ["sandbox"] : scenario === "check strings" ? ["check", "strings"] : ["lesson", "strings", "--no-pause"];
  const child: ChildProcess = spawn(process.execPath, [BIN, ...args], { env, stdio: ["pipe", "ignore", "ignore"] });
  child.stdin?.on("error", () => {});
  let feeding: NodeJS.Timeout | undefined;
  if (scenario === "sandbox piped") feeding = setInterval(() => child.stdin?.write("SET bike:1 Deimos\nGET bike:1\n"), 50);
  const ended = new Promise<void>((resolve) => child.once("exit", () => resolve()));
  void ended.then(() => clearInterval(feeding));
  return { pid: child.pid as number, ended, stop: () => (clearInterval(feeding), child.stdin?.end()) };
}

/** A process that is not our child (the tmux pane) is watched until it is gone. */
async function waitForPid(pid: number): Promise<void> {
  for (;;) {
    try {
      process.kill(pid, 0);
      const stat = readFileSync(`/proc/${pid}/stat`, "utf8");
      if (stat.slice(stat.lastIndexOf(")") + 2).startsWith("Z")) return;
    } catch {
      return;
    }
    await sleep(20);
  }
}

function sleep(ms: number): Promise<void> {
  return new Promise((resolve) => setTimeout(resolve, ms));
}

async function within<T>(promise: Promise<T>, ms: number, what: string): Promise<T> {
  let timer: NodeJS.Timeout | undefined;
  const timeout = new Promise<never>((_, reject) => (timer = setTimeout(() => reject(new Error(`${what} did not end within ${ms} ms`)), ms)));
  try {
    return await Promise.race([promise, timeout]);
  } finally {
    clearTimeout(timer);
  }
}

/** What is left under the trial's TMPDIR; a server killed a moment ago may take a moment to disappear from /proc. */
async function leftovers(tmp: string): Promise<string[]> {
  const deadline = Date.now() + 3000;
  for (;;) {
    const servers = serversUnder(tmp);
    const entries = readdirSync(tmp);
    if ((!servers.length && !entries.length) || Date.now() > deadline) {
      return [...servers.map((pid) => `redis-server pid ${pid}`), ...entries.map((e) => `directory ${e}`)];
    }
    await sleep(25);
  }
}

/** The next run, which must clean up what a SIGKILL left behind. */
function nextRun(env: NodeJS.ProcessEnv): Promise<void> {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, [BIN, "sandbox"], { env, stdio: ["pipe", "ignore", "ignore"] });
    child.once("error", reject);
    child.once("exit", () => resolve());
    child.stdin.end("PING\n");
  });
}

async function runTrial(trial: Trial): Promise<string | undefined> {
  const root = realpathSync(mkdtempSync(path.join(os.tmpdir(), "rl-fault-")));
  roots.push(root);
  const tmp = path.join(root, "tmp");
  mkdirSync(tmp);
  mkdirSync(path.join(root, "state"));
  const env = envFor(root);
  const run = launch(trial.scenario, env, root);
  try {
    await sleep(trial.delayMs);
    try {
      process.kill(run.pid, trial.signal);
    } catch {
      // It had already finished: then it must have cleaned up by itself.
    }
    await within(run.ended, 10_000, `${trial.scenario} after ${trial.signal}`);
  } finally {
    run.stop();
  }
  if (trial.signal === "SIGKILL") await within(nextRun(env), 15_000, "the next run");
  const left = await leftovers(tmp);
  if (!left.length) return undefined;
  const when = trial.signal === "SIGKILL" ? "after the next run" : "after it exited";
  return `trial ${trial.index}: ${trial.scenario}, ${trial.signal} at ${trial.delayMs} ms: ${when}, left ${left.join(", ")}`;
}

describe("the fault suite", () => {
  it(`leaves no server and no temp directory after ${TRIALS} random signals (seed ${SEED})`, async () => {
    console.log(`fault suite: seed ${SEED}, ${TRIALS} trials; replay with REDIS_LEARN_FAULT_SEED=${SEED}`);
    const trials = plan(SEED, TRIALS);
    const problems: string[] = [];
    let next = 0;
    const worker = async (): Promise<void> => {
      while (next < trials.length) {
        const trial = trials[next++] as Trial;
        try {
          const problem = await runTrial(trial);
          if (problem) problems.push(problem);
        } catch (err) {
          problems.push(`trial ${trial.index}: ${trial.scenario}, ${trial.signal} at ${trial.delayMs} ms: ${(err as Error).message}`);
        }
      }
    };
    await Promise.all(Array.from({ length: CONCURRENCY }, worker));
    expect(problems, `seed ${SEED}`).toEqual([]);
  }, 120_000);
});
