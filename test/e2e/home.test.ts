import { mkdtempSync } from "node:fs";
import os from "node:os";
import path from "node:path";
import { afterEach, describe, it } from "vitest";
import { BIN } from "../helpers/cli.js";
import { TmuxScreen, e2eTrack } from "../helpers/tmux.js";

const { screens, dirs, cleanup } = e2eTrack();
afterEach(cleanup);

function home(): string {
  const dir = mkdtempSync(path.join(os.tmpdir(), "rl-e2e-home-"));
  dirs.push(dir);
  return dir;
}

function open(args: string, dir: string): TmuxScreen {
  const screen = new TmuxScreen(`${process.execPath} ${BIN} ${args}`, { XDG_CONFIG_HOME: dir, XDG_STATE_HOME: dir, TERM: "xterm-256color" });
  screens.push(screen);
  return screen;
}

describe("in a terminal", () => {
  it("a lesson left halfway resumes where it was left, and --restart starts over", async () => {
    const dir = home();
    const first = open("lesson strings", dir);
    await first.waitFor(/Enter alone: run it for me · \?: hint · b: back · q: quit[\s\S]*Step 1\/\d+ ·[\s\S]*step 1\/\d+ A> ?$/m);
    // Enter alone runs each step's command for the learner.
    first.press("Enter");
    await first.waitFor(/Step 2\/\d+ ·[\s\S]*step 2\/\d+ A> ?$/m);
    first.press("Enter");
    await first.waitFor(/Step 3\/\d+ ·[\s\S]*step 3\/\d+ A> ?$/m);
    first.type("q");
    first.press("Enter");
    await first.waitFor(/Stopped at step 3 of \d+; redis-learn lesson strings resumes here\./);

    const again = open("lesson strings", dir);
    await again.waitFor(/Resuming at step 3 of \d+; the steps before it were replayed/);
    await again.waitFor(/Step 3\/\d+ ·[\s\S]*step 3\/\d+ A> ?$/m);
    again.press("C-d");
    await again.waitFor(/Stopped at step 3 of \d+/);

    const restarted = open("lesson strings --restart", dir);
    await restarted.waitFor(/Step 1\/\d+ ·[\s\S]*step 1\/\d+ A> ?$/m);
    restarted.press("C-c");
    await restarted.waitFor(/Stopped at step 1 of \d+/);
  });

  it("redis-learn alone opens a home screen that reaches a lesson, a quiz and the sandbox", async () => {
    const dir = home();
    const screen = open("", dir);
    await screen.waitFor(/What next\?[\s\S]*Lesson: Strings[\s\S]*Quiz: Strings[\s\S]*Sandbox[\s\S]*Progress[\s\S]*Quit/);

    // The sandbox, and back with Ctrl-D.
    await pick(screen, /❯ Sandbox/);
    screen.press("Enter");
    await screen.waitFor(/private \d+\.\d+\.\d+>\s*$/m);
    screen.type("PING");
    screen.press("Enter");
    await screen.waitFor(/^PONG$/m);
    screen.press("C-d");
    await screen.waitFor(/PONG[\s\S]*What next\?/);

    // A lesson, quit at once.
    await pick(screen, /❯ Lesson: Strings/);
    screen.press("Enter");
    await screen.waitFor(/Step 1\/\d+ ·[\s\S]*step 1\/\d+ A> ?$/m);
    screen.type("q");
    screen.press("Enter");
    await screen.waitFor(/Stopped at step 1[\s\S]*What next\?/);

    // A quiz: its first question appears.
    await pick(screen, /❯ Quiz: Strings/);
    screen.press("Enter");
    await screen.waitFor(/Question 1 of \d+/);
  });
});

/** Moves the menu's cursor down until the wanted entry is selected. */
async function pick(screen: TmuxScreen, entry: RegExp): Promise<void> {
  await screen.waitFor(/What next\?/);
  for (let i = 0; i < 20; i++) {
    const last = screen.screen().split("What next?").pop() ?? "";
    if (entry.test(last)) return;
    screen.press("Down");
    await new Promise((r) => setTimeout(r, 100));
  }
  throw new Error(`the menu never selected ${String(entry)}`);
}
