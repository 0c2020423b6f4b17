/**
 * Splits a command line into arguments exactly as redis-cli does (sdssplitargs in
 * Redis' sds.c), working on bytes so that any value can be typed.
 *
 * - Words are separated by spaces, tabs, CR or LF; other whitespace (\v, \f) is
 *   skipped between words but is part of a word inside it.
 * - "double quotes" understand \n \r \t \b \a, \xHH and a backslash before any
 *   other character (which stands for that character).
 * - 'single quotes' understand only \' .
 * - A quote may open in the middle of a word (foo"bar" is one word, foobar).
 * - A closing quote must be followed by whitespace or the end of the line, and a
 *   quote must be closed: anything else is an error, which redis-cli reports as
 *   "Invalid argument(s)".
 */
export type TokenizeResult =
  | { ok: true; args: Buffer[] }
  | { ok: false; reason: TokenizeFailure; column: number };

export type TokenizeFailure = "unbalanced-quote" | "text-after-closing-quote";

const SPACE = 0x20;
const TAB = 0x09;
const LF = 0x0a;
const CR = 0x0d;
const VT = 0x0b;
const FF = 0x0c;
const DQUOTE = 0x22;
const SQUOTE = 0x27;
const BACKSLASH = 0x5c;

/** C's isspace() in the "C" locale. */
function isSpace(byte: number | undefined): boolean {
  return byte === SPACE || byte === TAB || byte === LF || byte === CR || byte === VT || byte === FF;
}

/** The bytes that end an unquoted word (sdssplitargs' switch, plus the end of input). */
function endsWord(byte: number | undefined): boolean {
  return byte === undefined || byte === SPACE || byte === LF || byte === CR || byte === TAB;
}

function hexValue(byte: number | undefined): number {
  if (byte === undefined) return -1;
  if (byte >= 0x30 && byte <= 0x39) return byte - 0x30;
  if (byte >= 0x61 && byte <= 0x66) return byte - 0x61 + 10;
  if (byte >= 0x41 && byte <= 0x46) return byte - 0x41 + 10;
  return -1;
}

const ESCAPES: Record<number, number> = {
  0x6e: LF, // \n
  0x72: CR, // \r
  0x74: TAB, // \t
  0x62: 0x08, // \b
  0x61: 0x07, // \a
};

export function tokenize(input: Buffer | string): TokenizeResult {
  const line = typeof input === "string" ? Buffer.from(input, "utf8") : input;
  // C strings end at the first NUL: redis-cli never sees what follows it.
  const nul = line.indexOf(0);
  const end = nul === -1 ? line.length : nul;
  const at = (i: number): number | undefined => (i < end ? line[i] : undefined);

  const args: Buffer[] = [];
  // Every word is decoded into one buffer the size of the line, each at the offset where the
  // last one ended: decoded words are never longer than their source, so they all fit. Each
  // argument is a view of it: a 100 MB line costs one more 100 MB, not an array of numbers.
  let out: Buffer | undefined;
  let written = 0;
  const put = (byte: number): void => {
    out ??= Buffer.allocUnsafe(end);
    out[written++] = byte;
  };
  let p = 0;
  for (;;) {
    while (p < end && isSpace(at(p))) p++;
    if (p >= end) return { ok: true, args };

    const wordStart = written;
    let quoteAt = 0;
    // A closing quote must be followed by whitespace or the end; a quote must be closed.
    const closingQuote = (q: number): TokenizeResult | undefined =>
      at(q + 1) !== undefined && !isSpace(at(q + 1)) ? { ok: false, reason: "text-after-closing-quote", column: q + 2 } : undefined;
    const unbalanced = (): TokenizeResult => ({ ok: false, reason: "unbalanced-quote", column: quoteAt + 1 });
    let inDouble = false;
    let inSingle = false;
    let done = false;
    let close: number | undefined;
    while (!done) {
      const c = at(p);
      if (inDouble) {
        if (c === BACKSLASH && at(p + 1) === 0x78 && hexValue(at(p + 2)) >= 0 && hexValue(at(p + 3)) >= 0) {
          put(hexValue(at(p + 2)) * 16 + hexValue(at(p + 3)));
          p += 3;
        } else if (c === BACKSLASH && at(p + 1) !== undefined) {
          p++;
          const escaped = at(p) as number;
          put(ESCAPES[escaped] ?? escaped);
        } else if (c === DQUOTE) {
          const bad = closingQuote(p);
          if (bad) return bad;
          done = true;
        } else if (c === undefined) {
          return unbalanced();
        } else {
          put(c);
        }
      } else if (inSingle) {
        if (c === BACKSLASH && at(p + 1) === SQUOTE) {
          p++;
          put(SQUOTE);
        } else if (c === SQUOTE) {
          const bad = closingQuote(p);
          if (bad) return bad;
          done = true;
        } else if (c === undefined) {
          return unbalanced();
        } else {
          put(c);
        }
      } else if (endsWord(c)) {
        done = true;
      } else if ((c === DQUOTE || c === SQUOTE) && written === wordStart && (close = wholeQuotedWord(line, p, end)) !== undefined) {
        // A word that is all one quoted run without escapes is a view of the line.
        const bad = closingQuote(close);
        if (bad) return bad;
        args.push(line.subarray(p + 1, close));
        p = close + 1;
        break;
      } else if (c === DQUOTE) {
        inDouble = true;
        quoteAt = p;
      } else if (c === SQUOTE) {
        inSingle = true;
        quoteAt = p;
      } else {
        // A run of plain bytes is copied in one go, or not at all when it is the whole word.
        let stop = p + 1;
        while (stop < end && !endsWord(line[stop]) && line[stop] !== DQUOTE && line[stop] !== SQUOTE) stop++;
        if (written === wordStart && endsWord(at(stop))) {
          args.push(line.subarray(p, stop));
          p = stop;
          break;
        }
        out ??= Buffer.allocUnsafe(end);
        line.copy(out, written, p, stop);
        written += stop - p;
        p = stop - 1;
      }
      if (p < end) p++;
    }
    if (done) args.push(out ? out.subarray(wordStart, written) : Buffer.alloc(0));
  }
}

/** Where the quote opened at `open` closes, when no backslash stands between them. */
function wholeQuotedWord(line: Buffer, open: number, end: number): number | undefined {
  const close = line.indexOf(line[open] as number, open + 1);
  if (close === -1 || close >= end) return undefined;
  return line.subarray(open + 1, close).includes(BACKSLASH) ? undefined : close;
}

/** What to tell a person whose line could not be split. */
export function describeTokenizeFailure(reason: TokenizeFailure): string {
  return reason === "unbalanced-quote"
    ? 'unbalanced quote: close the quote, or escape it as \\" inside double quotes'
    : "a closing quote must be followed by a space or the end of the line";
}
