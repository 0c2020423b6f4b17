import { input, select } from "@inquirer/prompts";
import type { QuizIO } from "./run.js";

/**
 * The terminal's side of a quiz and of the home screen: the one place that uses
 * @inquirer/prompts. Ctrl-C in a prompt ends the run (inquirer rejects; main exits).
 */
export function terminalIO(print: (text: string) => void): QuizIO {
  return {
    print,
    async choose(message, options, start) {
      return select({ message, choices: options.map((name, value) => ({ name, value })), ...(start !== undefined && { default: start }), theme: ANSWERED });
    },
    async ask(message) {
      return input({ message, theme: ANSWERED });
    },
  };
}

/**
 * Inquirer marks every answered prompt with a green ✔, a wrong answer too. Ours is a
 * neutral mark: the quiz's own line right after says ✓ or ✗.
 */
const ANSWERED = { prefix: { idle: "?", done: "›" } };

export async function chooseOne<T>(message: string, choices: { name: string; value: T; description?: string }[]): Promise<T> {
  return select({ message, choices, pageSize: Math.min(choices.length, 12) });
}
