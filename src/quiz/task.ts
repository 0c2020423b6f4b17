import { formatReply } from "../redis/reply-format.js";
import type { DoQuestion } from "../lessons/schema.js";
import { runStep, touchedKeys, type EngineContext } from "../engine/step.js";
import { lookupCommand } from "../redis/command-table.js";
import { renderKeyChanges } from "../render/key-table.js";
import { bytesToText } from "../render/step.js";
import { tokenize } from "../redis/tokenize.js";
import { checkGoals } from "./goals.js";
import { account, describeRefusal, describeRule, judgeTask, refusalOf, type CommandFacts, type TaskVerdict } from "./judge.js";
import { cleanSlate, prose, runSilently, startingData } from "./slate.js";
import type { QuestionResult, QuizContext } from "./types.js";

const WORDS = { hint: "hint", reset: "reset", solution: "solution", skip: "skip" };

/**
 * A do-it task: the learner types real commands until the goal holds on the server and
 * every `require` is met. A forbidden command, a script, a write to a goal key by a
 * command the task's `writes` does not allow (or, on a server the learner brought, a
 * dangerous command) is refused before it is sent.
 */
export async function askDo(question: DoQuestion, q: QuizContext): Promise<QuestionResult> {
  await runSilently(q, question.setup);
  q.io.print(prose(question.task.trim(), q.style) + "\n");
  q.io.print(await startingData(q, question.setup, question.goal.map((g) => g.key)));
  q.io.print(q.style.dim(`Type Redis commands. "${WORDS.hint}" for a nudge, "${WORDS.reset}" to start the task again, "${WORDS.solution}" to see one, "${WORDS.skip}" to move on.`) + "\n");
  let typed: string[] = [];
  /** Commands the server ran (not refused with an error): what `require` rules look at. */
  let ran: Buffer[][] = [];
  /** Commands queued since MULTI: they count once EXEC has run them. */
  let queued: Buffer[][] = [];
  const end = (correct: boolean): QuestionResult => {
    q.io.print(recap(question, typed, q));
    return { id: question.id, kind: "do", correct, commands: typed.length, shortest: question.solution.length, typed };
  };
  for (;;) {
    const line = (await q.io.ask("do>")).trim();
    if (!line) continue;
    const word = line.toLowerCase();
    if (word === WORDS.hint) {
      const verdict = q.client.inMulti ? undefined : judgeTask(question, ran, await checkGoals(q.conn, question.goal));
      q.io.print(q.style.changed(question.hint.trim()) + "\n" + (verdict ? q.style.dim(stillOpen(verdict, "Right now")) : ""));
      continue;
    }
    if (word === WORDS.reset) {
      if (q.client.inMulti) await runStep(q.ctx, q.client, [Buffer.from("DISCARD")]);
      await cleanSlate(q);
      await runSilently(q, question.setup);
      typed = [];
      ran = [];
      queued = [];
      q.io.print(q.style.dim("The keys are back as they were when the task began, and the count starts again.") + "\n");
      continue;
    }
    if (word === WORDS.solution || word === WORDS.skip) return end(false);
    const split = tokenize(line);
    if (!split.ok || split.args.length === 0) {
      q.io.print("Invalid argument(s)\n");
      continue;
    }
    const args = split.args;
    const danger = await q.guard?.(args);
    if (danger) {
      q.io.print(q.style.bad(`✗ Not sent: ${commandName(args)} ${danger}.`) + " " + q.style.dim("A task never needs it, and this is a server you brought.") + "\n");
      continue;
    }
    const refusal = refusalOf(question, args, question.writes.length ? await commandFacts(q.ctx, args) : { keys: [], writes: false });
    if (refusal) {
      q.io.print(q.style.bad(`✗ Not sent: ${describeRefusal(refusal, args)}`) + " " + prose(refusal.rule.why, q.style) + "\n");
      continue;
    }
    typed.push(line);
    const inMulti = q.client.inMulti;
    const result = await runStep(q.ctx, q.client, args);
    q.io.print(bytesToText(formatReply(result.reply)));
    if (result.keys.length && (result.before || result.after)) q.io.print(renderKeyChanges(result.before, result.after, q.style, undefined, result.others) + "\n");
    ({ ran, queued } = account(args, result.reply, inMulti, ran, queued));
    if (q.client.inMulti) continue;
    const verdict = judgeTask(question, ran, await checkGoals(q.conn, question.goal));
    if (verdict.done) {
      const n = typed.length;
      const known = question.solution.length;
      q.io.print(q.style.ok(`✓ Done in ${n} command${n > 1 ? "s" : ""}`) + q.style.dim(n < known ? ` (the known way takes ${known})` : ` (the shortest known way takes ${known})`) + "\n");
      return end(true);
    }
    q.io.print(q.style.changed(stillOpen(verdict, "Not yet")));
  }
}

/** Which keys a command names and whether it may write, from the server's command table; asked on the tool's own connection, never inside the learner's MULTI. */
async function commandFacts(ctx: EngineContext, args: Buffer[]): Promise<CommandFacts> {
  const meta = lookupCommand(ctx.table, args);
  if (!meta?.flags.has("write")) return { keys: [], writes: false };
  return { keys: await touchedKeys(ctx, await ctx.observer(), args), writes: true };
}

function commandName(args: Buffer[]): string {
  return (args[0] ?? Buffer.alloc(0)).toString("utf8").toUpperCase();
}

/** Every goal that does not hold yet, and a require that is unmet. Ends with a newline. */
export function stillOpen(verdict: TaskVerdict, lead: string): string {
  const lines: string[] = [];
  if (verdict.open.length) {
    lines.push(`${lead}:`, ...verdict.open.map((v) => `  - ${v.detail}`));
  } else if (verdict.unmet.length) {
    lines.push(`${lead}: the keys are as the task wants, but it asks for ${verdict.unmet.map(describeRule).join(" and ")}.`);
    lines.push(...verdict.unmet.map((r) => `  ${r.why}`));
    lines.push(`  Type "${WORDS.reset}" to start from the task's keys again.`);
  } else {
    lines.push(`${lead}: the goal holds.`);
  }
  return lines.join("\n") + "\n";
}

/** After the task: what the learner actually sent, and the shortest known way, so the explanation reads against both. */
function recap(question: DoQuestion, typed: string[], q: QuizContext): string {
  const code = (t: string): string => q.style.code(`  ${t}`);
  const yours = typed.length ? q.style.dim("You ran:") + "\n" + typed.map(code).join("\n") : q.style.dim("You ran no commands.");
  const best = q.style.dim(`The shortest known way (${question.solution.length} command${question.solution.length > 1 ? "s" : ""}):`) + "\n" + question.solution.map((c) => code(c.text)).join("\n");
  return yours + "\n" + best + "\n";
}
