/** One line of MONITOR's stream: when, in which database, from where, and the exact arguments. */
export interface MonitorLine {
  /** Seconds since the epoch, with the server's microseconds. */
  time: number;
  db: number;
  /** The client's address as the server writes it: "127.0.0.1:52320", "[::1]:52320", "unix:/tmp/r.sock", or "lua" for a script's commands. */
  addr: string;
  args: Buffer[];
}

const HEAD = /^(\d+\.\d+) \[(\d+) (.+?)\] "/;

/** sdscatrepr's escapes, and the byte each stands for. */
const ESCAPES: Record<string, number> = { "\\": 0x5c, '"': 0x22, n: 0x0a, r: 0x0d, t: 0x09, a: 0x07, b: 0x08 };

/**
 * One MONITOR line as Redis 7.0, 7.2+, 8 and Valkey 8 send it:
 * `1796124085.528920 [0 127.0.0.1:52338] "set" "k" "v"`, each argument unescaped from the
 * server's sdscatrepr form (\" \\ \n \r \t \a \b \xHH) to its exact bytes. undefined for
 * anything else (the +OK that answers MONITOR itself). Pure.
 */
export function parseMonitorLine(line: Buffer | string): MonitorLine | undefined {
  // The server escapes every byte outside printable ASCII, so latin1 maps text to bytes one to one.
  const text = typeof line === "string" ? Buffer.from(line, "utf8").toString("latin1") : line.toString("latin1");
  const head = HEAD.exec(text);
  if (!head) return undefined;
  const args = parseQuoted(text, head[0].length - 1);
  if (!args) return undefined;
  return { time: Number(head[1]), db: Number(head[2]), addr: head[3] as string, args };
}

/** `"a" "b\x00"` from `from` to the end of the line; undefined if it is not exactly that. */
function parseQuoted(text: string, from: number): Buffer[] | undefined {
  const args: Buffer[] = [];
  let i = from;
  while (i < text.length) {
    if (args.length > 0) {
      if (text[i] !== " ") return undefined;
      i++;
    }
    if (text[i] !== '"') return undefined;
    i++;
    const bytes: number[] = [];
    for (;;) {
      const c = text[i];
      if (c === undefined) return undefined;
      i++;
      if (c === '"') break;
      if (c !== "\\") {
        bytes.push(c.charCodeAt(0));
        continue;
      }
      const e = text[i++];
      if (e === undefined) return undefined;
      if (e === "x") {
        const hex = text.slice(i, i + 2);
        if (!/^[0-9a-fA-F]{2}$/.test(hex)) return undefined;
        bytes.push(parseInt(hex, 16));
        i += 2;
        continue;
      }
      const byte = ESCAPES[e];
      if (byte === undefined) return undefined;
      bytes.push(byte);
    }
    args.push(Buffer.from(bytes));
  }
  return args.length ? args : undefined;
}
