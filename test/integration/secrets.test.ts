import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { startPrivateServer, type PrivateServer } from "../../src/redis/server.js";
import { runCli } from "../helpers/cli.js";

/** Issue 11: passwords are never printed, even when mistyped, typed, or sent back by the server. */
const PASSWORD = "Hunter2Secret";
let server: PrivateServer;

beforeAll(async () => {
  // A server of this file's own, so that requirepass and ACL users touch nobody else's.
  server = await startPrivateServer({ extraArgs: ["--requirepass", PASSWORD] });
});
afterAll(() => server.shutdown());

const everything = (r: { stdout: Buffer; stderr: string }): string => r.stdout.toString("latin1") + r.stderr;

describe("a mistyped URL never prints its password (item 8)", () => {
  const forms = (port: number): string[] => [
    `redis:${PASSWORD}@127.0.0.1:${port}`,
    `redis:/:${PASSWORD}@127.0.0.1:${port}`,
    `redis:///:${PASSWORD}@127.0.0.1:${port}`,
    `redis//:${PASSWORD}@127.0.0.1:${port}`,
    `rediss:${PASSWORD}@127.0.0.1:${port}`,
    `REDIS:${PASSWORD}@127.0.0.1:${port}`,
    `redis:u:${PASSWORD}@127.0.0.1:${port}/x`,
    `redis://:${PASSWORD}@127.0.0.1:${port}/abc@`,
    `redis://:${PASSWORD}@127.0.0.1:notaport`,
    `redis://:${PASSWORD}@127.0.0.1:${port}/0 extra`,
    `redis://:a@${PASSWORD}@127.0.0.1:${port}/x`,
    `redis://:${PASSWORD}%zz@127.0.0.1:${port}/`,
    `:${PASSWORD}@127.0.0.1:${port}`,
    `redis://u:${PASSWORD}@`,
  ];

  it("as --url, in each of its mistyped forms", async () => {
    for (const url of forms(server.port)) {
      const r = await runCli(["sandbox", "--url", url], { input: "PING\n" });
      expect(r.code, url).not.toBe(0);
      expect(r.stderr, url).toMatch(/^redis-learn: /);
      expect(everything(r), url).not.toContain(PASSWORD);
    }
  });

  it("in REDIS_URL", async () => {
    const r = await runCli(["sandbox"], { input: "PING\n", env: { REDIS_URL: `redis:${PASSWORD}@127.0.0.1:${server.port}/x` } });
    expect(r.code).toBe(2);
    expect(everything(r)).not.toContain(PASSWORD);
  });

  it("where a lesson name belongs", async () => {
    const r = await runCli(["lesson", `redis://:${PASSWORD}@127.0.0.1:${server.port}`]);
    expect(r.code).not.toBe(0);
    expect(r.stderr).toContain("redis://***@127.0.0.1");
    expect(everything(r)).not.toContain(PASSWORD);
  });

  it("in the argument parser's own errors (an unknown option echoed back)", async () => {
    const r = await runCli(["sandbox", `--urll=redis://:${PASSWORD}@127.0.0.1:${server.port}`]);
    expect(r.code).not.toBe(0);
    expect(r.stderr).toContain("unknown option '--urll=redis://***@127.0.0.1");
    expect(everything(r)).not.toContain(PASSWORD);
  });

  it("nor does a one-letter fragment mask parts of words (item 10)", async () => {
    const r = await runCli(["sandbox", "--url", `redis://:p@127.0.0.1:${server.port}/abc`]);
    expect(r.code).toBe(2);
    expect(r.stderr).toBe('redis-learn: the database in a Redis URL is a number (redis://host:port/2), not "abc"\n');
  });
});

describe("passwords in replies and typed passwords are masked (item 9)", () => {
  it("CONFIG GET requirepass, piped, shows *** for the --url password", async () => {
    const r = await runCli(["sandbox", "--url", `redis://:${PASSWORD}@127.0.0.1:${server.port}`], { input: "CONFIG GET requirepass\nPING\n" });
    expect(r.stdout.toString()).toBe('1) "requirepass"\n2) "***"\nPONG\n');
    expect(everything(r)).not.toContain(PASSWORD);
  });

  it("a password typed with AUTH (after a repeat count) is a secret from then on", async () => {
    const r = await runCli(["sandbox", "--url", `redis://127.0.0.1:${server.port}`], {
      input: `2 auth ${PASSWORD}\nCONFIG GET requirepass\nECHO ${PASSWORD}\nECHO "${PASSWORD}-not-it"\n`,
    });
    expect(r.stdout.toString()).toBe('OK\nOK\n1) "requirepass"\n2) "***"\n"***"\n"***-not-it"\n');
    expect(everything(r)).not.toContain(PASSWORD);
  });

  it("a password set with ACL SETUSER >pw or HELLO ... AUTH is masked in later replies", async () => {
    const r = await runCli(["sandbox", "--yes", "--url", `redis://:${PASSWORD}@127.0.0.1:${server.port}`], {
      input: "ACL SETUSER carol on >carol-pw-31 ~* +@all\nECHO carol-pw-31\nHELLO 2 AUTH carol carol-pw-31\nECHO x-carol-pw-31\nECHO carol-pw-311\n",
    });
    const out = r.stdout.toString();
    expect(out).toMatch(/^OK\n"\*\*\*"\n/);
    expect(out).toContain('"x-***"\n');
    expect(out).toContain('"carol-pw-311"\n');
    expect(out.replace("carol-pw-311", "")).not.toContain("carol-pw-31");
  });
});
