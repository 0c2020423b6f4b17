import type { CommandLine } from "../lessons/schema.js";
import { touchedKeys } from "../engine/step.js";
import { readStates } from "../engine/observe.js";
import { renderKeyNow } from "../render/key-table.js";
import type { Style } from "../render/style.js";
import type { QuizContext } from "./types.js";

/** Every question starts from nothing: the lesson's keys are wiped first. */
export async function cleanSlate(q: QuizContext): Promise<void> {
  if (!q.keys.length) return;
  q.writing?.();
  await q.conn.send(["DEL", ...q.keys]);
  await q.wrote?.(q.keys);
}

export async function runSilently(q: QuizContext, commands: CommandLine[]): Promise<void> {
  if (!commands.length) return;
  q.writing?.();
  await q.conn.pipeline(commands.map((c) => c.args));
  if (q.wrote) await q.wrote(await keysOf(q, commands));
}

/** The keys some commands name, from the key specs. */
export async function keysOf(q: QuizContext, commands: CommandLine[]): Promise<Buffer[]> {
  const out: Buffer[] = [];
  for (const c of commands) out.push(...(await touchedKeys(q.ctx, q.conn, c.args)));
  return out;
}

/** `code` in prose is shown as code in a terminal that has colour; otherwise the backticks stay. */
export function prose(text: string, style: Style): string {
  return style.enabled ? text.replace(/`([^`]+)`/g, (_, code: string) => style.code(code)) : text;
}

/**
 * The data a question starts from, as the lesson shows keys: one table per key that the
 * given commands name (plus `extra`), in the order first named, read as they are now.
 */
export async function startingData(q: QuizContext, commands: CommandLine[], extra: string[] = []): Promise<string> {
  const seen = new Map<string, Buffer>();
  for (const c of commands) for (const k of await touchedKeys(q.ctx, q.conn, c.args)) seen.set(k.toString("latin1"), k);
  for (const k of extra) seen.set(Buffer.from(k).toString("latin1"), Buffer.from(k));
  const keys = [...seen.values()];
  if (!keys.length) return "";
  const states = (await readStates(q.ctx, q.conn, keys)) ?? [];
  return q.style.dim("The keys as the question starts:") + "\n" + states.map((s) => renderKeyNow(s, q.style)).join("\n") + "\n";
}
