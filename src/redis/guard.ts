import type { Connection } from "./connection.js";
import { thousands } from "../render/numbers.js";

/**
 * Commands that destroy data or reconfigure a server. On the private server they run
 * without a question; on a server the learner brought (--url) they need a yes, and the
 * reason is said. This is policy, not server metadata: the server's @dangerous category
 * also holds harmless reads (CONFIG GET, INFO), so it cannot decide this on its own.
 */
const POLICY: Record<string, string> = {
  flushall: "deletes every key in every database",
  flushdb: "deletes every key in the current database",
  swapdb: "swaps two whole databases",
  shutdown: "stops the server",
  debug: "can crash, freeze or change the server",
  "config set": "changes the server's configuration",
  "config resetstat": "resets the server's statistics",
  "config rewrite": "rewrites the server's configuration file",
  "script flush": "removes every cached Lua script",
  "script kill": "kills the running script",
  "function flush": "deletes every function library",
  "function delete": "deletes a function library",
  "function restore": "replaces function libraries",
  "function kill": "kills the running function",
  replicaof: "turns the server into a replica, replacing its data",
  slaveof: "turns the server into a replica, replacing its data",
  failover: "hands the primary role to a replica",
  "cluster reset": "resets the node's cluster state",
  "cluster failover": "fails the cluster over",
  "cluster forget": "removes a node from the cluster",
  "cluster flushslots": "drops the node's slots",
  "acl setuser": "changes who may use the server",
  "acl deluser": "deletes users",
  "acl load": "replaces the users from the ACL file",
  "client kill": "disconnects other clients",
  "client pause": "makes the server stop answering clients",
  "module load": "loads code into the server",
  "module unload": "unloads a module",
  migrate: "moves keys to another server and deletes them here",
  save: "blocks the server while it writes a snapshot",
  bgrewriteaof: "rewrites the append-only file",
};

/** KEYS walks the whole keyspace; on a big one it stalls the server. */
export const KEYS_LARGE_KEYSPACE = 10_000;

export function dangerReason(args: readonly Buffer[]): string | undefined {
  const name = (args[0] ?? Buffer.alloc(0)).toString("utf8").toLowerCase();
  const sub = (args[1] ?? Buffer.alloc(0)).toString("utf8").toLowerCase();
  return POLICY[`${name} ${sub}`] ?? POLICY[name];
}

/** Whether a command is KEYS, which needs the keyspace size to judge. */
function isKeysCommand(args: readonly Buffer[]): boolean {
  return (args[0] ?? Buffer.alloc(0)).toString("utf8").toLowerCase() === "keys";
}

/** Why running this command needs a yes on a server the learner brought, or undefined; asks DBSIZE for KEYS only. */
export async function dangerFor(args: readonly Buffer[], conn: Connection): Promise<string | undefined> {
  const reason = dangerReason(args);
  if (reason || !isKeysCommand(args)) return reason;
  const size = await conn.send(["DBSIZE"]);
  if (size.type === "integer" && size.value > BigInt(KEYS_LARGE_KEYSPACE)) {
    return `walks all ${thousands(size.value)} keys at once, and the server answers nobody else meanwhile (SCAN is the gentle way)`;
  }
  return undefined;
}
