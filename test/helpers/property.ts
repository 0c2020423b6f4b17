import type { Parameters as FcParameters } from "fast-check";

/**
 * The seed and size every property test uses, in one place so that one variable replays
 * any of them. The seed is fixed so that a CI failure can be replayed as it happened:
 *
 *   REDIS_LEARN_PROPERTY_SEED=12345   tries other inputs (fast-check prints the seed, the
 *                                     path and the shrunk counterexample of any failure)
 *   REDIS_LEARN_PROPERTY_RUNS=20000   tries more inputs per property than CI does
 */
export const PROPERTY_SEED = Number(process.env.REDIS_LEARN_PROPERTY_SEED ?? 20261201);

/** How many inputs a property tries: its own CI default, or REDIS_LEARN_PROPERTY_RUNS. */
export function propertyRuns(ciDefault: number): number {
  const asked = Number(process.env.REDIS_LEARN_PROPERTY_RUNS);
  return Number.isInteger(asked) && asked > 0 ? asked : ciDefault;
}

/** fast-check settings for one property: the shared seed and the number of runs. */
export function propertySettings<T>(ciDefault: number): FcParameters<T> {
  return { seed: PROPERTY_SEED, numRuns: propertyRuns(ciDefault) };
}

/** A property's budget in time when many runs are asked for (timings are never asserted). */
export const PROPERTY_TIMEOUT_MS = 600_000;

/**
 * Counts what a property tried, to print with the seed at the end of its file: the
 * figures docs/reliability.md quotes.
 */
export class PropertyTally {
  private readonly counts = new Map<string, number>();

  add(name: string, by = 1): void {
    this.counts.set(name, (this.counts.get(name) ?? 0) + by);
  }

  get(name: string): number {
    return this.counts.get(name) ?? 0;
  }

  report(title: string): string {
    const parts = [...this.counts].map(([name, n]) => `${name}: ${n}`);
    return `${title} (seed ${PROPERTY_SEED}): ${parts.join(", ")}`;
  }
}
