import { describe, expect, it } from "vitest";
import { thousands } from "../../src/render/numbers.js";

describe("thousands", () => {
  it.each([
    [0, "0"],
    [7, "7"],
    [999, "999"],
    [1000, "1,000"],
    [999_980, "999,980"],
    [1_000_000, "1,000,000"],
    [-1234, "-1,234"],
    [10n ** 15n, "1,000,000,000,000,000"],
    [2n ** 63n - 1n, "9,223,372,036,854,775,807"],
    [-(2n ** 63n), "-9,223,372,036,854,775,808"],
  ])("%s → %s", (n, text) => {
    expect(thousands(n)).toBe(text);
  });

  it("writes every whole number as toLocaleString('en-US') does", () => {
    const samples = [0, 1, 12, 123, 1234, 12345, 123456, 1234567, 98765432, Number.MAX_SAFE_INTEGER, -5, -12345678];
    for (let i = 0; i < 200; i++) samples.push(Math.floor(Math.random() * 10 ** Math.floor(Math.random() * 16)));
    for (const n of samples) expect(thousands(n)).toBe(n.toLocaleString("en-US"));
    for (const n of samples) expect(thousands(BigInt(n))).toBe(BigInt(n).toLocaleString("en-US"));
  });
});
