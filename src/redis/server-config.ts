import { UserError } from "../errors.js";
import { OWN_FILES } from "./orphans.js";

/** redis.conf name -> value, e.g. { appendonly: "yes", save: "3600 1 300 100", "maxmemory-policy": "allkeys-lru" }. */
export type ServerConfig = Record<string, string>;

/** What a private server runs with unless the lesson's configuration names the same setting: persistence off. */
export const DEFAULT_CONFIG: Readonly<ServerConfig> = Object.freeze({ save: "", appendonly: "no" });

/** Every tls-* name the servers we support know; any other tls-* name counts as managed too (see has). */
const TLS_NAMES = [
  "tls-port", "tls-cert-file", "tls-key-file", "tls-key-file-pass", "tls-client-cert-file", "tls-client-key-file",
  "tls-client-key-file-pass", "tls-dh-params-file", "tls-ca-cert-file", "tls-ca-cert-dir", "tls-auth-clients",
  "tls-replication", "tls-cluster", "tls-protocols", "tls-ciphers", "tls-ciphersuites", "tls-prefer-server-ciphers",
  "tls-session-caching", "tls-session-cache-size", "tls-session-cache-timeout",
];

/**
 * Names redis-learn sets itself, or that would take the server out of its hands. Beyond
 * where it listens, writes and logs (port, bind, dir, pidfile, logfile, unixsocket ...):
 * - requirepass, aclfile, user, rename-command: the tool's own connections (snapshots,
 *   observer, readiness) log in as the default user without a password and use CONFIG,
 *   DEBUG, OBJECT, INFO by their names.
 * - enable-protected-configs: would let CONFIG SET dir move the server out of its
 *   directory, and orphan cleanup finds a server by its working directory.
 * - set-proc-title, proc-title-template: orphan cleanup recognises a server by its
 *   command line (redis-server / valkey-server).
 * - shutdown-on-sigterm, shutdown-on-sigint: restart() shuts down with SIGTERM and relies
 *   on it behaving as a plain SHUTDOWN does.
 * - replicaof, slaveof, cluster-enabled, cluster-config-file, cluster-port: a replica of
 *   another server (perhaps the learner's own) would lose its data to it, and a cluster
 *   node opens a second port; topologies are the tool's to build.
 * - enable-debug-command: always "local", so DEBUG OBJECT and DEBUG RELOAD work from loopback.
 */
const MANAGED_NAMES = [
  "port", "bind", "dir", "pidfile", "logfile", "daemonize", "supervised", "include",
  "unixsocket", "unixsocketperm", "unixsocketgroup", "enable-debug-command", "enable-protected-configs",
  "requirepass", "aclfile", "user", "rename-command", "set-proc-title", "proc-title-template",
  "shutdown-on-sigterm", "shutdown-on-sigint", "replicaof", "slaveof", "cluster-enabled", "cluster-config-file",
  "cluster-port", ...TLS_NAMES,
];

/** A set whose has() also answers for tls-* names a later server may add. */
class ManagedNames extends Set<string> {
  override has(name: string): boolean {
    return super.has(name) || name.startsWith("tls-");
  }
}

/** Lower-case names a lesson's configuration may not set. */
export const MANAGED_CONFIG: ReadonlySet<string> = new ManagedNames(MANAGED_NAMES);

/** Settings that name a file in the server's directory: they must not name redis-learn's own files. */
const FILE_SETTINGS = new Set(["dbfilename", "appendfilename", "appenddirname"]);
/** redis.conf names: letters, digits, '-' (and '_' in a few Valkey aliases). Anything else would split on the command line. */
const NAME = /^[a-z0-9][a-z0-9_-]*$/;

/**
 * Checks a lesson's configuration and returns a frozen copy. The lesson parser reports
 * these first; this is the last line of defence before anything is started.
 */
export function checkServerConfig(config: ServerConfig): Readonly<ServerConfig> {
  const seen = new Set<string>();
  for (const [name, value] of Object.entries(config)) {
    const lower = name.toLowerCase();
    if (!NAME.test(lower)) throw new UserError(`the server configuration names "${name}", which is not a redis.conf setting name`);
    if (MANAGED_CONFIG.has(lower)) throw new UserError(`the server configuration may not set ${lower}: redis-learn sets it itself`);
    if (seen.has(lower)) throw new UserError(`the server configuration sets ${lower} twice`);
    seen.add(lower);
    if (typeof value !== "string") throw new UserError(`the server configuration's ${lower} must be a string`);
    if (value.includes("\0")) throw new UserError(`the server configuration's ${lower} contains a NUL character`);
    if (FILE_SETTINGS.has(lower) && OWN_FILES.includes(value)) throw new UserError(`the server configuration's ${lower} may not be ${value}: redis-learn keeps its own file of that name there`);
  }
  return Object.freeze({ ...config });
}

/**
 * The redis-server arguments for a configuration: the defaults, each replaced by a
 * setting of the same name (never both), then the rest. A value is always one argument,
 * however many words it has: redis-server quotes it as one ("3600 1 300 100").
 */
export function configArgs(config: Readonly<ServerConfig>): string[] {
  const merged = new Map<string, [string, string]>();
  for (const [name, value] of Object.entries(DEFAULT_CONFIG)) merged.set(name, [name, value]);
  for (const [name, value] of Object.entries(config)) merged.set(name.toLowerCase(), [name, value]);
  return [...merged.values()].flatMap(([name, value]) => [`--${name}`, value]);
}
