import { spawn } from "node:child_process";
import { describe, expect, inject, it } from "vitest";
import { startPrivateServer } from "../../src/redis/server.js";
import { BIN, runCli } from "../helpers/cli.js";

/** Database 1 of the shared test server is this file's own. */
const url = (): string => `redis://127.0.0.1:${inject("redisPort")}/1`;
const sandbox = (input: string): ReturnType<typeof runCli> => runCli(["sandbox", "--url", url()], { input });

describe("sandbox with piped input", () => {
  it("prints only replies on stdout, and notices on stderr", async () => {
    const r = await sandbox("DEL piped:a\nRPUSH piped:a x y\nLRANGE piped:a 0 -1\nTYPE piped:a\n");
    expect(r.stdout.toString()).toBe('(integer) 0\n(integer) 2\n1) "x"\n2) "y"\nlist\n');
    expect(r.stderr).toMatch(/^redis-learn: connected to /);
    expect(r.code).toBe(0);
  });

  it("goes on after an error reply and after a line it cannot split", async () => {
    const r = await sandbox('NOSUCHCOMMAND\nGET "unbalanced\nPING\n');
    expect(r.stdout.toString()).toBe(
      "(error) ERR unknown command 'NOSUCHCOMMAND', with args beginning with: \nInvalid argument(s)\nPONG\n",
    );
    expect(r.code).toBe(0);
  });

  it("handles a last line without a newline, CRLF line ends and blank lines", async () => {
    const r = await sandbox("PING\r\n\n   \nECHO last");
    expect(r.stdout.toString()).toBe('PONG\n"last"\n');
  });

  it("stops reading at quit", async () => {
    const r = await sandbox("PING\nquit\nPING\n");
    expect(r.stdout.toString()).toBe("PONG\n");
    expect(r.code).toBe(0);
  });

  it("repeats a command given a count", async () => {
    const r = await sandbox("DEL piped:n\n3 INCR piped:n\n");
    expect(r.stdout.toString()).toBe("(integer) 0\n(integer) 1\n(integer) 2\n(integer) 3\n");
  });

  it("prints the elapsed time after a command that waited half a second or more", async () => {
    const r = await sandbox("BLPOP piped:never 0.6\n");
    expect(r.stdout.toString()).toMatch(/^\(nil\)\n\(0\.[6-9]\ds\)\n$/);
  });

  it("keeps binary values byte for byte", async () => {
    const r = await runCli(["sandbox", "--url", url()], { input: Buffer.from([...Buffer.from("SET piped:bin "), 0xff, 0xfe, 0x0a, ...Buffer.from("GET piped:bin\n")]) });
    expect(r.stdout.toString("latin1")).toBe('OK\n"\\xff\\xfe"\n');
  });

  it("uses no colour when stdout is not a terminal, even in a colour-loving environment", async () => {
    const r = await runCli(["sandbox", "--url", url()], { input: "PING\nGET piped:none\n", env: { NO_COLOR: "" } });
    expect(r.stdout.toString()).toBe("PONG\n(nil)\n");
  });

  it("refuses a command that destroys data on a server the learner brought, unless --yes", async () => {
    const refused = await sandbox("SET piped:keep 1\nFLUSHDB\nGET piped:keep\n");
    expect(refused.stdout.toString()).toBe('OK\n"1"\n');
    expect(refused.stderr).toMatch(/refused "FLUSHDB" on 127\.0\.0\.1:\d+, a server you brought: it deletes every key in the current database\. Pass --yes/);
    expect(refused.code).toBe(1);
    const allowed = await runCli(["sandbox", "--yes", "--url", url()], { input: "FLUSHDB\nGET piped:keep\n" });
    expect(allowed.stdout.toString()).toBe("OK\n(nil)\n");
    expect(allowed.code).toBe(0);
  });

  it.each<[string, string]>([
    ["EVAL", `EVAL "return redis.call('FLUSHALL')" 0`],
    ["EVAL_RO", `EVAL_RO "return redis.call('DBSIZE')" 0`],
    ["EVALSHA", "EVALSHA e0e1f9fabfc9d4800c877a703b823ac0578ff8db 0"],
    ["FUNCTION", `FUNCTION LOAD "#!lua name=wipe\\nredis.register_function('wipe', function() return redis.call('FLUSHALL') end)"`],
    ["FCALL", "FCALL wipe 0"],
    ["MODULE", "MODULE LOADEX /nonexistent.so"],
    ["ACL", "ACL SAVE"],
  ])("refuses %s piped on a server the learner brought: a script can do anything", async (name, line) => {
    const r = await sandbox(`SET piped:script 1\n${line}\nGET piped:script\n`);
    expect(r.stdout.toString()).toBe('OK\n"1"\n');
    expect(r.stderr).toContain(`refused "${name}`);
    expect(r.code).toBe(1);
  });

  it("a question the guard asks never joins the learner's transaction", async () => {
    const r = await sandbox("MULTI\nSET piped:tx 1\nKEYS piped:tx*\nEXEC\n");
    expect(r.stdout.toString()).toBe('OK\nQUEUED\nQUEUED\n1) OK\n2) 1) "piped:tx"\n');
    expect(r.code).toBe(0);
  });

  it("on its private server nothing is refused", async () => {
    const r = await runCli(["sandbox"], { input: "SET a 1\nFLUSHALL\nCONFIG SET maxmemory 10mb\nDBSIZE\n" });
    expect(r.stdout.toString()).toBe("OK\nOK\nOK\n(integer) 0\n");
    expect(r.code).toBe(0);
  });

  it("a server that goes away mid-run gives one clear line and a non-zero exit", async () => {
    const server = await startPrivateServer();
    const child = spawn(process.execPath, [BIN, "sandbox", "--url", `redis://127.0.0.1:${server.port}`], { stdio: ["pipe", "pipe", "pipe"] });
    let stderr = "";
    child.stderr.on("data", (c: Buffer) => (stderr += c.toString()));
    const exited = new Promise<number | null>((resolve) => child.once("exit", (code) => resolve(code)));
    child.stdin.write("PING\n");
    await new Promise<void>((resolve) => child.stdout.once("data", () => resolve()));
    await server.shutdown();
    child.stdin.write("PING\n");
    expect(await exited).toBe(1);
    expect(stderr.trim().split("\n").pop()).toMatch(/^redis-learn: lost the connection to Redis at 127\.0\.0\.1:\d+: /);
  });
});
