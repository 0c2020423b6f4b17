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

/** The reply as plain text, for the tool's own use (versions, names); not for display. */
export function replyText(r: Reply): string | undefined {
  switch (r.type) {
    case "status":
    case "bulk":
    case "error":
    case "verbatim":
      return r.value.toString("utf8");
    case "integer":
      return r.value.toString();
    case "double":
    case "bignum":
      return r.value;
    default:
      return undefined;
  }
}
