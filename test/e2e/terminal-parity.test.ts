import { mkdtempSync, rmSync } from "node:fs";
import os from "node:os";
import path from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { startPrivateServer, type PrivateServer } from "../../src/redis/server.js";
import { Connection } from "../../src/redis/connection.js";
import { BIN } from "../helpers/cli.js";
import { TmuxScreen } from "../helpers/tmux.js";

/**
 * In a terminal, redis-cli prints some replies raw (INFO, CLIENT LIST, LATENCY DOCTOR ...)
 * and the rest in its TTY format. The sandbox must print the same screen: both run in
 * tmux, on a server of the test's own (so nothing else changes its keyspace in between),
 * and the lines under each command are compared.
 */
const COMMANDS = [
  "SET parity:a 1",
  "INFO keyspace",
  "INFO nosuchsection",
  "CLIENT LIST ID 999999",
  "LATENCY DOCTOR",
  "MEMORY DOCTOR",
  "CLUSTER INFO",
  "LATENCY GRAPH command",
  "PING",
];
const WIDTH = 100;

let server: PrivateServer;
let state: string;
beforeAll(async () => {
  server = await startPrivateServer();
  state = mkdtempSync(path.join(os.tmpdir(), "rl-e2e-parity-"));
});
afterAll(async () => {
  await server?.stop();
  rmSync(state, { recursive: true, force: true });
});

/** Types each command, waits for the prompt to come back, and returns the lines each printed. */
async function repliesOf(command: string): Promise<string[]> {
  const screen = new TmuxScreen(command, { XDG_STATE_HOME: state, NO_COLOR: "1", TERM: "xterm-256color" }, WIDTH, 200);
  try {
    const prompt = /^127\.0\.0\.1:\d+> ?$/m;
    await screen.waitFor(prompt);
    const out: string[] = [];
    for (const [i, c] of COMMANDS.entries()) {
      screen.type(c);
      screen.press("Enter");
      const promptsNeeded = i + 2;
      const lines = (await screen.waitFor((s) => s.split("\n").filter((l) => /^127\.0\.0\.1:\d+> ?/.test(l)).length >= promptsNeeded)).split("\n");
      const at = lines.findIndex((l) => l.endsWith(`> ${c}`));
      const next = lines.findIndex((l, j) => j > at && /^127\.0\.0\.1:\d+> ?/.test(l));
      out.push(lines.slice(at + 1, next).join("\n"));
    }
    return out;
  } finally {
    screen.close();
  }
}

describe("the sandbox in a terminal prints what redis-cli prints in one", () => {
  it("raw where redis-cli is raw, formatted where it formats", async () => {
    const flush = async (): Promise<void> => {
      const conn = await Connection.open({ host: "127.0.0.1", port: server.port, tls: false, db: 0, label: "" });
      await conn.send(["FLUSHALL"]);
      conn.close();
    };
    await flush();
    const cli = await repliesOf(`redis-cli -p ${server.port}`);
    await flush();
    const ours = await repliesOf(`${process.execPath} ${BIN} sandbox --url redis://127.0.0.1:${server.port}`);
    COMMANDS.forEach((c, i) => {
      // After a write the sandbox adds the key's state under the reply: compare the reply.
      const mine = c.startsWith("SET") ? (ours[i] ?? "").split("\n")[0] : ours[i];
      expect(mine, c).toBe(cli[i]);
    });
    expect(cli[1]).toMatch(/^# Keyspace\ndb0:keys=1,/);
  }, 60_000);
});
