import { lookupCommand, type CommandMeta, type CommandTable, type KeySpec } from "./command-table.js";

/**
 * Which arguments of a command are keys, worked out from the server's key
 * specifications the way Redis itself does (getKeysUsingKeySpecs in db.c).
 * Returns undefined when the specs cannot say (an unknown spec type, or a spec marked
 * incomplete): then ask the server with COMMAND GETKEYS.
 */
export function keysFromSpecs(meta: CommandMeta, args: readonly Buffer[]): Buffer[] | undefined {
  const argc = args.length;
  const positions = new Set<number>();
  for (const spec of meta.keySpecs) {
    if (spec.flags.has("incomplete")) return undefined;
    const found = positionsFor(spec, args);
    if (found === "unknown") return undefined;
    for (const p of found) positions.add(p);
  }
  return [...positions].sort((a, b) => a - b).filter((p) => p < argc).map((p) => args[p] as Buffer);
}

function positionsFor(spec: KeySpec, args: readonly Buffer[]): number[] | "unknown" {
  const argc = args.length;
  let first = 0;
  if (spec.begin.type === "index") {
    first = spec.begin.index;
  } else if (spec.begin.type === "keyword") {
    const { keyword, startFrom } = spec.begin;
    const start = startFrom > 0 ? startFrom : argc + startFrom;
    const end = startFrom > 0 ? argc - 1 : 1;
    for (let i = start; ; i = start <= end ? i + 1 : i - 1) {
      if (i >= argc || i < 1) break;
      if ((args[i] as Buffer).toString("latin1").toLowerCase() === keyword.toLowerCase()) {
        first = i + 1;
        break;
      }
      if (i === end) break;
    }
    if (!first) return [];
  } else {
    return "unknown";
  }

  let last: number;
  let step: number;
  if (spec.find.type === "range") {
    step = spec.find.keyStep;
    if (spec.find.lastKey >= 0) last = first + spec.find.lastKey;
    else if (!spec.find.limit) last = argc + spec.find.lastKey;
    else last = first + Math.floor((argc - first) / spec.find.limit) + spec.find.lastKey;
  } else if (spec.find.type === "keynum") {
    step = spec.find.keyStep;
    if (spec.find.keyNumIndex >= argc - first) return [];
    const countText = (args[first + spec.find.keyNumIndex] as Buffer).toString("latin1");
    if (!/^-?\d+$/.test(countText) || Number(countText) < 0) return [];
    first += spec.find.firstKey;
    last = first + Number(countText) - 1;
  } else {
    return "unknown";
  }
  // Out of bounds means a syntax error the command itself will report: no keys.
  if (last >= argc || last < first || first >= argc) return [];
  const out: number[] = [];
  for (let i = first; i <= last; i += Math.max(step, 1)) out.push(i);
  return out;
}

/** The keys of a typed command from the table's specs; undefined for an unknown command or where the specs cannot say. */
export function commandKeys(table: CommandTable, args: readonly Buffer[]): Buffer[] | undefined {
  const meta = lookupCommand(table, args);
  return meta && keysFromSpecs(meta, args);
}
