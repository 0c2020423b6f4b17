import { allDocs, argumentSyntax, findDoc, type CommandDocs } from "../redis/docs.js";
import type { Style } from "../render/style.js";
import { hangingWrap, terminalColumns, wrapText } from "../render/width.js";

/** The sandbox's own help, richer than redis-cli's: syntax, summary, since, complexity, group. Pure. */
export const META_HELP: [string, string][] = [
  ["help <command>", "what a command does and how to call it (help LMOVE)"],
  ["help @<group>", "the commands of a group, one line each (help @list)"],
  [":state [pattern]", "the keys in this database with type, TTL and a preview (:state bike:*)"],
  [":peek <key>", "one key in detail: type, encoding, memory, TTL, elements"],
  [":state off|on", "hide or show the before/after state after each command"],
  [":code", "the last command (or whole MULTI ... EXEC) as ioredis code, to paste into an app"],
  [":undo", "put back the keys the last writing command changed (DEL, SET ...)"],
  [":wait <time>", "fast-forward TTLs: :wait 30s, 10m, 1h (private server only)"],
  [":client <name>", "switch to another connection (A, B, ...), e.g. to unblock a waiting one"],
  [":quit", "leave (Ctrl-D does too)"],
];

export function metaHelp(style: Style, groups: string[], columns = terminalColumns()): string {
  const width = Math.max(...META_HELP.map(([c]) => c.length));
  const lines = META_HELP.map(([cmd, what]) => hangingWrap(`  ${style.code(cmd.padEnd(width))}  `, what, columns));
  const groupLine = groups.length ? "\n" + hangingWrap("Groups: ", groups.map((g) => `@${g}`).join(" "), columns) : "";
  const intro = wrapText("Type Redis commands as you would in redis-cli; after each one you see the reply and the keys it touched.", columns);
  const keys = wrapText("Tab completes commands, options and key names; Up/Down and Ctrl-R search history; Ctrl-C stops a blocked command.", columns);
  return `${intro}\n${lines.join("\n")}${groupLine}\n${keys}\n`;
}

export function commandHelp(topic: string[], docs: CommandDocs, style: Style, columns = terminalColumns()): string {
  if (topic[0]?.startsWith("@")) {
    const group = topic[0].slice(1).toLowerCase();
    const members = allDocs(docs).filter((d) => d.group === group && !d.name.includes(" "));
    if (!members.length) return wrapText(`No group "${group}". Groups: ${groupsOf(docs).map((g) => `@${g}`).join(" ")}`, columns) + "\n";
    const width = Math.max(...members.map((d) => d.name.length));
    return members.map((d) => hangingWrap(`  ${style.code(d.name.padEnd(width))}  `, `${d.summary}${d.deprecatedSince ? style.dim(` (deprecated since ${d.deprecatedSince})`) : ""}`, columns)).join("\n") + "\n";
  }
  const doc = findDoc(docs, topic);
  if (!doc) return `No command "${topic.join(" ")}" on this server. help @<group> lists commands by group.\n`;
  const lines = [
    hangingWrap(`  ${style.strong(doc.name)} `, style.dim(argumentSyntax(doc.arguments)), columns),
    hangingWrap("  ", doc.summary, columns),
    ...(doc.since ? [`  ${style.dim("since:")} ${doc.since}`] : []),
    ...(doc.complexity ? [hangingWrap(`  ${style.dim("complexity:")} `, doc.complexity, columns)] : []),
    `  ${style.dim("group:")} ${doc.group}`,
  ];
  if (doc.deprecatedSince) lines.push(hangingWrap("  ", `${style.bad(`deprecated since ${doc.deprecatedSince}`)}${doc.replacedBy ? `: use ${doc.replacedBy.replace(/`/g, "")}` : ""}`, columns));
  if (doc.subcommands.length) lines.push(hangingWrap(`  ${style.dim("subcommands:")} `, doc.subcommands.map((s) => s.name.split(" ")[1]).join(", "), columns));
  return lines.join("\n") + "\n";
}

export function groupsOf(docs: CommandDocs): string[] {
  return [...new Set([...docs.values()].map((d) => d.group))].filter(Boolean).sort();
}
