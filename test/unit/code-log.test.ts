import { describe, expect, it } from "vitest";
import { CodeLog } from "../../src/sandbox/code-log.js";
import type { Reply } from "../../src/redis/reply-types.js";

const argv = (line: string): Buffer[] => line.split(" ").map((w) => Buffer.from(w));
const OK: Reply = { type: "status", value: Buffer.from("OK") };
const QUEUED: Reply = { type: "status", value: Buffer.from("QUEUED") };
const ERR: Reply = { type: "error", value: Buffer.from("ERR wrong number of arguments") };

/** Lines as the sandbox would send them: [client, line, reply]; inMulti follows MULTI/EXEC as the engine does. */
function codeAfter(lines: [string, string, Reply?][], repeat?: number): string | undefined {
  const log = new CodeLog();
  const inMulti = new Map<string, boolean>();
  for (const [client, line, r] of lines) {
    const args = argv(line);
    const name = line.split(" ")[0]?.toLowerCase();
    const was = inMulti.get(client) ?? false;
    const answer = r ?? (was && name !== "exec" && name !== "discard" ? QUEUED : OK);
    log.record(client, args, answer, was);
    if (name === "multi" && answer.type !== "error") inMulti.set(client, true);
    if (name === "exec" || name === "discard") inMulti.set(client, false);
  }
  if (repeat) log.repeated(argv(lines.at(-1)?.[1] ?? ""), repeat);
  return log.code();
}

describe(":code shows the last command, a whole transaction, or a pipeline", () => {
  it.each<[string, [string, string, Reply?][], string | undefined, number?]>([
    ["nothing yet", [], undefined],
    ["one command", [["A", "INCR a"]], 'await redis.incr("a")'],
    ["a transaction, in one line", [["A", "MULTI"], ["A", "INCR a"], ["A", "SET b x"], ["A", "EXEC"]], 'await redis.multi().incr("a").set("b", "x").exec();'],
    [
      "a long transaction, one call per line",
      [["A", "MULTI"], ["A", "SET bike:1:owner alice"], ["A", "SET bike:1:status rented"], ["A", "INCR rentals:today"], ["A", "EXEC"]],
      'await redis.multi()\n  .set("bike:1:owner", "alice")\n  .set("bike:1:status", "rented")\n  .incr("rentals:today")\n  .exec();',
    ],
    ["WATCH before it", [["A", "WATCH a"], ["A", "MULTI"], ["A", "INCR a"], ["A", "EXEC"]], 'await redis.watch("a");\nawait redis.multi().incr("a").exec();'],
    ["UNWATCH forgets the watch", [["A", "WATCH a"], ["A", "UNWATCH"], ["A", "MULTI"], ["A", "INCR a"], ["A", "EXEC"]], 'await redis.multi().incr("a").exec();'],
    ["inside MULTI, not sent yet", [["A", "MULTI"], ["A", "INCR a"]], 'await redis.multi()\n  .incr("a")\n  // EXEC not typed yet: .exec() sends it all'],
    ["a command refused while queuing stays out", [["A", "MULTI"], ["A", "INCR a"], ["A", "SET b", ERR], ["A", "INCR c"]], 'await redis.multi()\n  .incr("a")\n  .incr("c")\n  // EXEC not typed yet: .exec() sends it all'],
    ["EXEC refused", [["A", "MULTI"], ["A", "SET b", ERR], ["A", "EXEC", { type: "error", value: Buffer.from("EXECABORT") }]], "// EXEC was refused, so nothing ran: there is no code to show."],
    ["DISCARD", [["A", "MULTI"], ["A", "INCR a"], ["A", "DISCARD"]], "// The transaction was discarded: nothing to send."],
    ["each client its own transaction", [["A", "MULTI"], ["A", "INCR a"], ["B", "SET x 1"], ["A", "INCR b"], ["A", "EXEC"]], 'await redis.multi().incr("a").incr("b").exec();'],
    ["a password inside a transaction", [["A", "MULTI"], ["A", "CONFIG SET requirepass pw"], ["A", "EXEC"]], 'await redis.multi().config("SET", "requirepass", "***").exec();'],
    ["a repeated command is a pipeline", [["A", "INCR a"], ["A", "INCR a"], ["A", "INCR a"]], 'await redis.pipeline().incr("a").incr("a").incr("a").exec();', 3],
    ["an unknown command through call()", [["A", "MULTI"], ["A", "JSON.SET d $ 1"], ["A", "EXEC"]], 'await redis.multi().call("JSON.SET", "d", "$", 1).exec();'],
  ])("%s", (_name, lines, expected, repeat) => expect(codeAfter(lines, repeat)).toBe(expected));
});
