import net from "node:net";
import { RespDecoder, encodeCommand } from "./resp.js";
import { replyItems, replyString, type Reply } from "./reply-types.js";

export interface Probe {
  /**
   * ready: answers PING (or asks for a password, which also means it is up); loading:
   * -LOADING; busy: took the connection but did not answer (a server loading its data
   * answers only between chunks); down: nothing took the connection.
   */
  state: "ready" | "loading" | "busy" | "down";
  /** The working directory of the server that answered (CONFIG GET dir), when it lets us ask. */
  dir?: string;
}

const PROBE_TIMEOUT_MS = 1000;

/**
 * Asks whatever listens on the loopback port whether it is ready, and where it runs: a
 * private server's directory is its own, so a server that failed to bind its port is not
 * mistaken for another that holds it. (A pid would not do: REDIS_LEARN_SERVER may name
 * a wrapper script.)
 */
export function probe(port: number): Promise<Probe> {
  return new Promise((resolve) => {
    const socket = net.connect({ host: "127.0.0.1", port });
    const replies: Reply[] = [];
    let connected = false;
    let settled = false;
    const finish = (result: Probe): void => {
      if (settled) return;
      settled = true;
      socket.destroy();
      resolve(result);
    };
    const decoder = new RespDecoder((reply) => {
      replies.push(reply);
      if (replies.length === 2) finish(judge(replies[0] as Reply, reply));
    });
    socket.once("connect", () => {
      connected = true;
      socket.write(Buffer.concat([encodeCommand(["PING"]), encodeCommand(["CONFIG", "GET", "dir"])]));
    });
    socket.on("data", (chunk: Buffer) => {
      try {
        decoder.write(chunk);
      } catch {
        finish({ state: "down" });
      }
    });
    socket.once("error", () => finish({ state: "down" }));
    socket.once("close", () => finish({ state: "down" }));
    socket.setTimeout(PROBE_TIMEOUT_MS, () => finish({ state: connected ? "busy" : "down" }));
  });
}

function judge(ping: Reply, config: Reply): Probe {
  if (ping.type === "error" && ping.value.toString("latin1").startsWith("LOADING")) return { state: "loading" };
  // -NOAUTH (a server started with requirepass) is up too, but does not say where it runs.
  const dir = replyItems(config)[1];
  return { state: "ready", ...(dir !== undefined && { dir: replyString(dir) }) };
}
