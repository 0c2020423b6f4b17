import { Connection } from "./connection.js";
import { startPrivateServer, type PrivateServer } from "./server.js";
import { parseRedisUrl, type Target } from "./target.js";
import { parseServerInfo, SERVER_INFO_COMMANDS, type ServerInfo } from "./server-info.js";
import type { Reply } from "./reply-types.js";
import { redact } from "./redact.js";

export interface RedisOptions {
  /** --url; falls back to REDIS_URL. */
  url?: string;
  tlsCa?: string;
  env?: NodeJS.ProcessEnv;
}

export interface OpenOptions {
  /** Commands to send with the login, in the same round trip (COMMAND INFO, COMMAND DOCS ...). */
  ask?: string[][];
}

/** Where this run's commands go: a private throwaway server, or one the person brought with --url. */
export interface RedisSource {
  target: Target;
  /** Set when the server is ours: then anything goes, and it disappears when we exit. */
  server?: PrivateServer;
  info: ServerInfo;
  /** The first connection, already logged in. */
  conn: Connection;
  /** The replies to OpenOptions.ask, in order. */
  answers: Reply[];
  /** Another connection to the same place, for a second client (B) or the tool's own queries. */
  connect(): Promise<Connection>;
  /**
   * The same in database `db`, with `ask` sent in the login's round trip (CLIENT ID and
   * CLIENT SETNAME for a named client, engine/clients.ts); the replies to `ask` in order.
   */
  connectWith(ask: readonly (readonly string[])[], db?: number): Promise<{ conn: Connection; replies: Reply[] }>;
  /** One line for stderr: what we are using. */
  describe(): string;
  /**
   * For a private server that has died: starts a fresh one and points this source (target,
   * server, conn, connect) at it. Connections opened before are closed; reopen them.
   */
  restartServer(): Promise<void>;
  close(): Promise<void>;
}

export async function openRedis(options: RedisOptions = {}, open: OpenOptions = {}): Promise<RedisSource> {
  const env = options.env ?? process.env;
  const url = options.url ?? env.REDIS_URL;
  let server: PrivateServer | undefined;
  let target: Target;
  if (url) {
    target = parseRedisUrl(url, options.tlsCa);
  } else {
    // It stops itself however this process ends (see startPrivateServer).
    server = await startPrivateServer({ env });
    target = privateTarget(server);
  }
  const { conn, replies } = await Connection.openWith(target, [...SERVER_INFO_COMMANDS, ...(open.ask ?? [])]);
  const info = parseServerInfo(replies[0], replies[1]);
  const answers = replies.slice(SERVER_INFO_COMMANDS.length);
  const opened: Connection[] = [conn];
  const source: RedisSource = {
    target,
    info,
    conn,
    answers,
    ...(server && { server }),
    async connect() {
      return (await source.connectWith([])).conn;
    },
    async connectWith(ask, db = target.db) {
      const opening = await Connection.openWith({ ...target, db }, ask);
      // Closed ones are let go: a long sandbox session reconnects many times.
      for (let i = opened.length - 1; i >= 0; i--) if (opened[i]?.closed) opened.splice(i, 1);
      opened.push(opening.conn);
      return opening;
    },
    describe() {
      return redact(describeSource());
    },
    async restartServer() {
      if (!server) throw new Error("only a private server can be started again");
      for (const c of opened.splice(0)) c.close();
      server.stop();
      server = await startPrivateServer({ env });
      target = privateTarget(server);
      const conn = await Connection.open(target);
      opened.push(conn);
      Object.assign(source, { server, target, conn });
    },
    async close() {
      for (const c of opened) c.close();
      await server?.shutdown();
    },
  };
  // The label is host:port, but a mistyped URL can put anything there: it is redacted like any message.
  function describeSource(): string {
    if (info.needsAuth) {
      return `redis-learn: connected to ${target.label}, which asks for a password: put it in the URL (redis://:PASSWORD@${target.label}) or type AUTH`;
    }
    const what = `${info.product} ${info.version}`;
    if (server) return `redis-learn: using a private ${what} on ${target.label} (removed on exit)`;
    return `redis-learn: connected to ${what} at ${target.label}${target.db ? ` db ${target.db}` : ""}${target.tls ? " over TLS" : ""}`;
  }
  return source;
}

function privateTarget(server: PrivateServer): Target {
  return { host: server.host, port: server.port, tls: false, db: 0, label: `${server.host}:${server.port}` };
}
