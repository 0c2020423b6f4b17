import type { Connection } from "./connection.js";
import { thousands } from "../render/numbers.js";
import { replyItems, replyPairs, replyString } from "./reply-types.js";

/**
 * Commands that destroy data or reconfigure a server. On the private server they run
 * without a question; on a server the learner brought (--url) they need a yes, and the
 * reason is said. This is policy, not server metadata: the server's @dangerous category
 * also holds harmless reads (CONFIG GET, INFO), so it cannot decide this on its own.
 */
const SCRIPT_REASON = "runs a Lua script, which can change or delete any key in any database";
const FUNCTION_REASON = "runs a server-side function, which can change or delete any key in any database";

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
  "acl save": "overwrites the server's ACL file",
  "client kill": "disconnects other clients",
  "client pause": "makes the server stop answering clients",
  "module load": "loads code into the server",
  "module loadex": "loads code into the server",
  "module unload": "unloads a module",
  migrate: "moves keys to another server and deletes them here",
  save: "blocks the server while it writes a snapshot",
  bgrewriteaof: "rewrites the append-only file",
  // A script can call FLUSHALL, SWAPDB or anything else: it is judged as a whole.
  eval: SCRIPT_REASON,
  evalsha: SCRIPT_REASON,
  eval_ro: SCRIPT_REASON,
  evalsha_ro: SCRIPT_REASON,
  fcall: FUNCTION_REASON,
  fcall_ro: FUNCTION_REASON,
  "function load": "loads a library of functions that can change or delete any key",
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

/**
 * A connection to ask the server on, opened only when a question needs one: never the
 * learner's own while it is inside MULTI, where the question would join the transaction.
 */
export type AskOn = () => Promise<Connection>;

/** Why running this command needs a yes on a server the learner brought, or undefined; asks DBSIZE for KEYS only. */
export async function dangerFor(args: readonly Buffer[], askOn: AskOn): Promise<string | undefined> {
  const reason = dangerReason(args);
  if (reason || !isKeysCommand(args)) return reason;
  const size = await (await askOn()).send(["DBSIZE"]);
  if (size.type === "integer" && size.value > BigInt(KEYS_LARGE_KEYSPACE)) {
    return `walks all ${thousands(size.value)} keys at once, and the server answers nobody else meanwhile (SCAN is the gentle way)`;
  }
  return undefined;
}

/** How many lines of a script the question shows before "…". */
const SCRIPT_LINES_SHOWN = 12;

/**
 * The code a script command would run, to show with the question: EVAL's own text, a
 * FUNCTION LOAD's library, or the library that holds an FCALL's function. EVALSHA's
 * script cannot be read back from the server, so it is named by its SHA.
 */
export async function scriptToShow(args: readonly Buffer[], askOn: AskOn): Promise<string | undefined> {
  const name = (args[0] ?? Buffer.alloc(0)).toString("utf8").toLowerCase();
  const sub = (args[1] ?? Buffer.alloc(0)).toString("utf8").toLowerCase();
  if (name === "eval" || name === "eval_ro") return excerpt(args[1]?.toString("utf8") ?? "");
  if (name === "evalsha" || name === "evalsha_ro") return `(the cached script ${args[1]?.toString("utf8") ?? ""}: the server cannot show its code)`;
  if (name === "function" && sub === "load") return excerpt(args[args.length - 1]?.toString("utf8") ?? "");
  if (name !== "fcall" && name !== "fcall_ro") return undefined;
  const wanted = (args[1] ?? Buffer.alloc(0)).toString("utf8");
  const libraries = await (await askOn()).send(["FUNCTION", "LIST", "WITHCODE"]);
  for (const library of replyItems(libraries)) {
    const fields = new Map(replyPairs(library));
    const functions = replyItems(fields.get("functions")).map((f) => replyString(new Map(replyPairs(f)).get("name")));
    if (functions.includes(wanted)) return excerpt(replyString(fields.get("library_code")));
  }
  return `(no function named ${wanted} is loaded)`;
}

function excerpt(code: string): string {
  const lines = code.replace(/\r\n/g, "\n").split("\n");
  const shown = lines.slice(0, SCRIPT_LINES_SHOWN).map((l) => `  ${l}`);
  if (lines.length > SCRIPT_LINES_SHOWN) shown.push(`  … (${lines.length - SCRIPT_LINES_SHOWN} more lines)`);
  return shown.join("\n");
}
