import net from "node:net";
import { RespDecoder } from "../../src/redis/resp.js";

/**
 * A socket that speaks just enough RESP for redis-cli to talk to: it reads each command
 * redis-cli sends and answers with whatever `answer` returns. It stands in for a server
 * only where redis-cli itself is the reference being consulted (how it splits a line,
 * how it prints a reply), never for Redis in a test of redis-learn's own dealings with a
 * server: those run against a real redis-server.
 */
export interface ScriptedSocket {
  port: number;
  close(): Promise<void>;
}

export async function startScriptedSocket(answer: (args: Buffer[]) => Buffer): Promise<ScriptedSocket> {
  const sockets = new Set<net.Socket>();
  const server = net.createServer((socket) => {
    sockets.add(socket);
    socket.on("close", () => sockets.delete(socket));
    socket.on("error", () => {});
    const decoder = new RespDecoder((command) => {
      const args = command.type === "array" ? command.items.map((item) => (item.type === "bulk" ? item.value : Buffer.alloc(0))) : [];
      socket.write(answer(args));
    });
    socket.on("data", (chunk: Buffer) => {
      try {
        decoder.write(chunk);
      } catch {
        socket.destroy();
      }
    });
  });
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  return {
    port: (server.address() as net.AddressInfo).port,
    close: () =>
      new Promise<void>((resolve) => {
        for (const socket of sockets) socket.destroy();
        server.close(() => resolve());
      }),
  };
}
