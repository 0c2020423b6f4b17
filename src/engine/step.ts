import type { Connection } from "../redis/connection.js";
import { lookupCommand, type CommandTable } from "../redis/command-table.js";
import { commandKeys } from "../redis/keys.js";
import type { Reply } from "../redis/reply-types.js";
import { parseSnapshot, type KeyState } from "../redis/snapshot.js";
import { Batch, readStates, type ObserveOptions } from "./observe.js";

/** What one command did: its reply, and the state of every key it touched before and after. */
export interface StepResult {
  args: Buffer[];
  reply: Reply;
  keys: Buffer[];
  before?: KeyState[];
  after?: KeyState[];
  /**
   * Why the keys' state could not be read (an ACL without EVAL, TYPE or OBJECT, say), as
   * the server said it: then before/after are left out, never shown as "no such key".
   */
  stateError?: string;
  elapsedMs: number;
}

/** One named connection (A, B, ...) and whether it is inside a MULTI the learner opened. */
export interface Client {
  name: string;
  conn: Connection;
  inMulti: boolean;
  /** Keys of the commands queued since MULTI, so EXEC can show what they changed. */
  queuedKeys: Buffer[];
}

export interface EngineContext extends ObserveOptions {
  table: CommandTable;
  /** False while the learner has turned key state off (:state off): then nothing but their commands is sent. */
  observing?: () => boolean;
  /** A connection of the tool's own, for reading state while a client is inside MULTI. */
  observer(): Promise<Connection>;
  now?: () => number;
}

const name = (args: readonly Buffer[]): string => (args[0] ?? Buffer.alloc(0)).toString("latin1").toLowerCase();

/** The keys a command touches, from the server's key specs, or COMMAND GETKEYS where the specs cannot say. */
export async function touchedKeys(ctx: EngineContext, conn: Connection, args: Buffer[]): Promise<Buffer[]> {
  if (!lookupCommand(ctx.table, args)) return [];
  const fromSpecs = commandKeys(ctx.table, args);
  if (fromSpecs) return unique(fromSpecs);
  const r = await conn.send([Buffer.from("COMMAND"), Buffer.from("GETKEYS"), ...args]);
  return r.type === "array" ? unique(r.items.flatMap((k) => (k.type === "bulk" ? [k.value] : []))) : [];
}

/** The keys without repeats, in their first order (keys are compared as bytes). */
export function unique(keys: readonly Buffer[]): Buffer[] {
  const seen = new Set<string>();
  return keys.filter((k) => {
    const id = k.toString("latin1");
    if (seen.has(id)) return false;
    seen.add(id);
    return true;
  });
}

/**
 * Runs one command with the state of its keys read just before and just after it.
 * Where the command allows it, all of it is one write, wrapped in MULTI/EXEC so that
 * nothing else runs in between: one round trip. A blocking command is pipelined without
 * MULTI (inside a transaction it would never block); its after-state is read the moment
 * it returns.
 */
export async function runStep(ctx: EngineContext, client: Client, args: Buffer[]): Promise<StepResult> {
  const now = ctx.now ?? Date.now;
  const command = name(args);
  if (ctx.observing?.() === false) return runUnobserved(client, args, command, now);
  const keys = await touchedKeys(ctx, client.conn, args);

  if (client.inMulti && command !== "exec" && command !== "discard" && command !== "reset") {
    const start = now();
    const reply = await client.conn.send(args);
    if (reply.type !== "error") client.queuedKeys.push(...keys);
    return { args, reply, keys, elapsedMs: now() - start };
  }
  if (client.inMulti) return runExec(ctx, client, args, now);

  const start = now();
  let result: StepResult;
  if (keys.length === 0) {
    result = { args, reply: await client.conn.send(args), keys, elapsedMs: 0 };
  } else if (!mayShareTransaction(ctx, args)) {
    const batch = new Batch();
    const before = batch.addRead(ctx, keys);
    const at = batch.add(args);
    const after = batch.addRead(ctx, keys);
    const replies = await client.conn.pipeline(batch.commands);
    result = { args, reply: replies[at] as Reply, keys, ...states(keys, replies[before], replies[after]), elapsedMs: 0 };
  } else {
    result = await runWrapped(ctx, client, args, keys);
  }
  result.elapsedMs = now() - start;
  if (command === "multi" && result.reply.type !== "error") {
    client.inMulti = true;
    client.queuedKeys = [];
  }
  return result;
}

/** With key state off, the command goes alone: no key lookups, no state reads. */
async function runUnobserved(client: Client, args: Buffer[], command: string, now: () => number): Promise<StepResult> {
  const start = now();
  const reply = await client.conn.send(args);
  if (reply.type !== "error") {
    if (command === "multi") client.inMulti = true;
    if (command === "exec" || command === "discard" || command === "reset") client.inMulti = false;
    client.queuedKeys = [];
  }
  return { args, reply, keys: [], elapsedMs: now() - start };
}

