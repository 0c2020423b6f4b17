/**
 * Splits a byte stream into lines as redis-cli's non-terminal reader does: on LF only,
 * keeping any CR (the tokenizer treats it as a separator), and a last line without a
 * newline still counts.
 */
export async function* readLines(stream: AsyncIterable<Buffer | string>): AsyncGenerator<Buffer> {
  let pending: Buffer[] = [];
  for await (const chunk of stream) {
    let bytes = typeof chunk === "string" ? Buffer.from(chunk, "utf8") : chunk;
    let nl = bytes.indexOf(0x0a);
    while (nl !== -1) {
      pending.push(bytes.subarray(0, nl));
      yield Buffer.concat(pending);
      pending = [];
      bytes = bytes.subarray(nl + 1);
      nl = bytes.indexOf(0x0a);
    }
    if (bytes.length > 0) pending.push(bytes);
  }
  if (pending.length > 0) yield Buffer.concat(pending);
}
