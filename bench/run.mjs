#!/usr/bin/env node
// The redis-learn benchmark: `npm run bench` (or `node bench/run.mjs [--quick] [--ref REF]`
// after a build). It measures a copy of dist/ (or a build of REF) side by side with
// references in one run and prints Markdown tables (stdout) with medians, ratios and
// PASS/MISS against the targets; progress goes to stderr. It starts and stops its own
// redis-server and delay proxies on 127.0.0.1 and touches no other server.
// See docs/benchmarks.md.
import { execFileSync } from "node:child_process";
import { copyFileSync, cpSync, existsSync, readdirSync, readFileSync, statSync, symlinkSync, writeFileSync } from "node:fs";
import os from "node:os";
import path from "node:path";
import { fileURLToPath, pathToFileURL } from "node:url";
import * as L from "./lib.mjs";
import { describeBursts, startDelayProxy } from "./proxy.mjs";

const BENCH = path.dirname(fileURLToPath(import.meta.url));
const ROOT = path.resolve(BENCH, "..");
/** The copy of dist/ (or the build of --ref) being measured, and the command file in it; set by prepareBuild(). */
let BUILD = "";
let MAIN = "";
const NODE = process.execPath;
const SERVER_BINARY = process.env.REDIS_LEARN_SERVER || "redis-server";

const DELAY_MS = 20;
const NOMINAL_RT_MS = 2 * DELAY_MS;
const SANDBOX_COMMANDS = 20;
const BIG = 1_000_000;
const BIG_STRING_BYTES = 10 * 1024 * 1024;

const USAGE = `usage: npm run bench [-- --quick] [-- --ref REF]
       node bench/run.mjs [--quick] [--ref REF]   (after npm run build)

  --quick     fewer repetitions (under a minute); the numbers are noisier
  --ref REF   measure a commit instead of the working tree: git archive REF, built in a
              temp dir with this checkout's node_modules (e.g. --ref HEAD while src/ is
              half-edited)
`;

const argv = process.argv.slice(2);
if (argv.includes("--help") || argv.includes("-h")) {
  process.stdout.write(USAGE);
  process.exit(0);
}
let REF;
for (let i = 0; i < argv.length; i++) {
  if (argv[i] === "--quick") continue;
  if (argv[i] === "--ref" && argv[i + 1] && !argv[i + 1].startsWith("-")) {
    REF = argv[++i];
    continue;
  }
  process.stderr.write(`bench: unknown option ${argv[i]}\n${USAGE}`);
  process.exit(2);
}
const QUICK = argv.includes("--quick");
const P = QUICK
  ? { coldWarm: 1, coldRuns: 5, pingWarm: 1, pingRuns: 5, lessonRuns: 1, sandboxRuns: 2, snapWarm: 5, snapReps: 50, bigLessonRuns: 2, rssRuns: 1, checkRuns: 1, deadlineMin: 5 }
  : { coldWarm: 2, coldRuns: 25, pingWarm: 2, pingRuns: 15, lessonRuns: 4, sandboxRuns: 5, snapWarm: 20, snapReps: 300, bigLessonRuns: 5, rssRuns: 3, checkRuns: 3, deadlineMin: 9 };

const say = (text = "") => process.stdout.write(text + "\n");
const progress = (text) => process.stderr.write(`bench: ${text}\n`);
const targets = [];
const verdict = (pass) => (pass ? "PASS" : "MISS");
function target(what, measured, goal, pass) {
  targets.push({ what, measured, goal, pass });
  return verdict(pass);
}

// ---------------------------------------------------------------- stopping, whatever happens

let aborting = false;
async function abort(reason, code) {
  if (aborting) return;
  aborting = true;
  process.stderr.write(`\nbench: ${reason}; stopping the servers, proxy and processes it started...\n`);
  await L.stopEverything();
  process.exit(code);
}
process.on("SIGINT", () => void abort("interrupted", 130));
process.on("SIGTERM", () => void abort("terminated", 143));
process.on("SIGHUP", () => void abort("hung up", 129));
process.on("exit", L.stopEverythingSync);
setTimeout(() => void abort(`still running after ${P.deadlineMin} minutes`, 1), P.deadlineMin * 60_000).unref();

// ---------------------------------------------------------------- setup

// redis-learn keeps created keys, progress and history under the XDG dirs: the bench's
// runs get their own, so they neither read nor change the user's (a half-done lesson in
// the user's progress would make a lesson resume instead of starting at step 1).
const HOME = L.makeTempDir("home");
const childEnv = {
  ...process.env,
  NO_COLOR: "1",
  XDG_STATE_HOME: path.join(HOME, "state"),
  XDG_CONFIG_HOME: path.join(HOME, "config"),
  XDG_DATA_HOME: path.join(HOME, "data"),
  XDG_CACHE_HOME: path.join(HOME, "cache"),
};
delete childEnv.REDIS_URL;
delete childEnv.FORCE_COLOR;

const run = (args, opts = {}) => L.runProcess(NODE, [MAIN, ...args], { env: childEnv, ...opts });
const url = (port, db = 0) => `redis://127.0.0.1:${port}${db ? `/${db}` : ""}`;
/**
 * The bundle has one entry for the benchmark's direct calls (src/bench-api.ts): dist/bench-api.mjs,
 * or dist/bench-api.js in builds from before the CommonJS command. Older builds had a module per file.
 */
const benchApi = () => ["bench-api.mjs", "bench-api.js"].map((f) => path.join(BUILD, "dist", f)).find((f) => existsSync(f));
const dist = async (file) => import(pathToFileURL(benchApi() ?? path.join(BUILD, "dist", file)).href);
/** A --url run must say it connected there: a private server instead means the URL was ignored. */
const usedUrl = (r) => {
  if (r.stderr.includes("connected to")) return true;
  throw new Error(`${r.cmd}: the URL was ignored (stderr: ${r.stderr.trim().split("\n")[0]})`);
};

/** Set by probeUrl() when this build ignores --url but honours REDIS_URL. */
let URL_VIA_ENV = false;
/** Arguments (after main.js) and environment of a run against the server at `u`. */
const withUrl = (args, u) => (URL_VIA_ENV ? { args, env: { ...childEnv, REDIS_URL: u } } : { args: [...args, "--url", u], env: childEnv });

/** Problems found on the way: a section that could not be measured, --url being ignored. */
const problems = [];

/**
 * `sandbox --url` must connect where it is told. If it starts a private server instead,
 * that is a bug to report, and the bench passes the URL in REDIS_URL so that it can still
 * measure the --url paths.
 */
