#!/usr/bin/env node
/**
 * The redis-learn command, built as CommonJS (dist/main.js). Node 20 starts a
 * CommonJS file 10–15 ms sooner than an ES module, which is a third of what `--help` and
 * `list` cost on top of Node itself; so this file parses the arguments, prints help and
 * the lesson list, and hands every other command to the program (main.ts, an ES module),
 * which also owns every error. It holds no state: nothing here registers secrets or
 * cleanups, so nothing is split between its copy of a module and the program's.
 */
import { shippedSummaries } from "./lessons/shipped.js";
import { packageVersion } from "./package-root.js";
import { colorEnabled } from "./render/color.js";
import { lessonListText } from "./render/lesson-list.js";

const program = () => import("./main.js");
const fail = (err: unknown): void =>
  void program().then(
    (p) => p.fail(err),
    // A broken install: without the program there is no redaction either, so only this is said.
    (broken: unknown) => {
      process.stderr.write(`redis-learn: cannot load the program (${broken instanceof Error ? broken.message : String(broken)}); reinstall redis-learn\n`);
      process.exit(1);
    },
  );

process.on("uncaughtException", fail);
process.on("unhandledRejection", fail);
// A reader that closes the pipe early (| head) is not an error worth a message.
process.stdout.on("error", (err: NodeJS.ErrnoException) => (err.code === "EPIPE" ? process.exit(0) : fail(err)));

/** `list` with the shipped lessons as the build left them: answered from the build's record, without the program. */
function listFromBuild(): boolean {
  if (process.argv.length !== 3 || process.argv[2] !== "list") return false;
  const lessons = shippedSummaries();
  if (!lessons) return false;
  process.stdout.write(lessonListText(lessons, colorEnabled(process.stdout)));
  return true;
}

// The argument parser (commander) is set up only when it is needed: `list` needs none.
if (!listFromBuild()) {
  import("./cli.js")
    .then(({ buildProgram }) => buildProgram(packageVersion(), async (command, args) => (await program()).run(command, args)).parseAsync(process.argv))
    .catch(fail);
}
