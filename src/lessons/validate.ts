import type { CommandTable } from "../redis/command-table.js";
import type { Lesson } from "./schema.js";
import type { LessonProblem } from "./parse.js";

/**
 * Checks a parsed lesson against the connected server's own command list (COMMAND
 * INFO): a misspelt or missing command is reported at its line before anything runs.
 */
export function validateCommands(lesson: Lesson, table: CommandTable): LessonProblem[] {
  const problems: LessonProblem[] = [];
  lesson.steps.forEach((step, i) => {
    step.run.forEach((cmd, j) => {
      if (cmd.args.length === 0) return;
      const name = (cmd.args[0] as Buffer).toString("utf8");
      if (!table.has(name.toLowerCase())) {
        problems.push({
          file: lesson.file,
          line: cmd.line,
          column: cmd.column,
          field: step.run.length > 1 ? `steps[${i}].run[${j}]` : `steps[${i}].run`,
          message: `unknown Redis command "${name}" (this server does not have it; check the spelling, or add requires: for a module or newer version)`,
        });
      }
    });
  });
  return problems;
}
