import { describe, expect, it } from "vitest";
import { checkSnippet } from "../../src/code/syntax.js";

const GIVEN = "it is given redis (a connected ioredis client), Redis, connection and bullmq instead";

describe("a code step's snippet is checked as the body of an async function", () => {
  it.each([
    ["top-level await and return", 'await redis.set("a", "1")\nreturn await redis.get("a")'],
    ["a comment on the last line", 'await redis.get("a") // the value'],
    ["for await over a stream", "for await (const keys of redis.scanStream()) console.log(keys)"],
    ["what a function body may use", "console.log(arguments.length, new.target)"],
    ["Windows line ends", 'const a = 1;\r\nconsole.log(a)\r\n'],
  ])("%s parses", (_, code) => {
    expect(checkSnippet(code)).toBeUndefined();
  });

  it.each<[string, string, number, number, string]>([
    ["a missing value", "const x = ;", 1, 11, "Unexpected token"],
    ["an unclosed call, seen on the next line", 'await redis.set("a", "1")\nconst v = await redis.get("a"\nconsole.log(v)', 3, 1, "Unexpected token"],
    ["an unclosed block", "if (ok) {", 1, 10, "Unexpected end of the snippet"],
    ["an unclosed template", "let x = `a${", 1, 13, "Unexpected end of the snippet"],
    ["an unclosed string", "const s = 'abc", 1, 11, "Unterminated string constant"],
    ["an unclosed comment", "x = 1 /* open", 1, 7, "Unterminated comment"],
    ["a given name declared again", "const redis = 1", 1, 7, "Identifier 'redis' has already been declared"],
    ["a brace that closes the function", "}); (async () => {", 1, 1, "Unexpected }: it would close the snippet's function"],
    ["lines counted across \\r\\n", "a;\r\nb c", 2, 3, "Unexpected token"],
    ["await in a function that is not async", '[1].forEach(() => { await redis.get("a") })', 1, 21, "await is only valid in async functions, and the function around it is not async"],
    ["an import", 'import { Queue } from "bullmq";', 1, 1, `import statements cannot be used in a snippet: ${GIVEN}`],
    ["an export, indented on line 2", "\n  export const a = 1", 2, 3, `export statements cannot be used in a snippet: ${GIVEN}`],
  ])("%s: line %#", (_, code, line, column, message) => {
    expect(checkSnippet(code)).toEqual({ line, column, message });
  });
});
