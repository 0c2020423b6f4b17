import type { RedisSource } from "../redis/connect.js";
import { ConnectionLost, type Connection } from "../redis/connection.js";
import { parseCommandInfo, type CommandTable, lookupCommand } from "../redis/command-table.js";
import { parseCommandDocs, type CommandDocs } from "../redis/docs.js";
import { formatReply, formatReplyRaw, printsRaw, type ReplyTheme } from "../redis/reply-format.js";
import type { Reply } from "../redis/reply-types.js";
import { versionAtLeast } from "../redis/server-info.js";
import { runStep, touchedKeys, type EngineContext, type StepResult } from "../engine/step.js";
import { Clients, followCommand, type NamedClient } from "../engine/clients.js";
import { bytesToText, renderResultKeys } from "../render/step.js";
import type { Style } from "../render/style.js";
import { explainError, factsWanted, type ErrorFacts } from "./teach.js";
import { LastSeen } from "../engine/lesson-run.js";
import { TOUCH_NOTE } from "../engine/observe.js";
import { UndoLog } from "./undo.js";
import { CodeLog } from "./code-log.js";
import { KEYSPACE_COMMANDS, parseKeyspace, renderKeyspaceChange } from "../render/keyspace.js";

/**
 * The sandbox's clients (A, B, ..., engine/clients.ts) and which one the learner types
 * as, what it knows about the server (the command table and docs), and the last command.
 * Runs commands through the engine and returns what to print; knows nothing about the
 * terminal.
 */
export class SandboxSession {
  readonly clients: Clients;
  current = "A";
  docs: CommandDocs | undefined;
  table: CommandTable = new Map();
  showState = true;
  /** The note that reading touches keys (servers before 7.2) is said once, under the first key table. */
  private touchNoted = false;
  lastArgs: Buffer[] | undefined;
  /** What :code shows: the last command, or the whole transaction, as ioredis code. */
  readonly code = new CodeLog();
  /** Clients whose blocking command goes on in the background, with what they run. */
  readonly waiting = new Map<string, string>();
  /** The line being handled now; a reply arriving for a waiting client is shown after it. */
  busy: Promise<unknown> = Promise.resolve();
  /** Key states as last shown, the fair "before" for a command that waited while others worked. */
  private readonly lastSeen = new LastSeen();
  readonly ctx: EngineContext;
  /** What :undo puts back; on a server the learner brought, only keys made in this session. */
  readonly undo: UndoLog;

  constructor(
    readonly source: RedisSource,
    readonly style: Style,
    readonly theme: ReplyTheme,
  ) {
    this.ctx = {
      table: this.table,
      atLeast7: versionAtLeast(source.info.version, "7.0"),
      noTouch: versionAtLeast(source.info.version, "7.2"),
      // :state off: nothing but the learner's own commands reaches the server.
      observing: () => this.showState,
      observer: () => this.observer(),
    };
    this.clients = Clients.create(source);
    this.undo = new UndoLog(!source.server);
  }

  /** Takes the replies to COMMAND DOCS, COMMAND INFO and NAME_FIRST (CLIENT ID ...), asked with the login (commands/sandbox.ts). */
  init(answers: Reply[]): void {
    const [docs, info, id] = answers;
    this.docs = parseCommandDocs(docs as Reply);
    for (const [k, v] of parseCommandInfo(info as Reply)) this.table.set(k, v);
    this.ctx.fieldTtl = this.table.has("hpttl");
    this.clients.firstNamed(id);
  }

  get client(): NamedClient {
    return this.clients.get(this.current) as NamedClient;
  }

  /** Where to read key state now: inside MULTI every command would be queued, so the tool's own connection. */
  async readerConn(): Promise<Connection> {
    return this.client.inMulti ? this.observer() : this.client.conn;
  }

  /** The database readerConn() reads: the client's, or the observer's (the one the sandbox started in). */
  readerDb(): number {
    return this.client.inMulti ? this.source.target.db : this.client.db;
  }

  /** The tool's own connection, opened again if the server went away since. */
  observer(): Promise<Connection> {
    return this.clients.observer();
  }

  /** Client names are case-insensitive (`:client b` is B); CLIENT LIST shows each by its name. */
  async switchTo(typed: string): Promise<string> {
    const name = typed.toUpperCase();
    if (!this.clients.get(name)) {
      await this.clients.open(name);
      this.current = name;
      return `Now typing as client ${name}, a new connection. :client A goes back.`;
    }
    this.current = name;
    return `Now typing as client ${name}.`;
  }

  /** Whether the command blocks until something happens (BLPOP, XREAD BLOCK, WAIT ...). */
  isBlocking(args: Buffer[]): boolean {
    return lookupCommand(this.table, args)?.flags.has("blocking") ?? false;
  }

