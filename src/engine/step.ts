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
 * (one EVAL). When there are more, the rest are counted: before the command by EXISTS, after
 * it from how DBSIZE moved (in the same MULTI/EXEC nothing else runs in between), so the
 * thousands of key names travel once more, not twice: with an EXISTS after as well, a
 * 10,000-pair MSET with its state measured 1.8-2.9x the MSET alone; this way about 1.5x.
 */
function snapshotCommands(keys: readonly Buffer[], atLeast7: boolean, side: "before" | "after"): Buffer[][] {
  if (keys.length <= FULL_STATE_KEYS) return [snapshotCommand(keys, atLeast7)];
  const full = snapshotCommand(keys.slice(0, FULL_STATE_KEYS), atLeast7);
  const dbsize = [Buffer.from("DBSIZE")];
  return side === "before" ? [full, otherKeysCommand(keys.slice(FULL_STATE_KEYS)), dbsize] : [full, dbsize];
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
    const snapBefore = snapshotCommands(keys, ctx.atLeast7, "before");
    const replies = await client.conn.pipeline([...snapBefore, args, ...snapshotCommands(keys, ctx.atLeast7, "after")]);
    const n = snapBefore.length;
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
  const snapBefore = snapshotCommands(keys, ctx.atLeast7, "before");
  const snapAfter = snapshotCommands(keys, ctx.atLeast7, "after");
  const n = snapBefore.length;
  const replies = await client.conn.pipeline([[Buffer.from("MULTI")], ...snapBefore, args, ...snapAfter, [Buffer.from("EXEC")]]);
  const queued = replies[1 + n] as Reply;
  const exec = replies[replies.length - 1] as Reply;
  if (exec.type === "array" && exec.items.length === n + 1 + snapAfter.length) {
    return { args, reply: exec.items[n] as Reply, keys, ...states(keys, exec.items.slice(0, n), exec.items.slice(n + 1)), elapsedMs: 0 };
  }
  // The command was refused while queuing (wrong arity, unknown, ...): that refusal is
  // its reply, exactly what it would say on its own, and nothing changed.
  const state = await client.conn.pipeline(snapBefore);
  const unchanged = states(keys, state, state);
  return { args, reply: queued.type === "error" ? queued : exec, keys, ...unchanged, elapsedMs: 0 };
}

async function runExec(ctx: EngineContext, client: Client, args: Buffer[], now: () => number): Promise<StepResult> {
  const keys = unique(client.queuedKeys);
  const observer = keys.length ? await ctx.observer() : undefined;
  const beforeReply = observer ? await observer.pipeline(snapshotCommands(keys, ctx.atLeast7, "before")) : undefined;
  const start = now();
  const [reply, ...afterReply] = keys.length ? await client.conn.pipeline([args, ...snapshotCommands(keys, ctx.atLeast7, "after")]) : [await client.conn.send(args)];
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
  const others = rest.length ? countOthers(rest, b, a, before, after) : undefined;
  return { ...(b && { before: b }), ...(a && { after: a }), ...(others && { others }) };
}

/**
 * How many of the keys past the first ones exist: EXISTS said so before; after, the keys
 * DBSIZE gained or lost, less those of the keys read in full. One command either creates or
 * deletes keys like these, so the difference tells how many.
 */
function countOthers(rest: Buffer[], b: KeyState[] | undefined, a: KeyState[] | undefined, before: Reply[] | undefined, after: Reply[] | undefined): { before?: OtherKeys; after?: OtherKeys } | undefined {
  const existedBefore = parseOtherKeys(rest, before?.[1]);
  if (!existedBefore) return undefined;
  const size = (r: Reply[] | undefined): number | undefined => {
    const last = r?.at(-1);
    return r && r.length > 1 && last?.type === "integer" ? Number(last.value) : undefined;
  };
  const sizeBefore = size(before);
  const sizeAfter = size(after);
  if (sizeBefore === undefined || sizeAfter === undefined || !b || !a) return { before: existedBefore };
  // The refused-while-queuing path reads the before-state twice: its EXISTS says it directly.
  const direct = after?.length === 3 ? parseOtherKeys(rest, after[1]) : undefined;
  const fullDelta = a.filter((s) => s.exists).length - b.filter((s) => s.exists).length;
  const existing = Math.max(0, Math.min(rest.length, existedBefore.existing + (sizeAfter - sizeBefore) - fullDelta));
  return { before: existedBefore, after: direct ?? { count: rest.length, existing } };
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
    if (k.length) pipeline.push(...snapshotCommands(k, ctx.atLeast7, "before"), args, ...snapshotCommands(k, ctx.atLeast7, "after"));
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
      const n = snapshotCommands(k, ctx.atLeast7, "before").length;
      const count = n + 1 + snapshotCommands(k, ctx.atLeast7, "after").length;
      const items = exec.items.slice(at, at + count);
      at += count;
      results.push({ args, reply: items[n] as Reply, keys: k, ...states(k, items.slice(0, n), items.slice(n + 1)), elapsedMs });
    } else {
      results.push({ args, reply: exec.items[at++] as Reply, keys: k, elapsedMs });
    }
  });
  return results;
}
