import { describe, expect, it } from "vitest";
import { ProtocolError, RespDecoder, encodeCommand, encodeCommandChunks } from "../../src/redis/resp.js";
import type { Reply } from "../../src/redis/reply-types.js";
import { formatReply } from "../../src/redis/reply-format.js";

function decodeAll(chunks: (string | Buffer)[]): Reply[] {
  const out: Reply[] = [];
  const decoder = new RespDecoder((r) => out.push(r));
  for (const c of chunks) decoder.write(typeof c === "string" ? Buffer.from(c, "latin1") : c);
  return out;
}

const show = (chunks: string[]): string => decodeAll(chunks).map((r) => formatReply(r)).join("");

describe("RespDecoder keeps each reply's type", () => {
  it.each<[string, string, string]>([
    ["status", "+OK\r\n", "OK\n"],
    ["error", "-ERR bad\r\n", "(error) ERR bad\n"],
    ["integer", ":-12\r\n", "(integer) -12\n"],
    ["bulk", "$2\r\nOK\r\n", '"OK"\n'],
    ["bulk with CRLF inside", "$4\r\na\r\nb\r\n", '"a\\r\\nb"\n'],
    ["null bulk", "$-1\r\n", "(nil)\n"],
    ["null array", "*-1\r\n", "(nil)\n"],
    ["empty array", "*0\r\n", "(empty array)\n"],
    ["nested array", "*2\r\n*1\r\n:1\r\n$1\r\nx\r\n", '1) 1) (integer) 1\n2) "x"\n'],
    ["RESP3 null", "_\r\n", "(nil)\n"],
    ["RESP3 double", ",1.5\r\n", "(double) 1.5\n"],
    ["RESP3 boolean", "#t\r\n", "(true)\n"],
    ["RESP3 map", "%1\r\n+a\r\n:1\r\n", "1# a => (integer) 1\n"],
    ["RESP3 set", "~1\r\n$1\r\nz\r\n", '1~ "z"\n'],
    ["RESP3 verbatim", "=9\r\ntxt:hello\r\n", "hello\n"],
    ["RESP3 blob error", "!5\r\nERR x\r\n", "(error) ERR x\n"],
    ["RESP3 big number", "(123456789012345678901234567890\r\n", "(big number) 123456789012345678901234567890\n"],
    ["RESP3 attribute is skipped", "|1\r\n+ttl\r\n:3\r\n:7\r\n", "(integer) 7\n"],
  ])("%s", (_name, wire, expected) => {
    expect(show([wire])).toBe(expected);
  });

  it("assembles replies split at every byte", () => {
    const wire = "*3\r\n$5\r\nhello\r\n*2\r\n:1\r\n+OK\r\n$-1\r\n+PONG\r\n";
    expect(show(wire.split(""))).toBe(show([wire]));
    expect(decodeAll(wire.split(""))).toHaveLength(2);
  });

  it("delivers a large bulk once all of it has arrived", () => {
    const payload = Buffer.alloc(1_000_000, 0x61);
    const wire = Buffer.concat([Buffer.from(`$${payload.length}\r\n`), payload, Buffer.from("\r\n")]);
    const chunks: Buffer[] = [];
    for (let i = 0; i < wire.length; i += 65536) chunks.push(wire.subarray(i, i + 65536));
    const [r] = decodeAll(chunks);
    expect(r?.type === "bulk" && r.value.length).toBe(1_000_000);
  });

  it.each<[string, string, RegExp]>([
    ["an unknown type byte", "?what\r\n", /unexpected reply type/],
    // Found by the property test: a SyntaxError from BigInt, not a protocol error.
    ["an integer that is not one", ":+\r\n", /not a valid integer/],
    // Found by the property test: a NaN length sent the reader back to the start, for ever.
    ["a bulk length that is not a number", "$x\r\n", /not a valid length/],
    ["a length below -1", "$-2\r\n", /not a valid length/],
    ["an aggregate count that is not a number", "*1.5\r\n:1\r\n:2\r\n", /not a valid count/],
    ["a boolean other than t or f", "#x\r\n", /#t or #f/],
    ["a null with something after it", "_x\r\n", /null/],
    ["a verbatim string without its format", "=2\r\nab\r\n", /format/],
  ])("rejects %s", (_name, wire, message) => {
    expect(() => decodeAll([wire])).toThrow(ProtocolError);
    expect(() => decodeAll([wire])).toThrow(message);
  });
});

describe("encodeCommand", () => {
  it("sends arguments as length-prefixed bytes", () => {
    expect(encodeCommand(["SET", "a b", Buffer.from([0xff])]).toString("latin1")).toBe("*3\r\n$3\r\nSET\r\n$3\r\na b\r\n$1\r\n\xff\r\n");
  });
});

describe("encodeCommandChunks", () => {
  it.each<[string, (Buffer | string)[]]>([
    ["no arguments", []],
    ["small ones", ["SET", "k", "v"]],
    ["utf-8 text", ["SET", "clé", "日本"]],
    ["an empty argument", ["SET", "", ""]],
    ["one large argument in the middle", ["SET", Buffer.alloc(70_000, 1), "after"]],
    ["two large arguments next to each other", [Buffer.alloc(65_537, 2), Buffer.alloc(100_000, 3), "x"]],
    ["a large one last", ["APPEND", "k", Buffer.alloc(64 * 1024 + 1, 4)]],
    ["an argument exactly at the copy limit", ["SET", Buffer.alloc(64 * 1024, 5)]],
  ])("%s: the chunks joined are the RESP command, large arguments not copied", (_, args) => {
    const chunks = encodeCommandChunks(args);
    const bytes = args.map((a) => (typeof a === "string" ? Buffer.from(a, "utf8") : a));
    const expected = Buffer.concat([Buffer.from(`*${bytes.length}\r\n`), ...bytes.flatMap((b) => [Buffer.from(`$${b.length}\r\n`), b, Buffer.from("\r\n")])]);
    expect(Buffer.concat(chunks).equals(expected)).toBe(true);
    for (const b of bytes) if (b.length > 64 * 1024) expect(chunks).toContain(b);
  });
});
