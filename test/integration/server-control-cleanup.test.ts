import { spawn } from "node:child_process";
import { chmodSync, existsSync, mkdirSync, readdirSync, readFileSync, rmdirSync, writeFileSync } from "node:fs";
import net from "node:net";
import path from "node:path";
import { buildSync } from "esbuild";
import { afterEach, describe, expect, it } from "vitest";
import { cleanOrphans } from "../../src/redis/orphans.js";
import { startPrivateServer } from "../../src/redis/server.js";
import { RedisUnavailable, UserError } from "../../src/errors.js";
import { ROOT } from "../helpers/cli.js";
import { portAnswers } from "../helpers/net.js";
import { alive, serversUnder } from "../helpers/procs.js";
import { privateServers, redis, waitUntil } from "../helpers/private-servers.js";

/**
 * A server that crashes and restarts keeps the guarantees of one that does not: nothing
 * is left behind however redis-learn ends, and a failed restart says why in one line.
 */
const servers = privateServers();
afterEach(() => servers.cleanup());

const ours = (tmp: string): string[] => readdirSync(tmp).filter((n) => n.startsWith("redis-learn-"));

describe("stopping", () => {
  it.each(["after a restart", "after a crash"])("stop() %s leaves no server and no directory", async (when) => {
    const tmp = servers.tmp();
    const server = await servers.start(undefined, { config: { appendonly: "yes" } });
    await redis(server, "SET", "bike:1", "Deimos");
    if (when === "after a crash") await server.crash();
    else await server.restart();
    server.stop();
    expect(ours(tmp)).toEqual([]);
    expect(serversUnder(tmp)).toEqual([]);
    expect(await portAnswers(server.port)).toBe(false);
    await server.shutdown();
    await expect(server.restart()).rejects.toThrow(/was stopped/);
  });

  it.each(["crash()", "stop()"])("%s during a BGSAVE ends the fork that saves too", async (how) => {
    const tmp = servers.tmp();
    // 10 ms a key: without being killed, the fork would write for 20 s.
    const server = await servers.start(undefined, { config: { "rdb-key-save-delay": "10000" } });
    await redis(server, "DEBUG", "POPULATE", "2000");
    expect(await redis(server, "BGSAVE")).toBe("Background saving started");
    await waitUntil(() => serversUnder(tmp).length === 2);
    if (how === "crash()") await server.crash();
    else server.stop();
    await waitUntil(() => serversUnder(tmp).length === 0, 3000);
    if (how === "crash()") {
      await server.restart();
      expect(server.dataFiles().map((f) => f.path)).not.toContain("dump.rdb");
    } else {
      expect(ours(tmp)).toEqual([]);
    }
  });
});

describe("a restart that cannot start the server", () => {
  it("with a bad configuration, quotes the server in one line; a good one starts it again, with its data", async () => {
    const server = await servers.start(undefined, { config: { appendonly: "yes" } });
    await redis(server, "SET", "bike:1", "Deimos");
    const err = await server.restart({ appendonly: "yes", "maxmemory-policy": "bogus" }).catch((e: Error) => e);
    expect(err).toBeInstanceOf(RedisUnavailable);
    expect((err as Error).message).toMatch(/^the private redis-server did not start: bad configuration 'maxmemory-policy "bogus"': argument\(s\) must be one of the following: .*allkeys-lru/);
    expect((err as Error).message).not.toContain("\n");
    expect(server.alive()).toBe(false);
    await server.restart({ appendonly: "yes" });
    expect(await redis(server, "GET", "bike:1")).toBe("Deimos");
  });

  it("when another process took the port meanwhile, says so; once it is free, starts again", async () => {
    const server = await servers.start(undefined, { config: { appendonly: "yes" } });
    await redis(server, "SET", "bike:1", "Deimos");
    await server.crash();
    // A listener that reads and never answers; it reads, so that it can be closed.
    const squatter = net.createServer((socket) => socket.resume());
    await new Promise<void>((resolve) => squatter.listen(server.port, "127.0.0.1", resolve));
    try {
      await expect(server.restart()).rejects.toThrow(new RegExp(`^the private redis-server could not start again on port ${server.port}, which another process has taken meanwhile: .*Address already in use$`));
    } finally {
      await new Promise((resolve) => squatter.close(resolve));
    }
    await server.restart();
    expect(await redis(server, "GET", "bike:1")).toBe("Deimos");
  });

  it("when the server cannot save on the way down, it refuses, keeps running, and says why", async () => {
    const server = await servers.start(undefined, { config: { save: "3600 1" } });
    await redis(server, "SET", "bike:1", "Deimos");
    const pid = server.pid;
    mkdirSync(path.join(server.dir, "dump.rdb"));
    await expect(server.restart()).rejects.toThrow(/^the private redis-server refused to shut down, and is still running: Error .*dump\.rdb.*Is a directory$/);
    expect([server.alive(), server.pid]).toEqual([true, pid]);
    rmdirSync(path.join(server.dir, "dump.rdb"));
    await server.restart();
    expect(await redis(server, "GET", "bike:1")).toBe("Deimos");
  });

  it("refuses a setting redis-learn manages, before anything is started or stopped", async () => {
    const tmp = servers.tmp();
    await expect(startPrivateServer({ config: { port: "6379" } })).rejects.toThrow(UserError);
    expect(ours(tmp)).toEqual([]);
    const server = await servers.start(undefined);
    const pid = server.pid;
    await expect(server.restart({ bind: "0.0.0.0" })).rejects.toThrow(/may not set bind: redis-learn sets it itself/);
    expect([server.alive(), server.pid]).toEqual([true, pid]);
  });

  it("on a server without enable-debug-command (Redis before 7.0), starts without it", async () => {
    const tmp = servers.tmp();
    // Answers as Redis 6 does to a setting it does not know; otherwise the real server.
    const binary = path.join(tmp, "redis-server");
    writeFileSync(binary, [
      "#!/bin/sh",
      'for a in "$@"; do if [ "$a" = "--enable-debug-command" ]; then',
      `  printf "\\n*** FATAL CONFIG FILE ERROR (Redis 6.0.16) ***\\nReading the configuration file, at line 2\\n>>> 'enable-debug-command \\"local\\"'\\nBad directive or wrong number of arguments\\n" >&2; exit 1`,
      "fi; done",
      'exec redis-server "$@"',
    ].join("\n"));
    chmodSync(binary, 0o755);
    const server = await servers.start(binary);
    expect(await redis(server, "PING")).toBe("PONG");
    await server.restart();
    expect(await redis(server, "PING")).toBe("PONG");
  });
});

