// A TCP proxy on 127.0.0.1 that holds every chunk for `delayMs` in each direction, so a
// request/reply round trip costs 2 x delayMs more than on loopback: a slow link, on this
// machine only. Order is kept; the TCP handshake itself is not delayed.
//
// It also counts round trips: each time the client sends after the server has answered
// (or sends first) starts a new "burst". Requests pipelined in one write, or sent before
// the previous reply came back, share a burst, so the number of bursts is the number of
// round trips a slow link makes the client wait for. The command names of each burst are
// kept (parsed from RESP) so a report can say which round trip was for what.
//
// Bounded: it accepts at most `maxConnections` connections and closes itself after
// `lifetimeMs`. Run as a program it prints "PORT <n>" and exits when its stdin closes (when
// whatever started it goes away), after --lifetime seconds, or on SIGINT/SIGTERM:
//
//   node bench/proxy.mjs --target-port 6390 [--delay 20] [--lifetime 600]
import net from "node:net";
import path from "node:path";
import { fileURLToPath } from "node:url";
import { performance } from "node:perf_hooks";

const now = () => performance.now();

/** Sub-commands worth naming: COMMAND INFO, MODULE LIST, OBJECT ENCODING, ... */
const CONTAINERS = new Set(["COMMAND", "MODULE", "OBJECT", "CLIENT", "CONFIG", "SCRIPT", "FUNCTION", "XINFO", "ACL", "MEMORY"]);

/** Parses complete RESP (or inline) requests from the front of buf: their names, and what is left. */
function takeCommands(buf) {
  const names = [];
  let pos = 0;
  while (pos < buf.length) {
    if (buf[pos] !== 0x2a) {
      const nl = buf.indexOf(0x0a, pos);
      if (nl === -1) break;
      const word = buf.toString("latin1", pos, nl).trim().split(/\s+/)[0];
      if (word) names.push(word.toUpperCase());
      pos = nl + 1;
      continue;
    }
    const head = buf.indexOf("\r\n", pos);
    if (head === -1) break;
    const count = Number.parseInt(buf.toString("latin1", pos + 1, head), 10);
    let p = head + 2;
    const words = [];
    let complete = true;
    for (let i = 0; i < count; i++) {
      const lenEnd = p < buf.length ? buf.indexOf("\r\n", p) : -1;
      if (lenEnd === -1) {
        complete = false;
        break;
      }
      const len = Number.parseInt(buf.toString("latin1", p + 1, lenEnd), 10);
      const start = lenEnd + 2;
      if (start + len + 2 > buf.length) {
        complete = false;
        break;
      }
      if (i < 2) words.push(buf.toString("latin1", start, start + Math.min(len, 32)).toUpperCase());
      p = start + len + 2;
    }
    if (!complete) break;
    names.push(words.length > 1 && CONTAINERS.has(words[0]) ? `${words[0]} ${words[1]}` : (words[0] ?? "?"));
    pos = p;
  }
  return { names, rest: buf.subarray(pos) };
}

/** Forwards from -> to, each chunk (and the end of the stream) `delayMs` later than it arrived. */
function pipeDelayed(from, to, delayMs, onChunk) {
  const queue = [];
  let timer;
  const schedule = () => {
    if (timer || !queue.length) return;
    timer = setTimeout(flush, Math.max(0, Math.ceil(queue[0].due - now())));
  };
  const flush = () => {
    timer = undefined;
    const t = now();
    while (queue.length && queue[0].due <= t) {
      const item = queue.shift();
      if (to.destroyed) continue;
      if (item.end) to.end();
      else if (!to.write(item.chunk)) {
        from.pause();
        to.once("drain", () => from.resume());
      }
    }
    schedule();
  };
  from.on("data", (chunk) => {
    onChunk(chunk);
    if (delayMs <= 0 && !queue.length) {
      if (!to.write(chunk)) {
        from.pause();
        to.once("drain", () => from.resume());
      }
      return;
    }
    queue.push({ due: now() + delayMs, chunk });
    schedule();
  });
  from.on("end", () => {
    queue.push({ due: now() + delayMs, end: true });
    schedule();
  });
  return () => clearTimeout(timer);
}

/**
 * Starts the proxy in this process. Returns { port, close(), take() }: take() hands over
 * the records of the connections accepted since the last take():
 * { acceptedAt, closedAt, bursts: [{ t, commands }], bytesUp, bytesDown } with times from
 * performance.now() of this process.
 */
