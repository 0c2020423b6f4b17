import type { MonitorLine } from "./monitor.js";

/** One command a snippet's connection sent, as the server ran it. */
export interface TracedCommand {
  /** The name the connection gave itself (CLIENT SETNAME: "redis" for the one a snippet is given, BullMQ's names), "lua" for a script's commands, else "connection 2", "connection 3"... */
  client: string;
  args: Buffer[];
  db: number;
  /** Sent by the client library on its own while connecting (HELLO, CLIENT SETNAME/SETINFO, the INFO ready check, SELECT...): a renderer may dim these, a check may ignore them. */
  setup: boolean;
}

export interface TraceScope {
  /** Connections that were open before the snippet started (redis-learn's own): none of the snippet's. */
  ignore: ReadonlySet<string>;
  /** The address whose last QUIT the runner sent itself when the snippet was done with `redis`. */
  quitFrom?: string;
}

const LUA = "lua";

/**
 * MONITOR's lines as the snippet's trace: redis-learn's own connections dropped, each
 * line attributed to the connection that sent it, and what client libraries send on their
 * own while connecting marked as setup. Pure.
 */
export function buildTrace(lines: readonly MonitorLine[], scope: TraceScope): TracedCommand[] {
  const ours = lines.filter((l) => !scope.ignore.has(l.addr));
  const closing = scope.quitFrom === undefined ? -1 : lastIndex(ours, (l) => l.addr === scope.quitFrom);
  if (closing !== -1 && word(ours[closing]?.args[0]) === "quit") ours.splice(closing, 1);

  const labels = labelConnections(ours);
  const connected = new Set<string>();
  return ours.map((line) => {
    let setup = false;
    if (line.addr !== LUA && !connected.has(line.addr)) {
      setup = isConnectCommand(line.args);
      if (!setup) connected.add(line.addr);
    }
    return { client: labels.get(line.addr) ?? line.addr, args: line.args, db: line.db, setup };
  });
}

/** The name each connection gave itself, else its place in order of appearance (`redis` connects first, so others start at 2). */
function labelConnections(lines: readonly MonitorLine[]): Map<string, string> {
  const names = new Map<string, string>();
  for (const { addr, args } of lines) {
    if (names.has(addr) || word(args[0]) !== "client" || word(args[1]) !== "setname") continue;
    const name = args[2]?.toString("utf8");
    if (name) names.set(addr, name);
  }
  const labels = new Map<string, string>([[LUA, LUA]]);
  let place = 0;
  for (const { addr } of lines) {
    if (labels.has(addr)) continue;
    place++;
    labels.set(addr, names.get(addr) ?? `connection ${place}`);
  }
  return labels;
}

/**
 * What ioredis sends on connecting (event_handler.ts): HELLO 3 (AUTH inside it, or AUTH
 * alone on RESP2), SELECT db, CLIENT SETNAME, READONLY, CLIENT SETINFO LIB-VER and
 * LIB-NAME (refused by Redis before 7.2, and so absent from MONITOR there), then INFO for
 * its ready check. BullMQ asks INFO once more for the server's version.
 */
function isConnectCommand(args: readonly Buffer[]): boolean {
  switch (word(args[0])) {
    case "hello":
    case "auth":
    case "select":
    case "readonly":
      return true;
    case "info":
      return args.length === 1;
    case "client": {
      const sub = word(args[1]);
      return sub === "setname" || sub === "setinfo";
    }
    default:
      return false;
  }
}

function word(arg: Buffer | undefined): string {
  return arg ? arg.toString("latin1").toLowerCase() : "";
}

function lastIndex<T>(items: readonly T[], test: (item: T) => boolean): number {
  for (let i = items.length - 1; i >= 0; i--) if (test(items[i] as T)) return i;
  return -1;
}
