import Table from "cli-table3";
import { quoteBytes } from "../redis/reply-format.js";
import type { KeyState } from "../redis/snapshot.js";
import { readStates, type ObserveOptions } from "../engine/observe.js";
import { renderKeyChange, ttlText } from "../render/key-table.js";
import { tokenize } from "../redis/tokenize.js";
import { scanKeys } from "../redis/scan.js";
import type { Connection } from "../redis/connection.js";
import { metaHelp, groupsOf } from "./help.js";
import type { SandboxSession } from "./session.js";
import { thousands } from "../render/numbers.js";
import { undoMeta, waitMeta } from "./time-meta.js";

/** How many keys :state lists at most, and how many SCAN calls it makes to find them. */
export const STATE_MAX_KEYS = 200;
export const STATE_MAX_SCANS = 20;
const SNAPSHOT_BATCH = 50;

export type MetaResult = { text: string; quit?: boolean };

/** The sandbox's own commands, written with a leading colon. */
export async function runMeta(line: string, session: SandboxSession): Promise<MetaResult> {
  const split = tokenize(line);
  const words = split.ok ? split.args.map((a) => a.toString("utf8")) : line.trim().split(/\s+/);
  const [cmd = "", ...rest] = words;
  const style = session.style;
  switch (cmd.toLowerCase()) {
    case ":quit":
    case ":exit":
    case ":q":
      return { text: "", quit: true };
    case ":help":
      return { text: metaHelp(style, session.docs ? groupsOf(session.docs) : []) };
    case ":code": {
      const code = session.code.code();
      return { text: code ? style.code(code) + "\n" : "No command yet: run one, then :code shows it as an ioredis call.\n" };
    }
    case ":client": {
      const name = rest[0];
      if (!name) return { text: `Clients: ${session.clients.all().map(({ name: n }) => (n === session.current ? `${n} (current)` : n)).join(", ")}\n` };
      if (!/^[A-Za-z0-9_-]{1,16}$/.test(name)) return { text: "A client name is a short word: :client B\n" };
      return { text: (await session.switchTo(name)) + "\n" };
    }
    case ":undo":
      return { text: await undoMeta(session) };
    case ":wait":
      return { text: await waitMeta(session, rest.join(" ") || undefined) };
    case ":set":
      return { text: "" };
    case ":peek": {
      if (!rest[0]) return { text: "Usage: :peek <key>\n" };
      return { text: await peek(session, rest[0]) };
    }
    case ":state": {
      const arg = rest[0];
      if (arg === "off" || arg === "on") {
        session.showState = arg === "on";
        return { text: `Key state after each command: ${arg}.\n` };
      }
      return { text: await state(session, arg ?? "*") };
    }
    default:
      return { text: `Unknown sandbox command ${cmd}. :help lists them.\n` };
  }
}

async function snapshots(conn: Connection, keys: Buffer[], options: ObserveOptions): Promise<KeyState[]> {
  const out: KeyState[] = [];
  for (let i = 0; i < keys.length; i += SNAPSHOT_BATCH) {
    const batch = keys.slice(i, i + SNAPSHOT_BATCH);
    out.push(...((await readStates(options, conn, batch)) ?? []));
  }
  return out;
}

async function state(session: SandboxSession, pattern: string): Promise<string> {
  const conn = await session.readerConn();
  const scan = await scanKeys(conn, pattern, { maxKeys: STATE_MAX_KEYS, maxScans: STATE_MAX_SCANS, count: 100 });
  if (!scan.ok) return `${scan.error}\n`;
  if (!scan.keys.length) return session.style.dim(`No keys match ${pattern}${scan.complete ? "" : " in the part of the keyspace scanned"}.`) + "\n";
  const shown = scan.keys.sort(Buffer.compare);
  const states = await snapshots(conn, shown, session.ctx);
  const table = new Table({
    head: ["key", "type", "TTL", "length", "preview"],
    style: session.style.enabled ? { head: ["cyan"], border: ["grey"] } : { head: [], border: [] },
  });
  for (const s of states) {
    if (!s.exists) continue;
    table.push([quoteBytes(s.key), `${s.type} (${s.encoding})`, ttlText(s), thousands(s.length ?? 0), preview(s)]);
  }
  const more = !scan.complete ? session.style.dim(`Stopped after ${shown.length} keys; narrow it down with :state <pattern>.`) + "\n" : "";
  return table.toString() + "\n" + more;
}

function preview(s: KeyState): string {
  const PREVIEW_CHARS = 40;
  let text: string;
  if (s.type === "string") text = quoteBytes(s.bytes ?? Buffer.alloc(0));
  else {
    const items = (s.head ?? []).slice(0, 4).map((i) => (s.type === "hash" ? `${quoteBytes(i.member)}=${quoteBytes(i.value ?? Buffer.alloc(0))}` : quoteBytes(i.member)));
    text = items.join(" ") + ((s.length ?? 0) > items.length ? " …" : "");
  }
  return text.length > PREVIEW_CHARS ? `${text.slice(0, PREVIEW_CHARS - 1)}…` : text;
}

async function peek(session: SandboxSession, key: string): Promise<string> {
  const conn = await session.readerConn();
  const k = Buffer.from(key, "utf8");
  const [[s], memory] = await Promise.all([readStates(session.ctx, conn, [k]).then((r) => r ?? []), conn.send(["MEMORY", "USAGE", k])]);
  if (!s?.exists) return `${quoteBytes(k)} ${session.style.dim("(no such key)")}\n`;
  const bytes = memory?.type === "integer" ? ` · about ${thousands(memory.value)} bytes of memory` : "";
  return renderKeyChange(s, s, session.style) + "\n" + session.style.dim(`${s.type} stored as ${s.encoding}${bytes}`) + "\n";
}
