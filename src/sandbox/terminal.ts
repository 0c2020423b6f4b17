import { EventEmitter } from "node:events";
import readline from "node:readline";
import { StringDecoder } from "node:string_decoder";
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

/** Bracketed paste: the terminal marks pasted text, so its newlines and speed are told apart from typing. */
const PASTE_ON = "\x1b[?2004h";
const PASTE_OFF = "\x1b[?2004l";

const PASTE_START = "\x1b[200~";
const PASTE_END = "\x1b[201~";
/** How long the start of what may be a paste mark (a lone Escape, say) waits for the rest of it. */
const MARK_WAIT_MS = 30;

/** A key that only adds text: typed characters, and pasted text (where a Tab is a space, not a completion). */
function plain(key: Key): boolean {
  if (key.name === PASTED) return true;
  return !key.ctrl && !key.meta && !!key.sequence && !/[\x00-\x1f\x7f]/.test(key.sequence);
}

/** The name of a key that is pasted text (a line of it, without its newline). */
const PASTED = "pasted";

/** How many characters at the end of text could be the start of mark, split across two reads. */
function markStartAtEnd(text: string, mark: string): number {
  for (let n = Math.min(mark.length - 1, text.length); n > 0; n--) if (mark.startsWith(text.slice(-n))) return n;
  return 0;
}

import { displayWidth } from "../render/width.js";

export class Terminal {
  private handler: KeyHandler | undefined;
  /** Keys typed while a command runs: they are the start of the next line, as in a shell. */
  private readonly typedAhead: Key[] = [];
  /** Rows between the top of the drawn prompt and the cursor, to go back up on redraw. */
  private cursorRow = 0;

  /** Keys that arrived in one burst (a paste, fast typing), handled together: one edit and one redraw per burst. */
  private readonly pending: Key[] = [];
  private scheduled = false;
  /** Between the terminal's paste-start and paste-end marks (bracketed paste). */
  private pasting = false;
  /** Whether a line is being read: pasted text waits for the next prompt otherwise. */
  private reading = false;
  /** Called after each burst, to draw once what the burst did. */
  private afterBurst: (() => void) | undefined;

  /** Typed input goes through readline's key parser; pasted text is taken whole, bypassing it (a key object per character made a 32 KB paste slow). */
  private readonly keyParser = new EventEmitter();
  private readonly decoder = new StringDecoder("utf8");
  /** Between paste marks, as read (the keys of a paste may still wait in pending). */
  private inPaste = false;
  /** The end of a read that may be the start of a paste mark. */
  private carry = "";
  private carryTimer: NodeJS.Timeout | undefined;

  constructor(
    private readonly input: NodeJS.ReadStream = process.stdin,
    private readonly output: NodeJS.WriteStream = process.stdout,
  ) {
    readline.emitKeypressEvents(this.keyParser as NodeJS.ReadableStream);
    this.keyParser.on("keypress", (_: string, key: Key | undefined) => {
      // Characters readline does not name (é, 日) come with a sequence only.
      this.enqueue(key ?? { sequence: _ });
    });
    input.setRawMode?.(true);
    input.on("data", this.onData);
    output.on?.("resize", this.onResize);
    input.resume();
  }

  private enqueue(key: Key): void {
    this.pending.push(key);
    if (this.scheduled) return;
    this.scheduled = true;
    // All the keys of one read (and of reads already waiting) arrive before this runs.
    setImmediate(() => {
      this.scheduled = false;
      this.dispatch(this.pending.splice(0));
    });
  }

  /** Splits a read at the paste marks: typed parts to the key parser, pasted text as lines. */
  private readonly onData = (chunk: Buffer | string): void => {
    clearTimeout(this.carryTimer);
    let text = this.carry + (typeof chunk === "string" ? chunk : this.decoder.write(chunk));
    this.carry = "";
    while (text) {
      const mark = this.inPaste ? PASTE_END : PASTE_START;
      const at = text.indexOf(mark);
      if (at === -1) {
        const keep = markStartAtEnd(text, mark);
        this.feed(text.slice(0, text.length - keep));
        this.carry = text.slice(text.length - keep);
        // No more of the mark came: it was typed (Escape alone, say), not a mark.
        if (this.carry) this.carryTimer = setTimeout(() => this.flushCarry(), MARK_WAIT_MS);
        return;
      }
      this.feed(text.slice(0, at));
      this.inPaste = !this.inPaste;
      this.enqueue({ name: this.inPaste ? "paste-start" : "paste-end" });
      text = text.slice(at + mark.length);
    }
  };