async function probeUrl(server) {
  const viaFlag = await run(["sandbox", "--url", url(server.port)]);
  if (viaFlag.code === 0 && viaFlag.stderr.includes("connected to")) return;
  const viaEnv = await L.runProcess(NODE, [MAIN, "sandbox"], { env: { ...childEnv, REDIS_URL: url(server.port) } });
  if (viaEnv.code !== 0 || !viaEnv.stderr.includes("connected to")) {
    throw new Error(`redis-learn sandbox connects neither with --url nor with REDIS_URL: ${viaFlag.stderr.trim()} / ${viaEnv.stderr.trim()}`);
  }
  URL_VIA_ENV = true;
  const what = `\`redis-learn sandbox --url redis://127.0.0.1:${server.port}\` ignores --url (it said: "${viaFlag.stderr.trim().split("\n")[0]}"); REDIS_URL works, so every "--url" run below passes the URL in REDIS_URL instead`;
  problems.push(what);
  say(`> **WARNING:** ${what}.`);
  say();
  progress(`WARNING: ${what}`);
}

/** Runs one section; if it fails, says so in the output and goes on with the next. */
async function section(name, fn) {
  try {
    await fn();
  } catch (err) {
    if (aborting) throw err;
    const message = err instanceof Error ? err.message : String(err);
    problems.push(`${name} could not be measured: ${message.split("\n")[0]}`);
    progress(`${name} failed: ${message}`);
    say(`## ${name}: could not be measured`);
    say();
    say("```");
    say(message.trim());
    say("```");
    say();
  }
}

/**
 * Others edit src/ and rebuild dist/ while the bench runs, so it measures a copy: dist/,
 * lessons/ and package.json copied at the start (or --ref REF built from git), with a
 * symlink to node_modules. Returns a description of what is measured.
 */
function prepareBuild() {
  BUILD = L.makeTempDir("build");
  if (REF) {
    const sha = execFileSync("git", ["rev-parse", "--verify", `${REF}^{commit}`], { cwd: ROOT }).toString().trim();
    const tar = path.join(BUILD, "src.tar");
    // Commits from before the bundled build have tsconfig.build.json instead of scripts/build.mjs.
    const bundled = execFileSync("git", ["ls-tree", "--name-only", sha, "scripts/build.mjs"], { cwd: ROOT }).toString().trim() !== "";
    const files = bundled ? ["src", "lessons", "package.json", "tsconfig.json", "scripts"] : ["src", "lessons", "package.json", "tsconfig.json", "tsconfig.build.json"];
    execFileSync("git", ["archive", "--format=tar", "-o", tar, sha, ...files], { cwd: ROOT });
    execFileSync("tar", ["-xf", tar, "-C", BUILD]);
    symlinkSync(path.join(ROOT, "node_modules"), path.join(BUILD, "node_modules"), "dir");
    progress(`building ${REF} (${sha.slice(0, 7)}) in ${BUILD}`);
    if (bundled) execFileSync(NODE, ["scripts/build.mjs"], { cwd: BUILD, stdio: ["ignore", 2, 2] });
    else execFileSync(NODE, [path.join(ROOT, "node_modules", "typescript", "bin", "tsc"), "-p", path.join(BUILD, "tsconfig.build.json")], { stdio: ["ignore", 2, 2] });
    MAIN = commandFile(BUILD);
    return `commit ${sha.slice(0, 7)} (--ref ${REF})`;
  }
  const source = commandFile(ROOT);
  if (!existsSync(source)) throw new Error(`${path.relative(ROOT, source)} is missing: run npm run build (npm run bench does it for you)`);
  const stale = newestMtime(path.join(ROOT, "src")) > statSync(source).mtimeMs;
  cpSync(path.join(ROOT, "dist"), path.join(BUILD, "dist"), { recursive: true });
  cpSync(path.join(ROOT, "lessons"), path.join(BUILD, "lessons"), { recursive: true });
  copyFileSync(path.join(ROOT, "package.json"), path.join(BUILD, "package.json"));
  symlinkSync(path.join(ROOT, "node_modules"), path.join(BUILD, "node_modules"), "dir");
  MAIN = commandFile(BUILD);
  const commit = tryExec("git", ["rev-parse", "--short", "HEAD"]);
  const dirty = tryExec("git", ["status", "--porcelain", "--", "src", "lessons"]) ? " + uncommitted changes in src/ or lessons/" : "";
  return `working tree: commit ${commit || "?"}${dirty}, dist/ built ${new Date(statSync(source).mtimeMs).toISOString().slice(0, 19)}Z${stale ? " (WARNING: older than src/: run npm run build)" : ""}`;
}

/** The file package.json names as the redis-learn command (dist/main.js before the CommonJS launcher). */
function commandFile(root) {
  const bin = JSON.parse(readFileSync(path.join(root, "package.json"), "utf8")).bin?.["redis-learn"] ?? "dist/main.js";
  return path.join(root, bin);
}

function newestMtime(dir) {
  let newest = 0;
  for (const entry of readdirSync(dir, { withFileTypes: true })) {
    const p = path.join(dir, entry.name);
    newest = Math.max(newest, entry.isDirectory() ? newestMtime(p) : statSync(p).mtimeMs);
  }
  return newest;
}

function tryExec(cmd, args) {
  try {
    return execFileSync(cmd, args, { cwd: ROOT, stdio: ["ignore", "pipe", "ignore"] }).toString("utf8").trim();
  } catch {
    return "";
  }
}

/** Runs the variants in rounds, rotating their order each round; warm-up rounds are dropped. */
async function interleaved(variants, warm, runs) {
  const results = variants.map(() => []);
  for (let round = 0; round < warm + runs; round++) {
    for (let k = 0; k < variants.length; k++) {
      const i = (k + round) % variants.length;
      const v = variants[i];
      const r = L.expectOk(await L.runProcess(v.cmd, v.args, { input: v.input ?? "", env: v.env ?? childEnv, kind: v.kind ?? "redis-learn" }), v.check);
      if (round >= warm) results[i].push(r);
    }
  }
  return results;
}

const msOf = (results) => results.map((r) => r.ms);

// ---------------------------------------------------------------- 1. cold start