export function startDelayProxy({ targetHost = "127.0.0.1", targetPort, delayMs = 20, lifetimeMs = 600_000, maxConnections = 500 }) {
  if (targetHost !== "127.0.0.1" && targetHost !== "localhost") throw new Error("the bench proxy only forwards to this machine");
  const sockets = new Set();
  let records = [];
  let accepted = 0;
  let closed = false;
  const server = net.createServer({ allowHalfOpen: true }, (client) => {
    accepted++;
    if (closed || accepted > maxConnections) {
      client.destroy();
      return;
    }
    const record = { acceptedAt: now(), closedAt: undefined, bursts: [], bytesUp: 0, bytesDown: 0 };
    records.push(record);
    const upstream = net.connect({ host: targetHost, port: targetPort, allowHalfOpen: true });
    client.setNoDelay(true);
    upstream.setNoDelay(true);
    sockets.add(client);
    sockets.add(upstream);
    let lastUp = false;
    let pending = Buffer.alloc(0);
    const up = (chunk) => {
      record.bytesUp += chunk.length;
      if (!lastUp || !record.bursts.length) record.bursts.push({ t: now(), commands: [] });
      lastUp = true;
      if (pending.length + chunk.length > 1 << 20) {
        pending = Buffer.alloc(0); // a huge value: stop naming, keep forwarding
        return;
      }
      const { names, rest } = takeCommands(pending.length ? Buffer.concat([pending, chunk]) : chunk);
      record.bursts[record.bursts.length - 1].commands.push(...names);
      pending = Buffer.from(rest);
    };
    const down = (chunk) => {
      record.bytesDown += chunk.length;
      lastUp = false;
    };
    const stops = [pipeDelayed(client, upstream, delayMs, up), pipeDelayed(upstream, client, delayMs, down)];
    let ended = false;
    const end = () => {
      record.closedAt ??= now();
      if (ended) return;
      ended = true;
      // Let what is still queued arrive, then drop both sides.
      setTimeout(() => {
        for (const stop of stops) stop();
        client.destroy();
        upstream.destroy();
        sockets.delete(client);
        sockets.delete(upstream);
      }, delayMs + 5);
    };
    client.on("end", () => (record.closedAt ??= now()));
    for (const s of [client, upstream]) {
      s.on("error", end);
      s.on("close", end);
    }
  });
  const close = () => {
    if (closed) return;
    closed = true;
    clearTimeout(lifetime);
    server.close();
    for (const s of sockets) s.destroy();
    sockets.clear();
  };
  const lifetime = setTimeout(close, lifetimeMs);
  lifetime.unref();
  return new Promise((resolve, reject) => {
    server.once("error", reject);
    server.listen(0, "127.0.0.1", () =>
      resolve({
        port: server.address().port,
        close,
        take() {
          const taken = records;
          records = [];
          return taken;
        },
      }),
    );
  });
}

/** "SELECT · INFO+MODULE LIST · EXISTS×11": one entry per burst, repeated commands counted. */
export function describeBursts(bursts) {
  return bursts
    .map((b) => {
      const parts = [];
      for (const name of b.commands) {
        const last = parts[parts.length - 1];
        if (last && last.name === name) last.n++;
        else parts.push({ name, n: 1 });
      }
      return parts.map((p) => (p.n > 1 ? `${p.name}×${p.n}` : p.name)).join("+") || "?";
    })
    .join(" · ");
}

function option(argv, name, fallback) {
  const i = argv.indexOf(name);
  return i === -1 ? fallback : Number(argv[i + 1]);
}

if (process.argv[1] && path.resolve(process.argv[1]) === fileURLToPath(import.meta.url)) {
  const argv = process.argv.slice(2);
  const targetPort = option(argv, "--target-port", NaN);
  if (!Number.isInteger(targetPort)) {
    process.stderr.write("usage: node bench/proxy.mjs --target-port PORT [--delay MS] [--lifetime SECONDS]\n");
    process.exit(2);
  }
  const lifetimeMs = option(argv, "--lifetime", 600) * 1000;
  const proxy = await startDelayProxy({ targetPort, delayMs: option(argv, "--delay", 20), lifetimeMs });
  process.stdout.write(`PORT ${proxy.port}\n`);
  const quit = () => {
    proxy.close();
    process.exit(0);
  };
  process.stdin.on("end", quit);
  process.stdin.on("close", quit);
  process.stdin.resume();
  process.on("SIGTERM", quit);
  process.on("SIGINT", quit);
  setTimeout(quit, lifetimeMs).unref();
}
