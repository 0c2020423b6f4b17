import { input, select } from "@inquirer/prompts";
import type { QuizIO } from "./run.js";

/**
 * The terminal's side of a quiz and of the home screen: the one place that uses
 * @inquirer/prompts. Ctrl-C in a prompt ends the run (inquirer rejects; main exits).
 */
export function terminalIO(print: (text: string) => void): QuizIO {
  return {
    print,
    async choose(message, options) {
      return select({ message, choices: options.map((name, value) => ({ name, value })) });
    },
    async ask(message) {
      return input({ message });
    },
  };
}

export async function chooseOne<T>(message: string, choices: { name: string; value: T; description?: string }[]): Promise<T> {
  return select({ message, choices, pageSize: Math.min(choices.length, 12) });
}
