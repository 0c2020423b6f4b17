import { existsSync, mkdtempSync, readFileSync } from "node:fs";
import os from "node:os";
import path from "node:path";
import { afterEach, describe, expect, it } from "vitest";
import { BIN } from "../helpers/cli.js";
import { TmuxScreen, e2eTrack } from "../helpers/tmux.js";
import { portAnswers } from "../helpers/net.js";

const { screens, dirs, cleanup } = e2eTrack();
afterEach(cleanup);

async function waitUntil(test: () => Promise<boolean>, timeoutMs = 10_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!(await test())) {
    if (Date.now() > deadline) throw new Error("condition never became true");
    await new Promise((r) => setTimeout(r, 50));
  }
}

/** What the sandbox printed: the screen without the lines the learner typed at a prompt. */
const printed = (screen: string): string =>
  screen
    .split("\n")
    .filter((l) => !/\S> /.test(l))
    .join("\n");

describe("typed passwords in the sandbox (issue 11 item 9)", () => {
  it("are kept out of the history behind a repeat count, shown as *** by :code and in replies", async () => {
    const secret = "e2e-pw-Q7x";
    const state = mkdtempSync(path.join(os.tmpdir(), "rl-e2e-state-"));
    dirs.push(state);
    const screen = new TmuxScreen(`${process.execPath} ${BIN} sandbox`, { XDG_STATE_HOME: state, TERM: "xterm-256color", NO_COLOR: "1" });
    screens.push(screen);
    const first = await screen.waitFor(/private \d+\.\d+\.\d+>\s*$/m);
    const port = Number(/127\.0\.0\.1:(\d+)/.exec(first)?.[1]);

    // The private server has no password: AUTH fails, twice, but the password was typed all the same.
    screen.type(`2 AUTH alice ${secret}`);
    screen.press("Enter");
    await screen.waitFor(/(WRONGPASS|ERR AUTH)[^\n]*\n[\s\S]*(WRONGPASS|ERR AUTH)/);
    screen.type(":code");
    screen.press("Enter");
    // A repeated command is shown as a pipeline: `.auth("alice", "***")` twice.
    await screen.waitFor(/\.auth\("alice", "\*\*\*"\)/);
    screen.type(`ECHO ${secret}`);
    screen.press("Enter");
    await screen.waitFor(/> ECHO [^\n]*\n"\*\*\*"/);
    screen.type("SET kept 1");
    screen.press("Enter");
    const last = await screen.waitFor(/> SET kept 1\nOK/);
    expect(printed(last)).not.toContain(secret);

    screen.press("C-d");
    await waitUntil(async () => !(await portAnswers(port)));
    const historyFile = path.join(state, "redis-learn", "history");
    await waitUntil(async () => existsSync(historyFile));
    const history = readFileSync(historyFile, "utf8");
    expect(history).toContain("SET kept 1\n");
    expect(history).toContain(":code\n");
    expect(history).not.toMatch(/auth/i);
    expect(history).not.toContain(secret);
  });
});
