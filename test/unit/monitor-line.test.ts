import { describe, expect, it } from "vitest";
import { parseMonitorLine } from "../../src/code/monitor.js";

const b = (s: string): Buffer => Buffer.from(s, "latin1");

describe("MONITOR lines, as Redis 7.0, 7.2+, 8 and Valkey 8 write them", () => {
  it.each<[string, string, { time: number; db: number; addr: string; args: Buffer[] }]>([
    ["a plain command", '1796124085.528920 [0 127.0.0.1:52338] "set" "k" "v"', { time: 1796124085.52892, db: 0, addr: "127.0.0.1:52338", args: [b("set"), b("k"), b("v")] }],
    ["another database", '1796124296.392522 [3 127.0.0.1:46952] "select" "3"', { time: 1796124296.392522, db: 3, addr: "127.0.0.1:46952", args: [b("select"), b("3")] }],
    ["a script's command", '1796124295.977865 [0 lua] "set" "lk" "v"', { time: 1796124295.977865, db: 0, addr: "lua", args: [b("set"), b("lk"), b("v")] }],
    ["a unix socket", '1.000001 [15 unix:/tmp/redis.sock] "ping"', { time: 1.000001, db: 15, addr: "unix:/tmp/redis.sock", args: [b("ping")] }],
    ["an IPv6 address", '1.5 [0 [::1]:6379] "ping"', { time: 1.5, db: 0, addr: "[::1]:6379", args: [b("ping")] }],
    ["an empty argument", '1.5 [0 127.0.0.1:1] "set" "" "v"', { time: 1.5, db: 0, addr: "127.0.0.1:1", args: [b("set"), b(""), b("v")] }],
    [
      "every escape sdscatrepr writes",
      String.raw`1.5 [0 127.0.0.1:1] "set" "a\"b\\c\n\r\t\a\b" "\x00\x01\xc3\xa9\xff\x7f"`,
      { time: 1.5, db: 0, addr: "127.0.0.1:1", args: [b("set"), b('a"b\\c\n\r\t\x07\x08'), Buffer.from([0, 1, 0xc3, 0xa9, 0xff, 0x7f])] },
    ],
    ["quotes and spaces inside an argument", String.raw`1.5 [0 127.0.0.1:1] "eval" "return \"a b\"" "0"`, { time: 1.5, db: 0, addr: "127.0.0.1:1", args: [b("eval"), b('return "a b"'), b("0")] }],
    ["upper-case hex", String.raw`1.5 [0 127.0.0.1:1] "get" "\xC3\xA9"`, { time: 1.5, db: 0, addr: "127.0.0.1:1", args: [b("get"), Buffer.from("é")] }],
  ])("%s", (_, line, expected) => {
    expect(parseMonitorLine(line)).toEqual(expected);
    expect(parseMonitorLine(Buffer.from(line, "latin1"))).toEqual(expected);
  });

  it.each([
    ["the reply to MONITOR itself", "OK"],
    ["an empty line", ""],
    ["no arguments", "1.5 [0 127.0.0.1:1]"],
    ["an unclosed quote", '1.5 [0 127.0.0.1:1] "set" "k'],
    ["an unknown escape", String.raw`1.5 [0 127.0.0.1:1] "set" "\q"`],
    ["a short hex escape", String.raw`1.5 [0 127.0.0.1:1] "set" "\x4"`],
    ["arguments run together", '1.5 [0 127.0.0.1:1] "set""k"'],
    ["text after the last argument", '1.5 [0 127.0.0.1:1] "set" k'],
  ])("%s is not a command line", (_, line) => {
    expect(parseMonitorLine(line)).toBeUndefined();
  });
});
