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
}

const LUA = "lua";

/**
 * MONITOR's lines as the snippet's trace: redis-learn's own connections dropped, each
 * line attributed to the connection that sent it, and what client libraries send on their
 * own while connecting marked as setup. Pure.
 */
export function buildTrace(lines: readonly MonitorLine[], scope: TraceScope): TracedCommand[] {
  const ours = lines.filter((l) => !scope.ignore.has(l.addr));

  const labels = labelConnections(ours);
  const phases = new Map<string, Phase>();
  return ours.map((line) => {
    let setup = false;
    if (line.addr !== LUA) {
      const phase = phases.get(line.addr) ?? "handshake";
      const next = nextPhase(phase, line.args);
      setup = next !== "own";
      phases.set(line.addr, next);
    }
    return { client: labels.get(line.addr) ?? line.addr, args: line.args, db: line.db, setup };
  });
}

/**
 * Where a connection stands: in its client library's handshake, past the ready check
 * (INFO) where libraries still name it and ask the version (BullMQ), or sending its
 * program's own commands, after which nothing is setup any more.
 */
type Phase = "handshake" | "ready" | "own";

/**
 * What ioredis 6 sends on connecting (redis/event_handler.ts): HELLO 3 (with AUTH inside
 * it, or AUTH alone on RESP2), SELECT db, CLIENT SETNAME, READONLY, CLIENT SETINFO
 * LIB-VER and LIB-NAME (refused before Redis 7.2, so absent from MONITOR there), then
 * INFO, its ready check. BullMQ then asks INFO again and names its blocking connection.
 * A SELECT after the ready check is the program's own.
 */
function nextPhase(phase: Phase, args: readonly Buffer[]): Phase {
  if (phase === "own") return phase;
  const name = word(args[0]);
  if (name === "info" && args.length === 1) return "ready";
  if (name === "client" && ["setname", "setinfo"].includes(word(args[1]))) return phase;
  if (phase === "handshake" && ["hello", "auth", "select", "readonly"].includes(name)) return phase;
  return "own";
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

function word(arg: Buffer | undefined): string {
  return arg ? arg.toString("latin1").toLowerCase() : "";
}
