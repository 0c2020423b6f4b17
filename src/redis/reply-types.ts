/**
 * A server reply with its RESP type kept. Clients such as ioredis turn replies into
 * plain JavaScript values and lose the difference between a status (+OK) and a bulk
 * string ("OK"), which redis-cli prints differently; these values keep it.
 */
export type Reply =
  | { type: "status"; value: Buffer }
  | { type: "error"; value: Buffer }
  | { type: "integer"; value: bigint }
  | { type: "bulk"; value: Buffer }
  | { type: "nil" }
  | { type: "double"; value: string }
  | { type: "boolean"; value: boolean }
  | { type: "bignum"; value: string }
  | { type: "verbatim"; format: string; value: Buffer }
  | { type: "array" | "set" | "push"; items: Reply[] }
  /** Keys and values alternate in items, as hiredis keeps them. */
  | { type: "map" | "attribute"; items: Reply[] };

export type AggregateType = "array" | "set" | "push" | "map" | "attribute";

export const reply = {
  status: (text: string): Reply => ({ type: "status", value: Buffer.from(text) }),
  error: (text: string): Reply => ({ type: "error", value: Buffer.from(text) }),
  integer: (n: number | bigint): Reply => ({ type: "integer", value: BigInt(n) }),
  bulk: (value: string | Buffer): Reply => ({ type: "bulk", value: Buffer.isBuffer(value) ? value : Buffer.from(value) }),
  nil: (): Reply => ({ type: "nil" }),
  array: (...items: Reply[]): Reply => ({ type: "array", items }),
};

export function isError(r: Reply): r is { type: "error"; value: Buffer } {
  return r.type === "error";
}

/*
 * Reading replies for the tool's own use (command tables, docs, key state), never for
 * display: display is reply-format.ts's job.
 */

/** A string-like reply's bytes; an integer's digits; otherwise nothing. */
export function replyBytes(r: Reply | undefined): Buffer {
  if (!r) return Buffer.alloc(0);
  if (r.type === "bulk" || r.type === "status" || r.type === "verbatim") return r.value;
  if (r.type === "integer") return Buffer.from(String(r.value));
  if (r.type === "double" || r.type === "bignum") return Buffer.from(r.value);
  return Buffer.alloc(0);
}

export function replyString(r: Reply | undefined): string {
  return replyBytes(r).toString("utf8");
}

/** The elements of an array (or RESP3 set or push); none for anything else. */
export function replyItems(r: Reply | undefined): Reply[] {
  return r && (r.type === "array" || r.type === "set" || r.type === "push") ? r.items : [];
}

/** A map as name/value pairs, whether it came as a RESP3 map or as RESP2's flat array. */
export function replyPairs(r: Reply | undefined): [string, Reply][] {
  if (!r || (r.type !== "array" && r.type !== "map")) return [];
  const out: [string, Reply][] = [];
  for (let i = 0; i + 1 < r.items.length; i += 2) out.push([replyString(r.items[i]), r.items[i + 1] as Reply]);
  return out;
}
