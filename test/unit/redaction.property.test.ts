import fc from "fast-check";
import { describe, expect, inject, it } from "vitest";
import { openRedis } from "../../src/redis/connect.js";
import { parseRedisUrl } from "../../src/redis/target.js";
import { MASK, redactText, printedForms } from "../../src/redis/redaction.js";
import { RedisUnavailable, UserError } from "../../src/errors.js";
import { errorText } from "../../src/main.js";
import { freePort } from "../helpers/net.js";
import { PROPERTY_TIMEOUT_MS, propertySettings } from "../helpers/property.js";

/**
 * Property tests of redaction. The seed and the number of runs come from
 * test/helpers/property.ts (REDIS_LEARN_PROPERTY_SEED, REDIS_LEARN_PROPERTY_RUNS).
 */
const settings = propertySettings(300);
const TIMEOUT_MS = PROPERTY_TIMEOUT_MS;

/**
 * Written apart from redaction.ts, on purpose: whether `secret` occurs in `text` where it
 * is not glued to a longer word (the letters, digits and marks of any script, and _).
 */
function occursAsToken(text: string, secret: string): boolean {
  const word = /[\p{L}\p{N}\p{M}_]/u;
  const chars = (s: string): string[] => [...s];
  const first = chars(secret)[0] ?? "";
  const last = chars(secret).at(-1) ?? "";
  for (let at = text.indexOf(secret); at !== -1; at = text.indexOf(secret, at + 1)) {
    const before = chars(text.slice(0, at)).at(-1) ?? "";
    const after = chars(text.slice(at + secret.length))[0] ?? "";
    const gluedBefore = word.test(first) && word.test(before) && !/\x1b\[[0-9;]*m$/.test(text.slice(0, at));
    const gluedAfter = word.test(last) && word.test(after);
    if (!gluedBefore && !gluedAfter) return true;
  }
  return false;
}

function leaks(message: string, password: string): string | undefined {
  for (const form of [password, encodeURIComponent(password)]) {
    if (occursAsToken(message, form)) return form;
    // A password long enough to be distinctive must not appear at all, token or not.
    if ([...form].length >= 8 && message.includes(form)) return form;
  }
  return undefined;
}

const special = fc.constantFrom("@", ":", "/", "%", '"', "'", " ", "#", "?", "[", "]", "\\", "%40", "%zz", "é", "€", "😀", "ß", "-", ".");
const letter = fc.constantFrom(..."abcdefghijklmnopqrstuvwxyzHZ0123456789");
const password = fc
  .string({ unit: fc.oneof({ weight: 2, arbitrary: letter }, { weight: 2, arbitrary: special }, { weight: 1, arbitrary: fc.string({ unit: "grapheme", minLength: 1, maxLength: 1 }) }), minLength: 1, maxLength: 14 })
  // One kind no redaction can serve: a password without a letter or digit (" ", "-", ":",
  // "***") is masked where it stands, but cannot be told apart from the program's own
  // spacing and punctuation ("redis-learn: ...") or from the mask itself.
  .filter((p) => /[\p{L}\p{N}]/u.test(p));

/** Well-formed and malformed URLs around a password, and the password. */
function urls(port: () => number) {
  return fc
    .record({
      scheme: fc.constantFrom("redis://", "rediss://", "REDIS://", "redis:", "redis:/", "redis:///", "redis//", "rediss:", "redis:// ", "http://", ""),
      user: fc.constantFrom("", "alice", "default"),
      form: fc.constantFrom("user:pw", ":pw", "pw"),
      encode: fc.boolean(),
      host: fc.constantFrom("127.0.0.1", "127.0.0.1", "localhost", "[::1]", "", "h.invalid"),
      port: fc.constantFrom("test-server", "test-server", "closed", "", "notaport"),
      tail: fc.constantFrom("", "/0", "/3", "/abc", "/0 extra", "?db=x", "#f", "/"),
      password,
    })
    .map((u) => {
      const pw = u.encode ? encodeURIComponent(u.password) : u.password;
      const userinfo = u.form === "pw" ? pw : u.form === ":pw" ? `:${pw}` : `${u.user}:${pw}`;
      const portText = u.port === "test-server" ? `:${port()}` : u.port === "closed" ? `:${closedPort}` : u.port === "" ? "" : ":notaport";
      return { url: `${u.scheme}${userinfo}@${u.host}${portText}${u.tail}`, password: u.password };
    });
}

let closedPort = 1;

describe("no password in any message (property)", () => {
  it("parsing a URL, and connecting where it points on this machine", async () => {
    closedPort = await freePort();
    const redisPort = inject("redisPort");
    await fc.assert(
      fc.asyncProperty(urls(() => redisPort), async ({ url, password }) => {
        const messages: string[] = [];
        let target: ReturnType<typeof parseRedisUrl> | undefined;
        try {
          target = parseRedisUrl(url);
        } catch (err) {
          expect(err).toBeInstanceOf(UserError);
          messages.push(errorText(err, ["sandbox", "--url", url], {}));
        }
        if (target) {
          // What would be said if the server were down, or refused the password.
          messages.push(errorText(new RedisUnavailable(`cannot connect to Redis at ${target.label}: connection refused`), [], {}));
          messages.push(errorText(new UserError(`authentication failed at ${target.label}: WRONGPASS invalid username-password pair`), [], {}));
          // Only servers on this machine are reached for real: the test's own, or a closed port.
          if (["127.0.0.1", "localhost"].includes(target.host) && (target.port === redisPort || target.port === closedPort) && !target.tls) {
            try {
              const source = await openRedis({ url, env: {} });
              messages.push(source.describe());
              await source.close();
            } catch (err) {
              messages.push(errorText(err, ["sandbox", "--url", url], {}));
            }
          }
        }
        for (const message of messages) {
          const leaked = leaks(message, password);
          if (leaked !== undefined) throw new Error(`${JSON.stringify(leaked)} shown in ${JSON.stringify(message)} for ${JSON.stringify(url)}`);
        }
      }),
      propertySettings(200),
    );
  }, TIMEOUT_MS);

  it("a URL typed where it does not belong (a lesson name, an unknown option) is masked in the message", () => {
    fc.assert(
      fc.property(urls(() => 6379), fc.constantFrom("cannot read lesson %s: ENOENT", "unknown option '--urll=%s'", 'no lesson named "%s"'), ({ url, password }, template) => {
        // The program has never seen this URL: only its shape gives the password away, so
        // everything between the scheme and the URL's last @ must be gone.
        const [prefix, suffix] = template.split("%s") as [string, string];
        const text = redactText(prefix + url + suffix, []);
        if (/^(rediss?|REDIS)[:/]/.test(url)) {
          const tail = MASK + url.slice(url.lastIndexOf("@")) + suffix;
          expect(text.endsWith(tail), text).toBe(true);
          const head = text.slice(prefix.length, text.length - tail.length);
          expect(url.startsWith(head) && /^[a-z]+[:/ \t]*$/i.test(head), text).toBe(true);
        }
        // Given on the command line, any URL with an @ and a colon is recognised (looksLikeUrl).
        if (!url.includes(":")) return;
        const viaMain = errorText(new Error(template.replace("%s", url)), ["lesson", url], {});
        const leaked = leaks(viaMain, password);
        if (leaked !== undefined) throw new Error(`${JSON.stringify(leaked)} shown in ${JSON.stringify(viaMain)}`);
      }),
      settings,
    );
  }, TIMEOUT_MS);
});

describe("redaction never changes text without a secret in it (property)", () => {
  const wordChar = fc.constantFrom(..."abcdefgxyzé0129_");
  const word = fc.string({ unit: wordChar, minLength: 1, maxLength: 8 });
  const secret = fc.string({ unit: wordChar, minLength: 1, maxLength: 4 });

  /** Words, some with a secret glued inside them (ex-p-ected), joined by punctuation and spaces (and @ only where no : or / is). */
  function textAround(secrets: string[], separators: string[]) {
    const piece = fc.oneof(word, fc.tuple(word, fc.constantFrom(...secrets), word).map(([a, s, b]) => a + s + b));
    return fc.array(fc.tuple(piece, fc.constantFrom(...separators)), { maxLength: 12 }).map((parts) => parts.map(([p, sep]) => p + sep).join(""));
  }

  it.each([
    ["with : and / but no @", [" ", ":", "/", "\n", '"', "'", "-", ".", ", "]],
    ["with @ but no : or /", [" ", "@", "\n", '"', "-", ".", "#", "%"]],
  ])("%s", (_, separators) => {
    fc.assert(
      fc.property(
        fc.array(secret, { minLength: 1, maxLength: 3 }).chain((secrets) => fc.tuple(fc.constant(secrets), textAround(secrets, separators))),
        ([secrets, text]) => {
          fc.pre(!secrets.some((s) => printedForms(s).some((f) => occursAsToken(text, f))));
          expect(redactText(text, secrets)).toBe(text);
        },
      ),
      settings,
    );
  }, TIMEOUT_MS);

  it("and masks every secret that does stand as a token", () => {
    fc.assert(
      fc.property(secret, word, fc.constantFrom(" ", '"', ":", "@", "\n"), (s, w, sep) => {
        const text = `${w}${sep}${s}${sep}${w}`;
        fc.pre(!w.includes(s));
        expect(redactText(text, [s])).toBe(`${w}${sep}***${sep}${w}`);
      }),
      settings,
    );
  });
});