  async run(args: Buffer[]): Promise<StepResult> {
    const client = this.client;
    const keeping = await this.keepForUndo(client, args);
    const inMulti = client.inMulti;
    const name0 = args[0]?.toString("latin1").toLowerCase() ?? "";
    const wholeDb = KEYSPACE_COMMANDS.has(name0) && !client.inMulti && this.showState;
    const spaceBefore = wholeDb ? await this.keyspace(client.conn) : undefined;
    const result = await runStep(this.ctx, client, args);
    if (keeping) this.undo.after(result);
    if (spaceBefore) {
      const spaceAfter = await this.keyspace(client.conn);
      if (spaceAfter) this.keyspaceChanges.set(result, renderKeyspaceChange(spaceBefore, spaceAfter, this.style));
    }
    this.lastArgs = args;
    this.code.record(client.name, args, result.reply, inMulti);
    followCommand(client, args, result.reply);
    return result;
  }

  /** Before a command that may write (or EXEC, for what was queued): its keys' state, for :undo. */
  private async keepForUndo(client: NamedClient, args: Buffer[]): Promise<boolean> {
    // :state off reads nothing but what the learner types, so nothing is kept to undo either.
    if (!this.showState) {
      this.undo.drop();
      return false;
    }
    const name = args[0]?.toString("latin1").toLowerCase();
    let keys: Buffer[];
    if (client.inMulti) {
      if (name !== "exec") return false;
      keys = client.queuedKeys;
    } else {
      // Scripts may write, yet the server flags them neither write nor (on 7.0) may_replicate.
      const flags = lookupCommand(this.table, args)?.flags;
      if (!flags?.has("write") && !flags?.has("may_replicate") && !SCRIPTS.has(name ?? "")) return false;
      keys = await touchedKeys(this.ctx, client.conn, args);
    }
    await this.undo.before(await this.readerConn(), this.readerDb(), args, keys, this.ctx.atLeast7);
    return true;
  }

  /** What FLUSHDB, FLUSHALL and SWAPDB did, per database, by their results. */
  private readonly keyspaceChanges = new WeakMap<StepResult, string>();

  private async keyspace(conn: Connection): Promise<Map<number, number> | undefined> {
    const r = await conn.send(["INFO", "keyspace"]).catch(() => undefined);
    return r?.type === "bulk" || r?.type === "verbatim" ? parseKeyspace(r.value.toString("utf8")) : undefined;
  }

  /** Ends the wait of a blocked client, as if its timeout had passed. */
  async unblock(client: NamedClient): Promise<boolean> {
    if (client.id === undefined) return false;
    try {
      const observer = await this.observer();
      const r = await observer.send(["CLIENT", "UNBLOCK", String(client.id)]);
      return r.type === "integer" && r.value === 1n;
    } catch {
      return false;
    }
  }

  /** The reply, an explanation when it is an error, and the before/after state, as text. */
  async present(result: StepResult, blockedMeanwhile = false): Promise<string> {
    if (blockedMeanwhile) this.lastSeen.applyTo(result);
    this.lastSeen.remember(result);
    // What redis-cli prints raw (INFO, CLIENT LIST, ...) it prints raw in a terminal too.
    const raw = printsRaw(result.args);
    let out = bytesToText(raw ? formatReplyRaw(result.reply) : formatReply(result.reply, this.theme));
    if (raw && out !== "" && !out.endsWith("\n")) out += "\n";
    if (result.elapsedMs >= 500) out += this.style.dim(`(${(result.elapsedMs / 1000).toFixed(2)}s)`) + "\n";
    const teaching = await this.explain(result);
    if (teaching) out += this.style.changed(`  ↳ ${teaching}`) + "\n";
    const space = this.keyspaceChanges.get(result);
    if (this.showState && space) out += space + "\n";
    const tables = this.showState ? renderResultKeys(result, this.style) : undefined;
    if (tables) {
      out += tables + "\n";
      if (!this.ctx.noTouch && !this.touchNoted) out += this.style.dim(TOUCH_NOTE) + "\n";
      this.touchNoted = true;
    }
    return out;
  }

  private async explain(result: StepResult): Promise<string | undefined> {
    if (result.reply.type !== "error") return undefined;
    const wanted = factsWanted(result.reply);
    const facts: ErrorFacts = { args: result.args, keyTypes: [] };
    const keys = result.keys.length ? result.keys : await touchedKeys(this.ctx, this.client.conn, result.args).catch(() => []);
    if ((wanted.types || wanted.value) && keys.length && !this.client.inMulti) {
      try {
        const conn = this.client.conn;
        const types = await conn.pipeline(keys.map((k) => [Buffer.from("TYPE"), k]));
        facts.keyTypes = keys.map((k, i) => ({ key: k.toString("utf8"), type: statusText(types[i]) }));
        const str = facts.keyTypes.find((k) => k.type === "string");
        if (wanted.value && str) {
          const v = await conn.send(["GETRANGE", str.key, "0", "99"]);
          if (v.type === "bulk") facts.storedValue = { key: str.key, value: v.value.toString("utf8") };
        }
      } catch {
        // The explanation is a bonus; without the facts there is simply less to say.
      }
    }
    return explainError(result.reply, facts, this.docs);
  }

  close(): void {
    this.clients.close();
  }
}

/** Commands that run a script that may write the keys it names. */
const SCRIPTS = new Set(["eval", "evalsha", "fcall"]);

function statusText(r: Reply | undefined): string {
  return r && (r.type === "status" || r.type === "bulk") ? r.value.toString("utf8") : "none";
}

export { ConnectionLost };