async function coldStart() {
  progress(`cold start: ${P.coldRuns} runs each after ${P.coldWarm} warm-up(s), interleaved`);
  const emptyModule = path.join(L.makeTempDir("esm"), "empty.mjs");
  writeFileSync(emptyModule, "export {};\n");
  const variants = [
    { name: "node -e ''", cmd: NODE, args: ["-e", ""], kind: "other" },
    { name: "redis-learn --help", cmd: NODE, args: [MAIN, "--help"], check: (r) => r.stdout.includes("Usage: redis-learn"), goal: true },
    { name: "redis-learn list", cmd: NODE, args: [MAIN, "list"], check: (r) => r.stdout.includes("strings"), goal: true },
    { name: "node empty.mjs (reference: an ES module that does nothing)", cmd: NODE, args: [emptyModule], kind: "other" },
  ];
  const results = await interleaved(variants, P.coldWarm, P.coldRuns);
  const base = L.median(msOf(results[0]));
  const rows = variants.map((v, i) => {
    const times = msOf(results[i]);
    const m = L.median(times);
    const ratio = m / base;
    const row = [v.name, L.fmtMs(m), L.fmtMs(L.min(times)), L.fmtMs(L.quantile(times, 0.9)), i === 0 ? "1.00x (baseline)" : L.fmtRatio(ratio)];
    if (!v.goal) return [...row, "", ""];
    return [...row, "≤ 1.3x", target(`${v.name} within 1.3x of node -e ''`, `${L.fmtRatio(ratio)} (${L.fmtMs(m)} vs ${L.fmtMs(base)})`, "≤ 1.3x", ratio <= 1.3)];
  });
  say(`## 1. Cold start (median of ${P.coldRuns} runs after ${P.coldWarm} warm-up${P.coldWarm > 1 ? "s" : ""}, interleaved; spawn to exit)`);
  say();
  say(L.renderTable(["command", "median", "min", "p90", "ratio to node -e ''", "target", "result"], rows));
  say();
}

// ---------------------------------------------------------------- 1b. what start-up loads

const IMPORT_SCRIPT =
  "import { performance } from 'node:perf_hooks'; const t = performance.now(); await import(process.argv[1]); process.stdout.write(String(performance.now() - t));";
const LOAD_SCRIPT =
  "import { performance } from 'node:perf_hooks'; const m = await import(process.argv[1]); const t = performance.now(); await m.loadAllLessons(); process.stdout.write(String(performance.now() - t));";

async function startupBreakdown() {
  const items = [
    ["import commander", IMPORT_SCRIPT, "commander"],
    ["import chalk", IMPORT_SCRIPT, "chalk"],
    ["import cli-table3", IMPORT_SCRIPT, "cli-table3"],
    ["import yaml", IMPORT_SCRIPT, "yaml"],
    ["import ioredis (the reference client)", IMPORT_SCRIPT, "ioredis"],
    ["loadAllLessons(): read every lesson, parsed or from the build's cache (after its import)", LOAD_SCRIPT, pathToFileURL(benchApi() ?? path.join(BUILD, "dist", "lessons", "load.js")).href],
  ];
  const runs = QUICK ? 2 : 5;
  progress(`start-up breakdown: ${items.length} imports, ${runs} fresh processes each`);
  const rows = [];
  for (const [name, script, spec] of items) {
    const times = [];
    for (let i = 0; i < runs; i++) {
      const r = L.expectOk(await L.runProcess(NODE, ["--input-type=module", "-e", script, spec], { cwd: ROOT, env: childEnv, kind: "other" }));
      times.push(Number(r.stdout));
    }
    rows.push([name, L.fmtMs(L.median(times))]);
  }
  say(`### 1b. What start-up loads (median of ${runs} fresh \`node\` processes each; time of that import alone, modules shared with earlier lines are counted again)`);
  say();
  say(L.renderTable(["what", "median"], rows));
  say();
}

// ---------------------------------------------------------------- 2. echo PING | ...

async function ping(server) {
  progress(`echo PING: ${P.pingRuns} runs each after ${P.pingWarm} warm-up(s), interleaved`);
  const pong = (r) => r.stdout.includes("PONG");
  const variants = [
    { name: "bare ioredis: connect + PING + quit", cmd: NODE, args: [path.join(BENCH, "ioredis-ping.mjs"), String(server.port)], check: pong, kind: "other" },
    { name: "echo PING | redis-learn sandbox (private server)", cmd: NODE, args: [MAIN, "sandbox"], input: "PING\n", check: (r) => r.stdout === "PONG\n" },
    {
      name: `echo PING | redis-learn sandbox --url (bench server)${URL_VIA_ENV ? " [via REDIS_URL]" : ""}`,
      cmd: NODE,
      args: [MAIN, ...withUrl(["sandbox"], url(server.port)).args],
      env: withUrl(["sandbox"], url(server.port)).env,
      input: "PING\n",
      check: (r) => r.stdout === "PONG\n" && usedUrl(r),
    },
  ];
  const redisCli = await L.which("redis-cli");
  if (redisCli) variants.push({ name: "echo PING | redis-cli (for reference)", cmd: redisCli, args: ["-h", "127.0.0.1", "-p", String(server.port)], input: "PING\n", check: pong, kind: "other" });
  const iredis = await L.which("iredis");
  if (iredis) variants.push({ name: "echo PING | iredis", cmd: iredis, args: ["-h", "127.0.0.1", "-p", String(server.port)], input: "PING\n", check: pong, kind: "other", iredis: true });
  const results = await interleaved(variants, P.pingWarm, P.pingRuns);
  const med = results.map((rs) => L.median(msOf(rs)));
  const base = med[0];
  const iredisIndex = variants.findIndex((v) => v.iredis);
  const rows = variants.map((v, i) => {
    const times = msOf(results[i]);
    const row = [v.name, L.fmtMs(med[i]), L.fmtMs(L.min(times)), L.fmtMs(L.quantile(times, 0.9)), i === 0 ? "1.00x (baseline)" : L.fmtRatio(med[i] / base)];
    if (i !== 1) return [...row, "", ""];
    let goal = "≤ 1.15x";
    let pass = med[1] / base <= 1.15;
    if (iredisIndex !== -1) {
      goal += ", < iredis";
      pass = pass && med[1] < med[iredisIndex];
    }
    return [...row, goal, target(`echo PING | sandbox (private) within 1.15x of bare ioredis${iredisIndex !== -1 ? " and faster than iredis" : ""}`, `${L.fmtRatio(med[1] / base)} (${L.fmtMs(med[1])} vs ${L.fmtMs(base)})`, goal, pass)];
  });
  if (iredisIndex === -1) rows.push(["echo PING | iredis", "skipped: iredis is not on PATH", "", "", "", "", ""]);
  say(`## 2. One PING, process start to exit (median of ${P.pingRuns} runs after ${P.pingWarm} warm-up${P.pingWarm > 1 ? "s" : ""}, interleaved)`);
  say();
  say(L.renderTable(["command", "median", "min", "p90", "ratio to ioredis", "target", "result"], rows));
  say();
  say("The private-server row includes starting and stopping redis-server; the others use a server the bench started once.");
  say();
}

// ---------------------------------------------------------------- 3. round trips through a slow link

