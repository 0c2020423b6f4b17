import { describe, expect, it } from "vitest";
import { classifyLine, elapsedLine, INVALID_ARGUMENTS, INVALID_REPEAT } from "../../src/sandbox/line.js";

const describeAction = (line: string): unknown => {
  const a = classifyLine(Buffer.from(line, "latin1"));
  switch (a.kind) {
    case "command":
      return { command: a.args.map((x) => x.toString("latin1")), repeat: Number(a.repeat) };
    case "print":
      return { print: a.text };
    case "help":
      return { help: a.topic.map((x) => x.toString()) };
    default:
      return a.kind;
  }
};

describe("classifyLine decides as redis-cli's repl does", () => {
  it.each<[string, unknown]>([
    ["", "skip"],
    ["   ", "skip"],
    ["PING", { command: ["PING"], repeat: 1 }],
    ["3 PING", { command: ["PING"], repeat: 3 }],
    ["+2 PING", { command: ["PING"], repeat: 2 }],
    ['" 2" PING', { command: ["PING"], repeat: 2 }],
    ["3", { command: ["3"], repeat: 1 }],
    ["0 PING", { print: INVALID_REPEAT }],
    ["-1 PING", { print: INVALID_REPEAT }],
    ['"" PING', { print: INVALID_REPEAT }],
    ["99999999999999999999 PING", { print: INVALID_REPEAT }],
    ["0x3 PING", { command: ["0x3", "PING"], repeat: 1 }],
    ['GET "a', { print: INVALID_ARGUMENTS }],
    ["quit", "quit"],
    ["EXIT now", "quit"],
    [":set hints", { print: "" }],
    [":set colors", { print: "unknown redis-cli preference 'colors'\n" }],
    [":foo", { print: "unknown redis-cli internal command ':foo'\n" }],
    ["restart", { print: "Use 'restart' only in Lua debugging mode.\n" }],
    ["clear", "clear"],
    ["clear x", { command: ["clear", "x"], repeat: 1 }],
    ["connect h 1", "connect"],
    ["connect a", { command: ["connect", "a"], repeat: 1 }],
    ["help SET", { help: ["SET"] }],
    ["? ", { help: [] }],
    ["2 help", { help: [] }],
    ["\0PING", "skip"],
  ])("%j", (line, expected) => {
    expect(describeAction(line)).toEqual(expected);
  });
});

describe("elapsedLine", () => {
  it.each<[number, string | undefined]>([
    [0, undefined],
    [499, undefined],
    [500, "(0.50s)\n"],
    [1004, "(1.00s)\n"],
    [1005, "(1.00s)\n"],
    [1006, "(1.01s)\n"],
    [1125, "(1.12s)\n"],
    [61_999, "(62.00s)\n"],
  ])("%d ms", (ms, expected) => {
    expect(elapsedLine(ms)).toBe(expected);
  });
});
