import type { CommandTable } from "../redis/command-table.js";
import type { CommandLine, Lesson } from "./schema.js";
import type { LessonProblem } from "./parse.js";

/**
 * Checks a parsed lesson against the connected server's own command list (COMMAND
 * INFO): a misspelt or missing command is reported at its line before anything runs.
 */
export function validateCommands(lesson: Lesson, table: CommandTable): LessonProblem[] {
  const problems: LessonProblem[] = [];
  const check = (cmd: CommandLine, field: string): void => {
    if (cmd.args.length === 0) return;
    const name = (cmd.args[0] as Buffer).toString("utf8");
    if (table.has(name.toLowerCase())) return;
    problems.push({
      file: lesson.file,
      line: cmd.line,
      column: cmd.column,
      field,
      message: `unknown Redis command "${name}" (this server does not have it; check the spelling, or add requires: for a module or newer version)`,
    });
  };
  lesson.steps.forEach((step, i) => step.run.forEach((cmd, j) => check(cmd, step.run.length > 1 ? `steps[${i}].run[${j}]` : `steps[${i}].run`)));
  lesson.quiz.forEach((q, i) => {
    if (q.kind === "predict") {
      q.setup.forEach((c, j) => check(c, `quiz[${i}].setup[${j}]`));
      q.show.forEach((c, j) => check(c, `quiz[${i}].show[${j}]`));
      check(q.ask, `quiz[${i}].ask`);
    } else if (q.kind === "do") {
      q.setup.forEach((c, j) => check(c, `quiz[${i}].setup[${j}]`));
      q.solution.forEach((c, j) => check(c, `quiz[${i}].solution[${j}]`));
      q.wrong.forEach((w, k) => w.commands.forEach((c, j) => check(c, `quiz[${i}].wrong[${k}][${j}]`)));
      for (const [kind, rules] of [["require", q.require], ["forbid", q.forbid]] as const) {
        rules.forEach((r, k) => {
          for (const name of r.commands) {
            const first = name.trim().split(/\s+/)[0] ?? "";
            if (table.has(first.toLowerCase())) continue;
            problems.push({ file: lesson.file, line: r.line, column: r.column, field: `quiz[${i}].${kind}[${k}].command`, message: `unknown Redis command "${name}" (check the spelling)` });
          }
        });
      }
    }
  });
  return problems;
}
