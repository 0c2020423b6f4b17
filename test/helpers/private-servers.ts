import { mkdtempSync, realpathSync, rmSync } from "node:fs";
import os from "node:os";
import path from "node:path";
import { startPrivateServer, type PrivateServer, type StartOptions } from "../../src/redis/server.js";
import type { Reply } from "../../src/redis/reply-types.js";
import { connectTo } from "./server-dump.js";
import { killServersUnder } from "./procs.js";
import { otherServer } from "./servers.js";

/** The servers a test can start: the one on PATH (Redis 7.0 here), and Valkey 8 and Redis 8 where fetched. */
export function availableServers(): [string, string | undefined][] {
  const others: [string, string | undefined][] = [
    ["Valkey 8", otherServer("valkey-server-8")],
    ["Redis 8", otherServer("redis-server-8")],
  ];
  return [["the redis-server on PATH", undefined], ...others.filter(([, binary]) => binary !== undefined)];
}

/**
 * Private servers started in a TMPDIR of their own (set for this test file's process, so
 * what they leave behind can be seen), all stopped and removed by cleanup().
 */
export function privateServers(): {
  tmp(): string;
  start(binary: string | undefined, options?: StartOptions): Promise<PrivateServer>;
  cleanup(): Promise<void>;
} {
  const servers: PrivateServer[] = [];
  const tmps: string[] = [];
  const original = process.env.TMPDIR;
  let current: string | undefined;
  const tmp = (): string => {
    if (!current) {
      current = realpathSync(mkdtempSync(path.join(original ?? os.tmpdir(), "rl-control-")));
      tmps.push(current);
      process.env.TMPDIR = current;
    }
    return current;
  };
  return {
    tmp,
    async start(binary, options = {}) {
      tmp();
      const env = binary ? { ...process.env, REDIS_LEARN_SERVER: binary } : process.env;
      const server = await startPrivateServer({ env, ...options });
      servers.push(server);
      return server;
    },
    async cleanup() {
      for (const server of servers.splice(0)) await server.shutdown();
      if (original === undefined) delete process.env.TMPDIR;
      else process.env.TMPDIR = original;
      current = undefined;
      for (const dir of tmps.splice(0)) {
        killServersUnder(dir);
        rmSync(dir, { recursive: true, force: true });
      }
    },
  };
}

/** Sends one command to a private server and returns its reply as text ("(error) ..." for errors). */
export async function redis(server: PrivateServer, ...args: string[]): Promise<string> {
  const conn = await connectTo(server.port);
  try {
    return text(await conn.send(args));
  } finally {
    conn.close();
  }
}

function text(r: Reply): string {
  if (r.type === "error") return `(error) ${r.value.toString()}`;
  if (r.type === "array") return r.items.map(text).join("\n");
  if (r.type === "nil") return "(nil)";
  return "value" in r ? String(Buffer.isBuffer(r.value) ? r.value.toString() : r.value) : r.type;
}

export async function waitUntil(test: () => boolean | Promise<boolean>, timeoutMs = 10_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!(await test())) {
    if (Date.now() > deadline) throw new Error("condition never held");
    await new Promise((r) => setTimeout(r, 20));
  }
}