async function throughProxy(server, admin) {
  // Both variants go through a proxy started here, in this process, so that every time is
  // on one clock: the 0 ms one stands for loopback, the 20 ms one for a slow link.
  const fast = await startDelayProxy({ targetPort: server.port, delayMs: 0, lifetimeMs: 300_000 });
  const slow = await startDelayProxy({ targetPort: server.port, delayMs: DELAY_MS, lifetimeMs: 300_000 });
  try {
    const rtSlow = L.median(await L.pingTimes(slow.port, 15));
    const rtFast = L.median(await L.pingTimes(fast.port, 15));
    fast.take();
    slow.take();
    progress(`proxies on 127.0.0.1: ${DELAY_MS} ms each way (PING ${L.fmtMs(rtSlow)}), 0 ms (PING ${L.fmtMs(rtFast)})`);

    // Sandbox --url: empty input, and N commands, through each proxy.
    progress(`sandbox --url: ${P.sandboxRuns} runs each of empty input and ${SANDBOX_COMMANDS} commands, through each proxy`);
    const input = Array.from({ length: SANDBOX_COMMANDS }, (_, i) => (i % 2 ? `LPUSH bench:sandbox:list ${i}` : `SET bench:sandbox:${i} value-${i}`)).join("\n") + "\n";
    const sandboxRun = async (proxy, text, n) => {
      const u = withUrl(["sandbox"], url(proxy.port));
      const r = L.expectOk(await run(u.args, { input: text, env: u.env }), (x) => x.stdout.split("\n").length - 1 === n && usedUrl(x));
      const conns = proxy.take();
      if (conns.length !== 1) throw new Error(`sandbox opened ${conns.length} connections, expected 1`);
      const c = conns[0];
      return { total: r.ms, conn: c.closedAt - c.acceptedAt, bursts: c.bursts };
    };
    const sb = { fastEmpty: [], fastN: [], slowEmpty: [], slowN: [] };
    for (let i = 0; i < 1 + P.sandboxRuns; i++) {
      const round = [
        ["fastEmpty", () => sandboxRun(fast, "", 0)],
        ["fastN", () => sandboxRun(fast, input, SANDBOX_COMMANDS)],
        ["slowEmpty", () => sandboxRun(slow, "", 0)],
        ["slowN", () => sandboxRun(slow, input, SANDBOX_COMMANDS)],
      ];
      for (let k = 0; k < round.length; k++) {
        const [name, go] = round[(k + i) % round.length];
        const r = await go();
        if (i > 0) sb[name].push(r);
      }
    }
    const conn = (name) => L.median(sb[name].map((r) => r.conn));
    const bursts = (name) => L.median(sb[name].map((r) => r.bursts.length));
    const sandboxSetupRt = (conn("slowEmpty") - conn("fastEmpty")) / NOMINAL_RT_MS;
    const sandboxCmdMs = (conn("slowN") - conn("slowEmpty")) / SANDBOX_COMMANDS;
    const sandboxCmdRt = sandboxCmdMs / NOMINAL_RT_MS;
    const sandboxCmdCounted = (bursts("slowN") - bursts("slowEmpty")) / SANDBOX_COMMANDS;

    // Lesson strings --no-pause --url, each run on a fresh database of the bench server.
    const { findLesson } = await dist("lessons/load.js");
    const lesson = await findLesson("strings");
    const steps = lesson.steps.length;
    const commands = lesson.steps.reduce((n, s) => n + s.run.length, 0);
    const waitMs = lesson.steps.reduce((n, s) => n + s.wait, 0) * 1000;
    progress(`lesson strings (${steps} steps, ${commands} commands, ${waitMs} ms of waits): ${P.lessonRuns} run(s) through each proxy`);
    let nextDb = 1;
    const lessonRun = async (proxy) => {
      const db = nextDb;
      nextDb = (nextDb % 15) + 1;
      await admin.pipeline([["SELECT", String(db)], ["FLUSHDB"], ["SELECT", "0"]]);
      const u = withUrl(["lesson", "strings", "--no-pause"], url(proxy.port, db));
      const r = L.expectOk(await run(u.args, { env: u.env }), (x) => x.stdout.includes(`all ${steps} steps done`) && usedUrl(x));
      const conns = proxy.take();
      const accepted = Math.min(...conns.map((c) => c.acceptedAt));
      const header = r.startedAt + r.firstOut;
      const lastStep = r.startedAt + L.timeOfText(r, `Step ${steps}/${steps} ·`);
      const all = conns.flatMap((c) => c.bursts).sort((a, b) => a.t - b.t);
      // A burst belongs to the phase whose output it came before; half a round trip of margin.
      const margin = NOMINAL_RT_MS / 2;
      return {
        total: r.ms,
        connections: conns.length,
        setup: header - accepted,
        steps: lastStep - header,
        teardown: r.startedAt + r.ms - lastStep,
        setupBursts: all.filter((b) => b.t < header - margin),
        stepBursts: all.filter((b) => b.t >= header - margin && b.t < lastStep - margin),
        teardownBursts: all.filter((b) => b.t >= lastStep - margin),
      };
    };
    const lf = [];
    const ls = [];
    await lessonRun(fast); // warm-up
    for (let i = 0; i < P.lessonRuns; i++) {
      lf.push(await lessonRun(fast));
      ls.push(await lessonRun(slow));
    }
    const med = (runs, field) => L.median(runs.map((r) => (Array.isArray(r[field]) ? r[field].length : r[field])));
    const lessonSetupRt = (med(ls, "setup") - med(lf, "setup")) / NOMINAL_RT_MS;
    const stepMs = (med(ls, "steps") - waitMs) / steps;
    const stepRt = stepMs / NOMINAL_RT_MS;
    const stepNetRt = (med(ls, "steps") - med(lf, "steps")) / steps / NOMINAL_RT_MS;
    const teardownRt = (med(ls, "teardown") - med(lf, "teardown")) / NOMINAL_RT_MS;
    const example = ls[ls.length - 1];
    const stepCommandsPerBurst = example.stepBursts.map((b) => b.commands.length);

    const n = (x) => String(Math.round(x * 100) / 100);
    const rows = [
      ["sandbox: connection setup (empty input; connect → close)", L.fmtMs(conn("fastEmpty")), L.fmtMs(conn("slowEmpty")), L.fmtRt(sandboxSetupRt), n(bursts("slowEmpty")), "≤ 3", target("sandbox connection setup through the proxy", `${L.fmtRt(sandboxSetupRt)} (${n(bursts("slowEmpty"))} counted)`, "≤ 3 RT", Math.max(sandboxSetupRt, bursts("slowEmpty")) <= 3)],
      [`sandbox: per command (${SANDBOX_COMMANDS} SET/LPUSH − empty input, / ${SANDBOX_COMMANDS})`, L.fmtMs((conn("fastN") - conn("fastEmpty")) / SANDBOX_COMMANDS), L.fmtMs(sandboxCmdMs), L.fmtRt(sandboxCmdRt), n(sandboxCmdCounted), "≤ 1.3", target("sandbox command through the proxy", `${L.fmtRt(sandboxCmdRt)} (${n(sandboxCmdCounted)} counted)`, "≤ 1.3 RT", Math.max(sandboxCmdRt, sandboxCmdCounted) <= 1.3)],
      ["sandbox: whole run, spawn → exit (empty input)", L.fmtMs(L.median(sb.fastEmpty.map((r) => r.total))), L.fmtMs(L.median(sb.slowEmpty.map((r) => r.total))), "", "", "", ""],
      ["lesson: connection setup (connect → header printed)", L.fmtMs(med(lf, "setup")), L.fmtMs(med(ls, "setup")), L.fmtRt(lessonSetupRt), n(med(ls, "setupBursts")), "≤ 3", target("lesson connection setup through the proxy", `${L.fmtRt(lessonSetupRt)} (${n(med(ls, "setupBursts"))} counted)`, "≤ 3 RT", Math.max(lessonSetupRt, med(ls, "setupBursts")) <= 3)],
      [`lesson: per step (header → step ${steps} printed, − ${waitMs} ms of waits, / ${steps})`, L.fmtMs((med(lf, "steps") - waitMs) / steps), L.fmtMs(stepMs), L.fmtRt(stepRt), n(med(ls, "stepBursts") / steps), "≤ 1.3", target("lesson step through the proxy", `${L.fmtRt(stepRt)} (${n(med(ls, "stepBursts") / steps)} counted)`, "≤ 1.3 RT", Math.max(stepRt, med(ls, "stepBursts") / steps) <= 1.3)],
      ["  the same, net of the 0 ms proxy's time", "", "", L.fmtRt(stepNetRt), "", "", ""],
      [`  per command (${commands} commands in ${steps} steps)`, "", "", L.fmtRt((med(ls, "steps") - waitMs) / commands / NOMINAL_RT_MS), n(med(ls, "stepBursts") / commands), "", ""],
      ["lesson: last step printed → exit", L.fmtMs(med(lf, "teardown")), L.fmtMs(med(ls, "teardown")), L.fmtRt(teardownRt), n(med(ls, "teardownBursts")), "", ""],
      ["lesson: whole run, spawn → exit", L.fmtMs(med(lf, "total")), L.fmtMs(med(ls, "total")), "", "", "", ""],
    ];
    say(`## 3. Round trips through a ${DELAY_MS} ms-each-way proxy (1 RT = ${NOMINAL_RT_MS} ms; PING measured through it: ${L.fmtMs(rtSlow)})`);
    say();
    say(L.renderTable(["measurement", "0 ms proxy", `${DELAY_MS} ms proxy`, "time / 40 ms", "counted RT", "target", "result"], rows));
    say();
    say(
      `Medians of ${P.sandboxRuns} sandbox runs and ${P.lessonRuns} lesson run${P.lessonRuns > 1 ? "s" : ""} (\`strings\`, --no-pause, --url to a fresh db) per proxy. ` +
        "Per-step and per-command: time through the 20 ms proxy / 40 ms. Setup: (20 ms proxy − 0 ms proxy) / 40 ms, from the moment the proxy accepts the connection, so process start-up is left out. " +
        "'counted RT' is what the proxy saw: how many times the client sent and then waited for an answer. A target passes only if both the time and the count meet it (the time alone can be thrown off by a busy CPU). " +
          "The proxy does not delay the TCP handshake, which on a real link costs one more RT per connection.",
    );
    say();
    say("Round trips of the last lesson run through the 20 ms proxy (commands sent together share one):");
    say();
    say(`- setup, ${example.setupBursts.length}: ${describeBursts(example.setupBursts)}`);
    // A step is one transaction: MULTI, then EVAL+command+EVAL for each command that has keys, then EXEC.
    const isStepTransaction = (b) => b.commands[0] === "MULTI" && b.commands.at(-1) === "EXEC";
    say(`- ${steps} steps, ${example.stepBursts.length}: ${example.stepBursts.filter(isStepTransaction).length} × MULTI … EXEC (${stepCommandsPerBurst.filter((c) => c > 5).length} of them with several commands), others: ${describeBursts(example.stepBursts.filter((b) => !isStepTransaction(b))) || "none"}`);
    say(`- after the last step, ${example.teardownBursts.length}: ${describeBursts(example.teardownBursts) || "none"}`);
    say(`- connections opened: ${example.connections}`);
    say();
  } finally {
    fast.close();
    slow.close();
  }
}

