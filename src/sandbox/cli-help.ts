import { allDocs, argumentSyntax, type CommandDoc, type CommandDocs } from "../redis/docs.js";

/**
 * `help` as redis-cli prints it with stdin not a terminal (cliOutputHelp): the same
 * entries, order and escape codes, built from the server's COMMAND DOCS.
 */
export function redisCliHelp(topic: readonly string[], docs: CommandDocs, version: string): string {
  if (topic.length === 0) return genericHelp(version);
  const group = topic[0]?.startsWith("@") ? topic[0].slice(1).toLowerCase() : undefined;
  let out = "";
  for (const doc of allDocs(docs)) {
    if (group !== undefined) {
      if (doc.group.toLowerCase() === group) out += commandHelp(doc, false);
      continue;
    }
    const words = doc.name.split(" ");
    if (topic.length <= words.length && topic.every((w, i) => w.toLowerCase() === words[i]?.toLowerCase())) {
      out += commandHelp(doc, true);
    }
  }
  return out + "\r\n";
}

function commandHelp(doc: CommandDoc, withGroup: boolean): string {
  let out = `\r\n  \x1b[1m${doc.name}\x1b[0m \x1b[90m${argumentSyntax(doc.arguments)}\x1b[0m\r\n`;
  out += `  \x1b[33msummary:\x1b[0m ${doc.summary}\r\n`;
  if (doc.since) out += `  \x1b[33msince:\x1b[0m ${doc.since}\r\n`;
  if (withGroup) out += `  \x1b[33mgroup:\x1b[0m ${doc.group}\r\n`;
  return out;
}

function genericHelp(version: string): string {
  return (
    `redis-cli ${version}\n` +
    "To get help about Redis commands type:\n" +
    '      "help @<group>" to get a list of commands in <group>\n' +
    '      "help <command>" for help on <command>\n' +
    '      "help <tab>" to get a list of possible help topics\n' +
    '      "quit" to exit\n' +
    "\n" +
    "To set redis-cli preferences:\n" +
    '      ":set hints" enable online hints\n' +
    '      ":set nohints" disable online hints\n' +
    "Set your preferences in ~/.redisclirc\n"
  );
}
