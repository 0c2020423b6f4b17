import { describe, expect, it } from "vitest";
import { renderSnippet } from "../../src/render/code.js";
import { makeStyle, type Style } from "../../src/render/style.js";

/** Each role as a visible tag, so a table can say exactly what is coloured. */
const tagged: Style = {
  ...makeStyle(false),
  enabled: true,
  dim: (s) => `<dim>${s}</dim>`,
  keyword: (s) => `<k>${s}</k>`,
  string: (s) => `<s>${s}</s>`,
  number: (s) => `<n>${s}</n>`,
  comment: (s) => `<c>${s}</c>`,
};

const G = "<dim>│ </dim>";

describe("a code step's snippet as shown", () => {
  it.each([
    ["one line", 'await redis.set("k", "v")', '│ await redis.set("k", "v")'],
    ["lines, the last newline dropped", "const a = 1;\nconsole.log(a)\n", "│ const a = 1;\n│ console.log(a)"],
    ["an empty line kept", "a();\n\nb();", "│ a();\n│ \n│ b();"],
    ["Windows line ends", "a();\r\nb();", "│ a();\n│ b();"],
  ])("plain: %s", (_, code, text) => {
    expect(renderSnippet(code, makeStyle(false))).toBe(text);
  });

  it.each([
    ["keywords, strings and numbers", 'const n = await redis.incrby("visits", 10);', `${G}<k>const</k> n = <k>await</k> redis.incrby(<s>"visits"</s>, <n>10</n>);`],
    ["true, null, return", "if (true) return null;", `${G}<k>if</k> (<k>true</k>) <k>return</k> <k>null</k>;`],
    ["a keyword after a dot is a property", "await queue.delete(); x?.new", `${G}<k>await</k> queue.delete(); x?.new`],
    ["a template, its text and quotes one string, its ${} code coloured as code", "`n=${n + 1}`", `${G}<s>\`n=</s>\${n + <n>1</n>}<s>\`</s>`],
    ["a comment on its own line and after code", "// count\nlet a = 0x1f; // hex", `${G}<c>// count</c>\n${G}<k>let</k> a = <n>0x1f</n>; <c>// hex</c>`],
    ["a block comment over two lines, coloured on each", "/* a\nb */ 1", `${G}<c>/* a</c>\n${G}<c>b */</c> <n>1</n>`],
    ["a template over two lines", "`a\nb`", `${G}<s>\`a</s>\n${G}<s>b\`</s>`],
    ["a regular expression", "k.match(/a+/g)", `${G}k.match(<s>/a+/g</s>)`],
    ["code that stops tokenizing is plain from there", "const s = 'abc", `${G}<k>const</k> s = 'abc`],
  ])("coloured: %s", (_, code, text) => {
    expect(renderSnippet(code, tagged)).toBe(text);
  });

  it("with colour on, the terminal gets ANSI colours and a dim gutter", () => {
    const out = renderSnippet("const a = 1", makeStyle(true));
    expect(out).toBe("\x1b[2m│ \x1b[22m\x1b[35mconst\x1b[39m a = \x1b[33m1\x1b[39m");
  });
});
