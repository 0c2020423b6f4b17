import { LineCounter, isMap, isScalar, isSeq, parseDocument, type Node, type Pair, type YAMLMap } from "yaml";
import { tokenize, describeTokenizeFailure } from "../redis/tokenize.js";
import type { CommandLine, Lesson, QuizQuestion, Step } from "./schema.js";
import { parseQuiz } from "./parse-quiz.js";
import { findInvalidUtf8 } from "./utf8.js";
import { parsePrediction } from "./parse-predict.js";
import { MAX_WAIT_MS, parseDuration } from "../engine/time-skip.js";

/**
 * Parses one lesson file (pure: text in, Lesson or problems out). Every problem names
 * the file, line and column, the field, and what to do about it.
 */
export interface LessonProblem {
  file: string;
  line: number;
  column: number;
  field: string;
  message: string;
}

export type ParseResult = { ok: true; lesson: Lesson } | { ok: false; problems: LessonProblem[] };

export function formatProblem(p: LessonProblem): string {
  return `${p.file}:${p.line}:${p.column}: ${p.field ? `${p.field}: ` : ""}${p.message}`;
}

const LESSON_FIELDS = ["id", "title", "summary", "requires", "keys", "steps", "quiz"] as const;
const STEP_FIELDS = ["title", "explain", "run", "expect", "note", "client", "blocks", "receive", "wait", "predict"] as const;
const REQUIRE_FIELDS = ["redis", "modules"] as const;
const ID_PATTERN = /^[a-z0-9][a-z0-9-]*$/;
const CLIENT_PATTERN = /^[A-Z]$/;
const VERSION_PATTERN = /^\d+(\.\d+){0,2}$/;

/**
 * How deeply [ ] and { } may nest. Lessons need two or three levels; the YAML parser
 * recurses once per level, and thousands of levels would exhaust the stack.
 */
export const MAX_NESTING = 64;

/** Text, or the file's bytes, which must be UTF-8. */
export function parseLesson(source: string | Uint8Array, file: string): ParseResult {
  const result = parseSource(source, file);
  return result.ok ? result : { ok: false, problems: result.problems.map((p) => ({ ...p, field: printable(p.field), message: printable(p.message) })) };
}

/**
 * Text from the file (a field's name, a value) shown in a problem with its control
 * characters written as escapes: a carriage return or an escape sequence in a key
 * would otherwise rewrite the terminal line, and a line break split the one-line message.
 */
function printable(text: string): string {
  return text.replace(/[\x00-\x1f\x7f-\x9f\u2028\u2029]/g, (c) => {
    const named: Record<string, string> = { "\n": "\\n", "\r": "\\r", "\t": "\\t" };
    const code = c.charCodeAt(0);
    return named[c] ?? (code < 0x100 ? `\\x${code.toString(16).padStart(2, "0")}` : `\\u${code.toString(16).padStart(4, "0")}`);
  });
}

