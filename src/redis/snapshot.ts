import { replyBytes, replyItems, replyString, type Reply } from "./reply-types.js";

/**
 * The state of keys, fetched bounded in one round trip: a Lua script reads each key's
 * type, TTL, encoding, size and a preview of at most PREVIEW_HEAD + PREVIEW_TAIL
 * elements (or PREVIEW_BYTES of a string), so a million-element list costs what a
 * ten-element one costs.
 */
export const PREVIEW_HEAD = 10;
export const PREVIEW_TAIL = 10;
export const PREVIEW_BYTES = 80;
/**
 * Keys a command's snapshot reads in full; the keys after them (an MSET of 10,000 pairs) are
 * only counted, by a plain EXISTS in the same round trip (see otherKeysCommand).
 */
export const FULL_STATE_KEYS = 20;

/** The keys past the ones read in full: how many, and how many of them exist. */
export interface OtherKeys {
  count: number;
  existing: number;
}

/**
 * Counts which of many keys exist. A plain EXISTS, not part of the Lua script: passing
 * 10,000 keys through a script (KEYS to Lua strings and back into EXISTS) measured twice the
 * cost of EXISTS itself, and a TYPE per key three times.
 */
export function otherKeysCommand(keys: readonly Buffer[]): Buffer[] {
  return [Buffer.from("EXISTS"), ...keys];
}

export function parseOtherKeys(keys: readonly Buffer[], r: Reply | undefined): OtherKeys | undefined {
  return r?.type === "integer" ? { count: keys.length, existing: Number(r.value) } : undefined;
}

export interface PreviewItem {
  /** The list index, or the position in a sorted set. */
  index?: number;
  member: Buffer;
  /** Hash value, or stream entry fields as "field value" text. */
  value?: Buffer;
  /** Sorted-set score, as Redis prints it. */
  score?: string;
  /** A hash field's own time to live in milliseconds, -1 for none (Redis 7.4+, HPTTL). */
  ttl?: number;
}

export interface KeyState {
  key: Buffer;
  exists: boolean;
  type?: string;
  encoding?: string;
  /** Milliseconds to live; -1 when the key does not expire. */
  pttl?: number;
  /** STRLEN, LLEN, HLEN, SCARD, ZCARD or XLEN. */
  length?: number;
  /** A string's first PREVIEW_BYTES bytes. */
  bytes?: Buffer;
  /** The first elements (or a bounded sample, for hashes and sets too big to read whole). */
  head?: PreviewItem[];
  /** The last elements, when the key is too big to show whole. */
  tail?: PreviewItem[];
}

const SCRIPT = `
local head, tail, maxBytes, fieldTtl = tonumber(ARGV[1]), tonumber(ARGV[2]), tonumber(ARGV[3]), ARGV[4] == '1'
local whole = head + tail
local out = {}
for i, key in ipairs(KEYS) do
  local t = redis.call('TYPE', key)['ok']
  if t == 'none' then
    out[i] = {'none'}
  else
    local len, a, b, ttls = 0, {}, {}, {}
    if t == 'string' then
      len = redis.call('STRLEN', key)
      a = {redis.call('GETRANGE', key, 0, maxBytes - 1)}
    elseif t == 'list' then
      len = redis.call('LLEN', key)
      if len <= whole then a = redis.call('LRANGE', key, 0, -1)
      else a = redis.call('LRANGE', key, 0, head - 1); b = redis.call('LRANGE', key, -tail, -1) end
    elseif t == 'hash' then
      len = redis.call('HLEN', key)
      if len <= whole then a = redis.call('HGETALL', key)
      else a = redis.call('HSCAN', key, 0, 'COUNT', whole)[2] end
      if fieldTtl then
        local fields = {}
        for k = 1, #a, 2 do fields[#fields + 1] = a[k] end
        if #fields > 0 then ttls = redis.call('HPTTL', key, 'FIELDS', #fields, unpack(fields)) end
      end
    elseif t == 'set' then
      len = redis.call('SCARD', key)
      if len <= whole then a = redis.call('SMEMBERS', key)
      else a = redis.call('SSCAN', key, 0, 'COUNT', whole)[2] end
    elseif t == 'zset' then
      len = redis.call('ZCARD', key)
      if len <= whole then a = redis.call('ZRANGE', key, 0, -1, 'WITHSCORES')
      else a = redis.call('ZRANGE', key, 0, head - 1, 'WITHSCORES'); b = redis.call('ZRANGE', key, -tail, -1, 'WITHSCORES') end
    elseif t == 'stream' then
      len = redis.call('XLEN', key)
      if len <= whole then a = redis.call('XRANGE', key, '-', '+')
      else a = redis.call('XRANGE', key, '-', '+', 'COUNT', head); b = redis.call('XREVRANGE', key, '+', '-', 'COUNT', tail) end
    end
    out[i] = {t, redis.call('PTTL', key), redis.call('OBJECT', 'ENCODING', key), len, a, b, ttls}
  end
end
return out
`;

