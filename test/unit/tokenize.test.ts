import { describe, expect, it } from "vitest";
import { tokenize } from "../../src/redis/tokenize.js";

const words = (line: string | Buffer): string[] | string => {
  const r = tokenize(line);
  return r.ok ? r.args.map((a) => a.toString("latin1")) : `error:${r.reason}`;
};

describe("tokenize splits a line as redis-cli's sdssplitargs does", () => {
  it.each<[string, string[] | string]>([
    ["SET bike:1 Deimos", ["SET", "bike:1", "Deimos"]],
    ["  SET   a  b  ", ["SET", "a", "b"]],
    ["", []],
    ["   ", []],
    ["a\tb", ["a", "b"]],
    ["a\rb\n", ["a", "b"]],
    ["a\vb", ["a\vb"]],
    ["\va", ["a"]],
    ["a\fb", ["a\fb"]],
    ['SET k "hello world"', ["SET", "k", "hello world"]],
    ['""', [""]],
    ["''", [""]],
    ['foo"bar"', ["foobar"]],
    ['a"b c"', ["ab c"]],
    ["a'b c'", ["ab c"]],
    ['"a\\nb\\rc\\td\\be\\af"', ["a\nb\rc\td\be\x07f"]],
    ['"\\\\"', ["\\"]],
    ['"\\""', ['"']],
    ['"\\q"', ["q"]],
    ['"\\x41\\x4a"', ["AJ"]],
    ['"\\x4a\\x4A"', ["JJ"]],
    ['"\\x"', ["x"]],
    ['"\\xZZ"', ["xZZ"]],
    ['"\\x4"', ["x4"]],
    ['"\\xff\\x00"', ["\xff\x00"]],
    ["'it\\'s'", ["it's"]],
    ["'a\\nb'", ["a\\nb"]],
    ["'a\"b'", ['a"b']],
    ['"a\'b"', ["a'b"]],
    ["\"a\"\tb", ["a", "b"]],
    ['"a"\vb', ["a", "b"]],
    ['"abc', "error:unbalanced-quote"],
    ["'abc", "error:unbalanced-quote"],
    ['"abc\\"', "error:unbalanced-quote"],
    ["'\\'", "error:unbalanced-quote"],
    ['"abc\\', "error:unbalanced-quote"],
    ['GET "a"b', "error:text-after-closing-quote"],
    ["GET 'a'b", "error:text-after-closing-quote"],
    ['"a""b"', "error:text-after-closing-quote"],
    ["plain\\x41", ["plain\\x41"]],
  ])("%j", (line, expected) => {
    expect(words(line)).toEqual(expected);
  });

  it("keeps bytes that are not valid UTF-8", () => {
    const r = tokenize(Buffer.from([0x53, 0x45, 0x54, 0x20, 0xff, 0xfe]));
    expect(r.ok && r.args[1]).toEqual(Buffer.from([0xff, 0xfe]));
  });

  it("splits UTF-8 text into its bytes", () => {
    const r = tokenize("SET k é");
    expect(r.ok && r.args[2]).toEqual(Buffer.from([0xc3, 0xa9]));
  });

  it("stops at a NUL byte, as C strings do", () => {
    expect(words(Buffer.from('ECHO "x"\0ECHO y'))).toEqual(["ECHO", "x"]);
  });

  it("points at the offending column", () => {
    expect(tokenize('GET "abc')).toMatchObject({ ok: false, column: 5 });
    expect(tokenize('GET "a"b')).toMatchObject({ ok: false, column: 8 });
  });
});