function parseSource(source: string | Uint8Array, file: string): ParseResult {
  if (typeof source !== "string") {
    const bad = findInvalidUtf8(source);
    if (bad) {
      const before = Buffer.from(source.subarray(0, bad.offset));
      const lineStart = before.lastIndexOf(0x0a) + 1;
      const line = before.subarray(0, lineStart).filter((b) => b === 0x0a).length + 1;
      const column = before.subarray(lineStart).toString("utf8").length + 1;
      const hex = bad.byte.toString(16).toUpperCase().padStart(2, "0");
      return { ok: false, problems: [{ file, line, column, field: "", message: `not UTF-8 text: byte 0x${hex} cannot stand here; save the file as UTF-8 (it may be Latin-1 or Windows-1252)` }] };
    }
    return parseSource(Buffer.from(source).toString("utf8"), file);
  }
  const text = source;
  const lines = lineCounterOf(text);
  const tooDeep = firstTooDeep(text);
  if (tooDeep !== undefined) {
    const at = positionOf(text, tooDeep);
    return { ok: false, problems: [{ file, line: at.line, column: at.column, field: "", message: `nested more than ${MAX_NESTING} levels deep: a lesson needs only a few levels of [ ] and { }` }] };
  }
  const doc = parseDocument(text, { prettyErrors: false, uniqueKeys: true });
  const problems: LessonProblem[] = [];
  const at = (node: Node | Pair | undefined | null, field: string, message: string): void => {
    const offset = node && "range" in node && node.range ? node.range[0] : node && "key" in node && isScalar(node.key) && node.key.range ? node.key.range[0] : 0;
    const pos = lines.linePos(offset);
    problems.push({ file, line: pos.line, column: pos.col, field, message });
  };

  for (const err of doc.errors) {
    const pos = lines.linePos(err.pos[0]);
    // Deep block nesting (- - - - ...) can still exhaust the parser's stack: say what it means.
    const message = /call stack/i.test(err.message) ? `nested too deeply for the YAML parser: a lesson needs only a few levels` : `invalid YAML: ${shortened(err.message.split("\n")[0] ?? "")}`;
    problems.push({ file, line: pos.line, column: pos.col, field: "", message });
  }
  if (problems.length) return { ok: false, problems };

  const root = doc.contents;
  if (!isMap(root)) {
    at(root ?? undefined, "", "a lesson is a mapping with id, title, summary, keys and steps");
    return { ok: false, problems };
  }
  checkFields(root, LESSON_FIELDS, "", at);

  const str = (map: YAMLMap, key: string, field: string, required: boolean): string | undefined => {
    const node = map.get(key, true) as Node | undefined;
    if (node === undefined) {
      if (required) at(map, field, `missing: add \`${key}:\``);
      return undefined;
    }
    if (!isScalar(node) || typeof node.value !== "string" || node.value.trim() === "") {
      at(node, field, "must be text");
      return undefined;
    }
    return node.value;
  };

  const id = str(root, "id", "id", true);
  if (id !== undefined && !ID_PATTERN.test(id)) at(root.get("id", true) as Node, "id", "use lower-case letters, digits and dashes");
  const title = str(root, "title", "title", true);
  const summary = str(root, "summary", "summary", true);

  const requires: Lesson["requires"] = { modules: [] };
  const reqNode = root.get("requires", true) as Node | undefined;
  if (reqNode !== undefined) {
    if (!isMap(reqNode)) at(reqNode, "requires", "must be a mapping, e.g. `redis: \"6.2\"`");
    else {
      checkFields(reqNode, REQUIRE_FIELDS, "requires", at);
      const version = reqNode.get("redis", true) as Node | undefined;
      if (version !== undefined) {
        const v = isScalar(version) && typeof version.value === "string" ? version.value : "";
        if (!VERSION_PATTERN.test(v)) at(version, "requires.redis", 'must be a version in quotes, e.g. "6.2" (unquoted, 6.10 would read as the number 6.1)');
        else requires.redis = v;
      }
      const mods = reqNode.get("modules", true) as Node | undefined;
      if (mods !== undefined) requires.modules = stringList(mods, "requires.modules", at);
    }
  }

  const keysNode = root.get("keys", true) as Node | undefined;
  let keys: string[] = [];
  if (keysNode === undefined) at(root, "keys", "missing: list every key the lesson touches under `keys:`");
  else keys = stringList(keysNode, "keys", at);

  const steps: Step[] = [];
  const stepsNode = root.get("steps", true) as Node | undefined;
  if (stepsNode === undefined) at(root, "steps", "missing: add `steps:` with at least one step");
  else if (!isSeq(stepsNode) || stepsNode.items.length === 0) at(stepsNode, "steps", "must be a list of at least one step");
  else {
    stepsNode.items.forEach((item, i) => {
      const step = parseStep(item as Node, `steps[${i}]`, lines, at, (line, column, f, message) =>
        problems.push({ file, line, column, field: f, message }), text,
      );
      if (step) steps.push(step);
    });
    // The flow check needs every step; with a broken one, its messages would mislead.
    if (steps.length === stepsNode.items.length) checkBlockingFlow(steps, stepsNode.items as Node[], at);
  }

  let quiz: QuizQuestion[] = [];
  const quizNode = root.get("quiz", true) as Node | undefined;
  if (quizNode !== undefined) {
    const report: AtPosition = (line, column, f, message) => problems.push({ file, line, column, field: f, message });
    quiz = parseQuiz(quizNode, {
      at,
      checkFields: (map, allowed, prefix) => checkFields(map, allowed, prefix, at),
      command: (node, f) => readCommand(node, f, lines, at, report, text),
      position: (node) => {
        const pos = lines.linePos(node.range?.[0] ?? 0);
        return { line: pos.line, column: pos.col };
      },
    });
  }

  if (problems.length || id === undefined || title === undefined || summary === undefined) {
    return { ok: false, problems: problems.sort((a, b) => a.line - b.line || a.column - b.column) };
  }
  return { ok: true, lesson: { id, title, summary, requires, keys, steps, quiz, file } };
}

