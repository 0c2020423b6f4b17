import { describe, expect, it } from "vitest";
import { MANAGED_CONFIG, checkServerConfig, configArgs } from "../../src/redis/server-config.js";
import { whyNoShutdown, whyNotStarted } from "../../src/redis/server-log.js";

describe("configArgs", () => {
  it.each<[string, Record<string, string>, string[]]>([
    ["no configuration: persistence off", {}, ["--save", "", "--appendonly", "no"]],
    ["a setting replaces the default of its name, in its place", { appendonly: "yes" }, ["--save", "", "--appendonly", "yes"]],
    ["whatever its case", { AppendOnly: "yes" }, ["--save", "", "--AppendOnly", "yes"]],
    ["a multi-word value is one argument", { save: "3600 1 300 100" }, ["--save", "3600 1 300 100", "--appendonly", "no"]],
    ["other settings follow", { "maxmemory-policy": "allkeys-lru", maxmemory: "1mb" }, ["--save", "", "--appendonly", "no", "--maxmemory-policy", "allkeys-lru", "--maxmemory", "1mb"]],
    ["a value that looks like an option stays a value", { "notify-keyspace-events": "--x" }, ["--save", "", "--appendonly", "no", "--notify-keyspace-events", "--x"]],
  ])("%s", (_, config, args) => {
    expect(configArgs(checkServerConfig(config))).toEqual(args);
  });
});

describe("checkServerConfig", () => {
  it.each<[Record<string, string>, RegExp]>([
    [{ port: "6379" }, /may not set port: redis-learn sets it itself/],
    [{ DIR: "/" }, /may not set dir/],
    [{ "tls-cert-file": "x" }, /may not set tls-cert-file/],
    [{ "tls-some-future-setting": "x" }, /may not set tls-some-future-setting/],
    [{ requirepass: "x" }, /may not set requirepass/],
    [{ "rename-command": "CONFIG \"\"" }, /may not set rename-command/],
    [{ "enable-debug-command": "yes" }, /may not set enable-debug-command/],
    [{ "proc-title-template": "{port}" }, /may not set proc-title-template/],
    [{ "save x": "1" }, /not a redis.conf setting name/],
    [{ "": "1" }, /not a redis.conf setting name/],
    [{ save: "", SAVE: "1 1" }, /sets save twice/],
    [{ dbfilename: "owner.json" }, /dbfilename may not be owner.json/],
    [{ appenddirname: "redis.log" }, /appenddirname may not be redis.log/],
    [{ loglevel: "a\0b" }, /NUL/],
  ])("refuses %j", (config, message) => {
    expect(() => checkServerConfig(config)).toThrow(message);
  });

  it("returns a frozen copy", () => {
    const given = { appendonly: "yes" };
    const checked = checkServerConfig(given);
    expect(checked).toEqual(given);
    expect(checked).not.toBe(given);
    expect(Object.isFrozen(checked)).toBe(true);
  });

  it("MANAGED_CONFIG lists lower-case names and answers for any tls-* name", () => {
    for (const name of MANAGED_CONFIG) expect(name).toBe(name.toLowerCase());
    expect(MANAGED_CONFIG.has("tls-port")).toBe(true);
    expect(MANAGED_CONFIG.has("tls-new")).toBe(true);
    expect(MANAGED_CONFIG.has("appendonly")).toBe(false);
  });
});

/** Log text as the servers here wrote it (Redis 7.0, Valkey 8). */
const CONFIG_ERROR = `
*** FATAL CONFIG FILE ERROR (Redis 7.0.15) ***
Reading the configuration file, at line 5
>>> 'maxmemory-policy "bogus"'
argument(s) must be one of the following: volatile-lru, volatile-lfu, noeviction
`;
const PORT_TAKEN = `10054:C 01 Dec 2026 11:31:47.405 # oO0OoO0OoO0Oo Redis is starting oO0OoO0OoO0Oo
10054:M 01 Dec 2026 11:31:47.406 # WARNING Memory overcommit must be enabled! Without it, a background save or replication may fail under low memory condition.
10054:M 01 Dec 2026 11:31:47.407 # Warning: Could not create server TCP listening socket 127.0.0.1:17778: bind: Address already in use
10054:M 01 Dec 2026 11:31:47.407 # Failed listening on port 17778 (TCP), aborting.
`;
const SAVE_FAILED = `7557:M 01 Dec 2026 11:29:23.700 * Ready to accept connections tcp
7557:signal-handler (1764588563) Received SIGTERM scheduling shutdown...
7557:M 01 Dec 2026 11:29:23.746 * Saving the final RDB snapshot before exiting.
7557:M 01 Dec 2026 11:29:23.747 # Error moving temp DB file temp-7557.rdb on the final destination dump.rdb (in server root dir /tmp/d): Is a directory
7557:M 01 Dec 2026 11:29:23.747 # Error trying to save the DB, can't exit.
7557:M 01 Dec 2026 11:29:23.747 # Errors trying to shut down the server. Check the logs for more information.
`;

describe("reading the server's log", () => {
  it.each([
    ["a bad configuration (on stderr)", CONFIG_ERROR, `bad configuration 'maxmemory-policy "bogus"': argument(s) must be one of the following: volatile-lru, volatile-lfu, noeviction`],
    ["a port taken, past the machine's warnings", PORT_TAKEN, "Warning: Could not create server TCP listening socket 127.0.0.1:17778: bind: Address already in use"],
    ["nothing that says trouble: the last line", "1:M 01 Dec 2026 11:31:47.407 * Server initialized\n", "Server initialized"],
    ["an empty log", "", ""],
  ])("why it did not start: %s", (_, log, why) => {
    expect(whyNotStarted(log)).toBe(why);
  });

  it.each([
    ["a save that failed", SAVE_FAILED, "Error moving temp DB file temp-7557.rdb on the final destination dump.rdb (in server root dir /tmp/d): Is a directory"],
    ["a shutdown under way", "7557:M 01 Dec 2026 11:29:23.746 * Saving the final RDB snapshot before exiting.\n", undefined],
  ])("why it would not shut down: %s", (_, log, why) => {
    expect(whyNoShutdown(log)).toBe(why);
  });
});
