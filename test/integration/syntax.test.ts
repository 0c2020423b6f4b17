import { afterAll, beforeAll, describe, expect, inject, it } from "vitest";
import { Connection } from "../../src/redis/connection.js";
import { parseCommandDocs, type CommandDocs } from "../../src/redis/docs.js";
import { commandProgress, expectsKey, hintFor, tokenCandidates } from "../../src/sandbox/syntax.js";

let conn: Connection;
let docs: CommandDocs;
beforeAll(async () => {
  const port = inject("redisPort");
  conn = await Connection.open({ host: "127.0.0.1", port, tls: false, db: 0, label: `127.0.0.1:${port}` });
  docs = parseCommandDocs(await conn.send(["COMMAND", "DOCS"]));
});
afterAll(() => conn.close());

const hint = (line: string): string | undefined => hintFor(line.trim().split(/\s+/).filter(Boolean), /\s$/.test(line), docs);

describe("hints from the server's COMMAND DOCS", () => {
  it.each<[string, string | undefined]>([
    ["SE", undefined],
    ["SET", " key value [NX|XX] [GET] [EX seconds|PX milliseconds|EXAT unix-time-seconds|PXAT unix-time-milliseconds|KEEPTTL]"],
    ["set ", "key value [NX|XX] [GET] [EX seconds|PX milliseconds|EXAT unix-time-seconds|PXAT unix-time-milliseconds|KEEPTTL]"],
    ["SET k ", "value [NX|XX] [GET] [EX seconds|PX milliseconds|EXAT unix-time-seconds|PXAT unix-time-milliseconds|KEEPTTL]"],
    ["SET k v NX ", "[GET] [EX seconds|PX milliseconds|EXAT unix-time-seconds|PXAT unix-time-milliseconds|KEEPTTL]"],
    ["SET k v GET NX ", "[EX seconds|PX milliseconds|EXAT unix-time-seconds|PXAT unix-time-milliseconds|KEEPTTL]"],
    ["LMOVE ", "source destination LEFT|RIGHT LEFT|RIGHT"],
    ["LMOVE a b LEFT ", "LEFT|RIGHT"],
    ["LMOVE a b LEFT RIGHT ", undefined],
    ["DEL a ", "[key ...]"],
    // In order, whatever order the server lists them in.
    ["CONFIG ", "GET|RESETSTAT|REWRITE|SET"],
    ["CONFIG GET ", "parameter [parameter ...]"],
    ["LPUSH q ", "element [element ...]"],
    ["NOSUCH ", undefined],
  ])("%j", (line, expected) => {
    expect(hint(line)).toEqual(expected);
  });
});

describe("what completion offers next", () => {
  it.each<[string, string[]]>([
    ["SET k v ", ["NX", "XX", "GET", "EX", "PX", "EXAT", "PXAT", "KEEPTTL"]],
    ["LMOVE a b ", ["LEFT", "RIGHT"]],
  ])("%j", (line, expected) => {
    const p = commandProgress(line.trim().split(/\s+/), docs);
    expect(p && tokenCandidates(p)).toEqual(expected);
  });

  it.each<[string, boolean]>([
    ["GET ", true],
    ["LMOVE a ", true],
    ["SET k ", false],
    ["DEL a ", true],
  ])("a key comes next after %j: %s", (line, key) => {
    const p = commandProgress(line.trim().split(/\s+/), docs);
    expect(p && expectsKey(p)).toBe(key);
  });
});