// ---------------------------------------------------------------- 4. big keys

const POPULATE = `
local kind, n, batch = ARGV[1], tonumber(ARGV[2]), 1000
local command = ({list = 'RPUSH', set = 'SADD', hash = 'HSET', zset = 'ZADD'})[kind]
local i = 0
while i < n do
  local args = {}
  local upto = math.min(i + batch, n)
  for j = i + 1, upto do
    if kind == 'list' then args[#args + 1] = 'element:' .. j
    elseif kind == 'set' then args[#args + 1] = 'member:' .. j
    elseif kind == 'hash' then args[#args + 1] = 'field:' .. j; args[#args + 1] = 'value:' .. j
    else args[#args + 1] = j; args[#args + 1] = 'member:' .. j end
  end
  redis.call(command, KEYS[1], unpack(args))
  i = upto
end
return n
`;

const BIG_KEYS = [
  { key: "bench:small:list", label: "list, 10 elements (baseline)", kind: "list", n: 10, length: "LLEN" },
  { key: "bench:mid:list", label: "list, 21 elements (control: the preview of a 1M list)", kind: "list", n: 21, length: "LLEN" },
  { key: "bench:big:list", label: "list, 1,000,000 elements", kind: "list", n: BIG, length: "LLEN", goal: true },
  { key: "bench:big:set", label: "set, 1,000,000 members", kind: "set", n: BIG, length: "SCARD", goal: true },
  { key: "bench:big:hash", label: "hash, 1,000,000 fields", kind: "hash", n: BIG, length: "HLEN", goal: true },
  { key: "bench:big:zset", label: "sorted set, 1,000,000 members", kind: "zset", n: BIG, length: "ZCARD", goal: true },
  { key: "bench:big:string", label: "string, 10 MB", kind: "string", n: BIG_STRING_BYTES, length: "STRLEN" },
];

