import { mkdtempSync, readFileSync } from "node:fs";
import os from "node:os";
import path from "node:path";
import { afterEach, describe, expect, inject, it } from "vitest";
import { BIN } from "../helpers/cli.js";
import { TmuxScreen, e2eTrack } from "../helpers/tmux.js";
import { portAnswers } from "../helpers/net.js";

const { screens, dirs, cleanup } = e2eTrack();
afterEach(cleanup);

function start(args: string): { screen: TmuxScreen; state: string } {
  const state = mkdtempSync(path.join(os.tmpdir(), "rl-e2e-state-"));
  dirs.push(state);
  const screen = new TmuxScreen(`${process.execPath} ${BIN} sandbox ${args}`, { XDG_STATE_HOME: state, TERM: "xterm-256color" });
  screens.push(screen);
  return { screen, state };
}

/** The last line on screen that holds the prompt. */
const promptLine = (screen: string): string => screen.trimEnd().split("\n").filter((l) => /\S>( |$)/.test(l)).pop() ?? "";


describe("the sandbox in a terminal", () => {
  it("runs commands with key state, completes, hints, helps, and leaves cleanly", async () => {
    const { screen, state } = start("");
    const first = await screen.waitFor(/private \d+\.\d+\.\d+>\s*$/m);
    const port = Number(/127\.0\.0\.1:(\d+)/.exec(first)?.[1]);

    screen.type("SET bike:1 Deimos");
    screen.press("Enter");
    await screen.waitFor(/^OK$[\s\S]*"bike:1".*after \(created\)[\s\S]*"Deimos"/m);

    screen.type("LMO");
    screen.press("Tab");
    const hinted = await screen.waitFor((s) => /> LMOVE source destination LEFT\|RIGHT LEFT\|RIGHT/.test(promptLine(s)));
    expect(promptLine(hinted)).toMatch(/private [\d.]+> LMOVE source destination/);
    screen.type("bikes:a b");
    await screen.waitFor((s) => /> LMOVE bikes:a b LEFT\|RIGHT LEFT\|RIGHT/.test(promptLine(s)));
    screen.press("C-u");

    screen.type("help LMOVE");
    screen.press("Enter");
    await screen.waitFor(/LMOVE source destination LEFT\|RIGHT LEFT\|RIGHT\n\s+Pop an element from a list, push it to another list and return it\n\s+since: 6\.2\.0/);

    screen.type("BLPOP empty 0");
    screen.press("Enter");
    await screen.waitFor(/waiting… \d+\.\ds \(Ctrl-C stops waiting/);
    screen.press("C-c");
    await screen.waitFor(/BLPOP empty 0\n\(stopped waiting: Ctrl-C[^\n]*\n\(nil\)/);
    screen.type("PING");
    screen.press("Enter");
    await screen.waitFor(/> PING\nPONG/);

    screen.type("LPUSH bike:1 x");
    screen.press("Enter");
    await screen.waitFor(/WRONGTYPE[^\n]*\n\s+↳ "bike:1" holds a string, but LPUSH works on a list/);

    screen.press("C-d");
    await waitUntil(async () => !(await portAnswers(port)));
    expect(readFileSync(path.join(state, "redis-learn", "history"), "utf8")).toContain("SET bike:1 Deimos\n");
  });

  it("lets a waiting client be unblocked by another: Ctrl-Z, then a push as client B", async () => {
    const { screen } = start("");
    await screen.waitFor(/private \d+\.\d+\.\d+>\s*$/m);
    screen.type("BLPOP jobs 0");
    screen.press("Enter");
    await screen.waitFor(/waiting…/);
    screen.press("C-z");
    await screen.waitFor(/Client A keeps waiting\. Now typing as client B/);
    screen.type("RPUSH jobs job:1");
    screen.press("Enter");
    const done = await screen.waitFor(/client A's BLPOP jobs 0 returned:\n1\) "jobs"\n2\) "job:1"/);
    expect(done.indexOf("> RPUSH jobs job:1")).toBeLessThan(done.indexOf("client A's BLPOP jobs 0 returned:"));
    expect(promptLine(done)).toMatch(/ B>$/);
  });

  it("asks before FLUSHDB on a server the learner brought, and does nothing on no", async () => {
    const { screen } = start(`--url redis://127.0.0.1:${inject("redisPort")}/9`);
    await screen.waitFor(/127\.0\.0\.1:\d+\[9\]>\s*$/m);
    screen.type("SET e2e:keep 1");
    screen.press("Enter");
    await screen.waitFor(/^OK$/m);
    screen.type("FLUSHDB");
    screen.press("Enter");
    await screen.waitFor(/FLUSHDB deletes every key in the current database, on 127\.0\.0\.1:\d+, a server you brought\. Run it\? \[y\/N\]/);
    screen.type("n");
    await screen.waitFor(/Not run\./);
    screen.type("GET e2e:keep");
    screen.press("Enter");
    await screen.waitFor(/> GET e2e:keep\n"1"/);
  });

  it("client names are case-insensitive, and CLIENT LIST shows each client by its name", async () => {
    const { screen } = start("");
    await screen.waitFor(/private \d+\.\d+\.\d+>\s*$/m);
    screen.type(":client b");
    screen.press("Enter");
    await screen.waitFor(/Now typing as client B, a new connection/);
    screen.type("CLIENT INFO");
    screen.press("Enter");
    await screen.waitFor(/^id=\d+ .* name=B /m);
    screen.type(":client A");
    screen.press("Enter");
    await screen.waitFor(/Now typing as client A\./);
    screen.type("CLIENT LIST TYPE normal");
    screen.press("Enter");
    const listed = await screen.waitFor(/^id=\d+ .* name=A /m);
    expect(listed).toMatch(/^id=\d+ .* name=B /m);
  });

  it("asks inside MULTI too, and shows the script an EVAL would run", async () => {
    const { screen } = start(`--url redis://127.0.0.1:${inject("redisPort")}/9`);
    await screen.waitFor(/127\.0\.0\.1:\d+\[9\]>\s*$/m);
    screen.type("SET e2e:tx 1");
    screen.press("Enter");
    await screen.waitFor(/^OK$/m);
    screen.type("MULTI");
    screen.press("Enter");
    await screen.waitFor(/\(TX\)>\s*$/m);
    screen.type("FLUSHDB");
    screen.press("Enter");
    await screen.waitFor(/FLUSHDB deletes every key in the current database when the transaction runs \(EXEC\), on 127\.0\.0\.1:\d+, a server you brought\. Run it\? \[y\/N\]/);
    screen.type("n");
    await screen.waitFor(/Not run\./);
    screen.type("EXEC");
    screen.press("Enter");
    await screen.waitFor(/> EXEC\n\(empty array\)/);
    screen.type(`EVAL "redis.call('FLUSHDB') return 1" 0`);
    screen.press("Enter");
    await screen.waitFor(/EVAL runs a Lua script, which can change or delete any key in any database, on 127\.0\.0\.1:\d+, a server you brought\.\n {2}redis\.call\('FLUSHDB'\) return 1\n Run it\? \[y\/N\]/);
    screen.type("n");
    await screen.waitFor(/Not run\./);
    screen.type("GET e2e:tx");
    screen.press("Enter");
    await screen.waitFor(/> GET e2e:tx\n"1"/);
  });
});

async function waitUntil(test: () => Promise<boolean>, timeoutMs = 10_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!(await test())) {
    if (Date.now() > deadline) throw new Error("condition never held");
    await new Promise((r) => setTimeout(r, 50));
  }
}
