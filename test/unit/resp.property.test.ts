import fc from "fast-check";
import { afterAll, describe, expect, it } from "vitest";
import { ProtocolError, RespDecoder } from "../../src/redis/resp.js";
import type { Reply } from "../../src/redis/reply-types.js";
import { PropertyTally, PROPERTY_TIMEOUT_MS, propertySettings } from "../helpers/property.js";
import { depthOf, encodeReply, plain, replyTree, type Spelling } from "../helpers/reply-arbitrary.js";

/** Cycles through random numbers: which spelling each reply gets. */
function spellingFrom(numbers: number[]): Spelling {
  let i = 0;
  return { pick: () => numbers[i++ % numbers.length] ?? 0 };
}

/** The bytes cut at the given points (taken modulo the length), in order. */
function cut(bytes: Buffer, points: number[]): Buffer[] {
  const at = [...new Set(points.map((p) => p % (bytes.length + 1)))].sort((a, b) => a - b);
  const chunks: Buffer[] = [];
  let from = 0;
  for (const p of [...at, bytes.length]) {
    chunks.push(bytes.subarray(from, p));
    from = p;
  }
  return chunks;
}

class Runaway extends Error {}

/**
 * Feeds chunks to a decoder whose line reader counts its calls. Each call that finds a
 * line consumes at least two bytes, and one that does not ends the write, so a decoder
 * that makes progress calls it at most bytes/2 + writes times: more means it is going
 * round in circles, and this throws instead of hanging the test.
 */
function decodeWatched(chunks: Buffer[]): Reply[] {
  const out: Reply[] = [];
  const decoder = new RespDecoder((r) => out.push(r));
  const bytes = chunks.reduce((n, c) => n + c.length, 0);
  const limit = bytes / 2 + chunks.length + 1;
  let calls = 0;
  const watched = decoder as unknown as { readLine: () => Buffer | undefined };
  const readLine = watched.readLine.bind(decoder);
  watched.readLine = () => {
    if (++calls > limit) throw new Runaway(`the decoder read ${calls} lines from ${bytes} bytes in ${chunks.length} writes`);
    return readLine();
  };
  for (const chunk of chunks) decoder.write(chunk);
  return out;
}

const tally = new PropertyTally();
afterAll(() => console.log(tally.report("RESP decoder")));

describe("RespDecoder reads back any reply tree, however the bytes are cut (property)", () => {
  it("encode random RESP2/RESP3 trees, cut into random chunks, decode: the same trees", () => {
    fc.assert(
      fc.property(
        fc.array(replyTree(6), { minLength: 1, maxLength: 4 }),
        fc.array(fc.nat(), { minLength: 1, maxLength: 32 }),
        fc.array(fc.nat(), { maxLength: 40 }),
        (replies, choices, points) => {
          tally.add("round trips");
          tally.add("replies", replies.length);
          if (Math.max(...replies.map(depthOf)) >= 4) tally.add("trees 4+ deep");
          const spelling = spellingFrom(choices);
          const wire = Buffer.concat(replies.map((r) => encodeReply(r, spelling)));
          const chunks = cut(wire, points);
          expect(decodeWatched(chunks).map(plain)).toEqual(replies.map(plain));
        },
      ),
      propertySettings(1500),
    );
  }, PROPERTY_TIMEOUT_MS);

  it("one byte at a time", () => {
    fc.assert(
      fc.property(replyTree(4), fc.array(fc.nat(), { minLength: 1, maxLength: 16 }), (r, choices) => {
        tally.add("byte-at-a-time round trips");
        const wire = encodeReply(r, spellingFrom(choices));
        const chunks = [...wire].map((b) => Buffer.from([b]));
        expect(decodeWatched(chunks).map(plain)).toEqual([plain(r)]);
      }),
      propertySettings(300),
    );
  }, PROPERTY_TIMEOUT_MS);
});

/** Bytes that look like RESP: type markers, lengths, signs, CR LF, and anything at all. */
const garbageByte = fc.oneof(
  { weight: 3, arbitrary: fc.constantFrom(..."+-:$*_,#(!=~>%|\r\n\r\n0123456789-.xte".split("").map((c) => c.charCodeAt(0))) },
  { weight: 1, arbitrary: fc.integer({ min: 0, max: 255 }) },
);
const garbage = fc.oneof(
  fc.array(garbageByte, { maxLength: 80 }).map((a) => Buffer.from(a)),
  // A valid reply with a few bytes changed: the likeliest kind of garbage.
  fc
    .tuple(replyTree(4), fc.array(fc.nat(), { minLength: 1, maxLength: 8 }), fc.array(fc.tuple(fc.nat(), garbageByte), { minLength: 1, maxLength: 4 }))
    .map(([r, choices, changes]) => {
      const wire = Buffer.from(encodeReply(r, spellingFrom(choices)));
      for (const [at, byte] of changes) if (wire.length) wire[at % wire.length] = byte;
      return wire;
    }),
);

describe("RespDecoder on garbage (property)", () => {
  it("never goes round in circles, and throws nothing but ProtocolError", () => {
    fc.assert(
      fc.property(garbage, fc.array(fc.nat(), { maxLength: 10 }), (bytes, points) => {
        tally.add("garbage inputs");
        try {
          decodeWatched(cut(bytes, points));
          tally.add("garbage accepted (or still waiting for bytes)");
        } catch (err) {
          if (!(err instanceof ProtocolError)) throw err;
          tally.add("garbage refused with ProtocolError");
        }
      }),
      propertySettings(3000),
    );
  }, PROPERTY_TIMEOUT_MS);
});
