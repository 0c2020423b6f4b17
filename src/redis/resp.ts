import type { AggregateType, Reply } from "./reply-types.js";

/** Encodes one command as a RESP array of bulk strings: arguments travel as bytes, never as interpolated text. */
export function encodeCommand(args: readonly (Buffer | string)[]): Buffer {
  return Buffer.concat(encodeCommandChunks(args));
}

/** An argument this long is written as it is rather than copied into the command's buffer. */
const COPY_LIMIT = 64 * 1024;

/**
 * The same command as a few buffers to write one after the other: small parts joined,
 * large arguments left where they are, so a 100 MB value is never copied to be sent.
 */
export function encodeCommandChunks(args: readonly (Buffer | string)[]): Buffer[] {
  const bytes = args.map((arg) => (typeof arg === "string" ? Buffer.from(arg, "utf8") : arg));
  // Sizes first, then one buffer per run of small arguments: a Buffer per "$N\r\n" header
  // and a concat made encoding an MSET of 10,000 pairs cost more than the server's work.
  const sizes: number[] = [];
  let size = headerLength(bytes.length);
  for (const b of bytes) {
    size += headerLength(b.length);
    if (b.length > COPY_LIMIT) {
      sizes.push(size);
      size = 2;
    } else size += b.length + 2;
  }
  sizes.push(size);
  const chunks: Buffer[] = [];
  let run = 0;
  let buf = Buffer.allocUnsafe(sizes[run] as number);
  let at = buf.write(`*${bytes.length}\r\n`, 0, "latin1");
  for (const b of bytes) {
    at += buf.write(`$${b.length}\r\n`, at, "latin1");
    if (b.length > COPY_LIMIT) {
      chunks.push(buf, b);
      buf = Buffer.allocUnsafe(sizes[++run] as number);
      at = buf.write("\r\n", 0, "latin1");
    } else {
      at += b.copy(buf, at);
      buf[at++] = 13;
      buf[at++] = 10;
    }
  }
  chunks.push(buf);
  return chunks;
}

/** "*N\r\n" or "$N\r\n": the digits of N and three bytes. */
const headerLength = (n: number): number => String(n).length + 3;

const CRLF = Buffer.from("\r\n");

export class ProtocolError extends Error {
  constructor(message: string) {
    super(message);
    this.name = "ProtocolError";
  }
}

interface Frame {
  type: AggregateType;
  remaining: number;
  items: Reply[];
}

/**
 * An incremental RESP2/RESP3 decoder. Feed it bytes as they arrive; it calls onReply
 * with every complete top-level reply. Aggregates are built on a stack, so a reply of
 * a million elements costs linear time however it is split into chunks.
 */
export class RespDecoder {
  private chunks: Buffer[] = [];
  private buffered = 0;
  private buf: Buffer = Buffer.alloc(0);
  private pos = 0;
  /** Buffered bytes needed before parsing can make progress (a bulk payload that is still arriving). */
  private need = 0;
  private missing = 0;
  private stack: Frame[] = [];

  constructor(private readonly onReply: (reply: Reply) => void) {}

  write(chunk: Buffer): void {
    this.chunks.push(chunk);
    this.buffered += chunk.length;
    if (this.buffered < this.need) return;
    this.buf = Buffer.concat([this.buf.subarray(this.pos), ...this.chunks]);
    this.pos = 0;
    this.chunks = [];
    this.buffered = this.buf.length;
    this.need = 0;
    this.drain();
  }

  reset(): void {
    this.chunks = [];
    this.buffered = 0;
    this.buf = Buffer.alloc(0);
    this.pos = 0;
    this.need = 0;
    this.missing = 0;
    this.stack = [];
  }

  private drain(): void {
    for (;;) {
      const start = this.pos;
      const item = this.parseOne();
      if (item === undefined) {
        this.pos = start;
        this.buffered = this.buf.length - this.pos;
        this.need = this.buffered + this.missing;
        this.missing = 0;
        return;
      }
      if (item !== AGGREGATE_OPENED) this.complete(item);
    }
  }

