import { parse } from "acorn";
import { SNIPPET_PARAMETERS } from "./globals.js";

export interface SnippetSyntaxError {
  /** 1-based, inside the snippet. */
  line: number;
  /** 1-based. */
  column: number;
  message: string;
}

/** The snippet runs as the body of this function (see runner.ts): it is parsed the same way. */
const HEAD = `(async function (${SNIPPET_PARAMETERS.join(", ")}) {\n`;
const TAIL = "\n})";

const GIVEN = "it is given redis (a connected ioredis client), Redis, connection and bullmq instead";

/**
 * acorn, ecmaVersion "latest", the snippet as the body of an async function (top-level
 * await and return allowed, sourceType script). undefined when it parses; otherwise where
 * and why it does not, in the snippet's own lines and columns. Pure.
 */
export function checkSnippet(code: string): SnippetSyntaxError | undefined {
  const wrapped = HEAD + code + TAIL;
  try {
    const program = parse(wrapped, { ecmaVersion: "latest", sourceType: "script" });
    // `}); (async () => {` closes the function early: the Function constructor refuses that too.
    const first = program.body[0];
    if (program.body.length === 1 && first?.end === wrapped.length) return undefined;
    const fn = first?.type === "ExpressionStatement" ? first.expression : undefined;
    const closing = fn?.type === "FunctionExpression" ? fn.body.end - 1 : HEAD.length;
    return { ...position(code, closing - HEAD.length), message: "Unexpected }: it would close the snippet's function" };
  } catch (err) {
    const pos = (err as { pos?: number }).pos;
    if (typeof pos !== "number") throw err;
    const offset = pos - HEAD.length;
    if (offset >= code.length) return { ...position(code, code.length), message: "Unexpected end of the snippet" };
    const message = (err as Error).message.replace(/ \(\d+:\d+\)$/, "");
    const word = /^(import|export)\b/.exec(code.slice(offset))?.[1];
    if (word && message.includes("'import' and 'export'")) {
      return { ...position(code, offset), message: `${word} statements cannot be used in a snippet: ${GIVEN}` };
    }
    // acorn reads `await` in a plain function as a name, and stumbles on what follows.
    const stray = /\bawait\s*$/.exec(code.slice(0, offset));
    if (stray && message === "Unexpected token") {
      return { ...position(code, stray.index), message: "await is only valid in async functions, and the function around it is not async" };
    }
    return { ...position(code, offset), message };
  }
}

function position(code: string, offset: number): { line: number; column: number } {
  const before = code.slice(0, Math.max(0, offset)).split(/\r\n|[\n\r\u2028\u2029]/);
  return { line: before.length, column: (before.at(-1)?.length ?? 0) + 1 };
}