async function populateBigKeys(admin) {
  progress("filling the big keys on the bench server (1,000,000 elements each, and a 10 MB string)");
  await admin.send(["FLUSHALL"]);
  for (const k of BIG_KEYS) {
    const r = k.kind === "string" ? await admin.send(["SET", k.key, Buffer.alloc(k.n, "x")]) : await admin.send(["EVAL", POPULATE, "1", k.key, k.kind, String(k.n)]);
    if (r.type === "error") throw new Error(`filling ${k.key}: ${r.value.toString()}`);
    const len = await admin.send([k.length, k.key]);
    if (len.type !== "integer" || Number(len.value) !== k.n) throw new Error(`${k.key} has ${len.value} elements, not ${k.n}`);
    const enc = await admin.send(["OBJECT", "ENCODING", k.key]);
    k.encoding = enc.type === "bulk" ? enc.value.toString() : "?";
  }
}

async function bigKeys(server, admin, atLeast7) {
  const { snapshotCommand, parseSnapshot } = await dist("redis/snapshot.js");
  progress(`snapshot of each key: ${P.snapReps} repetitions after ${P.snapWarm} warm-up(s), interleaved`);
  const times = BIG_KEYS.map(() => []);
  for (let rep = 0; rep < P.snapWarm + P.snapReps; rep++) {
    for (let k = 0; k < BIG_KEYS.length; k++) {
      const i = (k + rep) % BIG_KEYS.length;
      const key = Buffer.from(BIG_KEYS[i].key);
      const t0 = L.now();
      const reply = await admin.send(snapshotCommand([key], atLeast7));
      const state = parseSnapshot([key], reply);
      const t = L.now() - t0;
      if (!state?.[0]?.exists || state[0].length !== BIG_KEYS[i].n) throw new Error(`the snapshot of ${BIG_KEYS[i].key} is wrong: ${JSON.stringify(state?.[0])}`);
      if (rep >= P.snapWarm) times[i].push(t);
    }
  }

  // One-step lessons, one per key, run with --url --force (the keys are not redis-learn's; it never deletes them).
  const dir = L.makeTempDir("lessons");
  const lessons = BIG_KEYS.map((k, i) => {
    const file = path.join(dir, `${i}-bench.yaml`);
    writeFileSync(
      file,
      `id: bench-${i}\ntitle: Bench ${i}\nsummary: ${JSON.stringify(`One command on a ${k.kind} of ${k.n} ${k.kind === "string" ? "bytes" : "elements"}.`)}\nkeys:\n  - ${k.key}\nsteps:\n  - title: Length\n    explain: |\n      The length of the key.\n    run: ${k.length} ${k.key}\n    expect: (integer) ${k.n}\n`,
    );
    return file;
  });
  progress(`one-step lesson on each key: ${P.bigLessonRuns} runs each after 1 warm-up, interleaved`);
  const lessonResults = BIG_KEYS.map(() => []);
  for (let round = 0; round < 1 + P.bigLessonRuns; round++) {
    for (let k = 0; k < BIG_KEYS.length; k++) {
      const i = (k + round) % BIG_KEYS.length;
      const u = withUrl(["lesson", lessons[i], "--no-pause", "--force"], url(server.port));
      const r = L.expectOk(await run(u.args, { env: u.env }), (x) => x.stdout.includes("all 1 steps done") && !x.stdout.includes("✗") && usedUrl(x));
      if (round >= 1) lessonResults[i].push({ total: r.ms, step: L.timeOfText(r, "Step 1/1 ·") - r.firstOut });
    }
  }
  L.removeTempDir(dir);

  const snapMed = times.map(L.median);
  const stepMed = lessonResults.map((rs) => L.median(rs.map((r) => r.step)));
  const totalMed = lessonResults.map((rs) => L.median(rs.map((r) => r.total)));
  const rows = BIG_KEYS.map((k, i) => {
    const ratio = snapMed[i] / snapMed[0];
    const row = [
      k.label,
      k.encoding,
      L.fmtMs(snapMed[i]),
      L.fmtMs(L.quantile(times[i], 0.9)),
      i === 0 ? "1.00x" : L.fmtRatio(ratio),
      `${L.fmtMs(stepMed[i])} (${i === 0 ? "1.00x" : L.fmtRatio(stepMed[i] / stepMed[0])})`,
      `${L.fmtMs(totalMed[i])} (${i === 0 ? "1.00x" : L.fmtRatio(totalMed[i] / totalMed[0])})`,
    ];
    if (!k.goal) return [...row, "", ""];
    return [...row, "≤ 2x", target(`state of a ${k.label} within 2x of a 10-element list`, `${L.fmtRatio(ratio)} (${L.fmtMs(snapMed[i])} vs ${L.fmtMs(snapMed[0])})`, "≤ 2x", ratio <= 2)];
  });
  say(`## 4. State display of big keys (snapshot: median of ${P.snapReps} EVALs via dist/bench-api.mjs (Connection, snapshotCommand) on loopback; lesson: median of ${P.bigLessonRuns} runs)`);
  say();
  say(L.renderTable(["key", "encoding", "snapshot median", "snapshot p90", "snapshot ratio", "lesson step (ratio)", "lesson spawn → exit (ratio)", "target", "result"], rows));
  say();
  say("The snapshot column times building the snapshot command, the EVAL round trip and parsing its reply. The lesson columns run a one-step lesson (`LLEN`/`SCARD`/... of the key) with --url --force: 'step' is from the header to the step being printed, which includes the before/after snapshot and rendering. The 21-element list has the same preview as the 1,000,000-element one (first 10, last 10, '… N more …'), so it tells the cost of the key's size from the cost of drawing its preview.");
  say();
}

// ---------------------------------------------------------------- 5. peak RSS

async function peakRss(server) {
  progress(`peak RSS: ${P.rssRuns} run(s) each`);
  const input = Array.from({ length: SANDBOX_COMMANDS }, (_, i) => `SET bench:rss:${i} value-${i}`).join("\n") + "\n";
  const variants = [
    { name: "node -e ''", args: ["-e", ""], kind: "other" },
    { name: "bare ioredis PING script", args: [path.join(BENCH, "ioredis-ping.mjs"), String(server.port)], kind: "other" },
    { name: "echo PING | redis-learn sandbox (private server)", args: [MAIN, "sandbox"], input: "PING\n" },
    { name: `redis-learn sandbox --url, ${SANDBOX_COMMANDS} commands piped`, ...withUrl([MAIN, "sandbox"], url(server.port, 15)), input },
    { name: "redis-learn lesson strings --no-pause (private server)", args: [MAIN, "lesson", "strings", "--no-pause"] },
    { name: "redis-learn lesson lists --no-pause (private server)", args: [MAIN, "lesson", "lists", "--no-pause"] },
    { name: `a ${BIG_LINE_MB} MB line piped: SET big <value>`, args: [MAIN, "sandbox"], input: bigLine(false) },
    { name: `a ${BIG_LINE_MB} MB line piped: SET big "<value>"`, args: [MAIN, "sandbox"], input: bigLine(true) },
  ];
  let how = "";
  const rows = [];
  let base = NaN;
  for (const [i, v] of variants.entries()) {
    const kbs = [];
    for (let r = 0; r < P.rssRuns; r++) {
      const m = await L.peakRssKb(NODE, v.args, { input: v.input ?? "", env: v.env ?? childEnv, kind: v.kind ?? "redis-learn" });
      L.expectOk(m.result);
      kbs.push(m.kb);
      how = m.how;
    }
    const kb = L.median(kbs);
    if (i === 0) base = kb;
    rows.push([v.name, L.fmtMb(kb), i === 0 ? "(baseline)" : `+${L.fmtMb(kb - base)}`]);
  }
  say(`## 5. Peak RSS (median of ${P.rssRuns} run${P.rssRuns > 1 ? "s" : ""}; ${how})`);
  say();
  say(L.renderTable(["process", "peak RSS", "vs node -e ''"], rows));
  say();
  say(`Target for the ${BIG_LINE_MB} MB lines: at most 3x the line's size over the baseline (${3 * BIG_LINE_MB} MB); redis-cli takes about 4.2x the line for the same input.`);
  say();
}

