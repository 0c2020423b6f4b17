/**
 * Where a lesson file stops being UTF-8. Decoding such a file "leniently" would put
 * replacement characters into commands and replies, which then fail far from the cause.
 */
export interface Utf8Problem {
  /** Byte offset of the first byte that is not part of a valid UTF-8 character. */
  offset: number;
  byte: number;
}

const strict = new TextDecoder("utf-8", { fatal: true });

export function findInvalidUtf8(bytes: Uint8Array): Utf8Problem | undefined {
  try {
    strict.decode(bytes);
    return undefined;
  } catch {
    // Fall through to find where.
  }
  let i = 0;
  while (i < bytes.length) {
    const length = sequenceLength(bytes, i);
    if (length === 0) return { offset: i, byte: bytes[i] as number };
    i += length;
  }
  return undefined;
}

/** Length of the valid UTF-8 sequence at i (RFC 3629: no overlongs, no surrogates, at most U+10FFFF), or 0. */
function sequenceLength(b: Uint8Array, i: number): number {
  const c = b[i] as number;
  if (c < 0x80) return 1;
  const cont = (k: number, lo = 0x80, hi = 0xbf): boolean => i + k < b.length && (b[i + k] as number) >= lo && (b[i + k] as number) <= hi;
  if (c >= 0xc2 && c <= 0xdf) return cont(1) ? 2 : 0;
  if (c === 0xe0) return cont(1, 0xa0) && cont(2) ? 3 : 0;
  if (c === 0xed) return cont(1, 0x80, 0x9f) && cont(2) ? 3 : 0;
  if (c >= 0xe1 && c <= 0xef) return cont(1) && cont(2) ? 3 : 0;
  if (c === 0xf0) return cont(1, 0x90) && cont(2) && cont(3) ? 4 : 0;
  if (c >= 0xf1 && c <= 0xf3) return cont(1) && cont(2) && cont(3) ? 4 : 0;
  if (c === 0xf4) return cont(1, 0x80, 0x8f) && cont(2) && cont(3) ? 4 : 0;
  return 0;
}