describe("a redis-learn killed with SIGKILL", () => {
  const script = (tmp: string): string => {
    const file = path.join(tmp, "owner.cjs");
    buildSync({ entryPoints: [path.join(ROOT, "test/fixtures/server-control/owner.ts")], bundle: true, platform: "node", format: "cjs", outfile: file, logLevel: "silent" });
    return file;
  };
  interface Stage { stage: string; pid: number; dir: string; port: number }

  /** Runs the fixture until it prints `until`, waits `delayMs`, kills it; returns what it printed. */
  async function killAt(mode: string, until: string, delayMs = 0): Promise<Stage[]> {
    const tmp = servers.tmp();
    const child = spawn(process.execPath, [script(tmp), mode], { env: { ...process.env, TMPDIR: tmp }, stdio: ["ignore", "pipe", "inherit"] });
    const stages: Stage[] = [];
    let buffered = "";
    await new Promise<void>((resolve, reject) => {
      child.stdout.on("data", (chunk: Buffer) => {
        buffered += chunk.toString();
        for (let nl = buffered.indexOf("\n"); nl !== -1; nl = buffered.indexOf("\n")) {
          stages.push(JSON.parse(buffered.slice(0, nl)) as Stage);
          buffered = buffered.slice(nl + 1);
          if (stages.at(-1)?.stage === until) resolve();
        }
      });
      child.once("exit", () => reject(new Error(`the fixture ended before "${until}"`)));
    });
    if (delayMs) await new Promise((r) => setTimeout(r, delayMs));
    const exited = new Promise((resolve) => child.once("exit", resolve));
    child.kill("SIGKILL");
    await exited;
    return stages;
  }

  it("after a restart: the owner file names the new server, and the next run removes it and its directory", async () => {
    const tmp = servers.tmp();
    const [started, restarted] = await killAt("after-restart", "restarted");
    if (!started || !restarted) throw new Error("the fixture said too little");
    expect(restarted.pid).not.toBe(started.pid);
    expect([restarted.port, restarted.dir]).toEqual([started.port, started.dir]);
    const owner = JSON.parse(readFileSync(path.join(restarted.dir, "owner.json"), "utf8")) as { serverPid: number };
    expect(owner.serverPid).toBe(restarted.pid);
    expect(alive(restarted.pid)).toBe(true);

    expect(cleanOrphans(tmp)).toBe(1);
    expect(existsSync(restarted.dir)).toBe(false);
    await waitUntil(() => serversUnder(tmp).length === 0);
    expect(await portAnswers(restarted.port)).toBe(false);
  });

  it("between a crash and a restart: the next run removes the directory", async () => {
    const tmp = servers.tmp();
    const [, crashed] = await killAt("after-crash", "crashed");
    expect(serversUnder(tmp)).toEqual([]);
    expect(existsSync(crashed?.dir ?? "")).toBe(true);
    expect(cleanOrphans(tmp)).toBe(1);
    expect(ours(tmp)).toEqual([]);
  });

  it("while its server's fork saves: the next run ends the fork too", async () => {
    const tmp = servers.tmp();
    await killAt("saving", "saving");
    await waitUntil(() => serversUnder(tmp).length === 2);
    expect(cleanOrphans(tmp)).toBe(1);
    expect(ours(tmp)).toEqual([]);
    // Left alone, the fork would write for 20 s.
    await waitUntil(() => serversUnder(tmp).length === 0, 3000);
  });

  it.each([0, 2, 10, 30])("during a restart (%i ms in): the next run leaves no server and no directory", async (delayMs) => {
    const tmp = servers.tmp();
    await killAt("during-restart", "restarting", delayMs);
    cleanOrphans(tmp);
    expect(ours(tmp)).toEqual([]);
    await waitUntil(() => serversUnder(tmp).length === 0);
  });
});
