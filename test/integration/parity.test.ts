import { readFileSync } from "node:fs";
import path from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { startPrivateServer, type PrivateServer } from "../../src/redis/server.js";
import { ROOT, runCli, runProcess } from "../helpers/cli.js";

/**
 * redis-cli is the oracle: the same command lines go through `redis-cli --no-raw` and
 * through `redis-learn sandbox`, each on a fresh connection to a freshly flushed
 * server, and the bytes they print must be identical.
 */
const CORPUS = path.join(ROOT, "test/fixtures/parity/corpus.txt");
/** RESP3 lives apart: HELLO 3 prints the connection id, which the comparison masks. */
const CORPUS_RESP3 = path.join(ROOT, "test/fixtures/parity/corpus-resp3.txt");
const MIN_COMMANDS = 150;

let server: PrivateServer;
beforeAll(async () => {
  // Its own server: the corpus flushes it, and DEBUG PROTOCOL shows RESP3 types.
  server = await startPrivateServer();
});
afterAll(() => server.shutdown());

async function flush(): Promise<void> {
  const r = await runProcess("redis-cli", ["-p", String(server.port), "FLUSHALL"]);
  expect(r.stdout.toString()).toBe("OK\n");
}

async function throughRedisCli(input: Buffer): Promise<Buffer> {
  await flush();
  const r = await runProcess("redis-cli", ["-p", String(server.port), "--no-raw"], { input });
  expect(r.code).toBe(0);
  return r.stdout;
}

async function throughSandbox(input: Buffer, viaUrl: boolean): Promise<Buffer> {
  await flush();
  // --yes: the corpus flushes and reconfigures a server the test started, as redis-cli would.
  const args = viaUrl ? ["sandbox", "--yes", "--url", `redis://127.0.0.1:${server.port}`] : ["sandbox"];
  const r = await runCli(args, { input });
  expect(r.stderr).not.toMatch(/\n\s+at /);
  expect(r.code).toBe(0);
  return r.stdout;
}

const lines = (b: Buffer): string[] => b.toString("latin1").split("\n");

describe("parity with redis-cli --no-raw", () => {
  it(`the corpus has at least ${MIN_COMMANDS} command lines`, () => {
    const corpus = readFileSync(CORPUS);
    expect(lines(corpus).filter((l) => l.trim() !== "").length).toBeGreaterThanOrEqual(MIN_COMMANDS);
  });

  it.each([
    ["the main corpus", CORPUS],
    ["the RESP3 corpus", CORPUS_RESP3],
  ])("prints exactly what redis-cli prints for %s", async (_name, file) => {
    const corpus = readFileSync(file);
    const expected = withoutConnectionIds(lines(await throughRedisCli(corpus)));
    const actual = withoutConnectionIds(lines(await throughSandbox(corpus, true)));
    expect(actual).toEqual(expected);
  });

  it.each([
    ["strings and quoting", 'SET a "caf\\xc3\\xa9"\nGET a\nSET b \'it\\\'s\'\nGET b\nMSET x 1 y 2\nMGET x y nope\nGET "a"b\n'],
    ["lists and nesting", "RPUSH l 1 2 3 4 5 6 7 8 9 10 11\nLRANGE l 0 -1\nMULTI\nLRANGE l 0 2\nGET l\nEXEC\n"],
    ["RESP3 and back", "HSET h f v\nZADD z 1.5 m\nHELLO 3\nHGETALL h\nZSCORE z m\nSMEMBERS nope\nHELLO 2\nHGETALL h\n"],
  ])("%s, on redis-learn's own private server too", async (_name, text) => {
    const input = Buffer.from(text, "latin1");
    const expected = withoutConnectionIds(lines(await throughRedisCli(input)));
    expect(withoutConnectionIds(lines(await throughSandbox(input, true)))).toEqual(expected);
    expect(withoutConnectionIds(lines(await throughSandbox(input, false)))).toEqual(expected);
  });
});

/** HELLO's reply names the connection's id, which differs between any two connections. */
function withoutConnectionIds(output: string[]): string[] {
  return output.map((line, i) => {
    if (/"id" => \(integer\) \d+$/.test(line)) return line.replace(/\d+$/, "N");
    if (/\) "id"$/.test(output[i - 1] ?? "") && /\(integer\) \d+$/.test(line)) return line.replace(/\d+$/, "N");
    return line;
  });
}