const BIG_LINE_MB = 100;

/** One SET whose value is BIG_LINE_MB MB, then STRLEN: what a pasted or piped huge value costs. */
function bigLine(quoted) {
  const value = "x".repeat(BIG_LINE_MB * 1_000_000);
  return `SET bench:big ${quoted ? `"${value}"` : value}\nSTRLEN bench:big\n`;
}

// ---------------------------------------------------------------- 6. check

async function check() {
  progress(`redis-learn check: ${P.checkRuns} run(s)`);
  const results = [];
  for (let i = 0; i < P.checkRuns; i++) results.push(L.expectOk(await run(["check"]), (r) => / 0 failed/.test(r.stdout)));
  const times = msOf(results);
  const m = L.median(times);
  const summary = results[0].stdout.trim().split("\n").pop();
  say(`## 6. redis-learn check (median of ${P.checkRuns} run${P.checkRuns > 1 ? "s" : ""})`);
  say();
  say(
    L.renderTable(
      ["command", "median", "max", "lessons", "target", "result"],
      [["redis-learn check (all lessons)", L.fmtMs(m), L.fmtMs(Math.max(...times)), summary, "< 10 s", target("redis-learn check over all lessons", L.fmtMs(m), "< 10 s", m < 10_000)]],
    ),
  );
  say();
}

// ---------------------------------------------------------------- 7. long input and many keys

/** A terminal for the line editor: records what is drawn, and when. */
async function fakeTerminal() {
  const { PassThrough, Writable } = await import("node:stream");
  const output = new Writable({
    write(chunk, _, done) {
      output.writes++;
      output.lastWrite = L.now();
      output.waiters.splice(0).forEach((w) => w());
      done();
    },
  });
  Object.assign(output, { isTTY: true, columns: 80, writes: 0, lastWrite: 0, waiters: [] });
  output.nextWrite = () => new Promise((r) => output.waiters.push(r));
  return { input: new PassThrough(), output };
}

async function longInput(server, admin) {
  const api = await dist("redis/snapshot.js");
  if (!api.Terminal || !api.hintForLine || !api.runStep) {
    say("## 7. Long input and many keys");
    say();
    say("Not measured: this build's bench entry has no line editor or engine to call.");
    say();
    return;
  }
  const docs = api.parseCommandDocs(await admin.send(["COMMAND", "DOCS"]));
  const table = api.parseCommandInfo(await admin.send(["COMMAND", "INFO"]));
  const options = { prompt: "127.0.0.1:6379> ", hint: (line) => api.hintForLine(line, docs), complete: async () => ({ candidates: [], wordStart: 0 }), dim: (t) => t };
  const line32k = "MSET " + Array.from({ length: 3000 }, (_, i) => `k${i} v${i}`).join(" ");
  const runs = QUICK ? 5 : 20;
  const rows = [];

  // A paste, and the same text typed fast (4 KB reads, no paste marks): from the first byte to the line submitted.
  for (const [label, chunks, goal] of [
    [`paste of a ${(line32k.length / 1024).toFixed(0)} KB line (MSET of 3,000 pairs), bracketed, then Enter`, [`\x1b[200~${line32k}\x1b[201~\r`], true],
    [`the same line arriving in 4 KB reads without paste marks, then Enter`, [...line32k.match(/[\s\S]{1,4096}/g), "\r"], false],
  ]) {
    const times = [];
    for (let r = 0; r < 2 + runs; r++) {
      const { input, output } = await fakeTerminal();
      const terminal = new api.Terminal(input, output);
      const read = terminal.readLine([], options);
      const t0 = L.now();
      for (const c of chunks) input.write(c);
      const result = await read;
      const t = L.now() - t0;
      terminal.close();
      if (result.line !== line32k) throw new Error(`${label}: the line read is not the line pasted`);
      if (r >= 2) times.push(t);
    }
    const m = L.median(times);
    rows.push([label, L.fmtMs(m), L.fmtMs(Math.max(...times)), goal ? "≤ 300 ms" : "", goal ? target("a pasted 32 KB line ready to submit", L.fmtMs(m), "≤ 300 ms", m <= 300) : ""]);
  }

  // One keystroke at the end of a 4 KB line: the edit, the hint from COMMAND DOCS and the redraw.
  for (const [label, prefix] of [
    ["a key typed at the end of a 4 KB MSET line (hint and redraw)", "MSET " + Array.from({ length: 460 }, (_, i) => `k${i} v${i}`).join(" ")],
    ["a key typed at the end of a 4 KB ZADD line (hint and redraw)", "ZADD z " + Array.from({ length: 500 }, (_, i) => `${i} m${i}`).join(" ")],
  ]) {
    const { input, output } = await fakeTerminal();
    const terminal = new api.Terminal(input, output);
    const read = terminal.readLine([], options);
    input.write(`\x1b[200~${prefix}\x1b[201~`);
    await output.nextWrite();
    const times = [];
    for (let r = 0; r < 50 + runs * 10; r++) {
      const drawn = output.nextWrite();
      const t0 = L.now();
      input.write(r % 2 ? "\x7f" : " ");
      await drawn;
      if (r >= 50) times.push(output.lastWrite - t0);
    }
    input.write("\x03");
    await read;
    terminal.close();
    const m = L.median(times);
    const p90 = L.quantile(times, 0.9);
    rows.push([`${label}, ${prefix.length.toLocaleString("en")} bytes`, L.fmtMs(m), `p90 ${L.fmtMs(p90)}`, "≤ 2 ms", target(`${label.split(" (")[0]}`, `${L.fmtMs(m)} (p90 ${L.fmtMs(p90)})`, "median ≤ 2 ms", m <= 2)]);
  }

  // A 10,000-pair MSET with its before/after state (one compact table) against the MSET alone.
  const conn = await api.Connection.open({ host: "127.0.0.1", port: server.port, tls: false, db: 0, label: "bench" });
  try {
    const ctx = { table, atLeast7: true, observer: async () => conn };
    const client = { name: "A", conn, inMulti: false, queuedKeys: [] };
    const style = api.makeStyle(false);
    const keys = Array.from({ length: 10_000 }, (_, i) => Buffer.from(`bench:many:${i}`));
    const mset = [Buffer.from("MSET"), ...keys.flatMap((k, i) => [k, Buffer.from(`value-${i}`)])];
    const del = [Buffer.from("DEL"), ...keys];
    const off = [];
    const on = [];
    let lines = 0;
    for (let r = 0; r < 3 + runs; r++) {
      for (const withState of r % 2 ? [true, false] : [false, true]) {
        await conn.send(["FLUSHDB"]);
        const t0 = L.now();
        if (withState) {
          const result = await api.runStep(ctx, client, mset);
          api.renderKeyChanges(result.before, result.after, style, 80, result.others);
        } else await conn.send(mset);
        if (r >= 3) (withState ? on : off).push(L.now() - t0);
      }
      const d = await api.runStep(ctx, client, del);
      lines = 1 + api.renderKeyChanges(d.before, d.after, style, 80, d.others).split("\n").length;
    }
    const ratio = L.median(on) / L.median(off);
    rows.push(["MSET of 10,000 pairs, :state off (the command alone)", L.fmtMs(L.median(off)), L.fmtMs(Math.max(...off)), "", ""]);
    rows.push(["MSET of 10,000 pairs with its state (compact table)", L.fmtMs(L.median(on)), L.fmtMs(Math.max(...on)), "≤ 2x", target("10,000-pair MSET with state within 2x of without", `${L.fmtRatio(ratio)}`, "≤ 2x", ratio <= 2)]);
    rows.push(["DEL of 10,000 keys: lines printed (reply and table)", String(lines), "", "≤ 30", target("DEL of 10,000 keys prints at most 30 lines", String(lines), "≤ 30", lines <= 30)]);
  } finally {
    await conn.send(["FLUSHDB"]);
    conn.close();
  }
  say(`## 7. Long input and many keys (median of ${runs} runs via dist/bench-api.mjs: the line editor on fake streams, the engine on loopback)`);
  say();
  say(L.renderTable(["what", "median", "max", "target", "result"], rows));
  say();
  say("The paste rows time the line editor from the first byte written to its input to the line it returns on Enter, drawn at 80 columns. The keystroke rows time a space (or a backspace) typed at the end of a 4 KB line until the redraw is written: the edit, the hint from the server's COMMAND DOCS and the drawing. The MSET rows time the command alone against the command with the state of its keys read before and after (the first 20 keys in full, the rest counted by EXISTS, in one MULTI/EXEC) and rendered.");
  say();
}

