import { describe, expect, it } from "vitest";
import { parseRedisUrl } from "../../src/redis/target.js";
import { redact } from "../../src/redis/redact.js";

describe("parseRedisUrl", () => {
  it.each<[string, Record<string, unknown>]>([
    ["redis://127.0.0.1:6390", { host: "127.0.0.1", port: 6390, tls: false, db: 0, label: "127.0.0.1:6390" }],
    ["redis://localhost", { host: "localhost", port: 6379, db: 0 }],
    ["redis://:s3cret@h:1/2", { host: "h", port: 1, password: "s3cret", db: 2 }],
    ["redis://alice:pw@h:1", { username: "alice", password: "pw" }],
    ["rediss://default:p%40ss@cache.example.com:6380/0", { tls: true, username: "default", password: "p@ss", port: 6380 }],
    ["redis://[::1]:7000", { host: "::1", port: 7000, label: "[::1]:7000" }],
  ])("%s", (url, expected) => {
    expect(parseRedisUrl(url)).toMatchObject(expected);
  });

  it.each([
    ["http://x:1", /unsupported URL scheme/],
    ["not a url", /not a Redis URL/],
    ["redis://h:1/abc", /database/],
  ])("rejects %s", (url, message) => {
    expect(() => parseRedisUrl(url)).toThrow(message);
  });

  it("never puts the password in its error messages", () => {
    let message = "";
    try {
      parseRedisUrl("redis://:hunter2-secret@h:1/notadb");
    } catch (err) {
      message = (err as Error).message;
    }
    expect(message).toMatch(/database/);
    expect(redact(message)).not.toContain("hunter2-secret");
  });
});

describe("redaction", () => {
  it("replaces every registered password", () => {
    parseRedisUrl("redis://:topsecret-42@h:1");
    expect(redact("AUTH topsecret-42 failed, topsecret-42 again")).toBe("AUTH *** failed, *** again");
  });

  it("shows URLs without their password", () => {
    expect(redact("redis://bob:pw123@h:1/2")).toBe("redis://***@h:1/2");
    expect(redact("redis://h:1")).toBe("redis://h:1");
  });
});

describe("a URL with only a password", () => {
  it("logs in without a user name", () => {
    expect("username" in parseRedisUrl("redis://:pw@h:1")).toBe(false);
  });
});
