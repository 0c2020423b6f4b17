import type { Connection } from "../redis/connection.js";
import { lookupCommand, type CommandTable } from "../redis/command-table.js";
import { commandKeys } from "../redis/keys.js";
import type { Reply } from "../redis/reply-types.js";
import { FULL_STATE_KEYS, otherKeysCommand, parseOtherKeys, parseSnapshot, snapshotCommand, type KeyState, type OtherKeys } from "../redis/snapshot.js";

/** What one command did: its reply, and the state of every key it touched before and after. */
export interface StepResult {
  args: Buffer[];
  reply: Reply;
  keys: Buffer[];
  before?: KeyState[];
  after?: KeyState[];
  /** Past the first FULL_STATE_KEYS keys (whose states are before and after), the rest counted. */
  others?: { before?: OtherKeys; after?: OtherKeys };
  elapsedMs: number;
}

/**
 * A command's snapshot, as the commands that read it: its first FULL_STATE_KEYS keys in full
 * (one EVAL), and when there are more, an EXISTS that counts the rest.
 */
function snapshotCommands(keys: readonly Buffer[], atLeast7: boolean): Buffer[][] {
  if (keys.length <= FULL_STATE_KEYS) return [snapshotCommand(keys, atLeast7)];
  return [snapshotCommand(keys.slice(0, FULL_STATE_KEYS), atLeast7), otherKeysCommand(keys.slice(FULL_STATE_KEYS))];
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
    const snap = snapshotCommands(keys, ctx.atLeast7);
    const replies = await client.conn.pipeline([...snap, args, ...snap]);
    const n = snap.length;
    result = { args, reply: replies[n] as Reply, keys, ...states(keys, replies.slice(0, n), replies.slice(n + 1)), elapsedMs: 0 };
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
  const snap = snapshotCommands(keys, ctx.atLeast7);
  const n = snap.length;
  const replies = await client.conn.pipeline([[Buffer.from("MULTI")], ...snap, args, ...snap, [Buffer.from("EXEC")]]);
  const queued = replies[1 + n] as Reply;
  const exec = replies[replies.length - 1] as Reply;
  if (exec.type === "array" && exec.items.length === 2 * n + 1) {
    return { args, reply: exec.items[n] as Reply, keys, ...states(keys, exec.items.slice(0, n), exec.items.slice(n + 1)), elapsedMs: 0 };
  }
  // The command was refused while queuing (wrong arity, unknown, ...): that refusal is
  // its reply, exactly what it would say on its own, and nothing changed.
  const state = await client.conn.pipeline(snap);
  const unchanged = states(keys, state, state);
  return { args, reply: queued.type === "error" ? queued : exec, keys, ...unchanged, elapsedMs: 0 };
}

async function runExec(ctx: EngineContext, client: Client, args: Buffer[], now: () => number): Promise<StepResult> {
  const keys = unique(client.queuedKeys);
  const observer = keys.length ? await ctx.observer() : undefined;
  const snap = snapshotCommands(keys, ctx.atLeast7);
  const beforeReply = observer ? await observer.pipeline(snap) : undefined;
  const start = now();
  const [reply, ...afterReply] = keys.length ? await client.conn.pipeline([args, ...snap]) : [await client.conn.send(args)];
  client.inMulti = false;
  client.queuedKeys = [];
  return { args, reply: reply as Reply, keys, ...states(keys, beforeReply, keys.length ? afterReply : undefined), elapsedMs: now() - start };
}

/** The replies to snapshotCommands before and after the command, as key states and counts. */
function states(keys: Buffer[], before: Reply[] | undefined, after: Reply[] | undefined): Pick<StepResult, "before" | "after" | "others"> {
  const full = keys.slice(0, FULL_STATE_KEYS);
  const rest = keys.slice(FULL_STATE_KEYS);
  const b = before?.[0] && parseSnapshot(full, before[0]);
  const a = after?.[0] && parseSnapshot(full, after[0]);
  const ob = rest.length ? parseOtherKeys(rest, before?.[1]) : undefined;
  const oa = rest.length ? parseOtherKeys(rest, after?.[1]) : undefined;
  return { ...(b && { before: b }), ...(a && { after: a }), ...((ob || oa) && { others: { ...(ob && { before: ob }), ...(oa && { after: oa }) } }) };
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
    if (k.length) pipeline.push(...snapshotCommands(k, ctx.atLeast7), args, ...snapshotCommands(k, ctx.atLeast7));
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
      const n = snapshotCommands(k, ctx.atLeast7).length;
      const items = exec.items.slice(at, at + 2 * n + 1);
      at += 2 * n + 1;
      results.push({ args, reply: items[n] as Reply, keys: k, ...states(k, items.slice(0, n), items.slice(n + 1)), elapsedMs });
    } else {
      results.push({ args, reply: exec.items[at++] as Reply, keys: k, elapsedMs });
    }
  });
  return results;
}