async function runWrapped(ctx: EngineContext, client: Client, args: Buffer[], keys: Buffer[]): Promise<StepResult> {
  const batch = new Batch();
  batch.add([Buffer.from("MULTI")]);
  const before = batch.addRead(ctx, keys);
  const at = batch.add(args);
  const after = batch.addRead(ctx, keys);
  const exec = batch.add([Buffer.from("EXEC")]);
  const replies = await client.conn.pipeline(batch.commands);
  const queued = replies[at] as Reply;
  const execReply = replies[exec] as Reply;
  // EXEC's items answer the queued commands, which start after MULTI.
  if (execReply.type === "array" && execReply.items.length === batch.commands.length - 2) {
    const item = (i: number): Reply | undefined => execReply.items[i - 1];
    return { args, reply: item(at) as Reply, keys, ...states(keys, item(before), item(after)), elapsedMs: 0 };
  }
  // A state read refused while queuing (EVAL or CLIENT not allowed to this user): the
  // command runs on its own, and the tables say why they are missing.
  const readRefused = replies.find((r, i) => i > 0 && i !== at && i !== exec && r?.type === "error");
  if (readRefused && queued.type !== "error") {
    return { args, reply: await client.conn.send(args), keys, stateError: errorLine(readRefused), elapsedMs: 0 };
  }
  // The command was refused while queuing (wrong arity, unknown, ...): that refusal is
  // its reply, exactly what it would say on its own, and nothing changed.
  const again = new Batch();
  const read = again.addRead(ctx, keys);
  const state = (await client.conn.pipeline(again.commands))[read] as Reply;
  const unchanged = parseSnapshot(keys, state);
  return { args, reply: queued.type === "error" ? queued : execReply, keys, ...(unchanged ? { before: unchanged, after: unchanged } : { stateError: errorLine(state) }), elapsedMs: 0 };
}

async function runExec(ctx: EngineContext, client: Client, args: Buffer[], now: () => number): Promise<StepResult> {
  const keys = unique(client.queuedKeys);
  const before = keys.length ? await readStates(ctx, await ctx.observer(), keys) : undefined;
  const start = now();
  const batch = new Batch();
  const at = batch.add(args);
  const after = keys.length ? batch.addRead(ctx, keys) : -1;
  const replies = await client.conn.pipeline(batch.commands);
  client.inMulti = false;
  client.queuedKeys = [];
  const afterStates = after >= 0 ? parseSnapshot(keys, replies[after] as Reply) : undefined;
  return { args, reply: replies[at] as Reply, keys, ...(before && { before }), ...(afterStates && { after: afterStates }), elapsedMs: now() - start };
}

function states(keys: Buffer[], before: Reply | undefined, after: Reply | undefined): { before?: KeyState[]; after?: KeyState[]; stateError?: string } {
  const b = before && parseSnapshot(keys, before);
  const a = after && parseSnapshot(keys, after);
  // Half a picture would mislead: a key read before but not after would show as "no such key".
  if ((before && !b) || (after && !a)) return { stateError: errorLine((before && !b ? before : after) as Reply) };
  return { ...(b && { before: b }), ...(a && { after: a }) };
}

/** The first line of an error reply, bounded: what the key table's place shows. */
function errorLine(r: Reply): string {
  const text = r.type === "error" ? r.value.toString("utf8") : `unexpected ${r.type} reply`;
  const line = (text.split(/\r?\n/)[0] ?? "").replace(/ script: [0-9a-f]{40}, on @user_script:\d+\.?$/, "");
  return line.length > 120 ? line.slice(0, 119) + "…" : line;
}

/** Commands that change how the connection itself behaves: they never share a transaction with others. */
const TRANSACTION_CONTROL = new Set(["multi", "exec", "discard", "watch", "unwatch", "reset", "select", "hello", "auth"]);

/**
 * Whether a command can run inside MULTI/EXEC with the snapshots around it: not one
 * that blocks (inside a transaction it never would), nor one the server keeps out of
 * scripts or transactions. A command the table does not know is sent as it is.
 */
function mayShareTransaction(ctx: EngineContext, args: Buffer[]): boolean {
  const meta = lookupCommand(ctx.table, args);
  return meta !== undefined && !meta.flags.has("blocking") && !meta.flags.has("noscript") && !meta.flags.has("no_multi");
}

/**
 * Runs several commands of one step. When each of them may sit inside a transaction,
 * all of them (with the state of their keys between them) travel as one MULTI/EXEC:
 * one round trip for the whole step. Otherwise they run one after the other.
 */
export async function runSteps(ctx: EngineContext, client: Client, commands: Buffer[][]): Promise<StepResult[]> {
  const sequential = async (): Promise<StepResult[]> => {
    const out: StepResult[] = [];
    for (const args of commands) out.push(await runStep(ctx, client, args));
    return out;
  };
  if (commands.length < 2 || client.inMulti || ctx.observing?.() === false) return sequential();
  if (commands.some((args) => TRANSACTION_CONTROL.has(name(args)) || !mayShareTransaction(ctx, args))) return sequential();
  const keys = await Promise.all(commands.map((args) => touchedKeys(ctx, client.conn, args)));
  const batch = new Batch();
  batch.add([Buffer.from("MULTI")]);
  const places = commands.map((args, i) => {
    const k = keys[i] as Buffer[];
    if (!k.length) return { at: batch.add(args) };
    const before = batch.addRead(ctx, k);
    const at = batch.add(args);
    return { before, at, after: batch.addRead(ctx, k) };
  });
  batch.add([Buffer.from("EXEC")]);
  const now = ctx.now ?? Date.now;
  const start = now();
  const replies = await client.conn.pipeline(batch.commands);
  const exec = replies[replies.length - 1] as Reply;
  // Refused while queuing (wrong arity, say): nothing ran, so each runs on its own and says why.
  if (exec.type !== "array") return sequential();
  const elapsedMs = (now() - start) / commands.length;
  // EXEC's items answer the queued commands, which start after MULTI.
  const item = (i: number | undefined): Reply | undefined => (i === undefined ? undefined : exec.items[i - 1]);
  const results: StepResult[] = commands.map((args, i) => {
    const k = keys[i] as Buffer[];
    const p = places[i] as { before?: number; at: number; after?: number };
    return { args, reply: item(p.at) as Reply, keys: k, ...(k.length ? states(k, item(p.before), item(p.after)) : {}), elapsedMs };
  });
  return results;
}