/** A YAML message ends with the token it stumbled on, quoted, which may be a paragraph: its start says where. */
function shortened(message: string): string {
  return message.replace(/(: ")(.{40}).+"$/, '$1$2..."');
}

/**
 * Where each line starts, counted from the text itself. The YAML lexer's own count (its
 * lineCounter option) skips the line breaks inside a token it gave up on, so every
 * problem after a stray } in a block of text was reported lines too early.
 */
function lineCounterOf(text: string): LineCounter {
  const lines = new LineCounter();
  lines.addNewLine(0);
  for (let i = text.indexOf("\n"); i !== -1; i = text.indexOf("\n", i + 1)) lines.addNewLine(i + 1);
  return lines;
}

/**
 * The offset of the first [ or { that opens level MAX_NESTING + 1, outside quotes and
 * comments; undefined when the text stays within the limit.
 */
function firstTooDeep(text: string): number | undefined {
  let depth = 0;
  for (let i = 0; i < text.length; i++) {
    const c = text[i];
    if (c === "'" || c === '"') {
      // A quote opens a quoted scalar only at the start of a value; elsewhere it is a plain character.
      const prev = i === 0 ? "\n" : (text[i - 1] as string);
      if (!/[\s[{,:]/.test(prev)) continue;
      const end = c === "'" ? closingSingle(text, i) : closingDouble(text, i);
      if (end < 0) return undefined;
      i = end;
    } else if (c === "#" && (i === 0 || /\s/.test(text[i - 1] as string))) {
      const eol = text.indexOf("\n", i);
      if (eol < 0) return undefined;
      i = eol;
    } else if (c === "[" || c === "{") {
      if (++depth > MAX_NESTING) return i;
    } else if ((c === "]" || c === "}") && depth > 0) {
      depth--;
    }
  }
  return undefined;
}

function closingSingle(text: string, open: number): number {
  for (let i = open + 1; i < text.length; i++) {
    if (text[i] === "'") {
      if (text[i + 1] === "'") i++;
      else return i;
    }
  }
  return -1;
}

function closingDouble(text: string, open: number): number {
  for (let i = open + 1; i < text.length; i++) {
    if (text[i] === "\\") i++;
    else if (text[i] === '"') return i;
  }
  return -1;
}

function positionOf(text: string, offset: number): { line: number; column: number } {
  const before = text.slice(0, offset);
  const lineStart = before.lastIndexOf("\n") + 1;
  return { line: before.split("\n").length, column: Array.from(before.slice(lineStart)).length + 1 };
}

type At = (node: Node | Pair | undefined | null, field: string, message: string) => void;
type AtPosition = (line: number, column: number, field: string, message: string) => void;

function checkFields(map: YAMLMap, allowed: readonly string[], prefix: string, at: At): void {
  for (const pair of map.items) {
    const key = isScalar(pair.key) ? String(pair.key.value) : "";
    if (!allowed.includes(key)) {
      const field = prefix ? `${prefix}.${key}` : key;
      at(pair.key as Node, field, `unknown field; expected one of: ${allowed.join(", ")}`);
    }
  }
}

function stringList(node: Node, field: string, at: At): string[] {
  if (!isSeq(node)) {
    at(node, field, "must be a list, e.g. [bike:1, bike:2]");
    return [];
  }
  const out: string[] = [];
  node.items.forEach((item, i) => {
    if (isScalar(item) && (typeof item.value === "string" || typeof item.value === "number")) out.push(String(item.value));
    else at(item as Node, `${field}[${i}]`, "must be text");
  });
  return out;
}

/** One command line from a scalar node, split as redis-cli splits it; undefined (with a problem reported) when it cannot be. */
export function readCommand(item: Node, itemField: string, lines: LineCounter, at: At, problems: AtPosition, source: string): CommandLine | undefined {
  if (isMap(item)) {
    at(item, itemField, "YAML read this command as a mapping (a colon and a space do that): put the command in single quotes");
    return undefined;
  }
  if (!isScalar(item) || typeof item.value !== "string" || item.value.trim() === "") {
    at(item, itemField, "must be a command line, e.g. SET bike:1 Deimos");
    return undefined;
  }
  if (item.value.trim().includes("\n")) {
    at(item, itemField, "one command per line: for several commands, make run a list (- SET ...  - GET ...)");
    return undefined;
  }
  const split = tokenize(item.value);
  const pos = lines.linePos(item.range?.[0] ?? 0);
  if (!split.ok) {
    // In a plain scalar every character but spaces and line breaks stands in the file as
    // it is: point at the quote itself. In quoted ones escapes move them: point at the start.
    const exact = item.type === "PLAIN";
    const charIndex = Buffer.from(item.value).subarray(0, split.column - 1).toString("utf8").length;
    const at = exact ? lines.linePos(plainCharOffset(source, item.range?.[0] ?? 0, item.value, charIndex)) : pos;
    const comment = exact && sourceLine(source, lines.linePos(item.range?.[1] ?? 0).line).includes(" #")
      ? " (YAML reads ' #' as the start of a comment: put the whole command in single quotes)"
      : "";
    problems(at.line, at.col, itemField, describeTokenizeFailure(split.reason) + comment);
    return undefined;
  }
  if (split.args.length === 0) {
    at(item, itemField, "must be a command line, e.g. SET bike:1 Deimos");
    return undefined;
  }
  return { text: item.value, args: split.args, line: pos.line, column: pos.col };
}

/**
 * Where a plain scalar's character `index` stands in the file. YAML folds a plain scalar's
 * line breaks and indentation into single spaces, so the value's characters past the first
 * line are not where its first line's column would say; every other character is kept in
 * order: count those.
 */
function plainCharOffset(source: string, start: number, value: string, index: number): number {
  let skip = 0;
  for (let i = 0; i < index; i++) if (!/\s/.test(value[i] as string)) skip++;
  for (let o = start; o < source.length; o++) {
    if (/\s/.test(source[o] as string)) continue;
    if (skip === 0) return o;
    skip--;
  }
  return start;
}

function sourceLine(source: string, line: number): string {
  return source.split("\n")[line - 1] ?? "";
}

function parseStep(node: Node, field: string, lines: LineCounter, at: At, problems: AtPosition, source: string): Step | undefined {
  if (!isMap(node)) {
    at(node, field, "a step is a mapping with title, explain and run");
    return undefined;
  }
  checkFields(node, STEP_FIELDS, field, at);
  const text = (key: string, required: boolean): string | undefined => {
    const value = node.get(key, true) as Node | undefined;
    if (value === undefined) {
      if (required) at(node, `${field}.${key}`, `missing: add \`${key}:\``);
      return undefined;
    }
    if (!isScalar(value) || typeof value.value !== "string" || value.value.trim() === "") {
      at(value, `${field}.${key}`, "must be text");
      return undefined;
    }
    return value.value;
  };
  const flag = (key: string): boolean => {
    const value = node.get(key, true) as Node | undefined;
    if (value === undefined) return false;
    if (!isScalar(value) || typeof value.value !== "boolean") {
      at(value, `${field}.${key}`, "must be true or false");
      return false;
    }
    return value.value;
  };

  const title = text("title", true);
  const explain = text("explain", true);
  const note = text("note", false);
  const blocks = flag("blocks");
  const receive = flag("receive");
  let client = "A";
  const clientNode = node.get("client", true) as Node | undefined;
  if (clientNode !== undefined) {
    const value = isScalar(clientNode) ? String(clientNode.value) : "";
    if (!CLIENT_PATTERN.test(value)) at(clientNode, `${field}.client`, "must be one capital letter: A, B, C ...");
    else client = value;
  }
  let wait = 0;
  const waitNode = node.get("wait", true) as Node | undefined;
  if (waitNode !== undefined) {
    // Seconds (1.2) or a time with its unit (500ms, 30s, 10m, 1h). Number.isFinite: YAML's .nan and .inf are numbers too.
    const value = isScalar(waitNode) ? waitNode.value : undefined;
    const ms = typeof value === "number" ? value * 1000 : typeof value === "string" ? parseDuration(value) : undefined;
    if (ms === undefined || !Number.isFinite(ms) || ms < 0 || ms > MAX_WAIT_MS) {
      at(waitNode, `${field}.wait`, "must be seconds (1.2) or a time such as 500ms, 30s, 10m or 1h, up to 24h");
    } else wait = ms / 1000;
  }

  const runNode = node.get("run", true) as Node | undefined;
  const expectNode = node.get("expect", true) as Node | undefined;
  const run: CommandLine[] = [];
  let runFailed = false;
  if (receive) {
    if (runNode !== undefined) at(runNode, `${field}.run`, "a `receive: true` step runs nothing: remove `run`");
    if (blocks) at(node.get("blocks", true) as Node, `${field}.blocks`, "a step cannot both block and receive");
  } else if (runNode === undefined) {
    at(node, `${field}.run`, "missing: add `run:` with the command to type");
  } else {
    const runItems = isSeq(runNode) ? (runNode.items as Node[]) : [runNode];
    runItems.forEach((item, i) => {
      const itemField = isSeq(runNode) ? `${field}.run[${i}]` : `${field}.run`;
      const cmd = readCommand(item, itemField, lines, at, problems, source);
      if (cmd) run.push(cmd);
      else runFailed = true;
    });
    if (blocks && run.length !== 1 && !runFailed) at(runNode, `${field}.run`, "a blocking step runs exactly one command");
  }

  if (expectNode !== undefined && blocks) {
    at(expectNode, `${field}.expect`, "a blocking step's reply is shown by its `receive: true` step: put expect there");
  } else if (expectNode !== undefined && !runFailed) {
    const expectItems = isSeq(expectNode) ? (expectNode.items as Node[]) : [expectNode];
    const wanted = receive ? 1 : run.length;
    if (runNode !== undefined && isSeq(runNode) !== isSeq(expectNode)) {
      at(expectNode, `${field}.expect`, isSeq(runNode) ? "`run` is a list, so `expect` must be a list with one reply per command" : "`run` is one command, so `expect` is one reply, not a list");
    } else if (expectItems.length !== wanted && wanted > 0) {
      at(expectNode, `${field}.expect`, `has ${expectItems.length} replies for ${wanted} command(s)`);
    } else {
      expectItems.forEach((item, i) => {
        const itemField = isSeq(expectNode) ? `${field}.expect[${i}]` : `${field}.expect`;
        if (!isScalar(item) || typeof item.value !== "string") {
          at(item, itemField, "must be the reply as redis-cli prints it, e.g. (integer) 1 or '\"text\"' (quotes included)");
          return;
        }
        const target = receive ? undefined : run[i];
        const value = String(item.value).replace(/\n+$/, "");
        const line = lines.linePos(item.range?.[0] ?? 0).line;
        if (target) {
          target.expect = value;
          target.expectLine = line;
        } else if (receive) {
          run.push({ text: "", args: [], expect: value, expectLine: line, line, column: 1 });
        }
      });
    }
  }

  const predictNode = node.get("predict", true) as Node | undefined;
  const predict = predictNode === undefined || runFailed ? undefined : parsePrediction(predictNode, `${field}.predict`, { run, blocks, receive }, {
    at,
    checkFields: (map, allowed, prefix) => checkFields(map, allowed, prefix, at),
    position: (n) => {
      const p = lines.linePos(n.range?.[0] ?? 0);
      return { line: p.line, column: p.col };
    },
  });

  if (title === undefined || explain === undefined) return undefined;
  const pos = lines.linePos(node.range?.[0] ?? 0);
  return { title, explain, run, client, blocks, receive, wait, ...(note !== undefined && { note }), ...(predict && { predict }), line: pos.line, column: pos.col };
}

/** A `receive` needs a blocked command on that client; a blocked client cannot run anything else meanwhile. */
function checkBlockingFlow(steps: Step[], nodes: Node[], at: At): void {
  const blocked = new Map<string, number>();
  steps.forEach((step, i) => {
    const node = nodes[i];
    if (step.receive) {
      if (!blocked.has(step.client)) at(node, `steps[${i}]`, `client ${step.client} has no blocked command to receive from: add an earlier step with \`client: ${step.client}\` and \`blocks: true\``);
      blocked.delete(step.client);
    } else if (blocked.has(step.client)) {
      at(node, `steps[${i}]`, `client ${step.client} is still blocked: add a \`receive: true\` step for it first`);
    } else if (step.blocks) {
      blocked.set(step.client, i);
    }
  });
  for (const [client, i] of blocked) at(nodes[i], `steps[${i}]`, `client ${client} blocks and its reply is never received: add a later \`receive: true\` step for client ${client}`);
}
