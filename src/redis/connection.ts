import net from "node:net";
import tls from "node:tls";
import { readFileSync } from "node:fs";
import { RespDecoder, encodeCommandChunks } from "./resp.js";
import type { Reply } from "./reply-types.js";
import { RedisUnavailable, UserError } from "../errors.js";
import { redact } from "./redact.js";
import type { Target } from "./target.js";

/** How long connecting may take before we say so: a person must never face a silent hang. */
export const CONNECT_TIMEOUT_MS = 5000;

export class ConnectionLost extends RedisUnavailable {
  constructor(label: string, detail: string) {
    super(redact(`lost the connection to Redis at ${label}: ${detail}`));
    this.name = "ConnectionLost";
  }
}

interface Pending {
  resolve(reply: Reply): void;
  reject(err: Error): void;
}

/**
 * One connection that speaks RESP and hands back replies with their types kept (see
 * reply-types.ts). The learner's commands travel here, so that what is printed is
 * exactly what the server said. Commands are argument arrays, pipelined in order.
 */
export class Connection {
  private readonly pending: Pending[] = [];
  private closedError: Error | undefined;
  private readonly decoder: RespDecoder;
  /** Replies nobody asked for: RESP3 push frames, and messages in subscribe or monitor mode. */
  onUnsolicited: ((reply: Reply) => void) | undefined;
  /** Called once when the connection ends for any reason other than close(). */
  onLost: ((err: Error) => void) | undefined;
  private closing = false;

  private constructor(
    private readonly socket: net.Socket,
    readonly target: Target,
  ) {
    this.decoder = new RespDecoder((reply) => this.dispatch(reply));
    socket.on("data", (chunk: Buffer) => {
      try {
        this.decoder.write(chunk);
      } catch (err) {
        this.fail(new ConnectionLost(target.label, `protocol error: ${(err as Error).message}`));
        socket.destroy();
      }
    });
    socket.on("error", (err) => this.fail(new ConnectionLost(target.label, describeSocketError(err))));
    socket.on("close", () => this.fail(new ConnectionLost(target.label, "the server closed the connection")));
  }

  /** Opens a TCP (or TLS) connection, then logs in and selects the database. */
  static async open(target: Target, timeoutMs = CONNECT_TIMEOUT_MS): Promise<Connection> {
    return (await Connection.openWith(target, [], timeoutMs)).conn;
  }

  /**
   * Opens, logs in, and sends `first` in the same write as the login: on a distant
   * server every round trip counts, and the questions a run asks first (INFO, COMMAND
   * INFO) do not depend on anything but the login having worked.
   */
  static async openWith(target: Target, first: readonly (readonly (Buffer | string)[])[], timeoutMs = CONNECT_TIMEOUT_MS): Promise<{ conn: Connection; replies: Reply[] }> {
    const socket = await connectSocket(target, timeoutMs);
    socket.setNoDelay(true);
    socket.setKeepAlive(true, 15_000);
    const conn = new Connection(socket, target);
    const replies = await conn.withTimeout(conn.login(first), timeoutMs);
    return { conn, replies };
  }

  /**
   * Fails with a clear message if the server accepted the connection but does not
   * answer in time (a frozen server, or something that is not Redis on that port).
   */
  async withTimeout<T>(work: Promise<T>, timeoutMs = CONNECT_TIMEOUT_MS): Promise<T> {
    let timer: NodeJS.Timeout | undefined;
    const timeout = new Promise<never>((_, reject) => {
      timer = setTimeout(() => {
        const err = new RedisUnavailable(`no answer from Redis at ${this.target.label} within ${timeoutMs / 1000} s`);
        this.fail(err);
        this.socket.destroy();
        reject(err);
      }, timeoutMs);
    });
    try {
      return await Promise.race([work, timeout]);
    } finally {
      clearTimeout(timer);
    }
  }

  private async login(first: readonly (readonly (Buffer | string)[])[]): Promise<Reply[]> {
    const { username, password, db } = this.target;
    const handshake: (readonly (Buffer | string)[])[] = [];
    if (password !== undefined) {
      handshake.push(args(username !== undefined ? ["AUTH", username, password] : ["AUTH", password]));
    }
    if (db !== 0) handshake.push(args(["SELECT", String(db)]));
    if (handshake.length === 0 && first.length === 0) return [];
    const all = await this.pipeline([...handshake, ...first]);
    const replies = all.slice(0, handshake.length);
    for (const r of replies) {
      if (r.type === "error") {
        this.close();
        const text = redact(r.value.toString("utf8"));
        const what = text.startsWith("WRONGPASS") || text.startsWith("NOAUTH") || text.includes("password")
          ? `authentication failed at ${this.target.label}`
          : `could not select database ${db} at ${this.target.label}`;
        throw new UserError(`${what}: ${text}`);
      }
    }
    return all.slice(handshake.length);
  }

