import net from "node:net";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { startPrivateServer, type PrivateServer } from "../../src/redis/server.js";
import { runCli } from "../helpers/cli.js";
import { freePort } from "../helpers/net.js";

const PASSWORD = "pw-Zq81-never-shown";
let server: PrivateServer;

beforeAll(async () => {
  // A server of this test's own, so that requirepass and ACL users touch nobody else's.
  server = await startPrivateServer({ extraArgs: ["--requirepass", PASSWORD] });
});
afterAll(() => server.shutdown());

const everything = (r: { stdout: Buffer; stderr: string }): string => r.stdout.toString("latin1") + r.stderr;

describe("--url and REDIS_URL", () => {
  it("log in with the password from the URL", async () => {
    const r = await runCli(["sandbox", "--url", `redis://:${PASSWORD}@127.0.0.1:${server.port}`], { input: "PING\nSET k v\nGET k\n" });
    expect(r.stdout.toString()).toBe('PONG\nOK\n"v"\n');
    expect(r.code).toBe(0);
    expect(r.stderr).toMatch(new RegExp(`connected to redis [\\d.]+ at 127\\.0\\.0\\.1:${server.port}`));
    expect(everything(r)).not.toContain(PASSWORD);
  });

  it("reads REDIS_URL when --url is not given, and selects the database in the path", async () => {
    const r = await runCli(["sandbox"], {
      input: "SET only-in-db3 1\nSELECT 0\nEXISTS only-in-db3\n",
      env: { REDIS_URL: `redis://default:${PASSWORD}@127.0.0.1:${server.port}/3` },
    });
    expect(r.stdout.toString()).toBe("OK\nOK\n(integer) 0\n");
    expect(r.stderr).toContain("db 3");
    expect(everything(r)).not.toContain(PASSWORD);
  });

  it("logs in as an ACL user", async () => {
    const setup = await runCli(["sandbox", "--yes", "--url", `redis://:${PASSWORD}@127.0.0.1:${server.port}`], {
      input: "ACL SETUSER learner on >learner-pass-77 ~learn:* +@all\n",
    });
    expect(setup.stdout.toString()).toBe("OK\n");
    const r = await runCli(["sandbox", "--url", `redis://learner:learner-pass-77@127.0.0.1:${server.port}`], {
      input: "SET learn:1 x\nSET other 1\n",
    });
    expect(r.stdout.toString()).toMatch(/^OK\n\(error\) NOPERM/);
    expect(everything(r)).not.toContain("learner-pass-77");
  });

  it("a wrong password gives one clear line, a non-zero exit, and the password nowhere", async () => {
    const wrong = "wrong-Password-913";
    const r = await runCli(["sandbox", "--url", `redis://:${wrong}@127.0.0.1:${server.port}`], { input: "PING\n" });
    expect(r.code).not.toBe(0);
    expect(r.stdout.length).toBe(0);
    expect(r.stderr.trim().split("\n")).toHaveLength(1);
    expect(r.stderr).toMatch(/authentication failed at 127\.0\.0\.1:\d+/);
    expect(everything(r)).not.toContain(wrong);
    expect(r.stderr).not.toMatch(/\n\s+at /);
  });

  it("without a password, says the server wants one, and AUTH typed in the sandbox works as in redis-cli", async () => {
    const r = await runCli(["sandbox", "--url", `redis://127.0.0.1:${server.port}`], { input: `PING\nAUTH ${PASSWORD}\nPING\n` });
    expect(r.stdout.toString()).toBe("(error) NOAUTH Authentication required.\nOK\nPONG\n");
    expect(r.code).toBe(0);
    expect(r.stderr).toMatch(/asks for a password/);
  });

  it("an unreachable server gives one clear line and exit 1", async () => {
    const port = await freePort();
    const r = await runCli(["sandbox", "--url", `redis://:${PASSWORD}@127.0.0.1:${port}`], { input: "PING\n" });
    expect(r.code).toBe(1);
    expect(r.stderr.trim()).toBe(`redis-learn: cannot connect to Redis at 127.0.0.1:${port}: connection refused (is the server running, and on that port?)`);
  });

  it("a server that accepts but never answers is reported instead of hanging", async () => {
    const silent = net.createServer(() => {});
    await new Promise<void>((resolve) => silent.listen(0, "127.0.0.1", resolve));
    const port = (silent.address() as net.AddressInfo).port;
    try {
      const r = await runCli(["sandbox", "--url", `redis://127.0.0.1:${port}`], { input: "PING\n", timeoutMs: 12_000 });
      expect(r.code).toBe(1);
      expect(r.stderr.trim()).toBe(`redis-learn: no answer from Redis at 127.0.0.1:${port} within 5 s`);
    } finally {
      silent.close();
    }
  });

  it("rejects a URL that is not redis:// or rediss:// with exit 2", async () => {
    const r = await runCli(["sandbox", "--url", "http://:secret-http@127.0.0.1:1"], { input: "PING\n" });
    expect(r.code).toBe(2);
    expect(r.stderr).toMatch(/unsupported URL scheme/);
    expect(r.stderr).not.toContain("secret-http");
  });
});

