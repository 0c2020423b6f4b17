import { mkdirSync, mkdtempSync, readdirSync, realpathSync, rmSync, symlinkSync } from "node:fs";
import os from "node:os";
import path from "node:path";
import { afterEach, describe, expect, it } from "vitest";
import { BIN } from "../helpers/cli.js";
import { TmuxScreen } from "../helpers/tmux.js";
import { killServersUnder, serversUnder } from "../helpers/procs.js";

const screens: TmuxScreen[] = [];
const dirs: string[] = [];
afterEach(() => {
  for (const s of screens.splice(0)) s.close();
  for (const d of dirs.splice(0)) {
    killServersUnder(path.join(d, "tmp"));
    rmSync(d, { recursive: true, force: true });
  }
});

/** The sandbox in tmux with its own TMPDIR and state; the shell prints its exit status when it ends. */
function start(prepare: (state: string) => void = () => {}): { screen: TmuxScreen; tmp: string; state: string } {
  const root = realpathSync(mkdtempSync(path.join(os.tmpdir(), "rl-e2e-faults-")));
  dirs.push(root);
  const tmp = path.join(root, "tmp");
  const state = path.join(root, "state");
  mkdirSync(tmp);
  mkdirSync(path.join(state, "redis-learn"), { recursive: true });
  prepare(path.join(state, "redis-learn"));
  const screen = new TmuxScreen(`${process.execPath} ${BIN} sandbox; echo "exit status $?"`, {
    TMPDIR: tmp,
    XDG_STATE_HOME: state,
    TERM: "xterm-256color",
  });
  screens.push(screen);
  return { screen, tmp, state: path.join(state, "redis-learn") };
}

/** The one private server of this sandbox, killed from outside as an OOM killer or a stray kill -9 would. */
function killPrivateServer(tmp: string): number {
  const [pid, ...more] = serversUnder(tmp);
  expect(more).toEqual([]);
  process.kill(pid as number, "SIGKILL");
  return pid as number;
}

describe("the sandbox when its private server dies", () => {
  it("says it is gone, starts a new one on y, and goes on with it", async () => {
    const { screen, tmp } = start();
    await screen.waitFor(/private \d+\.\d+\.\d+>\s*$/m);
    screen.type("SET bike:1 Deimos");
    screen.press("Enter");
    await screen.waitFor(/^OK$/m);
    const pid = killPrivateServer(tmp);

    screen.type("GET bike:1");
    screen.press("Enter");
    await screen.waitFor(new RegExp(`The private redis-server is gone \\(its process ${pid} ended\\)[^\\n]*Start a new one\\? \\[y/N\\]`));
    screen.type("y");
    await screen.waitFor(/Started a new private redis-server on 127\.0\.0\.1:\d+; it is empty: the keys you made before are lost/);
    screen.type("GET bike:1");
    screen.press("Enter");
    await screen.waitFor(/> GET bike:1\n\(nil\)/);
    // A second client reaches the new server too.
    screen.type(":client B");
    screen.press("Enter");
    screen.type("PING");
    screen.press("Enter");
    await screen.waitFor(/B> PING\nPONG/);
    expect(serversUnder(tmp)).toHaveLength(1);
    expect(serversUnder(tmp)).not.toContain(pid);

    screen.press("C-d");
    await screen.waitFor(/exit status 0/);
    expect(serversUnder(tmp)).toEqual([]);
    expect(readdirSync(tmp)).toEqual([]);
  });

  it("on N, keeps the session but exits with status 1", async () => {
    const { screen, tmp } = start();
    await screen.waitFor(/private \d+\.\d+\.\d+>\s*$/m);
    killPrivateServer(tmp);
    screen.type("PING");
    screen.press("Enter");
    await screen.waitFor(/Start a new one\? \[y\/N\]/);
    screen.press("Enter");
    await screen.waitFor(/\[y\/N\] N\nNot started: commands fail until you start one/);
    screen.press("C-d");
    const end = await screen.waitFor(/exit status \d+/);
    expect(end).toMatch(/redis-learn: the private redis-server ended during the session, and its keys with it\n/);
    expect(end).toMatch(/exit status 1/);
    expect(readdirSync(tmp)).toEqual([]);
  });
});

describe("the sandbox's history file", () => {
  it.each([
    ["a symlink to /dev/zero", (state: string) => symlinkSync("/dev/zero", path.join(state, "history")), /History is off: .*history is a symbolic link, so it is neither read nor saved/],
    ["a symlink to another file", (state: string) => symlinkSync(path.join(state, "elsewhere"), path.join(state, "history")), /History is off: .*history is a symbolic link/],
  ])("as %s: the sandbox starts, says once that history is off, and works", async (_, prepare, notice) => {
    const { screen, state } = start(prepare);
    const first = await screen.waitFor(/private \d+\.\d+\.\d+>\s*$/m);
    expect(first).toMatch(notice);
    screen.type("PING");
    screen.press("Enter");
    await screen.waitFor(/> PING\nPONG/);
    screen.press("C-d");
    await screen.waitFor(/exit status 0/);
    expect(screen.screen().match(/History is/g)).toHaveLength(1);
    // Nothing was written through the link.
    expect(readdirSync(state)).toEqual(["history"]);
  });
});
