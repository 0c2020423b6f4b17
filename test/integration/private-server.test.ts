import { mkdtempSync, readdirSync, readFileSync, realpathSync, rmSync, existsSync, utimesSync, writeFileSync } from "node:fs";
import { spawn } from "node:child_process";
import os from "node:os";
import path from "node:path";
import { afterEach, describe, expect, it } from "vitest";
import { BIN, runCli } from "../helpers/cli.js";
import { freePort, portAnswers } from "../helpers/net.js";
import { alive, killServersUnder, serversUnder } from "../helpers/procs.js";

const dirs: string[] = [];
/** Each test gets its own TMPDIR, so what a run leaves behind can be seen, and no other run's leftovers interfere. */
function freshTmp(): string {
  const dir = realpathSync(mkdtempSync(path.join(os.tmpdir(), "rl-test-tmp-")));
  dirs.push(dir);
  return dir;
}
afterEach(() => {
  for (const d of dirs.splice(0)) {
    killServersUnder(d);
    rmSync(d, { recursive: true, force: true });
  }
});

const portOf = (stderr: string): number => Number(/127\.0\.0\.1:(\d+)/.exec(stderr)?.[1]);

describe("the private server", () => {
  it("answers piped commands and leaves no server or directory behind", async () => {
    const tmp = freshTmp();
    const r = await runCli(["sandbox"], { input: "SET bike:1 Deimos\nGET bike:1\n", env: { TMPDIR: tmp } });
    expect(r.stdout.toString()).toBe('OK\n"Deimos"\n');
    expect(r.code).toBe(0);
    expect(r.stderr).toMatch(/^redis-learn: using a private redis \d+\.\d+\.\d+ on 127\.0\.0\.1:\d+/);
    expect(readdirSync(tmp)).toEqual([]);
    expect(await portAnswers(portOf(r.stderr))).toBe(false);
  });

  it.each(["SIGINT", "SIGTERM", "SIGHUP"] as const)("is stopped and removed on %s", async (signal) => {
    const tmp = freshTmp();
    const child = spawn(process.execPath, [BIN, "sandbox"], { env: { ...process.env, TMPDIR: tmp, NO_COLOR: "1" }, stdio: ["pipe", "pipe", "pipe"] });
    let stderr = "";
    child.stderr.on("data", (c: Buffer) => (stderr += c.toString()));
    child.stdin.write("PING\n");
    await new Promise<void>((resolve) => child.stdout.once("data", () => resolve()));
    const port = portOf(stderr);
    expect(await portAnswers(port)).toBe(true);
    const exited = new Promise<number | null>((resolve) => child.once("exit", (code) => resolve(code)));
    child.kill(signal);
    expect(await exited).not.toBe(0);
    expect(readdirSync(tmp)).toEqual([]);
    expect(await portAnswers(port)).toBe(false);
  });

  it("after redis-learn is killed with SIGKILL, the next run removes the orphaned server", async () => {
    const tmp = freshTmp();
    const child = spawn(process.execPath, [BIN, "sandbox"], { env: { ...process.env, TMPDIR: tmp, NO_COLOR: "1" }, stdio: ["pipe", "pipe", "pipe"] });
    child.stdin.write("PING\n");
    await new Promise<void>((resolve) => child.stdout.once("data", () => resolve()));
    const [orphanDir] = readdirSync(tmp);
    expect(orphanDir).toMatch(/^redis-learn-/);
    const owner = JSON.parse(readFileSync(path.join(tmp, orphanDir as string, "owner.json"), "utf8")) as { serverPid: number; port: number };
    const exited = new Promise<void>((resolve) => child.once("exit", () => resolve()));
    child.kill("SIGKILL");
    await exited;
    expect(alive(owner.serverPid)).toBe(true);

    const next = await runCli(["sandbox"], { input: "PING\n", env: { TMPDIR: tmp } });
    expect(next.stdout.toString()).toBe("PONG\n");
    expect(existsSync(path.join(tmp, orphanDir as string))).toBe(false);
    expect(await portAnswers(owner.port)).toBe(false);
    expect(readdirSync(tmp)).toEqual([]);
  });

  it.each(["SIGTERM", "SIGINT", "SIGHUP"] as const)("a %s the moment the server's directory appears leaves no server and no directory", async (signal) => {
    const tmp = freshTmp();
    const child = spawn(process.execPath, [BIN, "sandbox"], { env: { ...process.env, TMPDIR: tmp, NO_COLOR: "1" }, stdio: ["pipe", "ignore", "ignore"] });
    const exited = new Promise<void>((resolve) => child.once("exit", () => resolve()));
    // Poll as fast as the event loop allows: the directory is made just before the server is spawned.
    while (!readdirSync(tmp).some((n) => n.startsWith("redis-learn-"))) await new Promise((r) => setImmediate(r));
    child.kill(signal);
    await exited;
    expect(serversUnder(tmp)).toEqual([]);
    expect(readdirSync(tmp)).toEqual([]);
  });

  it("with a TMPDIR it cannot write in, starts no server and says what to do in one line", async () => {
    const base = freshTmp();
    // A path under a regular file fails with ENOTDIR, even for root (permission tricks do not).
    writeFileSync(path.join(base, "file"), "");
    const tmp = path.join(base, "file", "tmp");
    const r = await runCli(["sandbox"], { input: "PING\n", env: { TMPDIR: tmp } });
    expect(r.code).toBe(1);
    expect(r.stdout.length).toBe(0);
    const lines = r.stderr.trim().split("\n");
    expect(lines).toHaveLength(1);
    expect(lines[0]).toMatch(/cannot write in the temp directory .*file\/tmp .*ENOTDIR.*free some space there, or set TMPDIR/);
    expect(serversUnder(tmp)).toEqual([]);
  });

  it.each([
    ["named after an owner that is gone", (tmp: string, deadPid: number) => mkdtempSync(path.join(tmp, `redis-learn-${deadPid}-0-`)), false],
    ["of an older run, without the owner in its name", (tmp: string) => mkdtempSync(path.join(tmp, "redis-learn-")), true],
  ])("a server in a directory without owner file, %s, is stopped before the directory is removed", async (_, makeDir, old) => {
    const tmp = freshTmp();
    const gone = spawn(process.execPath, ["-e", ""]);
    await new Promise((resolve) => gone.once("exit", resolve));
    const dir = makeDir(tmp, gone.pid as number);
    // What a run killed before it wrote its owner file would leave: a server running in the directory.
    const port = await freePort();
    const orphan = spawn("redis-server", ["--port", String(port), "--bind", "127.0.0.1", "--save", "", "--dir", dir], { cwd: dir, stdio: "ignore", detached: true, env: { ...process.env, TMPDIR: tmp } });
    orphan.unref();
    await waitUntil(() => portAnswers(port));
    if (old) utimesSync(dir, new Date(Date.now() - 120_000), new Date(Date.now() - 120_000));

    const next = await runCli(["sandbox"], { input: "PING\n", env: { TMPDIR: tmp } });
    expect(next.stdout.toString()).toBe("PONG\n");
    expect(existsSync(dir)).toBe(false);
    await waitUntil(async () => !(await portAnswers(port)));
    expect(serversUnder(tmp)).toEqual([]);
  });

  it("without redis-server on PATH and no URL, exits 2 with install advice", async () => {
    const emptyPath = freshTmp();
    const r = await runCli(["sandbox"], { input: "PING\n", env: { PATH: emptyPath, REDIS_LEARN_SERVER: "" } });
    expect(r.code).toBe(2);
    expect(r.stdout.length).toBe(0);
    const lines = r.stderr.trim().split("\n");
    expect(lines).toHaveLength(1);
    expect(lines[0]).toMatch(/no redis-server.*apt-get install redis-server.*brew install redis.*dnf install redis.*docker.*--url/);
  });
});

async function waitUntil(test: () => Promise<boolean>, timeoutMs = 10_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!(await test())) {
    if (Date.now() > deadline) throw new Error("condition never held");
    await new Promise((r) => setTimeout(r, 25));
  }
}
