import type { RedisSource } from "../redis/connect.js";
import type { Connection } from "../redis/connection.js";
import type { Reply } from "../redis/reply-types.js";
import type { Client } from "./step.js";

/**
 * A client of a lesson, a quiz or the sandbox (A, B, ...): CLIENT LIST shows it by its
 * name, CLIENT UNBLOCK reaches it by its id, and a new connection for it goes back to
 * its database. Which server it is on is its connection's (conn.target).
 */
export interface NamedClient extends Client {
  /** What CLIENT ID said; undefined where the server would not say (an ACL without CLIENT). */
  id: bigint | undefined;
  /** The database it is in, as SELECT and RESET left it (followCommand). */
  db: number;
}

/** Asked with the login of a client's connection: opening, naming and identifying it take one round trip. */
function naming(name: string): string[][] {
  return [
    ["CLIENT", "ID"],
    ["CLIENT", "SETNAME", name],
  ];
}

/**
 * Asked last with the login (openRedis's `ask`), so that A is named without a round trip
 * of its own: then hand firstIdAsked(source.answers) to Clients.firstNamed.
 */
export const NAME_FIRST = naming("A");

/** The reply to NAME_FIRST's CLIENT ID, when NAME_FIRST was the last thing asked with the login. */
export function firstIdAsked(answers: readonly Reply[]): Reply | undefined {
  return answers[answers.length - NAME_FIRST.length];
}

/**
 * The clients of one run and the tool's own connection (the observer, which reads key
 * state), on the server behind the source. Lessons and quizzes hold one through their
 * Timeline, the sandbox through its session. Client A is the source's first connection,
 * and source.conn stays A's connection when A gets a new one, so code that holds the
 * source (key claims, clean-up) keeps working.
 */
export class Clients {
  private readonly byName = new Map<string, NamedClient>();
  private readonly opening = new Map<string, Promise<NamedClient>>();
  /** A until it is named: the source opened it without CLIENT SETNAME. */
  private unnamedFirst: NamedClient | undefined;
  private observerConn: Promise<Connection> | undefined;

  private constructor(readonly source: RedisSource) {}

  static create(source: RedisSource): Clients {
    const clients = new Clients(source);
    const a: NamedClient = { name: "A", conn: source.conn, inMulti: false, queuedKeys: [], id: undefined, db: source.target.db };
    clients.byName.set("A", a);
    clients.unnamedFirst = a;
    return clients;
  }

  get(name: string): NamedClient | undefined {
    return this.byName.get(name);
  }

  /** A client as it is, or opened on first use: a new connection in the source's database, named, its CLIENT ID known. */
  async open(name: string): Promise<NamedClient> {
    const known = this.byName.get(name);
    if (known) {
      if (known === this.unnamedFirst) {
        const [id] = await known.conn.pipeline(naming(name));
        this.firstNamed(id);
      }
      return known;
    }
    let opening = this.opening.get(name);
    if (!opening) {
      opening = this.connectFor(name, this.source.target.db)
        .then(({ conn, id }) => {
          const client: NamedClient = { name, conn, inMulti: false, queuedKeys: [], id, db: this.source.target.db };
          this.byName.set(name, client);
          return client;
        })
        .finally(() => this.opening.delete(name));
      this.opening.set(name, opening);
    }
    return opening;
  }

  /** A was named with the login (NAME_FIRST asked with it); `id` is the reply to its CLIENT ID. */
  firstNamed(id: Reply | undefined): void {
    const a = this.byName.get("A") as NamedClient;
    a.id = idOf(id);
    this.unnamedFirst = undefined;
  }

  /** Every client, A first, in the order they were opened. */
  all(): NamedClient[] {
    return [...this.byName.values()];
  }

  /** The tool's own connection, in the source's database; opened again if it was closed or lost. */
  async observer(): Promise<Connection> {
    const pending = this.observerConn;
    const current = await pending?.catch(() => undefined);
    // Two callers who both found it gone open one connection, not two.
    if (this.observerConn === pending && (!current || current.closed)) this.observerConn = this.source.connect();
    return this.observerConn as Promise<Connection>;
  }

  /** One client gets a fresh connection (after SUBSCRIBE, MONITOR or a lost connection): same name, same database. */
  async reconnect(client: NamedClient): Promise<void> {
    const stale = client.conn;
    stale.close();
    const { conn, id } = await this.connectFor(client.name, client.db);
    client.conn = conn;
    client.id = id;
    client.inMulti = false;
    client.queuedKeys = [];
    if (this.byName.get("A") === client) {
      // source.restartServer leaves a connection of its own there: A's new one takes its place.
      if (this.source.conn !== stale) this.source.conn.close();
      this.source.conn = conn;
      this.unnamedFirst = undefined;
    }
  }

  /**
   * After the server behind restarted (on the same address, or where source.restartServer
   * moved it): every client and the observer get new connections, with their names and
   * databases; what a connection was doing (MULTI, SUBSCRIBE, a blocked command) ends.
   */
  async reconnectAll(): Promise<void> {
    const observer = this.observerConn;
    this.observerConn = undefined;
    void observer?.then((c) => c.close(), () => {});
    await Promise.all(this.all().map((c) => this.reconnect(c)));
    if (observer) await this.observer();
  }

  /** The private server died: a new one (source.restartServer), and every client on it. */
  async startNewServer(): Promise<void> {
    await this.source.restartServer();
    await this.reconnectAll();
  }

  /** Closes every connection but A's, which belongs to the source (source.close ends it). */
  close(): void {
    for (const c of this.byName.values()) if (c.conn !== this.source.conn) c.conn.close();
    void this.observerConn?.then((c) => c.close(), () => {});
  }

  /**
   * Where a client's connection goes: today the one server behind the source. Clients
   * bound to a node (replication, cluster) would be sent to theirs from here.
   */
  private async connectFor(name: string, db: number): Promise<{ conn: Connection; id: bigint | undefined }> {
    const { conn, replies } = await this.source.connectWith(naming(name), db);
    return { conn, id: idOf(replies[0]) };
  }
}

/**
 * What a command did to the state of its connection that the model keeps: SELECT moves
 * the client to another database, RESET back to the first and out of MULTI. Inside MULTI
 * SELECT is only queued (its reply is QUEUED, not OK): then nothing changes yet.
 */
export function followCommand(client: NamedClient, args: readonly Buffer[], reply: Reply): void {
  const name = args[0]?.toString("latin1").toLowerCase();
  if (name === "select" && args[1] && reply.type === "status" && reply.value.toString("latin1") === "OK") client.db = Number(args[1].toString());
  if (name === "reset" && reply.type !== "error") {
    client.db = 0;
    client.inMulti = false;
    client.queuedKeys = [];
  }
}

function idOf(reply: Reply | undefined): bigint | undefined {
  return reply?.type === "integer" ? reply.value : undefined;
}
