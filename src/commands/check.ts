import { openRedis } from "../redis/connect.js";
import { versionAtLeast } from "../redis/server-info.js";
import { Timeline, COMMAND_INFO } from "../engine/timeline.js";
import { runLessonStep } from "../engine/lesson-run.js";
import { findLesson, loadAllLessons } from "../lessons/load.js";
import { formatProblem, type LessonProblem } from "../lessons/parse.js";
import { validateCommands } from "../lessons/validate.js";
import { unmetRequirement } from "../lessons/requirements.js";
import type { CommandLine, Lesson } from "../lessons/schema.js";
import { commandKeys } from "../redis/keys.js";
import { formatReply } from "../redis/reply-format.js";
import { sameReply } from "../engine/lesson-run.js";
import { checkGoals } from "../quiz/goals.js";
import { account, describeRefusal, describeRule, judgeTask, refusalOf, type Refusal, type TaskVerdict } from "../quiz/judge.js";
import type { DoQuestion } from "../lessons/schema.js";
import type { Connection } from "../redis/connection.js";
import { UserError } from "../errors.js";
import { makeStyle } from "../render/style.js";
import { colorEnabled } from "../render/color.js";
import type { RedisSource } from "../redis/connect.js";
import { lookupCommand, parseCommandInfo, type CommandTable } from "../redis/command-table.js";
import type { Reply } from "../redis/reply-types.js";

/**
 * `redis-learn check [lesson...]`: replays lessons on a fresh private server and fails
 * on any reply that differs from what the lesson expects, naming file:line.
 */
export async function checkCommand(names: string[]): Promise<void> {
  const lessons = names.length ? await Promise.all(names.map((n) => findLesson(n))) : (await loadAllLessons());
  const style = makeStyle(colorEnabled(process.stdout));
  const source = await openRedis({ env: { ...process.env, REDIS_URL: "" } }, { ask: [COMMAND_INFO] });
  process.stderr.write(source.describe() + "\n");
  let failed = 0;
  let skipped = 0;
  try {
    const table = parseCommandInfo(source.answers[0] as Reply);
    for (const lesson of lessons) {
      const why = unmetRequirement(lesson, source.info);
      if (why) {
        skipped++;
        process.stdout.write(`${style.dim("-")} ${lesson.id} skipped: ${why}\n`);
        continue;
      }
      const problems = await replayLesson(lesson, source, table);
      if (problems.length) {
        failed++;
        process.stdout.write(`${style.bad("✗")} ${lesson.id} (${lesson.file}): ${problems.length} problem${problems.length > 1 ? "s" : ""}\n`);
        for (const p of problems) process.stdout.write(indent(formatProblem(p)) + "\n");
      } else {
        const quiz = lesson.quiz.length ? `, ${lesson.quiz.length} quiz questions` : "";
        process.stdout.write(`${style.ok("✓")} ${lesson.id} (${lesson.steps.length} steps${quiz})\n`);
      }
    }
  } finally {
    await source.close();
  }
  const passed = lessons.length - failed - skipped;
  process.stdout.write(`${passed} passed, ${failed} failed${skipped ? `, ${skipped} skipped` : ""}\n`);
  if (failed) throw new UserError(`${failed} lesson${failed > 1 ? "s" : ""} did not replay as written`);
}

function indent(text: string): string {
  return text.split("\n").map((l) => `    ${l}`).join("\n");
}

/** Runs a lesson from an empty database and collects every mismatch and every undeclared key. */
export async function replayLesson(lesson: Lesson, source: RedisSource, table: CommandTable): Promise<LessonProblem[]> {
  const problems = validateCommands(lesson, table);
  if (problems.length) return problems;
  if (versionAtLeast(source.info.version, "6.2")) await source.conn.send(["RESET"]);
  await source.conn.send(["FLUSHALL"]);
  const timeline = await Timeline.create(source, table);
  const declared = new Set(lesson.keys);
  try {
    for (const [index, step] of lesson.steps.entries()) {
      const field = `steps[${index}]`;
      try {
        const outcome = await runLessonStep(timeline, step, index);
        outcome.commands.forEach((c, j) => {
          const where = step.run.length > 1 ? `${field}.expect[${j}]` : `${field}.expect`;
          if (c.matches === false) {
            problems.push({
              file: lesson.file,
              line: c.command.expectLine ?? c.command.line,
              column: 1,
              field: where,
              message: differently(c.command.expect ?? "", c.replyText),
            });
          }
          for (const key of c.result.keys) {
            if (!declared.has(key.toString("utf8"))) problems.push(undeclaredKey(lesson, c.command, `${field}.run`, key));
          }
        });
      } catch (err) {
        problems.push({ file: lesson.file, line: step.line, column: step.column, field, message: (err as Error).message });
      }
    }
  } finally {
    timeline.close();
  }
  problems.push(...(await replayQuiz(lesson, source, table)));
  return problems;
}

/**
 * A quiz is checked too: each predict's expected reply against the server, and each
 * do-it task's solution against its goal, each from a clean database.
 */