  /** Sends one command; resolves with its reply, error replies included (they are values, not failures). */
  send(argv: readonly (Buffer | string)[]): Promise<Reply> {
    return new Promise((resolve, reject) => {
      if (this.closedError) return reject(this.closedError);
      this.pending.push({ resolve, reject });
      const chunks = encodeCommandChunks(argv);
      if (chunks.length === 1) return void this.socket.write(chunks[0] as Buffer);
      this.socket.cork();
      for (const chunk of chunks) this.socket.write(chunk);
      this.socket.uncork();
    });
  }

  /** Sends several commands in one write and waits for all their replies: one round trip. */
  pipeline(commands: readonly (readonly (Buffer | string)[])[]): Promise<Reply[]> {
    if (this.closedError) return Promise.reject(this.closedError);
    const replies = commands.map(
      () => new Promise<Reply>((resolve, reject) => this.pending.push({ resolve, reject })),
    );
    // One write (corked), with no copy of the commands into one buffer first.
    this.socket.cork();
    for (const c of commands) for (const chunk of encodeCommandChunks(c)) this.socket.write(chunk);
    this.socket.uncork();
    return Promise.all(replies);
  }

  get closed(): boolean {
    return this.closedError !== undefined;
  }

  close(): void {
    this.closing = true;
    this.fail(new ConnectionLost(this.target.label, "the connection was closed"));
    this.socket.destroy();
  }

  private dispatch(reply: Reply): void {
    if (reply.type === "push") {
      this.onUnsolicited?.(reply);
      return;
    }
    const waiter = this.pending.shift();
    if (waiter) waiter.resolve(reply);
    else this.onUnsolicited?.(reply);
  }

  private fail(err: Error): void {
    if (this.closedError) return;
    this.closedError = err;
    for (const waiter of this.pending.splice(0)) waiter.reject(err);
    if (!this.closing) this.onLost?.(err);
  }
}

function args(words: string[]): Buffer[] {
  return words.map((w) => Buffer.from(w, "utf8"));
}

function connectSocket(target: Target, timeoutMs: number): Promise<net.Socket> {
  return new Promise((resolve, reject) => {
    let socket: net.Socket;
    const failWith = (detail: string): void => {
      clearTimeout(timer);
      socket.destroy();
      reject(new RedisUnavailable(redact(`cannot connect to Redis at ${target.label}: ${detail}`)));
    };
    if (target.tls) {
      let ca: Buffer | undefined;
      if (target.tlsCa) {
        try {
          ca = readFileSync(target.tlsCa);
        } catch (err) {
          reject(new UserError(`cannot read the CA file ${target.tlsCa}: ${(err as NodeJS.ErrnoException).code ?? String(err)}`));
          return;
        }
      }
      socket = tls.connect({
        host: target.host,
        port: target.port,
        servername: net.isIP(target.host) ? undefined : target.host,
        ...(ca && { ca }),
      });
      socket.once("secureConnect", () => done());
    } else {
      socket = net.connect({ host: target.host, port: target.port });
      socket.once("connect", () => done());
    }
    const timer = setTimeout(() => failWith(`no answer within ${timeoutMs / 1000} s`), timeoutMs);
    const onError = (err: Error): void => failWith(describeSocketError(err));
    socket.once("error", onError);
    function done(): void {
      clearTimeout(timer);
      socket.off("error", onError);
      resolve(socket);
    }
  });
}

function describeSocketError(err: Error): string {
  const code = (err as NodeJS.ErrnoException).code;
  switch (code) {
    case "ECONNREFUSED":
      return "connection refused (is the server running, and on that port?)";
    case "ENOTFOUND":
    case "EAI_AGAIN":
      return "host not found";
    case "ECONNRESET":
      return "the server reset the connection";
    case "EPIPE":
      return "the server closed the connection";
    case "ETIMEDOUT":
      return "timed out";
    default:
      return redact(err.message);
  }
}
