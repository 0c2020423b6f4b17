import type { Connection } from "../redis/connection.js";
import { lookupCommand, type CommandTable } from "../redis/command-table.js";
import { commandKeys } from "../redis/keys.js";
import type { Reply } from "../redis/reply-types.js";
import { parseSnapshot, snapshotCommand, type KeyState } from "../redis/snapshot.js";

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

export interface EngineContext {
  table: CommandTable;
  atLeast7: boolean;
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

function unique(keys: Buffer[]): Buffer[] {
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
    const [before, reply, after] = await client.conn.pipeline([snapshotCommand(keys, ctx.atLeast7), args, snapshotCommand(keys, ctx.atLeast7)]);
    result = { args, reply: reply as Reply, keys, ...states(keys, before, after), elapsedMs: 0 };
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

async function runWrapped(ctx: EngineContext, client: Client, args: Buffer[], keys: Buffer[]): Promise<StepResult> {
  const snap = snapshotCommand(keys, ctx.atLeast7);
  const replies = await client.conn.pipeline([[Buffer.from("MULTI")], snap, args, snap, [Buffer.from("EXEC")]]);
  const queued = replies[2] as Reply;
  const exec = replies[4] as Reply;
  const refused = replies[1] as Reply;
  if (exec.type !== "array" && refused.type === "error" && queued.type !== "error") {
    // The state read itself was refused (EVAL not allowed): the command runs on its own.
    return { args, reply: await client.conn.send(args), keys, stateError: errorLine(refused), elapsedMs: 0 };
  }
  if (exec.type === "array" && exec.items.length === 3) {
    const [before, reply, after] = exec.items;
    return { args, reply: reply as Reply, keys, ...states(keys, before, after), elapsedMs: 0 };
  }
  // The command was refused while queuing (wrong arity, unknown, ...): that refusal is
  // its reply, exactly what it would say on its own, and nothing changed.
  const [state] = await client.conn.pipeline([snap]);
  const unchanged = parseSnapshot(keys, state as Reply);
  return { args, reply: queued.type === "error" ? queued : exec, keys, ...(unchanged ? { before: unchanged, after: unchanged } : { stateError: errorLine(state as Reply) }), elapsedMs: 0 };
}

async function runExec(ctx: EngineContext, client: Client, args: Buffer[], now: () => number): Promise<StepResult> {
  const keys = unique(client.queuedKeys);
  const observer = keys.length ? await ctx.observer() : undefined;
  const beforeReply = observer ? await observer.send(snapshotCommand(keys, ctx.atLeast7)) : undefined;
  const start = now();
  const [reply, afterReply] = keys.length
    ? await client.conn.pipeline([args, snapshotCommand(keys, ctx.atLeast7)])
    : [await client.conn.send(args), undefined];
  client.inMulti = false;
  client.queuedKeys = [];
  return { args, reply: reply as Reply, keys, ...states(keys, beforeReply, afterReply), elapsedMs: now() - start };
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
  if (commands.length < 2 || client.inMulti) return sequential();
  if (commands.some((args) => TRANSACTION_CONTROL.has(name(args)) || !mayShareTransaction(ctx, args))) return sequential();
  const keys = await Promise.all(commands.map((args) => touchedKeys(ctx, client.conn, args)));
  const pipeline: Buffer[][] = [[Buffer.from("MULTI")]];
  commands.forEach((args, i) => {
    const k = keys[i] as Buffer[];
    if (k.length) pipeline.push(snapshotCommand(k, ctx.atLeast7), args, snapshotCommand(k, ctx.atLeast7));
    else pipeline.push(args);
  });
  pipeline.push([Buffer.from("EXEC")]);
  const now = ctx.now ?? Date.now;
  const start = now();
  const replies = await client.conn.pipeline(pipeline);
  const exec = replies[replies.length - 1] as Reply;
  // Refused while queuing (wrong arity, say): nothing ran, so each runs on its own and says why.
  if (exec.type !== "array") return sequential();
  const elapsedMs = (now() - start) / commands.length;
  const results: StepResult[] = [];
  let at = 0;
  commands.forEach((args, i) => {
    const k = keys[i] as Buffer[];
    if (k.length) {
      const [before, reply, after] = exec.items.slice(at, at + 3);
      at += 3;
      results.push({ args, reply: reply as Reply, keys: k, ...states(k, before, after), elapsedMs });
    } else {
      results.push({ args, reply: exec.items[at++] as Reply, keys: k, elapsedMs });
    }
  });
  return results;
}
