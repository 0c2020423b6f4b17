import fc from "fast-check";
import type { Reply } from "../../src/redis/reply-types.js";

/**
 * Random RESP2/RESP3 reply trees for property tests, and an encoder to RESP bytes written
 * apart from src/redis/resp.ts, from the protocol's description, so the decoder is
 * checked against something it does not share code with.
 */

/** Bytes a line reply (+status, -error) can hold: anything but CR and LF. */
const lineByte = fc.oneof({ weight: 4, arbitrary: fc.integer({ min: 0x20, max: 0x7e }) }, { weight: 1, arbitrary: fc.integer({ min: 0, max: 255 }).filter((b) => b !== 0x0a && b !== 0x0d) });
const lineBytes = fc.array(lineByte, { maxLength: 24 }).map((a) => Buffer.from(a));
/** Any bytes, CR LF and the quoting escapes often. */
const anyBytes = fc
  .array(fc.oneof({ weight: 3, arbitrary: fc.integer({ min: 0x20, max: 0x7e }) }, { weight: 1, arbitrary: fc.constantFrom(0x0d, 0x0a, 0x00, 0x5c, 0x22, 0x07, 0x08, 0x09, 0x7f, 0xff, 0xc3, 0xa9) }, { weight: 1, arbitrary: fc.integer({ min: 0, max: 255 }) }), { maxLength: 40 })
  .map((a) => Buffer.from(a));

const scalar: fc.Arbitrary<Reply> = fc.oneof(
  lineBytes.map((value): Reply => ({ type: "status", value })),
  anyBytes.map((value): Reply => ({ type: "error", value })),
  fc.bigInt({ min: -(2n ** 63n), max: 2n ** 63n - 1n }).map((value): Reply => ({ type: "integer", value })),
  { arbitrary: anyBytes.map((value): Reply => ({ type: "bulk", value })), weight: 3 },
  fc.constant<Reply>({ type: "nil" }),
  fc.constantFrom("0", "1.5", "-3.25e-7", "inf", "-inf", "nan", "3.14159265358979").map((value): Reply => ({ type: "double", value })),
  fc.boolean().map((value): Reply => ({ type: "boolean", value })),
  fc.bigInt({ min: -(10n ** 40n), max: 10n ** 40n }).map((value): Reply => ({ type: "bignum", value: String(value) })),
  fc.tuple(fc.constantFrom("txt", "mkd"), anyBytes).map(([format, value]): Reply => ({ type: "verbatim", format, value })),
);

/** A reply tree up to `depth` levels of aggregates, some of them wide enough for two-digit indexes. */
export function replyTree(depth = 5): fc.Arbitrary<Reply> {
  const { tree } = fc.letrec<{ tree: Reply; aggregate: Reply }>((tie) => ({
    tree: fc.oneof({ depthSize: "small", withCrossShrink: true, maxDepth: depth }, { arbitrary: scalar, weight: 3 }, { arbitrary: tie("aggregate"), weight: 2 }),
    aggregate: fc.oneof(
      fc.tuple(fc.constantFrom("array", "set", "push"), fc.array(tie("tree"), { maxLength: 12 })).map(([type, items]) => ({ type, items }) as Reply),
      fc.array(fc.tuple(tie("tree"), tie("tree")), { maxLength: 11 }).map((pairs): Reply => ({ type: "map", items: pairs.flat() })),
    ),
  }));
  return tree;
}

const crlf = "\r\n";
const head = (marker: string, text: string | number | bigint): Buffer => Buffer.from(`${marker}${text}${crlf}`, "latin1");
const blob = (marker: string, payload: Buffer): Buffer => Buffer.concat([head(marker, payload.length), payload, Buffer.from(crlf)]);

/**
 * Choices an encoding may make where RESP has several spellings of one reply: a nil as
 * _ or $-1 or *-1, an error as -line or !blob, and RESP3 attributes (which a client
 * shows nowhere) before any reply.
 */
export interface Spelling {
  /** Called once per reply; returns a number used to pick among spellings. */
  pick(): number;
  /** Whether RESP3 attributes may come before a reply (default yes). */
  attributes?: boolean;
  /** Whether errors may be sent as !blobs (default yes; an error with CR or LF in it always is). */
  blobErrors?: boolean;
}

export function encodeReply(r: Reply, spelling: Spelling): Buffer {
  const parts: Buffer[] = [];
  // An attribute describes the next reply; clients drop it.
  if (spelling.attributes !== false && spelling.pick() % 7 === 0) parts.push(head("|", 1), head("+", "ttl"), head(":", spelling.pick() % 100));
  parts.push(encodeBare(r, spelling));
  return Buffer.concat(parts);
}

function encodeBare(r: Reply, spelling: Spelling): Buffer {
  switch (r.type) {
    case "status":
      return Buffer.concat([Buffer.from("+"), r.value, Buffer.from(crlf)]);
    case "error":
      return r.value.includes(0x0a) || r.value.includes(0x0d) || (spelling.blobErrors !== false && spelling.pick() % 2 === 0) ? blob("!", r.value) : Buffer.concat([Buffer.from("-"), r.value, Buffer.from(crlf)]);
    case "integer":
      return head(":", r.value);
    case "bulk":
      return blob("$", r.value);
    case "nil": {
      const which = spelling.pick() % 3;
      return which === 0 ? head("_", "") : which === 1 ? head("$", -1) : head("*", -1);
    }
    case "double":
      return head(",", r.value);
    case "boolean":
      return head("#", r.value ? "t" : "f");
    case "bignum":
      return head("(", r.value);
    case "verbatim":
      return blob("=", Buffer.concat([Buffer.from(`${r.format}:`, "latin1"), r.value]));
    case "array":
    case "set":
    case "push":
    case "map":
    case "attribute": {
      const marker = { array: "*", set: "~", push: ">", map: "%", attribute: "|" }[r.type];
      const count = r.type === "map" || r.type === "attribute" ? r.items.length / 2 : r.items.length;
      return Buffer.concat([head(marker, count), ...r.items.map((item) => encodeReply(item, spelling))]);
    }
  }
}

/** A reply as plain data (bytes as hex) for comparison and for readable counterexamples. */
export function plain(r: Reply): unknown {
  switch (r.type) {
    case "status":
    case "error":
    case "bulk":
      return { [r.type]: r.value.toString("hex") };
    case "verbatim":
      return { verbatim: r.format, value: r.value.toString("hex") };
    case "integer":
      return { integer: String(r.value) };
    case "nil":
      return "nil";
    case "double":
    case "bignum":
    case "boolean":
      return { [r.type]: r.value };
    default:
      return { [r.type]: r.items.map(plain) };
  }
}

/** The deepest nesting of aggregates in a reply (0 for a scalar). */
export function depthOf(r: Reply): number {
  return "items" in r ? 1 + Math.max(0, ...r.items.map(depthOf)) : 0;
}

/** Whether some part of a reply is an error with a line break in it (which only a !blob can carry). */
export function hasMultiLineError(r: Reply): boolean {
  if (r.type === "error") return r.value.includes(0x0a) || r.value.includes(0x0d);
  return "items" in r && r.items.some(hasMultiLineError);
}
