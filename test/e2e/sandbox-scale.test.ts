import { mkdtempSync } from "node:fs";
import os from "node:os";
import path from "node:path";
import { afterEach, describe, expect, it } from "vitest";
import { BIN } from "../helpers/cli.js";
import { TmuxScreen, e2eTrack } from "../helpers/tmux.js";
import { displayWidth } from "../../src/render/width.js";

const { screens, dirs, cleanup } = e2eTrack();
afterEach(cleanup);

/** The sandbox in an 80-column terminal, on its own private server. */
function start(): TmuxScreen {
  const state = mkdtempSync(path.join(os.tmpdir(), "rl-e2e-state-"));
  dirs.push(state);
  const screen = new TmuxScreen(`${process.execPath} ${BIN} sandbox`, { XDG_STATE_HOME: state, TERM: "xterm-256color" }, 80, 50);
  screens.push(screen);
  return screen;
}

/** The end of a long line being edited is on screen (its wrapped rows joined), before the dim hint of what may follow. */
const endsWith = (text: string) => (screen: string): boolean => screen.replace(/\n/g, "").trimEnd().slice(-200).includes(text);

const PROMPT = /private \d+\.\d+\.\d+> ?$/m;
const VALUE_70 = "x".repeat(70);

/** Every table on screen is whole: each of its rows starts and ends with a border, none wrapped into the next line. */
function tablesWhole(screen: string): void {
  let inTable = false;
  for (const line of screen.split("\n")) {
    const row = line.trimEnd();
    if (row.startsWith("┌")) inTable = true;
    if (inTable) {
      expect(row, `a table row wrapped:\n${screen}`).toMatch(/^[┌│├└].*[┐│┤┘]$/);
      expect(displayWidth(row)).toBeLessThanOrEqual(80);
    }
    if (row.startsWith("└")) inTable = false;
  }
}

describe("the sandbox with long input and many keys, at 80 columns", () => {
  it("takes a pasted MSET of 3,000 pairs whole, and shows one compact table", async () => {
    const screen = start();
    await screen.waitFor(PROMPT, 20_000);
    const pairs = Array.from({ length: 3000 }, (_, i) => `m:${i} ${i === 0 ? VALUE_70 : `v${i}`}`);
    const line = `MSET ${pairs.join(" ")}`;
    expect(line.length).toBeGreaterThan(32_000);
    screen.paste(line);
    // The whole line is in the editor: its end is on screen, after the prompt.
    await screen.waitFor(endsWith("m:2999 v2999"), 20_000);
    screen.press("Enter");
    const shown = await screen.waitFor(/… 2,980 more keys \(2,980 created\)\n(?:.*reading a key.*\n.*\n)?.*> ?$/m, 20_000);
    expect(shown).toMatch(/3,000 keys\s+│ type\s+│ before → after/);
    // The 70-byte value is cut inside its cell, and says how much is not shown.
    expect(shown).toMatch(/│ "m:0"\s+│ string │ \(none\) → "x+…" \(\+\d+ bytes\)\s*│ \+ created │/);
    tablesWhole(shown);
    expect(shown.match(/^│ "m:\d+"/gm)?.length).toBe(20);

    screen.type(`SET long ${VALUE_70}`);
    screen.press("Enter");
    const single = await screen.waitFor(/"long"[\s\S]*value[^\n]*"x+…" \(\+\d+ bytes\)[\s\S]*└[^\n]*\n.*> ?$/m, 10_000);
    tablesWhole(single.slice(single.lastIndexOf("SET long")));

    // A DEL of all of them: the reply, a compact table, and the rest counted; well under 30 lines.
    screen.press("C-l");
    screen.paste(`DEL ${pairs.map((p) => p.split(" ")[0]).join(" ")}`);
    await screen.waitFor(endsWith("m:2998 m:2999"), 20_000);
    screen.press("Enter");
    const deleted = await screen.waitFor(/… 2,980 more keys \(2,980 deleted\)\n.*> ?$/m, 20_000);
    const after = deleted.slice(deleted.indexOf("(integer) 3000"));
    expect(after.trimEnd().split("\n").length).toBeLessThanOrEqual(30);

    screen.type("FLUSHALL");
    screen.press("Enter");
    await screen.waitFor(/Keys per database, before → after: db0 1 → 0/);
  }, 90_000);

  it("runs a paste of several lines in order, each shown with its prompt", async () => {
    const screen = start();
    await screen.waitFor(PROMPT, 20_000);
    screen.paste("SET a 1\nINCR a\nGET a\n");
    const shown = await screen.waitFor(/> GET a\n"2"\n/, 10_000);
    expect(shown).toMatch(/> SET a 1\nOK\n[\s\S]*> INCR a\n\(integer\) 2\n[\s\S]*> GET a\n"2"/);
  }, 60_000);
});
