import fc from "fast-check";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { formatReply } from "../../src/redis/reply-format.js";
import type { Reply } from "../../src/redis/reply-types.js";
import { runProcess } from "../helpers/cli.js";
import { startScriptedSocket, type ScriptedSocket } from "../helpers/scripted-socket.js";
import { PropertyTally, PROPERTY_TIMEOUT_MS, propertySettings } from "../helpers/property.js";
import { encodeReply, hasMultiLineError, plain, replyTree, type Spelling } from "../helpers/reply-arbitrary.js";

/**
 * redis-cli is the oracle for replies no real command sends. A real server only sends
 * the shapes its commands make (test/integration/parity.test.ts covers those); here
 * random RESP2/RESP3 trees (sets of maps of arrays, errors and verbatim strings in
 * maps, nils spelled three ways, nesting several levels deep) are served to
 * `redis-cli --no-raw` by a socket that answers each GET with the next tree, and what
 * redis-cli prints must be, byte for byte, what formatReply prints.
 *
 * The socket (test/helpers/scripted-socket.ts) stands in for a server on purpose: it is
 * redis-cli's formatting that is the reference here, and no real server can be asked to
 * send these trees.
 */

/**
 * Spellings of nils vary. The hiredis inside redis-cli 7.0 knows neither !blob errors
 * ("Protocol error, got "!" as reply type byte") nor attributes, and no Redis server
 * sends them: errors are -lines here, and attributes are left out.
 */
function spellingFrom(numbers: number[]): Spelling {
  let i = 0;
  return { pick: () => numbers[i++ % numbers.length] ?? 0, attributes: false, blobErrors: false };
}

/**
 * What redis-cli 7.0 cannot print at all, and no Redis 7.0 command sends: a RESP3 big
 * number ("Unknown reply type: 13", and it exits) and a double that is NaN ("Bad double
 * value"). Redis itself never puts a NUL byte in a status or an error (Lua's strings end
 * there): redis-cli prints those up to the NUL, and so does formatReply.
 */
const unprintable = (r: Reply): boolean =>
  r.type === "bignum" || (r.type === "double" && /nan/i.test(r.value)) || ("items" in r && r.items.some(unprintable));

/** Push replies at the top level are out-of-band messages to redis-cli, printed apart: only nested ones here. */
const topLevel = replyTree(5).filter((r) => r.type !== "push" && !hasMultiLineError(r) && !unprintable(r));

let socket: ScriptedSocket;
/** The replies the next GETs receive, in order. */
const queue: Buffer[] = [];

beforeAll(async () => {
  socket = await startScriptedSocket((args) => {
    const name = args[0]?.toString("latin1").toUpperCase();
    return name === "GET" ? (queue.shift() ?? Buffer.from("-ERR no reply queued\r\n")) : Buffer.from("-ERR only GET here\r\n");
  });
});
afterAll(() => socket.close());

const tally = new PropertyTally();
afterAll(() => console.log(tally.report("formatReply vs redis-cli --no-raw")));

/** redis-cli adds "(1.02s)" after a reply that took half a second; a busy machine may do that to any. */
const withoutTimings = (text: string): string => text.replace(/^\(\d+\.\d\ds\)\n/gm, "");

describe("formatReply prints random RESP2/RESP3 trees exactly as redis-cli 7 does (property)", () => {
  it("byte for byte, a batch of trees per redis-cli run", async () => {
    await fc.assert(
      fc.asyncProperty(fc.array(topLevel, { minLength: 1, maxLength: 8 }), fc.array(fc.nat(), { minLength: 1, maxLength: 16 }), async (replies: Reply[], choices) => {
        tally.add("redis-cli runs");
        tally.add("trees", replies.length);
        const spelling = spellingFrom(choices);
        queue.length = 0;
        queue.push(...replies.map((r) => encodeReply(r, spelling)));
        const input = replies.map((_, i) => `GET k${i}\n`).join("");
        const result = await runProcess("redis-cli", ["-p", String(socket.port), "--no-raw"], { input });
        const expected = withoutTimings(result.stdout.toString("latin1"));
        const actual = withoutTimings(replies.map((r) => formatReply(r)).join(""));
        if (actual !== expected) {
          // Name the first tree whose output differs, for a readable counterexample.
          let at = 0;
          for (const r of replies) {
            const mine = formatReply(r);
            if (!expected.startsWith(mine, at)) {
              throw new Error(`redis-cli printed ${JSON.stringify(expected.slice(at, at + mine.length + 40))}${result.stderr ? ` (and on stderr ${JSON.stringify(result.stderr)})` : ""}\nformatReply printed ${JSON.stringify(mine)}\nfor ${JSON.stringify(plain(r))}`);
            }
            at += mine.length;
          }
          expect(actual).toBe(expected);
        }
      }),
      propertySettings(60),
    );
  }, PROPERTY_TIMEOUT_MS);
});
