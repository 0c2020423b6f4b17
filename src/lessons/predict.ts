import { samePrediction } from "../quiz/goals.js";
import type { StepPrediction } from "./schema.js";

/**
 * The pure side of a step's prediction: the order its choices are shown in, and
 * judging an answer against the reply the server actually gave.
 */

/** A random number in [0, 1); injectable so tests can pin the order. */
export type Random = () => number;

/** Fisher-Yates: every order equally likely; the items are not changed. */
export function shuffle<T>(items: readonly T[], random: Random = Math.random): T[] {
  const out = [...items];
  for (let i = out.length - 1; i > 0; i--) {
    const j = Math.floor(random() * (i + 1));
    [out[i], out[j]] = [out[j] as T, out[i] as T];
  }
  return out;
}

/** The number pressed (1-based, as shown) to the choice it names; undefined when it names none. */
export function pickedChoice(shown: readonly string[], key: string): string | undefined {
  if (!/^[1-9]$/.test(key)) return undefined;
  return shown[Number(key) - 1];
}

/** Whether a guess (a choice, or a typed answer) says what the server replied, as redis-cli prints it. */
export function judgePrediction(guess: string, actualReply: string): boolean {
  return samePrediction(guess, actualReply);
}

/** The prediction as a note, for a lesson that runs straight through (nothing is asked). */
export function predictionNote(p: StepPrediction): string {
  return `Predict before you read on: ${p.question}${p.choices ? ` (${p.choices.join(" · ")})` : ""}`;
}
