/**
 * A whole number with its thousands grouped: 1234567 → "1,234,567", as
 * toLocaleString("en-US") writes it. By hand because the first toLocaleString call of a
 * process loads ICU's locale data, about 30 ms that a learner would wait for on the
 * first key shown.
 */
export function thousands(n: number | bigint): string {
  const digits = typeof n === "bigint" ? n.toString() : Number.isSafeInteger(n) ? String(n) : undefined;
  if (digits === undefined) return String(n);
  return digits.replace(/\B(?=(\d{3})+$)/g, ",");
}
