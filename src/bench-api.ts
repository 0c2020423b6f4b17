/**
 * The few internals the benchmark (bench/run.mjs) calls directly, as one entry of the
 * bundle: the parts of the product it times in isolation. Not a public API.
 */
export { Connection } from "./redis/connection.js";
export { snapshotCommand, parseSnapshot } from "./redis/snapshot.js";
export { versionAtLeast } from "./redis/server-info.js";
export { findLesson, loadAllLessons } from "./lessons/load.js";
export { parseCommandDocs } from "./redis/docs.js";
export { parseCommandInfo } from "./redis/command-table.js";
export { hintForLine } from "./sandbox/syntax.js";
export { Terminal } from "./sandbox/terminal.js";
export { runStep } from "./engine/step.js";
export { renderKeyChanges } from "./render/key-table.js";
export { makeStyle } from "./render/style.js";
