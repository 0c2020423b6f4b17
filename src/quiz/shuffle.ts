import type { Choice } from "../lessons/schema.js";

/** A source of numbers in [0, 1), like Math.random; tests pass a seeded one. */
export type Random = () => number;

/**
 * A small seeded generator (mulberry32) so that a test can replay the same "random"
 * orders: the quiz itself uses Math.random.
 */
export function seededRandom(seed: number): Random {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

/** Fisher–Yates: every order equally likely. Returns a new array. */
export function shuffle<T>(items: readonly T[], random: Random): T[] {
  const out = [...items];
  for (let i = out.length - 1; i > 0; i--) {
    const j = Math.floor(random() * (i + 1));
    [out[i], out[j]] = [out[j] as T, out[i] as T];
  }
  return out;
}

/**
 * The choices of one attempt: shuffled, and where the cursor starts, which is never on
 * the right answer (pressing Enter without reading must not score).
 */
export function arrangeChoices(choices: readonly Choice[], random: Random): { shown: Choice[]; start: number } {
  const shown = shuffle(choices, random);
  const wrong = shown.flatMap((c, i) => (c.correct ? [] : [i]));
  const start = wrong[Math.floor(random() * wrong.length)] ?? 0;
  return { shown, start };
}
