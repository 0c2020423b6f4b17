import fc from "fast-check";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { tokenize } from "../../src/redis/tokenize.js";
import { runProcess } from "../helpers/cli.js";
import { PropertyTally, PROPERTY_TIMEOUT_MS, propertySettings } from "../helpers/property.js";
import { startScriptedSocket, type ScriptedSocket } from "../helpers/scripted-socket.js";

/**
 * redis-cli is the oracle for splitting a line: random lines go to `redis-cli` on its
 * standard input, a socket (test/helpers/scripted-socket.ts) records the arguments it
 * sends for each, and tokenize must split every line into the same arguments, or refuse
 * the lines redis-cli refuses ("Invalid argument(s)", and nothing sent).
 * test/unit/tokenize-model.test.ts checks many more lines against a transcription of
 * sdssplitargs; this checks the transcription's premise against the real thing.
 *
 * Each line starts with ECHO so that redis-cli's own words (a repeat count, HELP, QUIT,
 * CONNECT ...) never come first. Lines hold no LF: redis-cli reads one line per LF.
 */
let socket: ScriptedSocket;
let received: Buffer[][] = [];

beforeAll(async () => {
  socket = await startScriptedSocket((args) => {
    // redis-cli 7 asks for COMMAND DOCS when it starts, for its help: not a line of ours.
    if (args[0]?.toString("latin1").toUpperCase() === "COMMAND") return Buffer.from("-ERR not here\r\n");
    received.push(args);
    return Buffer.from("+OK\r\n");
  });
});
afterAll(() => socket.close());

const tally = new PropertyTally();
afterAll(() => console.log(tally.report("tokenize vs redis-cli")));

/** Bytes of a line, the splitter's special ones most often; no LF. */
const lineByte = fc.oneof(
  { weight: 5, arbitrary: fc.constantFrom(0x22, 0x27, 0x5c, 0x20, 0x20, 0x09, 0x0b, 0x0c, 0x0d, 0x78, 0x6e, 0x74, 0x61, 0x30, 0x46, 0x67) },
  { weight: 2, arbitrary: fc.integer({ min: 0x21, max: 0x7e }) },
  { weight: 1, arbitrary: fc.integer({ min: 0x80, max: 0xff }) },
  { weight: 1, arbitrary: fc.constantFrom(0x00, 0x01, 0x1b, 0x7f) },
);
const line = fc.array(lineByte, { minLength: 1, maxLength: 30 }).map((bytes) => Buffer.concat([Buffer.from("ECHO "), Buffer.from(bytes)]));

const hex = (args: Buffer[]): string[] => args.map((a) => a.toString("hex"));

describe("tokenize splits lines exactly as redis-cli does (property)", () => {
  it("the same arguments sent, or the same lines refused", async () => {
    await fc.assert(
      fc.asyncProperty(fc.array(line, { minLength: 1, maxLength: 20 }), async (lines) => {
        tally.add("redis-cli runs");
        received = [];
        const input = Buffer.concat(lines.flatMap((l) => [l, Buffer.from("\n")]));
        const result = await runProcess("redis-cli", ["-p", String(socket.port)], { input });
        const sent = [...received];
        for (const l of lines) {
          tally.add("lines");
          const mine = tokenize(l);
          if (!mine.ok) {
            tally.add("refused");
            continue;
          }
          const theirs = sent.shift();
          expect(theirs && hex(theirs), `line ${JSON.stringify(l.toString("latin1"))}; redis-cli said ${JSON.stringify(result.stdout.toString("latin1"))}`).toEqual(hex(mine.args));
        }
        // What redis-cli sent beyond the lines tokenize accepted: lines it accepted and tokenize refused.
        expect(sent.map(hex), "redis-cli sent these and tokenize refused a line").toEqual([]);
        expect(result.stdout.toString("latin1").split("Invalid argument(s)").length - 1).toBe(lines.filter((l) => !tokenize(l).ok).length);
      }),
      propertySettings(60),
    );
  }, PROPERTY_TIMEOUT_MS);
});