  private complete(value: Reply): void {
    let item: Reply = value;
    for (;;) {
      const top = this.stack[this.stack.length - 1];
      if (!top) {
        if (item.type !== "attribute") this.onReply(item);
        return;
      }
      // RESP3 attributes describe the next reply; redis-cli does not show them.
      if (item.type !== "attribute") {
        top.items.push(item);
        top.remaining--;
      }
      if (top.remaining > 0) return;
      this.stack.pop();
      item = { type: top.type, items: top.items } as Reply;
    }
  }

  /** Parses one scalar or opens one aggregate; undefined when the bytes are not all here yet. */
  private parseOne(): Reply | typeof AGGREGATE_OPENED | undefined {
    const line = this.readLine();
    if (line === undefined) return undefined;
    const marker = line[0];
    const text = line.subarray(1);
    switch (marker) {
      case 0x2b: // +
        return { type: "status", value: Buffer.from(text) };
      case 0x2d: // -
        return { type: "error", value: Buffer.from(text) };
      case 0x3a: // :
        return { type: "integer", value: BigInt(numberText(text, INTEGER, "integer")) };
      case 0x5f: // _
        if (text.length) throw new ProtocolError("a RESP3 null has nothing after its _");
        return { type: "nil" };
      case 0x2c: // ,
        return { type: "double", value: text.toString("latin1") };
      case 0x23: // #
        if (text.length !== 1 || (text[0] !== 0x74 && text[0] !== 0x66)) throw new ProtocolError("a RESP3 boolean is #t or #f");
        return { type: "boolean", value: text[0] === 0x74 };
      case 0x28: // (
        return { type: "bignum", value: text.toString("latin1") };
      case 0x24: // $
      case 0x21: // !
      case 0x3d: {
        // =
        const length = Number(numberText(text, LENGTH, "length"));
        if (length < 0) return { type: "nil" };
        if (this.buf.length - this.pos < length + 2) {
          this.missing = length + 2 - (this.buf.length - this.pos);
          return undefined;
        }
        const payload = Buffer.from(this.buf.subarray(this.pos, this.pos + length));
        this.pos += length + 2;
        if (marker === 0x21) return { type: "error", value: payload };
        if (marker === 0x3d) {
          if (length < 4 || payload[3] !== 0x3a) throw new ProtocolError("a verbatim string starts with its three-letter format and a colon");
          return { type: "verbatim", format: payload.subarray(0, 3).toString("latin1"), value: payload.subarray(4) };
        }
        return { type: "bulk", value: payload };
      }
      case 0x2a: // *
      case 0x7e: // ~
      case 0x3e: // >
      case 0x25: // %
      case 0x7c: {
        // |
        const count = Number(numberText(text, LENGTH, "count"));
        if (count < 0) return { type: "nil" };
        const type = AGGREGATE_TYPES[marker] as AggregateType;
        const remaining = marker === 0x25 || marker === 0x7c ? count * 2 : count;
        if (remaining === 0) return { type, items: [] } as Reply;
        this.stack.push({ type, remaining, items: [] });
        return AGGREGATE_OPENED;
      }
      default:
        throw new ProtocolError(`unexpected reply type byte ${JSON.stringify(String.fromCharCode(marker ?? 0))}`);
    }
  }

  private readLine(): Buffer | undefined {
    const eol = this.buf.indexOf(CRLF, this.pos);
    if (eol === -1) return undefined;
    const line = this.buf.subarray(this.pos, eol);
    this.pos = eol + 2;
    return line;
  }
}

const AGGREGATE_OPENED = Symbol("aggregate opened");

const INTEGER = /^-?[0-9]+$/;
/** A length or count: -1 for a null, or a whole number of bytes or elements. */
const LENGTH = /^(-1|[0-9]+)$/;

/**
 * A number's digits, checked: anything else is not RESP. Number("x") is NaN and
 * BigInt("x") throws a SyntaxError; a NaN length would even send the reader back to
 * the start of its buffer, round and round.
 */
function numberText(text: Buffer, pattern: RegExp, what: string): string {
  const digits = text.toString("latin1");
  if (!pattern.test(digits)) throw new ProtocolError(`not a valid ${what} in a reply: ${JSON.stringify(digits.slice(0, 40))}`);
  return digits;
}

const AGGREGATE_TYPES: Record<number, AggregateType> = {
  0x2a: "array",
  0x7e: "set",
  0x3e: "push",
  0x25: "map",
  0x7c: "attribute",
};
