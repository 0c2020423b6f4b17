import { mkdtempSync } from "node:fs";
import os from "node:os";
import path from "node:path";
import { afterEach, describe, expect, it } from "vitest";
import { BIN } from "../helpers/cli.js";
import { TmuxScreen, e2eTrack } from "../helpers/tmux.js";

/** :undo, :wait and Ctrl-Z during SUBSCRIBE/MONITOR, in a real terminal 80 columns wide. */
const { screens, dirs, cleanup } = e2eTrack();
afterEach(cleanup);

async function start(): Promise<TmuxScreen> {
  const state = mkdtempSync(path.join(os.tmpdir(), "rl-e2e-state-"));
  dirs.push(state);
  const screen = new TmuxScreen(`${process.execPath} ${BIN} sandbox`, { XDG_STATE_HOME: state, TERM: "xterm-256color" }, 80, 50);
  screens.push(screen);
  await screen.waitFor(/private \d+\.\d+\.\d+>\s*$/m);
  return screen;
}

function enter(screen: TmuxScreen, line: string): void {
  screen.type(line);
  screen.press("Enter");
}

/** The last line on screen that holds the prompt. */
const promptLine = (screen: string): string => screen.trimEnd().split("\n").filter((l) => /\S>( |$)/.test(l)).pop() ?? "";

describe("time and undo in the sandbox", () => {
  it(":undo after a DEL brings the key back with its TTL", async () => {
    const screen = await start();
    enter(screen, "SET bike:hold alice EX 100");
    await screen.waitFor(/^OK$/m);
    enter(screen, "DEL bike:hold");
    await screen.waitFor(/^\(integer\) 1$/m);
    enter(screen, ":undo");
    await screen.waitFor(/Undid DEL bike:hold: "bike:hold" as before it\./);
    enter(screen, "TTL bike:hold");
    const shown = await screen.waitFor(/> TTL bike:hold\n\(integer\) \d+/);
    expect(Number(/> TTL bike:hold\n\(integer\) (\d+)/.exec(shown)?.[1])).toBeGreaterThan(90);
    enter(screen, "GET bike:hold");
    await screen.waitFor(/> GET bike:hold\n"alice"/);
  });

  it(":wait 1m expires a 30 s key and leaves a longer one counting down", async () => {
    const screen = await start();
    enter(screen, "SET offer 20% EX 30");
    await screen.waitFor(/^OK$/m);
    enter(screen, "SET season open EX 600");
    await screen.waitFor(/> SET season open EX 600\nOK/);
    enter(screen, ":wait 1m");
    await screen.waitFor(/Time moved on 1m for keys with a TTL\.\nExpired: "offer"\nStill counting down: "season" \((9m|8m 59s) left\)/);
    enter(screen, "GET offer");
    await screen.waitFor(/> GET offer\n\(nil\)/);
  });
});

describe("Ctrl-Z while a client reads messages", () => {
  it.each<[string, string, RegExp]>([
    ["SUBSCRIBE news", "PUBLISH news hello", /client A's SUBSCRIBE news received:\n1\) "message"\n2\) "news"\n3\) "hello"/],
    ["PSUBSCRIBE n*", "PUBLISH news hello", /client A's PSUBSCRIBE n\* received:\n1\) "pmessage"\n2\) "n\*"\n3\) "news"\n4\) "hello"/],
    ["MONITOR", "SET seen 1", /client A's MONITOR received:\n[^\n]*"SET" "seen" "1"/],
  ])("%s: B sends, A's message shows above B's prompt, and :client A follows A again", async (command, other, arrived) => {
    const screen = await start();
    enter(screen, command);
    await screen.waitFor(/Reading messages… Ctrl-C stops, Ctrl-Z lets you type as another client\./);
    if (command !== "MONITOR") await screen.waitFor(/subscribe"\n2\) /);
    else await screen.waitFor(/^OK$/m);
    screen.press("C-z");
    await screen.waitFor(/Client A stays in [^\n]*: what it receives shows above the prompt\.\nNow typing as client B/);
    enter(screen, other);
    const shown = await screen.waitFor(arrived);
    expect(shown.lastIndexOf(`> ${other}`)).toBeLessThan(shown.search(arrived));
    expect(promptLine(shown)).toMatch(/ B>$/);
    enter(screen, ":client A");
    await screen.waitFor(/Client A is still in [^\n]*, reading messages…\nCtrl-C stops/);
    screen.press("C-c");
    await screen.waitFor(/Stopped; client A has a fresh connection\./);
    enter(screen, "PING");
    await screen.waitFor(/ A> PING\nPONG/);
  });
});
