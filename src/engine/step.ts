import type { Connection } from "../redis/connection.js";
import { lookupCommand, type CommandTable } from "../redis/command-table.js";
import { commandKeys } from "../redis/keys.js";
import type { Reply } from "../redis/reply-types.js";
import { FULL_STATE_KEYS, parseOtherKeys, parseSnapshot, type KeyState, type OtherKeys } from "../redis/snapshot.js";
import { Batch, type ObserveOptions, type ReadPlace } from "./observe.js";

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
  /** Past the first FULL_STATE_KEYS keys (whose states are before and after), the rest counted. */
  others?: { before?: OtherKeys; after?: OtherKeys };
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
    const before = batch.addRead(ctx, keys, "before");
    const at = batch.add(args);
    const after = batch.addRead(ctx, keys, "after");
    const replies = await client.conn.pipeline(batch.commands);
    const reply = (i: number): Reply | undefined => replies[i];
    result = { args, reply: replies[at] as Reply, keys, ...states(keys, parts(reply, before), parts(reply, after)), elapsedMs: 0 };
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
  const before = batch.addRead(ctx, keys, "before");
  const at = batch.add(args);
  const after = batch.addRead(ctx, keys, "after");
  const exec = batch.add([Buffer.from("EXEC")]);
  const replies = await client.conn.pipeline(batch.commands);
  const queued = replies[at] as Reply;
  const execReply = replies[exec] as Reply;
  // EXEC's items answer the queued commands, which start after MULTI.
  if (execReply.type === "array" && execReply.items.length === batch.commands.length - 2) {
    const item = (i: number): Reply | undefined => execReply.items[i - 1];
    return { args, reply: item(at) as Reply, keys, ...states(keys, parts(item, before), parts(item, after)), elapsedMs: 0 };
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
  const read = again.addRead(ctx, keys, "before");
  const state = await client.conn.pipeline(again.commands);
  const unchanged = parts((i) => state[i], read);
  return { args, reply: queued.type === "error" ? queued : execReply, keys, ...states(keys, unchanged, unchanged), elapsedMs: 0 };
}

async function runExec(ctx: EngineContext, client: Client, args: Buffer[], now: () => number): Promise<StepResult> {
  const keys = unique(client.queuedKeys);
  let before: StateParts | undefined;
  if (keys.length) {
    const first = new Batch();
    const read = first.addRead(ctx, keys, "before");
    const replies = await (await ctx.observer()).pipeline(first.commands);
    before = parts((i) => replies[i], read);
  }
  const start = now();
  const batch = new Batch();
  const at = batch.add(args);
  const after = keys.length ? batch.addRead(ctx, keys, "after") : undefined;
  const replies = await client.conn.pipeline(batch.commands);
  client.inMulti = false;
  client.queuedKeys = [];
  const afterParts = after && parts((i) => replies[i], after);
  return { args, reply: replies[at] as Reply, keys, ...(keys.length ? states(keys, before, afterParts) : {}), elapsedMs: now() - start };
}

/** The replies of one read of key state (see Batch.addRead). */
interface StateParts {
  full?: Reply;
  exists?: Reply;
  dbsize?: Reply;
}

function parts(reply: (i: number) => Reply | undefined, place: ReadPlace): StateParts {
  return {
    full: reply(place.full),
    ...(place.exists !== undefined && { exists: reply(place.exists) }),
    ...(place.dbsize !== undefined && { dbsize: reply(place.dbsize) }),
  };
}

/** Key states from the reads before and after a command: the first keys in full, the rest counted. */
function states(keys: Buffer[], before: StateParts | undefined, after: StateParts | undefined): Pick<StepResult, "before" | "after" | "others" | "stateError"> {
  const full = keys.slice(0, FULL_STATE_KEYS);
  const rest = keys.slice(FULL_STATE_KEYS);
  const b = before?.full && parseSnapshot(full, before.full);
  const a = after?.full && parseSnapshot(full, after.full);
  // Half a picture would mislead: a key read before but not after would show as "no such key".
  if ((before?.full && !b) || (after?.full && !a)) return { stateError: errorLine((before?.full && !b ? before.full : after?.full) as Reply) };
  const others = rest.length ? countOthers(rest, b, a, before, after) : undefined;
  return { ...(b && { before: b }), ...(a && { after: a }), ...(others && { others }) };
}

/**
 * How many of the keys past the first ones exist: EXISTS said so before; after, the keys
 * DBSIZE gained or lost, less those of the keys read in full. One command either creates or
 * deletes keys like these, so the difference tells how many.
 */
function countOthers(rest: Buffer[], b: KeyState[] | undefined, a: KeyState[] | undefined, before: StateParts | undefined, after: StateParts | undefined): { before?: OtherKeys; after?: OtherKeys } | undefined {
  const existedBefore = parseOtherKeys(rest, before?.exists);
  if (!existedBefore) return undefined;
  // A read that counted the keys itself (the refused-while-queuing path reads "before" twice) says it directly.
  const direct = parseOtherKeys(rest, after?.exists);
  if (direct) return { before: existedBefore, after: direct };
  const size = (r: Reply | undefined): number | undefined => (r?.type === "integer" ? Number(r.value) : undefined);
  const sizeBefore = size(before?.dbsize);
  const sizeAfter = size(after?.dbsize);
  if (sizeBefore === undefined || sizeAfter === undefined || !b || !a) return { before: existedBefore };
  const fullDelta = a.filter((s) => s.exists).length - b.filter((s) => s.exists).length;
  const existing = Math.max(0, Math.min(rest.length, existedBefore.existing + (sizeAfter - sizeBefore) - fullDelta));
  return { before: existedBefore, after: { count: rest.length, existing } };
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
    const before = batch.addRead(ctx, k, "before");
    const at = batch.add(args);
    return { before, at, after: batch.addRead(ctx, k, "after") };
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
  const item = (i: number): Reply | undefined => exec.items[i - 1];
  const results: StepResult[] = commands.map((args, i) => {
    const k = keys[i] as Buffer[];
    const p = places[i] as { before?: ReadPlace; at: number; after?: ReadPlace };
    const read = p.before && p.after ? states(k, parts(item, p.before), parts(item, p.after)) : {};
    return { args, reply: item(p.at) as Reply, keys: k, ...read, elapsedMs };
  });
  return results;
}
