import { readFileSync } from "node:fs";
import path from "node:path";
import { afterEach, describe, expect, it } from "vitest";
import { availableServers, privateServers, redis } from "../helpers/private-servers.js";

/**
 * What lessons about persistence rely on, on every server we have: a crash loses what
 * was not saved or logged, SAVE and the AOF keep it, a restart saves on the way down
 * when the configuration says so, and the port and directory stay the same.
 */
const servers = privateServers();
afterEach(() => servers.cleanup());

const ownerPid = (dir: string): number => (JSON.parse(readFileSync(path.join(dir, "owner.json"), "utf8")) as { serverPid: number }).serverPid;

describe.each(availableServers())("on %s", (_name, binary) => {
  it("RDB only: a crash loses what was written since the last SAVE, and keeps what SAVE wrote to dump.rdb", async () => {
    const server = await servers.start(binary, { config: { save: "3600 1 300 100" } });
    expect(await redis(server, "CONFIG", "GET", "save")).toBe("save\n3600 1 300 100");
    await redis(server, "SET", "bike:1", "Deimos");
    await server.crash();
    expect(server.alive()).toBe(false);
    await server.restart();
    expect(await redis(server, "EXISTS", "bike:1")).toBe("0");
    expect(server.dataFiles()).toEqual([]);

    await redis(server, "SET", "bike:1", "Deimos");
    expect(await redis(server, "SAVE")).toBe("OK");
    await server.crash();
    await server.restart();
    expect(await redis(server, "GET", "bike:1")).toBe("Deimos");
    const files = server.dataFiles();
    expect(files.map((f) => f.path)).toEqual(["dump.rdb"]);
    expect(files[0]?.bytes).toBeGreaterThan(0);
  });

  it("a restart is a graceful SHUTDOWN: it saves when save points are configured, and not without them", async () => {
    const saving = await servers.start(binary, { config: { save: "3600 1" } });
    await redis(saving, "SET", "bike:1", "Deimos");
    await saving.restart();
    expect(await redis(saving, "GET", "bike:1")).toBe("Deimos");

    const plain = await servers.start(binary);
    await redis(plain, "SET", "bike:1", "Deimos");
    await plain.restart();
    expect(await redis(plain, "EXISTS", "bike:1")).toBe("0");
    expect(await redis(plain, "CONFIG", "GET", "appendonly")).toBe("appendonly\nno");
    expect(plain.dataFiles()).toEqual([]);
  });

  it.each(["everysec", "always"])("AOF with appendfsync %s: what was written survives a crash", async (fsync) => {
    const server = await servers.start(binary, { config: { appendonly: "yes", appendfsync: fsync } });
    await redis(server, "SET", "bike:1", "Deimos");
    await redis(server, "RPUSH", "bikes", "a", "b");
    await server.crash();
    await server.restart();
    expect(await redis(server, "GET", "bike:1")).toBe("Deimos");
    expect(await redis(server, "LRANGE", "bikes", "0", "-1")).toBe("a\nb");
    const files = server.dataFiles();
    expect(files.map((f) => f.path)).toEqual(["appendonlydir/appendonly.aof.1.base.rdb", "appendonlydir/appendonly.aof.1.incr.aof", "appendonlydir/appendonly.aof.manifest"]);
    expect(files.find((f) => f.path.endsWith(".incr.aof"))?.bytes).toBeGreaterThan(0);
  });

  it("restart(config) replaces the configuration entirely, on the same port and directory", async () => {
    const server = await servers.start(binary, { config: { save: "3600 1 300 100", "maxmemory-policy": "allkeys-lru" } });
    const { port, dir, pid } = server;
    expect(ownerPid(dir)).toBe(pid);
    expect(await redis(server, "CONFIG", "GET", "maxmemory-policy")).toBe("maxmemory-policy\nallkeys-lru");

    await server.restart({ appendonly: "yes", "notify-keyspace-events": "KEA" });
    expect(server.config).toEqual({ appendonly: "yes", "notify-keyspace-events": "KEA" });
    expect(await redis(server, "CONFIG", "GET", "appendonly")).toBe("appendonly\nyes");
    expect(await redis(server, "CONFIG", "GET", "maxmemory-policy")).toBe("maxmemory-policy\nnoeviction");
    expect(await redis(server, "CONFIG", "GET", "save")).toBe("save\n");
    expect([server.port, server.dir]).toEqual([port, dir]);
    expect(server.pid).not.toBe(pid);
    expect(ownerPid(dir)).toBe(server.pid);
    expect(await redis(server, "CONFIG", "GET", "dir")).toMatch(new RegExp(`^dir\n${dir}$`));

    // Without a configuration, a restart keeps the current one.
    await server.restart();
    expect(server.config).toEqual({ appendonly: "yes", "notify-keyspace-events": "KEA" });
    expect(await redis(server, "CONFIG", "GET", "notify-keyspace-events")).toMatch(/^notify-keyspace-events\n[AKE]{3}$/);
  });

  it("DEBUG OBJECT and DEBUG RELOAD work from loopback (enable-debug-command local)", async () => {
    const server = await servers.start(binary);
    expect(await redis(server, "CONFIG", "GET", "enable-debug-command")).toBe("enable-debug-command\nlocal");
    await redis(server, "SET", "bike:1", "Deimos");
    expect(await redis(server, "DEBUG", "OBJECT", "bike:1")).toMatch(/^Value at:\S+ refcount:\d+ encoding:embstr/);
    expect(await redis(server, "DEBUG", "RELOAD")).toBe("OK");
    expect(await redis(server, "GET", "bike:1")).toBe("Deimos");
  });

  it("a restart waits while the server loads its data (-LOADING)", async () => {
    // key-load-delay (µs per key) makes loading last long enough to be seen, and a small
    // loading-process-events-interval-bytes has the server answer -LOADING meanwhile.
    const config = { save: "3600 1", "key-load-delay": "50", "loading-process-events-interval-bytes": "1024" };
    const server = await servers.start(binary, { config });
    await redis(server, "DEBUG", "POPULATE", "5000");
    await server.restart();
    expect(await redis(server, "DBSIZE")).toBe("5000");
  });
});
