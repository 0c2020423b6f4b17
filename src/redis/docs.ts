import { replyItems, replyPairs, replyString, type Reply } from "./reply-types.js";

/**
 * The connected server's own documentation of its commands (COMMAND DOCS): the source
 * of help, hints and completion, so they match the server in front of the learner.
 */
export interface ArgDoc {
  name: string;
  type: string;
  token?: string;
  optional: boolean;
  multiple: boolean;
  multipleToken: boolean;
  arguments: ArgDoc[];
}

export interface CommandDoc {
  /** Upper case, with a space for subcommands: "CONFIG GET". */
  name: string;
  summary: string;
  since?: string;
  group: string;
  complexity?: string;
  deprecatedSince?: string;
  replacedBy?: string;
  arguments: ArgDoc[];
  subcommands: CommandDoc[];
}

export type CommandDocs = Map<string, CommandDoc>;

/** Parses the reply to COMMAND DOCS (no arguments: every command), RESP2 or RESP3. */
export function parseCommandDocs(reply: Reply): CommandDocs {
  const docs: CommandDocs = new Map();
  for (const [name, body] of pairs(reply)) {
    const doc = parseDoc(name, body);
    docs.set(doc.name, doc);
  }
  return docs;
}

function parseDoc(rawName: string, body: Reply): CommandDoc {
  const fields = new Map(pairs(body));
  const name = rawName.replace("|", " ").toUpperCase();
  const doc: CommandDoc = {
    name,
    summary: text(fields.get("summary")),
    group: text(fields.get("group")),
    arguments: list(fields.get("arguments")).map(parseArg),
    subcommands: pairs(fields.get("subcommands")).map(([n, b]) => parseDoc(n, b)),
  };
  const since = text(fields.get("since"));
  if (since) doc.since = since;
  const complexity = text(fields.get("complexity"));
  if (complexity) doc.complexity = complexity;
  const deprecated = text(fields.get("deprecated_since"));
  if (deprecated) doc.deprecatedSince = deprecated;
  const replaced = text(fields.get("replaced_by"));
  if (replaced) doc.replacedBy = replaced;
  return doc;
}

function parseArg(r: Reply): ArgDoc {
  const fields = new Map(pairs(r));
  const flags = list(fields.get("flags")).map(text);
  const token = fields.has("token") ? text(fields.get("token")) : undefined;
  return {
    name: text(fields.get("name")),
    type: text(fields.get("type")),
    ...(token !== undefined && { token }),
    optional: flags.includes("optional"),
    multiple: flags.includes("multiple"),
    multipleToken: flags.includes("multiple_token"),
    arguments: list(fields.get("arguments")).map(parseArg),
  };
}

/** The argument syntax as redis-cli shows it (cliAddArgument in redis-cli.c). */
export function argumentSyntax(args: readonly ArgDoc[], separator = " "): string {
  return args.map(oneArgument).join(separator);
}

function oneArgument(arg: ArgDoc): string {
  let repeat = "";
  if (arg.type === "oneof") repeat = argumentSyntax(arg.arguments, "|");
  else if (arg.type === "block") repeat = argumentSyntax(arg.arguments, " ");
  else if (arg.type !== "pure-token") repeat = arg.name;
  // An empty token (MIGRATE's key-or-"") is shown as the two quotes one types for it.
  const shown = arg.token === "" ? '""' : arg.token;
  const token = shown ? (arg.type === "pure-token" ? shown : `${shown} `) : "";
  let out = token + repeat;
  if (arg.multiple) out += ` [${arg.multipleToken ? token : ""}${repeat} ...]`;
  return arg.optional ? `[${out}]` : out;
}

/** Looks up "GET", "config get" or "CONFIG GET". */
export function findDoc(docs: CommandDocs, words: readonly string[]): CommandDoc | undefined {
  const top = docs.get((words[0] ?? "").toUpperCase());
  if (!top) return undefined;
  if (words.length > 1 && top.subcommands.length) {
    const sub = top.subcommands.find((s) => s.name === `${top.name} ${(words[1] ?? "").toUpperCase()}`);
    if (sub) return sub;
  }
  return top;
}

/** Every command and subcommand, sorted by name as redis-cli sorts its help entries. */
export function allDocs(docs: CommandDocs): CommandDoc[] {
  const out: CommandDoc[] = [];
  for (const doc of docs.values()) out.push(doc, ...doc.subcommands);
  return out.sort((a, b) => compareUpper(a.name, b.name));
}

/** Upper-case byte order, which puts EVALSHA before EVAL_RO as redis-cli does. */
function compareUpper(a: string, b: string): number {
  const x = a.toUpperCase();
  const y = b.toUpperCase();
  return x < y ? -1 : x > y ? 1 : 0;
}

const pairs = replyPairs;
const list = replyItems;
const text = replyString;
