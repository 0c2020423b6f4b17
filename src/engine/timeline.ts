import type { RedisSource } from "../redis/connect.js";
import type { Connection } from "../redis/connection.js";
import { parseCommandInfo, type CommandTable } from "../redis/command-table.js";
import { versionAtLeast } from "../redis/server-info.js";
import { UserError } from "../errors.js";
import { runStep, runSteps, type EngineContext, type StepResult } from "./step.js";
import { Clients, followCommand, type NamedClient } from "./clients.js";
import { skipTime, type TimeSkip } from "./time-skip.js";

/** How long a `receive` waits for a blocked command before calling the lesson broken. */
export const RECEIVE_TIMEOUT_MS = 10_000;

/**
 * Several named clients acting on one server in order: B runs BLPOP and blocks, A
 * pushes, B's reply arrives. The clients are the run's Clients (clients.ts): A is the
 * source's first connection; others are opened when first named.
 */
export class Timeline {
  private readonly blocked = new Map<string, Promise<StepResult>>();
  /** Clients whose blocked command ended with a restart (reconnectAll): receive() says so. */
  private readonly abandoned = new Map<string, UserError>();
  /** Every key the timeline's commands named: the only ones passTime moves. */
  private readonly touched = new Map<string, Buffer>();

  private constructor(
    readonly clients: Clients,
    readonly ctx: EngineContext,
  ) {}

  /** Asks the server for its command table (one round trip, unless given) and sets up the clients. */
  static async create(source: RedisSource, table?: CommandTable): Promise<Timeline> {
    const commands = table ?? (await loadCommandTable(source.conn));
    const clients = Clients.create(source);
    const ctx: EngineContext = {
      table: commands,
      atLeast7: versionAtLeast(source.info.version, "7.0"),
      noTouch: versionAtLeast(source.info.version, "7.2"),
      // Asked of the server's own command table, not of its version (Valkey 8 has no HPTTL).
      fieldTtl: commands.has("hpttl"),
      observer: () => clients.observer(),
    };
    return new Timeline(clients, ctx);
  }

  client(name: string): Promise<NamedClient> {
    return this.clients.open(name);
  }

  observer(): Promise<Connection> {
    return this.clients.observer();
  }

  /**
   * After the server restarted (a lesson's `restart` step): every client on a new
   * connection. A blocked command cannot outlive its connection: receiving it fails,
   * saying why, rather than waiting for a reply that will never come.
   */
  async reconnectAll(): Promise<void> {
    for (const name of this.blocked.keys()) {
      this.abandoned.set(name, new UserError(`client ${name} was blocked when the server restarted, and a blocked command does not outlive its connection`));
    }
    this.blocked.clear();
    await this.clients.reconnectAll();
  }

  /** Several commands of one step, in one round trip where they allow it. */
  async runAll(name: string, commands: Buffer[][]): Promise<StepResult[]> {
    const client = await this.client(name);
    const results = await runSteps(this.ctx, client, commands);
    for (const r of results) followCommand(client, r.args, r.reply);
    this.note(results);
    return results;
  }

  private note(results: StepResult[]): StepResult[] {
    for (const r of results) for (const k of r.keys) this.touched.set(k.toString("latin1"), k);
    return results;
  }

  /**
   * A `wait` without sleeping: the deadlines of the keys this timeline's commands named
   * move earlier by the wait (see time-skip.ts). Keys it never named keep theirs, so on
   * a server the learner brought only the lesson's own keys are moved.
   */
  async passTime(ms: number): Promise<TimeSkip> {
    return skipTime(await this.observer(), [...this.touched.values()], ms, this.ctx.atLeast7);
  }

  /** Starts a command that is expected to block; its result is collected by receive(). */
  async start(name: string, args: Buffer[]): Promise<void> {
    const client = await this.client(name);
    const running = runStep(this.ctx, client, args).then((r) => (followCommand(client, r.args, r.reply), this.note([r]), r));
    // Not awaited here: a failure surfaces when the reply is received.
    running.catch(() => {});
    this.abandoned.delete(name);
    this.blocked.set(name, running);
  }

  /** Whether any client has a command still waiting to be received. */
  hasWaiting(): boolean {
    return this.blocked.size > 0;
  }

  async receive(name: string, timeoutMs = RECEIVE_TIMEOUT_MS): Promise<StepResult> {
    const abandoned = this.abandoned.get(name);
    this.abandoned.delete(name);
    if (abandoned) throw abandoned;
    const running = this.blocked.get(name);
    if (!running) throw new UserError(`client ${name} is not waiting for anything`);
    this.blocked.delete(name);
    let timer: NodeJS.Timeout | undefined;
    try {
      return await Promise.race([
        running,
        new Promise<never>((_, reject) => {
          timer = setTimeout(() => reject(new UserError(`client ${name} was still blocked after ${timeoutMs / 1000} s`)), timeoutMs);
        }),
      ]);
    } finally {
      clearTimeout(timer);
    }
  }

  /** Closes the extra connections (A belongs to the source). */
  close(): void {
    this.clients.close();
  }
}

export async function loadCommandTable(conn: Connection): Promise<CommandTable> {
  return parseCommandInfo(await conn.send(COMMAND_INFO));
}

/** Ask it with the login (openRedis's `ask`) to save a round trip; parse with parseCommandInfo. */
export const COMMAND_INFO = ["COMMAND", "INFO"];
/** Asked with the login too where hints and completion need it; parse with parseCommandDocs. */
export const COMMAND_DOCS = ["COMMAND", "DOCS"];
