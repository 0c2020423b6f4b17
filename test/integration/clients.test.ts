import { spawn, type ChildProcess } from "node:child_process";
import { mkdtempSync, rmSync } from "node:fs";
import os from "node:os";
import path from "node:path";
import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it } from "vitest";
import { openRedis, type RedisSource } from "../../src/redis/connect.js";
import type { Connection } from "../../src/redis/connection.js";
import { replyString, type Reply } from "../../src/redis/reply-types.js";
import { Clients, NAME_FIRST, firstIdAsked, followCommand, type NamedClient } from "../../src/engine/clients.js";
import { Timeline } from "../../src/engine/timeline.js";
import { freePort, portAnswers, waitUntil } from "../helpers/net.js";

/**
 * The clients of a run (engine/clients.ts) on a redis-server of this file's own, which
 * it stops and starts again on the same port: names and ids as the server sees them
 * (CLIENT LIST), the database a client keeps across a new connection, and every client
 * on a new connection after the server restarted.
 */
let dir: string;
let port: number;
let server: ChildProcess | undefined;

function startServer(): Promise<void> {
  const child = spawn("redis-server", ["--port", String(port), "--bind", "127.0.0.1", "--save", "", "--appendonly", "no", "--dir", dir], { cwd: dir, stdio: "ignore" });
  server = child;
  return waitUntil(() => portAnswers(port));
}

beforeAll(async () => {
  dir = mkdtempSync(path.join(os.tmpdir(), "rl-clients-"));
  port = await freePort();
  await startServer();
});
afterAll(() => {
  server?.kill("SIGKILL");
  rmSync(dir, { recursive: true, force: true });
});

let source: RedisSource;
beforeEach(async () => {
  source = await openRedis({ url: `redis://127.0.0.1:${port}` });
  await source.conn.send(["FLUSHALL"]);
});
afterEach(async () => {
  await source.close();
});

const args = (...words: string[]): Buffer[] => words.map((w) => Buffer.from(w));
const int = (r: Reply): bigint | undefined => (r.type === "integer" ? r.value : undefined);

/** CLIENT LIST as name -> its id= and db= fields, for the named connections. */
async function clientList(conn: Connection): Promise<Map<string, { id: bigint; db: number }>> {
  const out = new Map<string, { id: bigint; db: number }>();
  for (const line of replyString(await conn.send(["CLIENT", "LIST"])).split("\n")) {
    const f = Object.fromEntries(line.trim().split(" ").map((kv) => kv.split("=") as [string, string]));
    if (f.name) out.set(f.name, { id: BigInt(f.id as string), db: Number(f.db) });
  }
  return out;
}

describe("Clients", () => {
  it("names every client in CLIENT LIST, A on the source's own connection, each with its CLIENT ID", async () => {
    const clients = Clients.create(source);
    try {
      const a = await clients.open("A");
      const b = await clients.open("B");
      expect(a.conn).toBe(source.conn);
      expect(await clients.open("B")).toBe(b);
      expect(clients.all().map((c) => c.name)).toEqual(["A", "B"]);
      expect(a.id).toBe(int(await a.conn.send(["CLIENT", "ID"])));
      expect(b.id).toBe(int(await b.conn.send(["CLIENT", "ID"])));
      expect(b.id).not.toBe(a.id);
      const list = await clientList(await clients.observer());
      expect(list.get("A")).toEqual({ id: a.id, db: 0 });
      expect(list.get("B")).toEqual({ id: b.id, db: 0 });
    } finally {
      clients.close();
    }
  });

  it("takes A as named when the login asked NAME_FIRST, and sends nothing more for it", async () => {
    const named = await openRedis({ url: `redis://127.0.0.1:${port}` }, { ask: [["PING"], ...NAME_FIRST] });
    const clients = Clients.create(named);
    try {
      clients.firstNamed(firstIdAsked(named.answers));
      await named.conn.send(["CONFIG", "RESETSTAT"]);
      const a = await clients.open("A");
      expect(a.id).toBe(int(await named.conn.send(["CLIENT", "ID"])));
      expect(replyString(await named.conn.send(["CLIENT", "GETNAME"]))).toBe("A");
      expect(replyString(await named.conn.send(["INFO", "commandstats"]))).not.toMatch(/cmdstat_client\|setname/);
    } finally {
      clients.close();
      await named.close();
    }
  });

  it("opens a client once even when asked twice at the same time", async () => {
    const clients = Clients.create(source);
    try {
      const [one, two] = await Promise.all([clients.open("B"), clients.open("B")]);
      expect(one).toBe(two);
      expect([...(await clientList(await clients.observer())).keys()].filter((n) => n === "B")).toHaveLength(1);
    } finally {
      clients.close();
    }
  });

  it("gives a client a fresh connection with its name, a new id and the database SELECT moved it to", async () => {
    const clients = Clients.create(source);
    try {
      const b = await clients.open("B");
      const select = args("SELECT", "3");
      followCommand(b, select, await b.conn.send(select));
      await b.conn.send(["MULTI"]);
      b.inMulti = true;
      const old = { conn: b.conn, id: b.id };
      await clients.reconnect(b);
      expect(old.conn.closed).toBe(true);
      expect(b.conn).not.toBe(old.conn);
      expect(b.id).not.toBe(old.id);
      expect(b.inMulti).toBe(false);
      // Out of MULTI for real: the server answers rather than queueing.
      expect(replyString(await b.conn.send(["PING"]))).toBe("PONG");
      expect((await clientList(await clients.observer())).get("B")).toEqual({ id: b.id, db: 3 });
    } finally {
      clients.close();
    }
  });

  it("when A gets a new connection, the source's connection is that one", async () => {
    const clients = Clients.create(source);
    try {
      const a = await clients.open("A");
      const old = source.conn;
      await clients.reconnect(a);
      expect(old.closed).toBe(true);
      expect(source.conn).toBe(a.conn);
      expect(replyString(await source.conn.send(["CLIENT", "GETNAME"]))).toBe("A");
    } finally {
      clients.close();
    }
  });

  it("opens the observer again after it was lost", async () => {
    const clients = Clients.create(source);
    try {
      const first = await clients.observer();
      await source.conn.send(["CLIENT", "KILL", "ID", String(int(await first.send(["CLIENT", "ID"])))]);
      await waitUntil(async () => first.closed);
      const second = await clients.observer();
      expect(second).not.toBe(first);
      expect(replyString(await second.send(["PING"]))).toBe("PONG");
    } finally {
      clients.close();
    }
  });

  it("closes its own connections and leaves A to the source", async () => {
    const clients = Clients.create(source);
    const b = await clients.open("B");
    const observer = await clients.observer();
    clients.close();
    await waitUntil(async () => observer.closed);
    expect(b.conn.closed).toBe(true);
    expect(source.conn.closed).toBe(false);
  });
});

