import { PassThrough, Writable } from "node:stream";
import { afterEach, describe, expect, it } from "vitest";
import { Terminal, type ReadOptions } from "../../src/sandbox/terminal.js";

/** The line editor against fake streams: what a paste or a burst of keys does, and what is drawn. */
class FakeTty extends Writable {
  text = "";
  isTTY = true;
  columns = 80;
  override _write(chunk: Buffer, _: BufferEncoding, done: () => void): void {
    this.text += chunk.toString("utf8");
    done();
  }
}

const REDRAW = "\r\x1b[J";
const count = (text: string, part: string): number => text.split(part).length - 1;

describe("the line editor takes input in bursts", () => {
  let input: PassThrough;
  let output: FakeTty;
  let terminal: Terminal;
  let hints: string[];
  const options = (): ReadOptions => ({
    prompt: "> ",
    hint: (line) => {
      hints.push(line);
      return undefined;
    },
    complete: async () => ({ candidates: [], wordStart: 0 }),
    dim: (s) => s,
  });
  const start = (): void => {
    input = new PassThrough();
    output = new FakeTty();
    terminal = new Terminal(input as unknown as NodeJS.ReadStream, output as unknown as NodeJS.WriteStream);
    hints = [];
  };
  afterEach(() => terminal.close());

  it("a pasted 32 KB line is one edit and one redraw, and is submitted whole", async () => {
    start();
    const line = "MSET " + Array.from({ length: 3000 }, (_, i) => `key:${i} value:${i}`).join(" ");
    const read = terminal.readLine([], options());
    output.text = "";
    input.write(`\x1b[200~${line}\x1b[201~`);
    input.write("\r");
    const result = await read;
    expect(result).toEqual({ type: "line", line });
    // The paste's redraw, and the final one without the hint when Enter is pressed.
    expect(count(output.text, REDRAW)).toBeLessThanOrEqual(2);
    expect(hints.filter((h) => h.length > 0).length).toBeLessThanOrEqual(1);
  });

  it("fast typing without bracketed paste is one redraw per burst too", async () => {
    start();
    const read = terminal.readLine([], options());
    output.text = "";
    input.write("GET somewhat:long:key:name");
    await new Promise((r) => setImmediate(r));
    await new Promise((r) => setImmediate(r));
    expect(count(output.text, REDRAW)).toBe(1);
    input.write("\r");
    expect(await read).toEqual({ type: "line", line: "GET somewhat:long:key:name" });
  });

  it("a paste of several lines runs them in order, each read as a typed line would be", async () => {
    start();
    const first = terminal.readLine([], options());
    input.write("\x1b[200~SET a 1\rSET b 2\nSET c 3\x1b[201~");
    expect(await first).toEqual({ type: "line", line: "SET a 1" });
    // A command runs meanwhile, and its key handler must not swallow the rest of the paste.
    terminal.onKey(() => {});
    input.write("\x1b[200~\rGET a\x1b[201~");
    await new Promise((r) => setImmediate(r));
    terminal.onKey(undefined);
    expect(await terminal.readLine([], options())).toEqual({ type: "line", line: "SET b 2" });
    expect(await terminal.readLine([], options())).toEqual({ type: "line", line: "SET c 3" });
    const last = terminal.readLine([], options());
    input.write("\r");
    expect(await last).toEqual({ type: "line", line: "GET a" });
  });

  it("a Tab inside a paste is text, not a completion", async () => {
    start();
    const read = terminal.readLine([], options());
    input.write("\x1b[200~SET k\tv\x1b[201~\r");
    expect(await read).toEqual({ type: "line", line: "SET k v" });
  });

  it("bracketed paste is on while a line is read and off after it, and on close", async () => {
    start();
    const read = terminal.readLine([], options());
    expect(output.text).toContain("\x1b[?2004h");
    input.write("PING\r");
    await read;
    expect(output.text.lastIndexOf("\x1b[?2004l")).toBeGreaterThan(output.text.lastIndexOf("\x1b[?2004h"));
    output.text = "";
    terminal.close();
    expect(output.text).toContain("\x1b[?2004l");
  });

  it("Escape alone (what may start a paste mark) is let go, and typing after it works", async () => {
    start();
    const read = terminal.readLine([], options());
    input.write("\x1b");
    await new Promise((r) => setTimeout(r, 100));
    input.write("PING\r");
    expect(await read).toEqual({ type: "line", line: "PING" });
  });

  it("a paste mark split across two reads is still a mark", async () => {
    start();
    const read = terminal.readLine([], options());
    input.write("\x1b[20");
    input.write("0~SET k 1\x1b[2");
    input.write("01~\r");
    expect(await read).toEqual({ type: "line", line: "SET k 1" });
  });

  it("redraws the line when the terminal is resized", async () => {
    start();
    const read = terminal.readLine([], options());
    input.write("GET k");
    await new Promise((r) => setImmediate(r));
    output.text = "";
    output.columns = 100;
    output.emit("resize");
    expect(output.text).toContain("> GET k");
    input.write("\r");
    await read;
  });
});

describe("completion is given the line up to the cursor", () => {
  it("in characters, so an emoji before the cursor is never cut in half", async () => {
    const input = new PassThrough();
    const output = new FakeTty();
    const terminal = new Terminal(input as unknown as NodeJS.ReadStream, output as unknown as NodeJS.WriteStream);
    try {
      const asked: string[] = [];
      const read = terminal.readLine([], {
        prompt: "> ",
        hint: () => undefined,
        complete: async (line) => {
          asked.push(line);
          return { candidates: [], wordStart: 0 };
        },
        dim: (s) => s,
      });
      input.write("SET 😀 GE");
      await new Promise((r) => setImmediate(r));
      input.write("\t");
      await new Promise((r) => setImmediate(r));
      input.write("\r");
      await read;
      expect(asked).toEqual(["SET 😀 GE"]);
    } finally {
      terminal.close();
    }
  });
});
