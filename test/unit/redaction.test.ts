import { describe, expect, it } from "vitest";
import { printedForms, redactText, redactUrlCredentials, urlSecrets } from "../../src/redis/redaction.js";
import { redact, registerSecret } from "../../src/redis/redact.js";
import { parseRedisUrl } from "../../src/redis/target.js";
import { errorText } from "../../src/main.js";

describe("a URL's credentials are masked wherever the URL appears, however mistyped", () => {
  it.each<[string, string]>([
    ["redis://:pw@h:1", "redis://***@h:1"],
    ["redis://alice:pw@h:1/2", "redis://***@h:1/2"],
    ["rediss://alice:pw@h", "rediss://***@h"],
    ["redis:pw@127.0.0.1:47400", "redis:***@127.0.0.1:47400"],
    ["redis:/:pw@h", "redis:/***@h"],
    ["redis:///:pw@h", "redis:///***@h"],
    ["redis//:pw@h", "redis//***@h"],
    ["REDIS://:PW@H", "REDIS://***@H"],
    ["rediss:pw@h", "rediss:***@h"],
    ["redis :// :pw@h", "redis :// ***@h"],
    ["redis://:my pass word@h:1", "redis://***@h:1"],
    ["redis://:p@ss@h:1", "redis://***@h:1"],
    ["redis://:p%40ss@h:1", "redis://***@h:1"],
    ['no lesson "redis://:p\'w"@h"', 'no lesson "redis://***@h"'],
    ["unknown option '--urll=redis://:pw@h:1'", "unknown option '--urll=redis://***@h:1'"],
    ["http://u:secret@h and ftp://x:y@z", "http://***@h and ftp://***@z"],
    ["first redis://:a@h then redis://:b@k", "first redis://***@h then redis://***@k"],
    ["two lines redis://:a@h\nmail me@example.com", "two lines redis://***@h\nmail me@example.com"],
  ])("%j → %j", (text, expected) => {
    expect(redactUrlCredentials(text)).toBe(expected);
  });

  it.each([
    "expected redis://[user:password@]host[:port][/db]",
    "put it in the URL (redis://:PASSWORD@127.0.0.1:6379)",
    "user:alice@example.com is a key",
    "mailto:alice@example.com",
    "help @string",
    "Commands for it: LPUSH, RPUSH (help @list)",
    "redis://127.0.0.1:6379",
    "redis-learn: cannot connect",
  ])("leaves %j alone", (text) => {
    expect(redactUrlCredentials(text)).toBe(text);
  });
});

describe("what could be the password in a string given as a URL, found before parsing", () => {
  it.each<[string, string[]]>([
    ["redis://:pw@h", ["pw"]],
    ["redis://alice:pw@h/0", ["pw"]],
    ["redis:Hunter2Secret@127.0.0.1:47400", ["Hunter2Secret"]],
    ["redis//:pw@h", ["pw"]],
    ["rediss:u:pw@h", ["pw"]],
    [":pw@h:1", ["pw"]],
    ["--url=redis://:pw@h", ["pw"]],
    ["redis://:p@ss@h:1", ["p@ss"]],
    ["redis://:p%40ss@h:1", ["p%40ss", "p@ss"]],
    ["redis://:p/ss@h:1", ["p/ss"]],
  ])("%s holds %j", (raw, expected) => {
    const found = urlSecrets(raw);
    for (const secret of expected) expect(found).toContain(secret);
  });

  it.each(["redis://h:1", "lessons/strings.yaml", undefined])("%s holds none", (raw) => {
    expect(urlSecrets(raw)).toEqual([]);
  });
});

describe("a password is masked where it stands as a token, not inside a word", () => {
  it.each<[string, string[], string]>([
    ["the reply was expected", ["p"], "the reply was expected"],
    ["user:p@host", ["p"], "user:***@host"],
    ['1) "requirepass"\n2) "p"', ["p"], '1) "requirepass"\n2) "***"'],
    ["p", ["p"], "***"],
    ["AUTH p failed", ["p"], "AUTH *** failed"],
    ["pw-2 and pw", ["pw"], "***-2 and ***"],
    ["mypw pw2 pw_x", ["pw"], "mypw pw2 pw_x"],
    ["topsecret-42 and topsecret-42!", ["topsecret-42"], "*** and ***!"],
    ["[x@y] x@y", ["@y"], "[x***] x***"],
    ["é and é", ["é"], "*** and ***"],
    ["déjà", ["j"], "déjà"],
    ["\x1b[32mpw\x1b[39m", ["pw"], "\x1b[32m***\x1b[39m"],
    ["no secrets here", [], "no secrets here"],
  ])("%j with %j → %j", (text, secrets, expected) => {
    expect(redactText(text, secrets)).toBe(expected);
  });

  it("masks the password in every form it is printed in", () => {
    const secret = 'p"é w';
    const forms = printedForms(secret);
    expect(forms).toEqual(expect.arrayContaining([secret, encodeURIComponent(secret), 'p\\"\\xc3\\xa9 w', Buffer.from(secret).toString("latin1")]));
    for (const form of forms) expect(redactText(`reply "${form}" end`, [secret])).toBe('reply "***" end');
  });

  it("never masks every space for a password of spaces", () => {
    expect(redactText("a b c", ["  "])).toBe("a b c");
  });

  it("masks the registered passwords, the short ones as tokens only (issue 11 item 10)", () => {
    registerSecret("p");
    expect(redact('Usage: expected "p" at user:p@host')).toBe('Usage: expected "***" at user:***@host');
  });
});

describe("errors never show a URL's password (issue 11 item 8)", () => {
  const PW = "Hunter2Secret";
  it.each([
    `redis:${PW}@127.0.0.1:47400`,
    `redis:/:${PW}@127.0.0.1:47400`,
    `redis:///:${PW}@127.0.0.1:47400`,
    `redis//:${PW}@127.0.0.1:47400`,
    `rediss:${PW}@h`,
    `REDIS:${PW}@h`,
    `redis:u:${PW}@h/x`,
    `redis:${PW}@h:1/x`,
    `redis://:${PW}@127.0.0.1:47400/abc@`,
    `redis://:a@${PW}@127.0.0.1:1/x`,
    `redis://:${PW}%zz@127.0.0.1:1/%`,
    `redis://:${PW}@127.0.0.1:1/0 extra`,
    `:${PW}@127.0.0.1:1`,
    `redis://u:${PW}@`,
  ])("%s", (url) => {
    let err: unknown;
    try {
      parseRedisUrl(url);
    } catch (e) {
      err = e;
    }
    expect(err).toBeDefined();
    expect(errorText(err, [], {})).not.toContain(PW);
  });

  it("nor a URL given where a lesson name belongs", () => {
    const text = errorText(new Error(`cannot read lesson redis:${PW}-x@h: ENOENT`), ["lesson", `redis:${PW}-x@h`], {});
    expect(text).toBe("redis-learn: cannot read lesson redis:***@h: ENOENT\n");
  });

  it("nor the URL in REDIS_URL, named in a message without its scheme", () => {
    const text = errorText(new Error(`something about "${PW}-env@h"`), [], { REDIS_URL: `redis:${PW}-env@h` });
    expect(text).not.toContain(`${PW}-env`);
  });
});