  private flushCarry(): void {
    const text = this.carry;
    this.carry = "";
    // Escape alone is the Escape key: readline's parser (with no interface) would wait for the next key and make it Alt+key.
    if (text === "\x1b" && !this.inPaste) this.enqueue({ name: "escape", sequence: text });
    else this.feed(text);
  }

  private feed(text: string): void {
    if (!text) return;
    if (!this.inPaste) return void this.keyParser.emit("data", Buffer.from(text, "utf8"));
    // Pasted lines end as typed ones do (Enter); other control characters are dropped.
    text.split(/\r\n|\r|\n/).forEach((line, i) => {
      if (i > 0) this.enqueue({ name: "return", sequence: "\r" });
      const clean = line.replace(/\t/g, " ").replace(/[\x00-\x1f\x7f]/g, "");
      if (clean) this.enqueue({ name: PASTED, sequence: clean });
    });
  }

  private readonly onResize = (): void => this.resized?.();
  private resized: (() => void) | undefined;

  /** Hands keys to the current handler, a run of plain characters as one key; what no one takes waits for the next line. */
  private dispatch(keys: Key[]): void {
    let i = 0;
    while (i < keys.length) {
      const key = keys[i] as Key;
      if (key.name === "paste-start" || key.name === "paste-end") {
        this.pasting = key.name === "paste-start";
        i++;
        continue;
      }
      if (!this.handler || (this.pasting && !this.reading)) {
        this.typedAhead.push(...keys.slice(i));
        break;
      }
      let j = i + 1;
      let merged = key;
      if (plain(key)) {
        let text = key.sequence ?? "";
        while (j < keys.length && plain(keys[j] as Key)) text += (keys[j++] as Key).sequence ?? "";
        merged = { sequence: text };
      }
      this.handler(merged);
      i = j;
    }
    this.afterBurst?.();
  }

  write(text: string): void {
    this.output.write(text);
  }

  close(): void {
    this.handler = undefined;
    if (this.output.isTTY) this.output.write(PASTE_OFF);
    this.output.off?.("resize", this.onResize);
    this.input.off("data", this.onData);
    clearTimeout(this.carryTimer);
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
    if (this.typedAhead.length) this.dispatch(this.typedAhead.splice(0));
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
    let dirty = false;
    this.cursorRow = 0;
    if (this.output.isTTY) this.output.write(PASTE_ON);
    this.draw(options, state);
    this.reading = true;
    this.afterBurst = () => {
      if (dirty) this.draw(options, state);
      dirty = false;
    };
    this.resized = () => {
      // The terminal has re-flowed the rows: find the prompt's top again at the new width, then draw.
      this.cursorRow = this.rowsOf(options, state);
      this.draw(options, state);
    };
    return new Promise((resolve) => {
      const finish = (result: ReadResult): void => {
        this.handler = undefined;
        this.redraw = undefined;
        this.reading = false;
        this.afterBurst = undefined;
        this.resized = undefined;
        if (this.output.isTTY) this.output.write(PASTE_OFF);
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
            // The cursor counts code points; String.slice counts UTF-16 units (an emoji is two).
            void options.complete(Array.from(state.line).slice(0, state.cursor).join("")).then((c) => {
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
            dirty = true;
            return;
          default:
            return;
        }
      };
      this.replayTypedAhead();
    });
  }

  /** The row of the cursor below the prompt's first row, at the current width. */
  private rowsOf(options: ReadOptions, state: EditorState): number {
    const columns = this.output.columns || 80;
    const at = displayWidth(options.prompt) + displayWidth(Array.from(state.line).slice(0, state.cursor).join(""));
    return Math.floor(at / columns);
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