/** Scripts declare themselves read-only from Redis 7.0 on, so they run on replicas and under read-only ACLs. */
export function snapshotScript(serverVersionAtLeast7: boolean): string {
  return (serverVersionAtLeast7 ? "#!lua flags=no-writes\n" : "") + SCRIPT;
}

/** The command that fetches the state of these keys; send it alone or inside MULTI. */
/** `fieldTtl`: the server has HPTTL (Redis 7.4+), so hash fields' own TTLs are read too. */
export function snapshotCommand(keys: readonly Buffer[], atLeast7 = true, fieldTtl = false): Buffer[] {
  return [
    Buffer.from("EVAL"),
    Buffer.from(snapshotScript(atLeast7)),
    Buffer.from(String(keys.length)),
    ...keys,
    Buffer.from(String(PREVIEW_HEAD)),
    Buffer.from(String(PREVIEW_TAIL)),
    Buffer.from(String(PREVIEW_BYTES)),
    Buffer.from(fieldTtl ? "1" : "0"),
  ];
}

/** Reads the script's reply; an error reply means the state could not be read (an ACL, say). */
export function parseSnapshot(keys: readonly Buffer[], r: Reply): KeyState[] | undefined {
  if (r.type !== "array") return undefined;
  return keys.map((key, i) => parseKey(key, r.items[i]));
}

function parseKey(key: Buffer, r: Reply | undefined): KeyState {
  if (!r || r.type !== "array" || text(r.items[0]) === "none") return { key, exists: false };
  const [t, pttl, encoding, length, a, b, ttls] = r.items;
  const type = text(t);
  const state: KeyState = { key, exists: true, type, pttl: Number(text(pttl)), encoding: text(encoding), length: Number(text(length)) };
  const first = list(a);
  const last = list(b);
  const total = state.length ?? 0;
  switch (type) {
    case "string":
      state.bytes = bytes(first[0]);
      break;
    case "list":
      state.head = first.map((m, i) => ({ index: i, member: bytes(m) }));
      if (last.length) state.tail = last.map((m, i) => ({ index: total - last.length + i, member: bytes(m) }));
      break;
    case "hash": {
      const fieldTtls = list(ttls);
      state.head = pairUp(first).map(([f, v], i) => ({ member: f, value: v, ...(fieldTtls[i] && { ttl: Number(text(fieldTtls[i])) }) }));
      break;
    }
    case "set":
      state.head = first.map((m) => ({ member: bytes(m) })).sort((x, y) => Buffer.compare(x.member, y.member));
      break;
    case "zset":
      state.head = pairUp(first).map(([m, s], i) => ({ index: i, member: m, score: s.toString("latin1") }));
      if (last.length) state.tail = pairUp(last).map(([m, s], i) => ({ index: total - last.length / 2 + i, member: m, score: s.toString("latin1") }));
      break;
    case "stream":
      state.head = first.map(streamEntry);
      if (last.length) state.tail = last.map(streamEntry).reverse();
      break;
  }
  // HSCAN and SSCAN may return more than they were asked for.
  if (state.head && state.head.length > PREVIEW_HEAD + PREVIEW_TAIL && !state.tail) state.head = state.head.slice(0, PREVIEW_HEAD + PREVIEW_TAIL);
  return state;
}

function streamEntry(entry: Reply): PreviewItem {
  const [id, fields] = list(entry);
  const parts = list(fields).map((f) => bytes(f).toString("latin1"));
  return { member: bytes(id), value: Buffer.from(parts.join(" "), "latin1") };
}

function pairUp(items: Reply[]): [Buffer, Buffer][] {
  const out: [Buffer, Buffer][] = [];
  for (let i = 0; i + 1 < items.length; i += 2) out.push([bytes(items[i]), bytes(items[i + 1])]);
  return out;
}

const list = replyItems;
const bytes = replyBytes;
const text = replyString;