describe("followCommand keeps the database and MULTI as the server has them", () => {
  const client = (): NamedClient => ({ name: "A", conn: undefined as unknown as Connection, inMulti: true, queuedKeys: [Buffer.from("k")], id: 1n, db: 2 });
  const ok: Reply = { type: "status", value: Buffer.from("OK") };
  it.each<[string, string[], Reply, { db: number; inMulti: boolean }]>([
    ["SELECT that worked", ["SELECT", "5"], ok, { db: 5, inMulti: true }],
    ["select in lower case", ["select", "4"], ok, { db: 4, inMulti: true }],
    ["SELECT queued inside MULTI", ["SELECT", "5"], { type: "status", value: Buffer.from("QUEUED") }, { db: 2, inMulti: true }],
    ["SELECT refused", ["SELECT", "99"], { type: "error", value: Buffer.from("ERR DB index is out of range") }, { db: 2, inMulti: true }],
    ["RESET", ["RESET"], { type: "status", value: Buffer.from("RESET") }, { db: 0, inMulti: false }],
    ["another command", ["SET", "k", "v"], ok, { db: 2, inMulti: true }],
  ])("%s", (_name, words, reply, expected) => {
    const c = client();
    followCommand(c, args(...words), reply);
    expect({ db: c.db, inMulti: c.inMulti }).toEqual(expected);
  });
});

describe("after the server restarted on the same port", () => {
  it("every client and the observer are on new connections, with their names and databases; a blocked client's wait fails, handled", async () => {
    const unhandled: unknown[] = [];
    const onUnhandled = (reason: unknown): void => void unhandled.push(reason);
    process.on("unhandledRejection", onUnhandled);
    const timeline = await Timeline.create(source);
    try {
      await timeline.runAll("A", [args("SET", "before", "1")]);
      await timeline.runAll("B", [args("SELECT", "2")]);
      await timeline.start("C", args("BLPOP", "jobs", "0"));
      expect(timeline.hasWaiting()).toBe(true);
      const observer = await timeline.observer();
      const old = { a: source.conn, b: (timeline.clients.get("B") as NamedClient).conn, c: (timeline.clients.get("C") as NamedClient).conn, observer };
      expect([...(await clientList(observer)).keys()].sort()).toEqual(["A", "B", "C"]);

      const exited = new Promise((resolve) => server?.once("exit", resolve));
      await observer.send(["SHUTDOWN", "NOSAVE"]).catch(() => undefined);
      await exited;
      await waitUntil(async () => old.a.closed && old.b.closed && old.c.closed);
      await startServer();
      await timeline.reconnectAll();

      expect(source.conn).not.toBe(old.a);
      expect(source.conn).toBe(timeline.clients.get("A")?.conn);
      const fresh = await timeline.observer();
      expect(fresh).not.toBe(old.observer);
      for (const c of timeline.clients.all()) expect(c.conn.closed).toBe(false);
      const list = await clientList(fresh);
      expect([...list.keys()].sort()).toEqual(["A", "B", "C"]);
      for (const c of timeline.clients.all()) expect(list.get(c.name)?.id).toBe(c.id);
      expect(list.get("B")?.db).toBe(2);
      // The server is a new one: what was written before is gone, and the clients work on it.
      const [get] = await timeline.runAll("A", [args("GET", "before")]);
      expect(get?.reply.type).toBe("nil");

      expect(timeline.hasWaiting()).toBe(false);
      await expect(timeline.receive("C")).rejects.toThrow(/client C was blocked when the server restarted/);
      // C is usable again: the wait that failed does not linger.
      await expect(timeline.receive("C")).rejects.toThrow(/client C is not waiting for anything/);
      await new Promise((r) => setTimeout(r, 50));
      expect(unhandled).toEqual([]);
    } finally {
      timeline.close();
      process.off("unhandledRejection", onUnhandled);
    }
  });

  it("a private server that died is replaced by a new one, and every client follows (the sandbox's start a new server)", async () => {
    const env = { ...process.env, REDIS_URL: "" };
    const priv = await openRedis({ env });
    const clients = Clients.create(priv);
    try {
      await clients.open("A");
      const b = await clients.open("B");
      const oldPort = priv.target.port;
      priv.server?.stop();
      await waitUntil(async () => b.conn.closed);
      await clients.startNewServer();
      expect(priv.target.port).not.toBe(oldPort);
      expect(priv.conn).toBe(clients.get("A")?.conn);
      expect(b.conn.target.port).toBe(priv.target.port);
      expect([...(await clientList(await clients.observer())).keys()].sort()).toEqual(["A", "B"]);
    } finally {
      clients.close();
      await priv.close();
    }
  });
});
