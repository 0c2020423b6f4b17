import { describe, expect, it } from "vitest";
import { CliStdout } from "../../src/sandbox/execute.js";

function capture(immediate = false): { out: CliStdout; written: string[] } {
  const written: string[] = [];
  return { out: new CliStdout({ write: (t) => void written.push(t), notice: () => {} }, immediate), written };
}

describe("CliStdout keeps redis-cli's stdio order", () => {
  it("lets a direct write overtake buffered text, as clear does in redis-cli", async () => {
    const { out, written } = capture();
    await out.buffered("unknown redis-cli internal command ':foo'\n");
    await out.direct("\x1b[H\x1b[2J");
    await out.flushed("PONG\n");
    expect(written.join("")).toBe("\x1b[H\x1b[2Junknown redis-cli internal command ':foo'\nPONG\n");
  });

  it("writes buffered text at the final flush", async () => {
    const { out, written } = capture();
    await out.buffered("(0.60s)\n");
    expect(written).toEqual([]);
    await out.flush();
    expect(written).toEqual(["(0.60s)\n"]);
  });

  it("in a terminal nothing waits", async () => {
    const { out, written } = capture(true);
    await out.buffered("a\n");
    await out.direct("b");
    expect(written).toEqual(["a\n", "b"]);
  });
});
