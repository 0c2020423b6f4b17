import readline from "node:readline";
import { applyKey, emptyState, replaceWord, type EditorState, type Key } from "./editor.js";
import { commonPrefix, type Completion } from "./complete.js";

/**
 * The terminal side of the line editor: raw keys in, the prompt, line and dim hint drawn
 * in place (wrapping over several rows when long). Only this file talks to the TTY.
 */
export type ReadResult = { type: "line"; line: string } | { type: "eof" } | { type: "interrupt" };

export interface ReadOptions {
  prompt: string;
  hint(line: string): string | undefined;
  complete(line: string): Promise<Completion>;
  dim(text: string): string;
}

type KeyHandler = (key: Key) => void;

import { displayWidth } from "../render/width.js";

export class Terminal {
  private handler: KeyHandler | undefined;
  /** Keys typed while a command runs: they are the start of the next line, as in a shell. */
  private readonly typedAhead: Key[] = [];
  /** Rows between the top of the drawn prompt and the cursor, to go back up on redraw. */
  private cursorRow = 0;

  constructor(
    private readonly input: NodeJS.ReadStream = process.stdin,
    private readonly output: NodeJS.WriteStream = process.stdout,
  ) {
    readline.emitKeypressEvents(input);
    input.setRawMode?.(true);
    input.on("keypress", (_: string, key: Key | undefined) => {
      // Characters readline does not name (é, 日) come with a sequence only.
      const k = key ?? { sequence: _ };
      if (this.handler) this.handler(k);
      else this.typedAhead.push(k);
    });
    input.resume();
  }

  write(text: string): void {
    this.output.write(text);
  }

  close(): void {
    this.handler = undefined;
    this.input.setRawMode?.(false);
    this.input.pause();
  }

  /** Sets what keys do while a command runs (Ctrl-C to stop waiting, say); undefined ignores them. */
  onKey(handler: KeyHandler | undefined): void {
    this.handler = handler;
  }

  /** One key, for a y/N question. */
  readKey(): Promise<Key> {
    return new Promise((resolve) => {
      this.handler = (key) => {
        this.handler = undefined;
        resolve(key);
      };
      this.replayTypedAhead();
    });
  }

  private replayTypedAhead(): void {
    const handler = this.handler;
    while (this.typedAhead.length && this.handler && this.handler === handler) this.handler(this.typedAhead.shift() as Key);
  }

  /** Redraws the line being edited after the current one is replaced, e.g. to print something that arrived meanwhile. */
  private redraw: ((text: string) => void) | undefined;

  /** Prints text above the prompt while a line is being edited (or plainly when none is). */
  interject(text: string): void {
    if (this.redraw) this.redraw(text);
    else this.interjections.push(text);
  }

  /** Text that arrived while a command's output was being printed waits for the next prompt. */
  private readonly interjections: string[] = [];

  readLine(history: readonly string[], options: ReadOptions): Promise<ReadResult> {
    for (const text of this.interjections.splice(0)) this.output.write(text);
    let state: EditorState = emptyState(history);
    this.redraw = (text) => {
      if (this.cursorRow > 0) this.output.write(`\x1b[${this.cursorRow}A`);
      this.output.write("\r\x1b[J" + text);
      this.cursorRow = 0;
      this.draw(options, state);
    };
    let lastCompletion: string | undefined;
    this.cursorRow = 0;
    this.draw(options, state);
    return new Promise((resolve) => {
      const finish = (result: ReadResult): void => {
        this.handler = undefined;
        this.redraw = undefined;
        this.draw(options, state, false);
        this.output.write("\r\n");
        resolve(result);
      };
      this.handler = (key) => {
        const [next, action] = applyKey(state, key, history);
        state = next;
        switch (action.type) {
          case "submit":
            return finish({ type: "line", line: action.line });
          case "eof":
            return finish({ type: "eof" });
          case "interrupt":
            state = { ...state, line: "", cursor: 0 };
            return finish({ type: "interrupt" });
          case "clear-screen":
            this.output.write("\x1b[H\x1b[2J");
            this.cursorRow = 0;
            return this.draw(options, state);
          case "complete": {
            const before = state;
            void options.complete(state.line.slice(0, state.cursor)).then((c) => {
              if (state !== before) return;
              if (c.candidates.length === 1) {
                state = replaceWord(state, c.wordStart, `${c.candidates[0]} `);
              } else if (c.candidates.length > 1) {
                const prefix = commonPrefix(c.candidates);
                const typed = Array.from(state.line).slice(c.wordStart, state.cursor).join("");
                if (prefix.length > typed.length) state = replaceWord(state, c.wordStart, prefix);
                else if (lastCompletion === state.line) {
                  // A second Tab lists the choices, as shells do.
                  this.draw(options, state, false);
                  this.output.write("\r\n" + c.candidates.slice(0, 60).join("  ") + (c.candidates.length > 60 ? "  …" : "") + "\r\n");
                  this.cursorRow = 0;
                }
                lastCompletion = state.line;
              }
              this.draw(options, state);
            });
            return;
          }
          case "render":
            lastCompletion = undefined;
            return this.draw(options, state);
          default:
            return;
        }
      };
      this.replayTypedAhead();
    });
  }

  private draw(options: ReadOptions, state: EditorState, withHint = true): void {
    const columns = this.output.columns || 80;
    const prompt = state.search ? `(reverse-i-search)'${state.search.query}': ` : options.prompt;
    const hint = withHint && !state.search ? options.hint(state.line) : undefined;
    const hintText = hint ? options.dim(hint) : "";
    let out = "";
    if (this.cursorRow > 0) out += `\x1b[${this.cursorRow}A`;
    out += "\r\x1b[J" + prompt + state.line + hintText;
    const total = displayWidth(prompt) + displayWidth(state.line) + displayWidth(hint ?? "");
    const cursorAt = displayWidth(prompt) + displayWidth(Array.from(state.line).slice(0, state.cursor).join(""));
    let endRow = total === 0 ? 0 : Math.floor((total - 1) / columns);
    const cursorRow = Math.floor(cursorAt / columns);
    if (cursorRow > endRow) {
      // The cursor sits just past a full row: open the next row for it.
      out += "\r\n";
      endRow = cursorRow;
    }
    if (endRow > cursorRow) out += `\x1b[${endRow - cursorRow}A`;
    out += `\x1b[${(cursorAt % columns) + 1}G`;
    this.cursorRow = cursorRow;
    this.output.write(out);
  }
}
