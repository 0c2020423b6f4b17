import { replyItems, replyPairs, replyString, type Reply } from "./reply-types.js";

/**
 * What the server says about its commands (COMMAND INFO), in the shape the rest of
 * the program needs: arity, flags and key specifications, subcommands included.
 * Asked once per run, never written by hand.
 */
export interface CommandMeta {
  /** Lower-case; "object|encoding" for a subcommand. */
  name: string;
  arity: number;
  flags: Set<string>;
  keySpecs: KeySpec[];
  subcommands: Map<string, CommandMeta>;
}

export interface KeySpec {
  flags: Set<string>;
  begin: { type: "index"; index: number } | { type: "keyword"; keyword: string; startFrom: number } | { type: "unknown" };
  find:
    | { type: "range"; lastKey: number; keyStep: number; limit: number }
    | { type: "keynum"; keyNumIndex: number; firstKey: number; keyStep: number }
    | { type: "unknown" };
}

export type CommandTable = Map<string, CommandMeta>;

/** Builds the table from the reply to COMMAND INFO (no arguments: every command). */
export function parseCommandInfo(reply: Reply): CommandTable {
  const table: CommandTable = new Map();
  if (reply.type !== "array") return table;
  for (const entry of reply.items) {
    const meta = parseEntry(entry);
    if (meta) table.set(meta.name, meta);
  }
  return table;
}

function parseEntry(entry: Reply): CommandMeta | undefined {
  if (entry.type !== "array") return undefined;
  const [name, arity, flags, , , , , , specs, subs] = entry.items;
  const subcommands = new Map<string, CommandMeta>();
  if (subs?.type === "array") {
    for (const sub of subs.items) {
      const meta = parseEntry(sub);
      // "object|encoding" is found under "encoding".
      if (meta) subcommands.set(meta.name.slice(meta.name.indexOf("|") + 1), meta);
    }
  }
  return {
    name: text(name).toLowerCase(),
    arity: Number(num(arity)),
    flags: new Set(strings(flags)),
    keySpecs: specs?.type === "array" ? specs.items.map(parseKeySpec) : [],
    subcommands,
  };
}

function parseKeySpec(spec: Reply): KeySpec {
  const map = pairs(spec);
  const begin = pairs(map.get("begin_search"));
  const beginSpec = pairs(begin.get("spec"));
  const find = pairs(map.get("find_keys"));
  const findSpec = pairs(find.get("spec"));
  const beginType = text(begin.get("type"));
  const findType = text(find.get("type"));
  return {
    flags: new Set(strings(map.get("flags"))),
    begin:
      beginType === "index"
        ? { type: "index", index: num(beginSpec.get("index")) }
        : beginType === "keyword"
          ? { type: "keyword", keyword: text(beginSpec.get("keyword")), startFrom: num(beginSpec.get("startfrom")) }
          : { type: "unknown" },
    find:
      findType === "range"
        ? { type: "range", lastKey: num(findSpec.get("lastkey")), keyStep: num(findSpec.get("keystep")), limit: num(findSpec.get("limit")) }
        : findType === "keynum"
          ? { type: "keynum", keyNumIndex: num(findSpec.get("keynumidx")), firstKey: num(findSpec.get("firstkey")), keyStep: num(findSpec.get("keystep")) }
          : { type: "unknown" },
  };
}

const pairs = (r: Reply | undefined): Map<string, Reply> => new Map(replyPairs(r));
const text = replyString;
const num = (r: Reply | undefined): number => Number(replyString(r)) || 0;
const strings = (r: Reply | undefined): string[] => replyItems(r).map(replyString);

/** The metadata for a typed command, descending into a subcommand (OBJECT ENCODING) where there is one. */
export function lookupCommand(table: CommandTable, args: readonly Buffer[]): CommandMeta | undefined {
  const top = table.get((args[0] ?? Buffer.alloc(0)).toString("utf8").toLowerCase());
  if (!top || top.subcommands.size === 0 || args.length < 2) return top;
  return top.subcommands.get((args[1] as Buffer).toString("utf8").toLowerCase()) ?? top;
}
