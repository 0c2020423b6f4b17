import readline from "node:readline";

export type PagerKey = "next" | "back" | "quit";

/**
 * Waits for one key in a terminal: Enter (or space, or →) continues, b (or ←) goes back,
 * q (or Esc, or Ctrl-C) quits.
 */
export function waitForKey(input: NodeJS.ReadStream = process.stdin): Promise<PagerKey> {
  readline.emitKeypressEvents(input);
  const wasRaw = input.isRaw;
  input.setRawMode?.(true);
  input.resume();
  return new Promise((resolve) => {
    const onKey = (_: string, key: readline.Key | undefined): void => {
      const name = key?.name;
      let choice: PagerKey | undefined;
      if (name === "return" || name === "enter" || name === "space" || name === "right" || name === "n") choice = "next";
      else if (name === "b" || name === "left" || name === "p") choice = "back";
      else if (name === "q" || name === "escape" || (key?.ctrl && (name === "c" || name === "d"))) choice = "quit";
      if (!choice) return;
      input.off("keypress", onKey);
      input.setRawMode?.(wasRaw ?? false);
      input.pause();
      resolve(choice);
    };
    input.on("keypress", onKey);
  });
}
