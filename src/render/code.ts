import { tokenizer, tokTypes as tt, type Token } from "acorn";
import type { Style } from "./style.js";

type Role = "keyword" | "string" | "number" | "comment";

interface Span {
  start: number;
  end: number;
  role: Role;
}

/** Words that are keywords only where they stand (acorn reads them as names). */
const CONTEXTUAL_KEYWORDS = new Set(["await", "async", "let", "yield"]);

const GUTTER = "│ ";

/**
 * A code step's snippet, coloured by acorn's tokenizer (keywords, strings and templates,
 * numbers, comments), each line behind a dim gutter. Code that does not tokenize is
 * coloured up to where it stops and plain after. Pure.
 */
export function renderSnippet(code: string, style: Style): string {
  const text = code.replace(/\r\n?/g, "\n").replace(/\n$/, "");
  const lines: string[] = [""];
  let at = 0;
  const put = (end: number, role?: Role): void => {
    const pieces = text.slice(at, end).split("\n");
    pieces.forEach((piece, i) => {
      if (i > 0) lines.push("");
      if (piece) lines[lines.length - 1] += role && style.enabled ? style[role](piece) : piece;
    });
    at = end;
  };
  for (const span of style.enabled ? spans(text) : []) {
    if (span.start < at) continue;
    put(span.start);
    put(span.end, span.role);
  }
  put(text.length);
  return lines.map((line) => style.dim(GUTTER) + line).join("\n");
}

function spans(code: string): Span[] {
  const found: Span[] = [];
  let previous: Token | undefined;
  try {
    const tokens = tokenizer(code, {
      ecmaVersion: "latest",
      allowAwaitOutsideFunction: true,
      allowReturnOutsideFunction: true,
      allowHashBang: true,
      onComment: (_block, _text, start, end) => found.push({ start, end, role: "comment" }),
    });
    for (const token of tokens) {
      const role = roleOf(token, code.slice(token.start, token.end), previous);
      if (role) found.push({ start: token.start, end: token.end, role });
      previous = token;
    }
  } catch {
    // Unfinished code (a lesson shows what the learner typed, too): the rest stays plain.
  }
  found.sort((a, b) => a.start - b.start);
  // A template's quote and text are one string to the eye, and one colour in the output.
  const merged: Span[] = [];
  for (const span of found) {
    const last = merged.at(-1);
    if (last && last.role === span.role && last.end === span.start) last.end = span.end;
    else merged.push({ ...span });
  }
  return merged;
}

function roleOf(token: Token, text: string, previous: Token | undefined): Role | undefined {
  const { type } = token;
  if (type === tt.string || type === tt.template || type === tt.invalidTemplate || type === tt.backQuote || type === tt.regexp) return "string";
  if (type === tt.num) return "number";
  // After a dot a keyword is a property name: queue.delete(), redis.get().
  if (previous && (previous.type === tt.dot || previous.type === tt.questionDot)) return undefined;
  if (type.keyword !== undefined) return "keyword";
  if (type === tt.name && CONTEXTUAL_KEYWORDS.has(text)) return "keyword";
  return undefined;
}