async function replayQuiz(lesson: Lesson, source: RedisSource, table: CommandTable): Promise<LessonProblem[]> {
  const problems: LessonProblem[] = [];
  const declared = new Set(lesson.keys);
  const conn = source.conn;
  const undeclared = (cmds: CommandLine[], field: string): void => {
    for (const c of cmds) {
      for (const k of commandKeys(table, c.args) ?? []) {
        if (!declared.has(k.toString("utf8"))) problems.push(undeclaredKey(lesson, c, field, k));
      }
    }
  };
  for (const [i, q] of lesson.quiz.entries()) {
    const field = `quiz[${i}]`;
    await conn.send(["FLUSHALL"]);
    if (q.kind === "predict") {
      undeclared([...q.setup, ...q.show, q.ask], field);
      for (const c of q.setup) await conn.send(c.args);
      for (const c of q.show) {
        // A shown reply that is the asked one gives the answer away.
        const shown = formatReply(await conn.send(c.args)).replace(/\n$/, "");
        if (sameReply(q.expect, shown)) problems.push({ file: lesson.file, line: c.line, column: c.column, field: `${field}.show`, message: "replies exactly what the question asks for, so it gives the answer away: ask about something the shown commands do not print" });
      }
      const actual = formatReply(await conn.send(q.ask.args)).replace(/\n$/, "");
      if (!sameReply(q.expect, actual)) {
        problems.push({ file: lesson.file, line: q.line, column: q.column, field: `${field}.expect`, message: differently(q.expect, actual) });
      }
    } else if (q.kind === "do") {
      undeclared([...q.setup, ...q.solution, ...q.wrong.flatMap((w) => w.commands)], field);
      for (const g of q.goal) if (!declared.has(g.key)) problems.push({ file: lesson.file, line: g.line, column: 1, field: `${field}.goal`, message: `checks the key "${g.key}", which is not listed under keys:` });
      problems.push(...(await replayTask(lesson, q, field, conn, table)));
    }
  }
  return problems;
}

/**
 * A do-it task judged as the quiz judges it (quiz/judge.ts): the goal must not hold after
 * setup; the solution passes (goal, require, nothing forbidden); every wrong way reaches
 * the goal and yet is refused: by a forbid, a script, a write its `writes` does not allow,
 * or an unmet require.
 */
async function replayTask(lesson: Lesson, q: DoQuestion, field: string, conn: Connection, table: CommandTable): Promise<LessonProblem[]> {
  const problems: LessonProblem[] = [];
  const at = (where: { line: number; column: number }, f: string, message: string): void => void problems.push({ file: lesson.file, line: where.line, column: where.column, field: f, message });
  await conn.send(["FLUSHALL"]);
  for (const c of q.setup) await conn.send(c.args);
  if ((await checkGoals(conn, q.goal)).every((v) => v.ok)) at(q, `${field}.goal`, "the goal already holds after setup: the task would be solved before it starts");

  const solution = await replaySequence(conn, q, q.solution, table);
  if (solution.refused) at(solution.refused.command, `${field}.solution`, `runs ${solution.refused.command.text}, which the task refuses: ${describeRefusal(solution.refused.refusal, solution.refused.command.args)}`);
  for (const v of solution.verdict.open) at({ line: v.goal.line, column: 1 }, `${field}.solution`, `the solution does not reach the goal: ${v.detail}`);
  for (const r of solution.verdict.unmet) at(r, `${field}.solution`, `the solution never runs ${describeRule(r)}, which this require rule asks for`);

  for (const [k, wrong] of q.wrong.entries()) {
    const wf = `${field}.wrong[${k}]`;
    const run = await replaySequence(conn, q, wrong.commands, table);
    if (run.verdict.open.length) {
      at(wrong, wf, `does not reach the goal (${run.verdict.open.map((v) => v.detail).join("; ")}): a wrong way should reach it by a route the task rules out`);
    } else if (!run.refused && !run.verdict.unmet.length) {
      at(wrong, wf, "passes the task: add a forbid rule that refuses one of its commands, or a require rule it does not meet");
    }
  }
  return problems;
}

/**
 * Runs commands as typed at the task, from the task's setup. Every command runs, even a
 * forbidden one (the quiz would refuse it), so that the goal shows whether the sequence
 * really reaches it; the first refusal is reported.
 */
async function replaySequence(conn: Connection, q: DoQuestion, commands: CommandLine[], table: CommandTable): Promise<{ refused?: { command: CommandLine; refusal: Refusal }; verdict: TaskVerdict }> {
  await conn.send(["FLUSHALL"]);
  for (const c of q.setup) await conn.send(c.args);
  let refused: { command: CommandLine; refusal: Refusal } | undefined;
  let ran: Buffer[][] = [];
  let queued: Buffer[][] = [];
  let inMulti = false;
  for (const c of commands) {
    const writes = lookupCommand(table, c.args)?.flags.has("write") ?? false;
    const refusal = refusalOf(q, c.args, { keys: writes ? (commandKeys(table, c.args) ?? []) : [], writes });
    if (refusal && !refused) refused = { command: c, refusal };
    const reply = await conn.send(c.args);
    ({ ran, queued } = account(c.args, reply, inMulti, ran, queued));
    const name = (c.args[0] ?? Buffer.alloc(0)).toString("latin1").toUpperCase();
    if (name === "MULTI" && reply.type !== "error") inMulti = true;
    else if (name === "EXEC" || name === "DISCARD" || name === "RESET") inMulti = false;
  }
  const verdict = judgeTask(q, ran, await checkGoals(conn, q.goal));
  return { ...(refused && { refused }), verdict };
}

/** A reply that is not the one written: both shown, the actual one (a byte string) as text. */
function differently(expected: string, actual: string): string {
  return `the server replied differently\n  expected:\n${indent(expected)}\n  actual:\n${indent(Buffer.from(actual, "latin1").toString("utf8"))}`;
}

function undeclaredKey(lesson: Lesson, command: CommandLine, field: string, key: Buffer): LessonProblem {
  return { file: lesson.file, line: command.line, column: command.column, field, message: `touches the key "${key.toString("utf8")}", which is not listed under keys:` };
}
