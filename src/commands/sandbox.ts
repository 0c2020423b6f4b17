import { openRedis, type RedisOptions, type RedisSource } from "../redis/connect.js";
import { dangerFor, type AskOn } from "../redis/guard.js";
import type { Connection } from "../redis/connection.js";
import { UserError } from "../errors.js";
import { redact } from "../redis/redact.js";
import { runPiped } from "../sandbox/piped.js";
import { NAME_FIRST } from "../engine/clients.js";
import type { Output } from "../sandbox/execute.js";

/** What the REPL asks with the login (see SandboxSession.init): docs, command table, the client's id, and its name for CLIENT LIST. */
const REPL_ASK = [["COMMAND", "DOCS"], ["COMMAND", "INFO"], ...NAME_FIRST];

export interface SandboxOptions extends RedisOptions {
  /** Run dangerous commands on a server the learner brought without asking. */
  yes?: boolean;
}

/** `redis-learn sandbox`: piped input is answered exactly as redis-cli --no-raw; a terminal gets a prompt. */
export async function sandboxCommand(options: SandboxOptions): Promise<void> {
  // In a terminal the REPL needs the server's docs and command table: ask for them with the login.
  const source = await openRedis(options, process.stdin.isTTY ? { ask: REPL_ASK } : {});
  process.stderr.write(source.describe() + "\n");
  const out = stdoutOutput();
  try {
    if (process.stdin.isTTY) {
      // Loaded only for a terminal: piped runs start faster without the REPL's code.
      const [{ runRepl }, { makeStyle }, { replyTheme }, { colorEnabled }] = await Promise.all([
        import("../sandbox/repl.js"),
        import("../render/style.js"),
        import("../render/theme.js"),
        import("../render/color.js"),
      ]);
      const color = colorEnabled(process.stdout);
      await runRepl(source, makeStyle(color), replyTheme(color));
      // A private server that died and was not replaced: the session did not end well.
      if (source.server && !source.server.alive()) throw new UserError("the private redis-server ended during the session, and its keys with it");
    } else {
      // Questions the guard asks (DBSIZE for KEYS) go on a connection of their own, opened
      // when first needed: on the learner's, inside MULTI, they would join the transaction.
      let side: Promise<Connection> | undefined;
      const askOn = (): Promise<Connection> => (side ??= source.connect());
      const refuse = source.server || options.yes ? undefined : (args: Buffer[]) => refusal(args, source, askOn);
      const refused = await runPiped(process.stdin, source.conn, out, { serverVersion: source.info.version, ...(refuse && { refuse }) });
      if (refused) throw new UserError(`${refused} command${refused > 1 ? "s were" : " was"} refused; pass --yes to run ${refused > 1 ? "them" : "it"} on ${source.target.label}`);
    }
  } finally {
    await source.close();
  }
}

/** With stdin not a terminal nobody can say yes: a dangerous command on a server the learner brought is refused. */
async function refusal(args: Buffer[], source: RedisSource, askOn: AskOn): Promise<string | undefined> {
  const reason = await dangerFor(args, askOn);
  if (!reason) return undefined;
  const name = args.slice(0, 2).map((a) => a.toString("utf8")).join(" ");
  return `redis-learn: refused "${name}" on ${source.target.label}, a server you brought: it ${reason}. Pass --yes to run it.`;
}

/** Writes byte strings to stdout, waiting when the pipe is full so nothing is lost. */
function stdoutOutput(): Output {
  return {
    write(text) {
      if (process.stdout.write(Buffer.from(text, "latin1"))) return;
      return new Promise<void>((resolve) => process.stdout.once("drain", () => resolve()));
    },
    notice(text) {
      process.stderr.write(redact(text) + "\n");
    },
  };
}
