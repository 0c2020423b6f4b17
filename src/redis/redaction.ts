/**
 * How a password is taken out of text, with no state: redact.ts keeps the passwords the
 * program knows and applies this to everything printed; the launcher (cli.ts) applies it
 * to the argument parser's own errors, before the program and its registry are loaded.
 *
 * Two rules:
 * - A URL's credentials: whatever stands before the last `@` of anything that looks like a
 *   URL (redis:, rediss: in any case and with any slashes, or any scheme:// ) becomes ***,
 *   whether or not the URL parses. A mistyped URL is where a password leaks.
 * - A known password, in every form it can be printed in (see printedForms), where it
 *   stands as a token: not inside a longer word, so that a one-letter password `p` leaves
 *   "expected" alone but `user:p@host`, `"p"` and `p` alone become ***.
 */

export const MASK = "***";

/** Letters, digits and marks of any script, and `_`: what a word is made of. */
const WORD_CHAR = /^[\p{L}\p{N}\p{M}_]$/u;

const ANSI_BEFORE = /\x1b\[[0-9;]*m$/;

function isWordChar(ch: string | undefined): boolean {
  return ch !== undefined && WORD_CHAR.test(ch);
}

/** The code point that ends just before index i (a surrogate pair counts as one). */
function charBefore(text: string, i: number): string | undefined {
  if (i <= 0) return undefined;
  const cp = text.codePointAt(i - 2);
  if (i >= 2 && cp !== undefined && cp > 0xffff) return String.fromCodePoint(cp);
  return text[i - 1];
}

function charAt(text: string, i: number): string | undefined {
  const cp = text.codePointAt(i);
  return cp === undefined ? undefined : String.fromCodePoint(cp);
}

/**
 * Whether text[start, start + secret.length) is the secret standing as a token: where the
 * secret begins (or ends) with a word character, the text must not continue the word
 * there. A secret that begins or ends with punctuation (`@x`, `pw"`) is matched wherever
 * it occurs on that side: punctuation does not glue to its neighbours.
 */
export function standsAsToken(text: string, start: number, secret: string): boolean {
  const end = start + secret.length;
  // A colour code's final "m" is not part of the word that follows it.
  const afterColour = ANSI_BEFORE.test(text.slice(Math.max(0, start - 16), start));
  if (isWordChar(charAt(secret, 0)) && !afterColour && isWordChar(charBefore(text, start))) return false;
  if (isWordChar(charBefore(secret, secret.length)) && isWordChar(charAt(text, end))) return false;
  return true;
}

/** Replaces every occurrence of secret that stands as a token with ***. */
function replaceToken(text: string, secret: string): string {
  let out = "";
  let from = 0;
  for (let at = text.indexOf(secret); at !== -1; at = text.indexOf(secret, at + 1)) {
    if (at < from || !standsAsToken(text, at, secret)) continue;
    out += text.slice(from, at) + MASK;
    from = at + secret.length;
  }
  return from === 0 ? text : out + text.slice(from);
}

/**
 * Where a URL's credentials begin: after `redis:` / `rediss:` (any case, any slashes, even
 * none, even `redis//`, spaces around them) or after any other `scheme://`.
 */
const REDIS_SCHEME = /(?<![\p{L}\p{N}_.+-])rediss?(?::[ \t]*\/*|[ \t]*:\/+|\/+)[ \t]*/giu;
const OTHER_SCHEME = /(?<![\p{L}\p{N}_.+-])[a-z][a-z0-9+.-]*:\/\//giu;

/** The program's own placeholders, `redis://[user:password@]host` and `redis://:PASSWORD@host`, are not passwords. */
const PLACEHOLDER = /^(?:\[user:password|:PASSWORD)$/;

/**
 * Credentials of anything that looks like a URL, replaced by ***. For redis: URLs the
 * credentials reach the last `@` before the next URL on the line, since a mistyped
 * password may hold spaces; for other schemes, the last `@` before whitespace.
 */
export function redactUrlCredentials(text: string): string {
  if (!text.includes("@")) return text;
  return text.split("\n").map(redactLine).join("\n");
}

function redactLine(line: string): string {
  if (!line.includes("@")) return line;
  // Where each URL's credentials would begin, and whether they may hold spaces.
  const starts = new Map<number, boolean>();
  for (const m of line.matchAll(REDIS_SCHEME)) starts.set(m.index + m[0].length, true);
  for (const m of line.matchAll(OTHER_SCHEME)) if (!starts.has(m.index + m[0].length)) starts.set(m.index + m[0].length, false);
  if (starts.size === 0) return line;
  const positions = [...starts.keys()].sort((a, b) => a - b);
  let out = line.slice(0, positions[0]);
  positions.forEach((from, i) => {
    const segment = line.slice(from, positions[i + 1] ?? line.length);
    const reach = starts.get(from) ? segment : (/^\S*/.exec(segment)?.[0] ?? "");
    const at = reach.lastIndexOf("@");
    out += at > 0 && !PLACEHOLDER.test(reach.slice(0, at)) ? MASK + segment.slice(at) : segment;
  });
  return out;
}

/**
 * Whether a command-line argument could be a URL with credentials: an @ and a colon
 * (user:pw@host, redis:pw@host, pw@host:port). A lesson file named a@b.yaml is not one.
 */
export function looksLikeUrl(arg: string | undefined): arg is string {
  return arg !== undefined && arg.includes("@") && arg.includes(":");
}

/**
 * What could be the password in a string given as a URL, found without parsing it (a
 * mistyped URL does not parse, and its error may still echo part of it): whatever stands
 * before the last `@`, before the last `@` of the authority, the part after the first `:`
 * of either, each also percent-decoded. A string without `@` has none.
 */
export function urlSecrets(raw: string | undefined): string[] {
  if (!raw?.includes("@")) return [];
  // Drop an option name (--url=...) and a scheme with its slashes, however mistyped.
  const rest = raw
    .replace(/^--?[a-z-]+=/i, "")
    .replace(/^\s*[a-z][a-z0-9+.-]*[ \t]*(?::[ \t]*\/*|\/\/+)[ \t]*/i, "");
  const found = new Set<string>();
  const authority = /^[^/?#]*/.exec(rest)?.[0] ?? "";
  for (const part of [rest, authority]) {
    const at = part.lastIndexOf("@");
    if (at <= 0) continue;
    const userinfo = part.slice(0, at);
    found.add(userinfo);
    const colon = userinfo.indexOf(":");
    if (colon !== -1) found.add(userinfo.slice(colon + 1));
  }
  for (const s of [...found]) found.add(safeDecode(s));
  return [...found].filter((s) => s.trim() !== "");
}

function safeDecode(text: string): string {
  try {
    return decodeURIComponent(text);
  } catch {
    return text;
  }
}

/** sdscatrepr without its quotes: how redis-cli (and redis-learn) shows bytes in a reply. */
function cliEscaped(bytes: Buffer): string {
  const named: Record<number, string> = { 0x5c: "\\\\", 0x22: '\\"', 0x0a: "\\n", 0x0d: "\\r", 0x09: "\\t", 0x07: "\\a", 0x08: "\\b" };
  let out = "";
  for (const b of bytes) out += named[b] ?? (b >= 0x20 && b <= 0x7e ? String.fromCharCode(b) : `\\x${b.toString(16).padStart(2, "0")}`);
  return out;
}

/**
 * Every way a password can appear in printed text: as typed, percent-encoded (a URL echoed
 * back), as the bytes of a reply (the piped sandbox writes byte strings), escaped inside
 * redis-cli's quotes, and as a JSON string (`:code`).
 */
export function printedForms(secret: string): string[] {
  const bytes = Buffer.from(secret, "utf8");
  const forms = new Set([secret, encodeURIComponent(secret), bytes.toString("latin1"), cliEscaped(bytes), JSON.stringify(secret).slice(1, -1)]);
  // A password of nothing but spaces cannot be told apart from spacing: masking it would mask every space.
  return [...forms].filter((f) => f.trim() !== "");
}

/** The printed forms of the given passwords, longest first (so that a longer one is masked whole). */
export function formsOf(secrets: Iterable<string>): string[] {
  return [...new Set([...secrets].flatMap(printedForms))].sort((a, b) => b.length - a.length);
}

/** The text with URL credentials and the given printed forms (see formsOf) replaced by ***. */
export function redactForms(text: string, forms: readonly string[]): string {
  let out = redactUrlCredentials(text);
  for (const form of forms) if (out.includes(form)) out = replaceToken(out, form);
  return out;
}

/** The text with URL credentials and the given passwords (in all their printed forms) replaced by ***. */
export function redactText(text: string, secrets: Iterable<string>): string {
  return redactForms(text, formsOf(secrets));
}
