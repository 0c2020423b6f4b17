import { describe, expect, it } from "vitest";
import { formatReply, formatReplyRaw, printsRaw, quoteBytes } from "../../src/redis/reply-format.js";
import { reply, type Reply } from "../../src/redis/reply-types.js";

const { status, error, integer, bulk, nil, array } = reply;
const strings = (...values: string[]): Reply[] => values.map((v) => bulk(v));

describe("formatReply prints as redis-cli --no-raw", () => {
  it.each<[string, Reply, string]>([
    ["status", status("OK"), "OK\n"],
    ["status from TYPE", status("list"), "list\n"],
    ["error", error("ERR unknown command 'x'"), "(error) ERR unknown command 'x'\n"],
    ["integer", integer(42), "(integer) 42\n"],
    ["negative integer", integer(-2), "(integer) -2\n"],
    ["64-bit integer", { type: "integer", value: 9223372036854775807n }, "(integer) 9223372036854775807\n"],
    ["bulk", bulk("Deimos"), '"Deimos"\n'],
    ["bulk that says OK", bulk("OK"), '"OK"\n'],
    ["empty bulk", bulk(""), '""\n'],
    ["nil", nil(), "(nil)\n"],
    ["empty array", array(), "(empty array)\n"],
    ["flat array", array(...strings("a", "b")), '1) "a"\n2) "b"\n'],
    ["array of mixed", array(integer(1), nil(), error("ERR x")), "1) (integer) 1\n2) (nil)\n3) (error) ERR x\n"],
    [
      "ten elements align their indexes",
      array(...strings("0", "1", "2", "3", "4", "5", "6", "7", "8", "9")),
      ' 1) "0"\n 2) "1"\n 3) "2"\n 4) "3"\n 5) "4"\n 6) "5"\n 7) "6"\n 8) "7"\n 9) "8"\n10) "9"\n',
    ],
    ["nested", array(array(...strings("1-1")), array(bulk("a"), array())), '1) 1) "1-1"\n2) 1) "a"\n   2) (empty array)\n'],
    [
      "nested under a wide index",
      array(...strings("a", "b", "c", "d", "e", "f", "g", "h", "i"), array(...strings("x", "y"))),
      ' 1) "a"\n 2) "b"\n 3) "c"\n 4) "d"\n 5) "e"\n 6) "f"\n 7) "g"\n 8) "h"\n 9) "i"\n10) 1) "x"\n    2) "y"\n',
    ],
    ["double", { type: "double", value: "3.141" }, "(double) 3.141\n"],
    ["true", { type: "boolean", value: true }, "(true)\n"],
    ["false", { type: "boolean", value: false }, "(false)\n"],
    ["verbatim", { type: "verbatim", format: "txt", value: Buffer.from("line\nmore") }, "line\nmore\n"],
    ["empty map", { type: "map", items: [] }, "(empty hash)\n"],
    ["empty set", { type: "set", items: [] }, "(empty set)\n"],
    ["set", { type: "set", items: [integer(0), integer(1)] }, "1~ (integer) 0\n2~ (integer) 1\n"],
    ["map", { type: "map", items: [bulk("f"), bulk("v"), bulk("g"), integer(2)] }, '1# "f" => "v"\n2# "g" => (integer) 2\n'],
    [
      "map whose value takes several lines puts it under the key",
      { type: "map", items: [bulk("modules"), array(...strings("a", "b"))] },
      '1# "modules" => \n   1) "a"\n   2) "b"\n',
    ],
    ["map whose value is one element stays on one line", { type: "map", items: [bulk("k"), array(integer(1))] }, '1# "k" => 1) (integer) 1\n'],
    [
      "map in a map, one pair each",
      { type: "map", items: [bulk("k"), { type: "map", items: [bulk("x"), integer(1)] }] },
      '1# "k" => 1# "x" => (integer) 1\n',
    ],
    [
      "nested multi-line maps indent at each level",
      { type: "map", items: [bulk("k"), { type: "map", items: [bulk("x"), array(integer(1), integer(2))] }] },
      '1# "k" => \n   1# "x" => \n      1) (integer) 1\n      2) (integer) 2\n',
    ],
    // Found by the property test against redis-cli: it prints these with %s, up to the first NUL.
    ["error with a NUL byte", error("ERR a\0b"), "(error) ERR a\n"],
    ["status with a NUL byte", status("a\0b"), "a\n"],
    // Found by the property test: recursion ran out of call stack near 5,000 levels, and a
    // Lua script on Redis 7.0 returns up to about 7,900 (redis-cli prints them).
    ["nested 8,000 deep", nest(8000, (r) => array(r), integer(1)), "1) ".repeat(8000) + "(integer) 1\n"],
    ["maps nested 8,000 deep", nest(8000, (r) => ({ type: "map", items: [bulk("k"), r] }), integer(1)), '1# "k" => '.repeat(8000) + "(integer) 1\n"],
  ])("%s", (_name, r, expected) => {
    expect(formatReply(r)).toBe(expected);
  });
});

function nest(depth: number, wrap: (r: Reply) => Reply, inner: Reply): Reply {
  let r = inner;
  for (let i = 0; i < depth; i++) r = wrap(r);
  return r;
}

describe("quoteBytes escapes as sdscatrepr does", () => {
  it.each<[number[] | string, string]>([
    ["plain", '"plain"'],
    ["caf\xc3\xa9", '"caf\\xc3\\xa9"'],
    [[0x41, 0xff, 0x0a], '"A\\xff\\n"'],
    ['q"b\\', '"q\\"b\\\\"'],
    ["\r\t\x07\x08", '"\\r\\t\\a\\b"'],
    ["\x00\x01\x0b\x7f", '"\\x00\\x01\\x0b\\x7f"'],
    [" ~", '" ~"'],
  ])("%j", (input, expected) => {
    const bytes = typeof input === "string" ? Buffer.from(input, "latin1") : Buffer.from(input);
    expect(quoteBytes(bytes)).toBe(expected);
  });
});

describe("raw output for reports (INFO, CLIENT LIST ...)", () => {
  it.each<[string, Reply, string]>([
    ["bulk is printed as is", bulk("# Keyspace\r\ndb0:keys=1\r\n"), "# Keyspace\r\ndb0:keys=1\r\n"],
    ["empty bulk prints nothing", bulk(""), ""],
    ["error without (error)", error("ERR syntax error"), "ERR syntax error\n"],
    ["nil prints nothing", nil(), ""],
    ["integer", integer(3), "3"],
    ["array joined by newlines", array(...strings("a", "b")), "a\nb"],
    ["nested 8,000 deep", nest(8000, (r) => array(r, bulk("y")), bulk("x")), "x" + "\ny".repeat(8000)],
  ])("%s", (_name, r, expected) => {
    expect(formatReplyRaw(r)).toBe(expected);
  });

  it.each<[string, boolean]>([
    ["INFO", true],
    ["info keyspace", true],
    ["CLIENT LIST", true],
    ["client info", true],
    ["CLIENT ID", false],
    ["CLUSTER NODES", true],
    ["CLUSTER NODES x", false],
    ["MEMORY DOCTOR", true],
    ["LATENCY DOCTOR", true],
    ["LATENCY GRAPH event", true],
    ["GET k", false],
    ["INFO\0junk keyspace", true],
  ])("%s is raw: %s", (line, raw) => {
    expect(printsRaw(line.split(" ").map((w) => Buffer.from(w)))).toBe(raw);
  });
});
