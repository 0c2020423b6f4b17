import { mkdtempSync } from "node:fs";
import os from "node:os";
import path from "node:path";
import { afterEach, describe, expect, it } from "vitest";
import { BIN } from "../helpers/cli.js";
import { TmuxScreen, e2eTrack } from "../helpers/tmux.js";

const { screens, dirs, cleanup } = e2eTrack();
afterEach(cleanup);

const QUESTIONS = 12;

/**
 * Takes the strings quiz in a real terminal without reading it: Enter on every choice,
 * "x" for every prediction, "skip" for every task except the counting one, where a SET
 * is tried first. Returns each choose question's options in the order shown, by the
 * question's first line.
 */
async function takeQuiz(dir: string, onCounter: (screen: TmuxScreen) => Promise<void>): Promise<Map<string, string[]>> {
  const screen = new TmuxScreen(`${process.execPath} ${BIN} quiz strings`, { XDG_CONFIG_HOME: dir, XDG_STATE_HOME: dir, TERM: "xterm-256color" });
  screens.push(screen);
  const orders = new Map<string, string[]>();
  for (let i = 1; i <= QUESTIONS; i++) {
    const header = `Question ${i} of ${QUESTIONS} · `;
    const shown = await screen.waitFor((s) => {
      const part = s.slice(s.lastIndexOf(header));
      return s.includes(header) && /↑↓ navigate|What does Redis reply\?|do>/.test(part);
    });
    const part = shown.slice(shown.lastIndexOf(header));
    if (part.startsWith(`${header}choose`)) {
      const lines = part.split("\n");
      const asked = lines.findIndex((l) => l.startsWith("? "));
      const options = lines.slice(asked + 1).filter((l) => /^(❯ | {2})\S/.test(l)).map((l) => l.slice(2).trim());
      orders.set(lines[asked] as string, options);
      screen.press("Enter");
    } else if (part.startsWith(`${header}predict`)) {
      screen.type("x");
      screen.press("Enter");
    } else {
      if (part.includes("bikes:rentals stands at 10")) await onCounter(screen);
      screen.type("skip");
      screen.press("Enter");
    }
    // Wait until the answer is taken before looking for the next question.
    if (i < QUESTIONS) await screen.waitFor((s) => s.includes(`Question ${i + 1} of ${QUESTIONS} · `));
  }
  await screen.waitFor(/Score: \d+ of 12\./);
  return orders;
}

describe("a quiz in a terminal", () => {
  it("shows the choices in a new order on each attempt, and refuses a SET at the counting task", async () => {
    const dir = mkdtempSync(path.join(os.tmpdir(), "rl-e2e-quiz-"));
    dirs.push(dir);
    let refused = "";
    const first = await takeQuiz(dir, async (screen) => {
      screen.type("SET bikes:rentals 15");
      screen.press("Enter");
      refused = await screen.waitFor(/✗ Not sent: this task rules out SET\. Writing the new number yourself is not count/);
      screen.type("GET bikes:rentals");
      screen.press("Enter");
      await screen.waitFor(/do> GET bikes:rentals\n"10"\n/);
    });
    expect(refused).toContain("› do> SET bikes:rentals 15\n✗ Not sent:");
    const second = await takeQuiz(dir, async () => {});

    expect(first.size).toBe(5);
    expect([...second.keys()].sort()).toEqual([...first.keys()].sort());
    // Five shuffled questions: all five in the same order twice happens by chance about
    // once in 24^4 * 6 attempts.
    const same = [...first].filter(([question, order]) => second.get(question)?.join("\n") === order.join("\n"));
    expect(same.length).toBeLessThan(first.size);
    for (const [question, order] of first) expect([...(second.get(question) ?? [])].sort()).toEqual([...order].sort());
  }, 120_000);
});