// ---------------------------------------------------------------- main

const STARTED_EPOCH_MS = Date.now();

async function main() {
  const started = L.now();
  const measured = prepareBuild();
  const redisVersion = tryExec(SERVER_BINARY, ["--version"]);
  const cpu = os.cpus()[0]?.model ?? "unknown CPU";

  say(`# redis-learn benchmark${QUICK ? " (--quick)" : ""}`);
  say();
  say(`- date: ${new Date().toISOString().replace(/\.\d+Z$/, "Z")}`);
  say(`- measured: ${measured}`);
  say(`- machine: ${os.availableParallelism?.() ?? os.cpus().length} CPUs (${cpu}), ${(os.totalmem() / 2 ** 30).toFixed(1)} GiB RAM, ${os.type()} ${os.release()}`);
  say(`- node ${process.version}; ${redisVersion || SERVER_BINARY}`);
  say();

  progress("starting the bench's own redis-server");
  const server = await L.startRedisServer("server", SERVER_BINARY);
  progress(`redis-server pid ${server.pid} on 127.0.0.1:${server.port}`);
  const { Connection } = await dist("redis/connection.js");
  const { versionAtLeast } = await dist("redis/server-info.js");
  const admin = await Connection.open({ host: "127.0.0.1", port: server.port, tls: false, db: 0, label: `127.0.0.1:${server.port}` });
  const version = /redis_version:(\S+)/.exec((await admin.send(["INFO", "server"])).value?.toString() ?? "")?.[1] ?? "0";
  try {
    await probeUrl(server);
    await section("1. Cold start", coldStart);
    await section("1b. What start-up loads", startupBreakdown);
    await section("2. One PING", () => ping(server));
    await section("3. Round trips through a slow link", () => throughProxy(server, admin));
    await section("4. State display of big keys", async () => {
      await admin.send(["FLUSHALL"]);
      await populateBigKeys(admin);
      await bigKeys(server, admin, versionAtLeast(version, "7.0"));
    });
    await admin.send(["FLUSHALL"]);
    await section("5. Peak RSS", () => peakRss(server));
    await section("6. redis-learn check", check);
    await section("7. Long input and many keys", () => longInput(server, admin));
  } finally {
    admin.close();
    await server.stop();
  }

  const passed = targets.filter((t) => t.pass).length;
  say(`## Targets: ${passed} of ${targets.length} met`);
  say();
  say(L.renderTable(["target", "goal", "measured", "result"], targets.map((t) => [t.what, t.goal, t.measured, verdict(t.pass)])));
  say();
  if (problems.length) {
    say("## Problems");
    say();
    for (const p of problems) say(`- ${p}`);
    say();
  }
  say(`Bench took ${L.fmtMs(L.now() - started)}.`);
  return problems.filter((p) => p.includes("could not be measured")).length;
}

try {
  const failedSections = await main();
  const left = await L.stopEverything();
  if (left) throw new Error(`could not stop: ${L.liveChildren().join(", ")}`);
  const leaked = await L.leftoverPrivateServers(STARTED_EPOCH_MS);
  if (leaked.length) process.stderr.write(`bench: WARNING: private servers of redis-learn runs that look like the bench's are left: ${leaked.join(", ")}\n`);
  progress("done; the bench's redis-server, proxies and temp dirs are gone, and no redis-learn it ran left a server behind");
  process.exit(failedSections ? 1 : 0);
} catch (err) {
  if (aborting) await new Promise(() => {});
  process.stderr.write(`bench: failed: ${err instanceof Error ? err.message : String(err)}\n`);
  await L.stopEverything();
  process.exit(1);
}
