import type { RedisSource } from "../redis/connect.js";
import { ConnectionLost } from "../redis/connection.js";
import { formatReply, type ReplyTheme } from "../redis/reply-format.js";
import { tokenize, describeTokenizeFailure } from "../redis/tokenize.js";
import { dangerFor, scriptToShow } from "../redis/guard.js";
import type { Connection } from "../redis/connection.js";
import { redact, registerTypedSecrets } from "../redis/redact.js";
import { bytesToText } from "../render/step.js";
import type { Style } from "../render/style.js";
import { classifyLine } from "./line.js";
import { commandHelp, metaHelp, groupsOf } from "./help.js";
import { complete } from "./complete.js";
import { hintForLine } from "./syntax.js";
import { History } from "./history.js";
import { runMeta } from "./meta.js";
import { SandboxSession } from "./session.js";
import type { NamedClient } from "../engine/clients.js";
import { scanKeys } from "../redis/scan.js";
import type { StepResult } from "../engine/step.js";
import { Terminal } from "./terminal.js";

/** How long a command may wait before the waiting line appears. */
const WAITING_AFTER_MS = 300;
const WAITING_TICK_MS = 100;
/** How many keys :complete offers from a SCAN, and how many SCAN calls it may make. */
const COMPLETION_KEYS = 50;
const COMPLETION_SCANS = 5;

const STREAMING = new Set(["subscribe", "psubscribe", "ssubscribe", "monitor"]);

/**
 * The sandbox in a terminal: line editing with history, hints and completion from the
 * server's COMMAND DOCS, the reply and the before/after state of each command, meta
 * commands, and Ctrl-C to end a blocked command's wait.
 */
export async function runRepl(source: RedisSource, style: Style, theme: ReplyTheme): Promise<void> {
  const session = new SandboxSession(source, style, theme);
  const terminal = new Terminal();
  // Everything the sandbox shows passes here, so no known password is ever on screen.
  const print = (text: string): void => terminal.write(redact(text).replace(/\r?\n/g, "\r\n"));
  try {
    session.init(source.answers);
    print(style.dim(`Type Redis commands; help <command>, help @<group> and :help explain. Ctrl-D leaves.`) + "\n");
    const history = new History(undefined, (text) => print(style.changed(text) + "\n"));
    let hints = true;
    for (;;) {
      const result = await terminal.readLine(history.entries, {
        prompt: prompt(session, style),
        dim: style.dim,
        hint: (line) => (hints ? hint(line, session) : undefined),
        complete: (line) => complete(line, session.docs, (prefix) => findKeys(session, prefix)),
      });
      if (result.type === "eof") break;
      if (result.type === "interrupt") {
        print(style.dim("(Ctrl-D or :quit leaves)") + "\n");
        continue;
      }
      const line = result.line;
      history.add(line);
      if (/^\s*:set\s+nohints\b/i.test(line)) hints = false;
      if (/^\s*:set\s+hints\b/i.test(line)) hints = true;
      try {
        const handling = handle(line, session, terminal, print);
        session.busy = handling.catch(() => {});
        const done = await handling;
        if (done) break;
      } catch (err) {
        if (!(err instanceof ConnectionLost)) throw err;
        print(style.bad(redact(err.message)) + "\n");
        await tryReconnect(session, session.client, terminal, print);
      }
    }
  } finally {
    terminal.close();
    session.close();
  }
}

function prompt(session: SandboxSession, style: Style): string {
  const { source } = session;
  const client = session.client;
  const where = source.server ? `private ${source.info.version}` : source.target.label;
  const db = client.db ? `[${client.db}]` : "";
  const who = session.clients.all().length > 1 || session.current !== "A" ? ` ${session.current}` : "";
  const tx = client.inMulti ? " (TX)" : "";
  const down = client.conn.closed ? style.bad(" (disconnected)") : "";
  return `${where}${db}${who}${tx}${down}> `;
}

function hint(line: string, session: SandboxSession): string | undefined {
  if (!session.docs || line.trimStart().startsWith(":")) return undefined;
  return hintForLine(line, session.docs);
}

async function findKeys(session: SandboxSession, prefix: string): Promise<string[]> {
  const pattern = prefix.replace(/[*?[\]\\]/g, "\\$&") + "*";
  const r = await scanKeys(await session.readerConn(), pattern, { maxKeys: COMPLETION_KEYS, maxScans: COMPLETION_SCANS, count: 200 });
  return r.ok ? [...new Set(r.keys.map((k) => k.toString("utf8")))].sort() : [];
}

/** Runs one line; true when the learner wants to leave. */
async function handle(line: string, session: SandboxSession, terminal: Terminal, print: (t: string) => void): Promise<boolean> {
  const { style } = session;
  if (line.trimStart().startsWith(":")) {
    const r = await runMeta(line.trim(), session);
    if (r.text) print(r.text);
    if (/^:client\s+\S/i.test(line.trim())) await followAgain(session, terminal, print);
    return r.quit === true;
  }
  const action = classifyLine(Buffer.from(line, "utf8"));
  switch (action.kind) {
    case "skip":
      return false;
    case "quit":
      return true;
    case "clear":
      terminal.write("\x1b[H\x1b[2J");
      return false;
    case "connect":
      print("To use another server, start redis-learn with --url redis://host:port.\n");
      return false;
    case "print": {
      print(action.text);
      const split = tokenize(line);
      if (!split.ok) print(style.changed(`  ↳ column ${split.column}: ${describeTokenizeFailure(split.reason)}`) + "\n");
      return false;
    }
    case "help": {
      const topic = action.topic.map((t) => t.toString("utf8"));
      if (!session.docs) return false;
      print(topic.length ? commandHelp(topic, session.docs, style) : metaHelp(style, groupsOf(session.docs)));
      return false;
    }
    case "command":
      // A password typed here is a secret from now on: in replies, errors, :code and the history.
      registerTypedSecrets(action.args);
      await runCommand(action.args, action.repeat, session, terminal, print);
      return false;
  }
}

async function runCommand(args: Buffer[], repeat: bigint, session: SandboxSession, terminal: Terminal, print: (t: string) => void): Promise<void> {
  const { style } = session;
  const client = session.client;
  if (client.conn.closed && !(await tryReconnect(session, client, terminal, print))) return;
  // Inside MULTI too: a queued FLUSHALL runs at EXEC.
  if (!session.source.server) {
    const askOn = (): Promise<Connection> => session.readerConn();
    const reason = await dangerFor(args, askOn);
    if (reason) {
      const script = await scriptToShow(args, askOn);
      const queued = client.inMulti ? " when the transaction runs (EXEC)" : "";
      print(style.changed(`${args[0]?.toString().toUpperCase()} ${reason}${queued}, on ${session.source.target.label}, a server you brought.`) + (script ? "\n" + script + "\n" : "") + " Run it? [y/N] ");
      const key = await terminal.readKey();
      const yes = key.name === "y" || key.sequence === "y" || key.sequence === "Y";
      print(yes ? "y\n" : "N\n");
      if (!yes) return print(style.dim("Not run.") + "\n");
    }
  }
  const name = args[0]?.toString("latin1").toLowerCase() ?? "";
  if (STREAMING.has(name)) return stream(args, session, terminal, print);
  if (session.waiting.has(client.name)) {
    print(style.dim(`Client ${client.name} is still waiting for its ${session.waiting.get(client.name)}; switch with :client <name>, or wait for it.`) + "\n");
    return;
  }
  for (let i = 0n; i < repeat; i++) {
    // Every command may take long (BLPOP, WAIT, DEBUG SLEEP, KEYS on a big keyspace): all can be waited on and stopped.
    const running = session.run(args);
    let outcome: Awaited<ReturnType<typeof waitFor>>;
    try {
      outcome = await waitFor(running, client, session, terminal, args);
    } catch (err) {
      // The learner dropped a connection that would not stop: it is already replaced.
      if (err instanceof ConnectionLost && !client.conn.closed) {
        print(style.dim(`Dropped; client ${client.name} has a fresh connection${client.db ? ` in db ${client.db}` : ""}.`) + "\n");
        return;
      }
      throw err;
    }
    if (outcome.detached) {
      await leaveWaiting(running, args, client, session, terminal, print);
      return;
    }
    print(await session.present(outcome.result));
  }
  session.code.repeated(args, Number(repeat));
}

/** Ctrl-Z while a command waits: it goes on waiting, and the learner types as another client meanwhile. */
async function leaveWaiting(
  running: Promise<StepResult>,
  args: Buffer[],
  client: NamedClient,
  session: SandboxSession,
  terminal: Terminal,
  print: (t: string) => void,
): Promise<void> {
  const what = args.map((a) => a.toString("utf8")).join(" ");
  session.waiting.set(client.name, what);
  running
    .then(async (result) => {
      // Let the command that unblocked it finish printing first, so "before" is what was last shown.
      await session.busy;
      const text = session.style.strong(`client ${client.name}'s ${what} returned:`) + "\n" + (await session.present(result, true));
      terminal.interject(redact(text).replace(/\r?\n/g, "\r\n"));
    })
    .catch((err: Error) => terminal.interject(session.style.bad(`client ${client.name}: ${redact(err.message)}`) + "\r\n"))
    .finally(() => session.waiting.delete(client.name));
  const other = otherClient(session, client);
  const message = await session.switchTo(other);
  print("\n" + session.style.dim(`Client ${client.name} keeps waiting. ${message}`) + "\n");
}

/** Whom the learner types as while `client` waits: a client not waiting too, or a new one. */
function otherClient(session: SandboxSession, client: NamedClient): string {
  const idle = session.clients.all().find((c) => c.name !== client.name && !session.waiting.has(c.name));
  if (idle) return idle.name;
  for (const letter of "BCDEFGHIJKLMNOPQRSTUVWXYZ") if (!session.clients.get(letter)) return letter;
  return `C${session.clients.all().length}`;
}

/**
 * Shows how long a blocked command has waited. Ctrl-C ends the wait (CLIENT UNBLOCK: the
 * command returns as if its timeout had passed) and keeps the session; Ctrl-Z leaves
 * it waiting and hands the prompt to another client, who can then unblock it.
 */
async function waitFor(
  running: Promise<StepResult>,
  client: NamedClient,
  session: SandboxSession,
  terminal: Terminal,
  args: Buffer[],
): Promise<{ detached: false; result: StepResult } | { detached: true }> {
  const start = Date.now();
  let shown = false;
  const timer = setInterval(() => {
    if (Date.now() - start < WAITING_AFTER_MS) return;
    shown = true;
    const seconds = ((Date.now() - start) / 1000).toFixed(1);
    const more = session.isBlocking(args) ? " · Ctrl-Z leaves it waiting and lets you type as another client" : "";
    terminal.write(`\r\x1b[K${session.style.dim(`waiting… ${seconds}s (Ctrl-C stops waiting${more})`)}`);
  }, WAITING_TICK_MS);
  let stopped = false;
  let interrupts = 0;
  let detach: () => void = () => {};
  const detached = new Promise<{ detached: true }>((resolve) => (detach = () => resolve({ detached: true })));
  terminal.onKey((key) => {
    if (key.ctrl && key.name === "c") {
      interrupts++;
      if (interrupts === 1) {
        stopped = true;
        void session.unblock(client).then((unblocked) => {
          if (!unblocked) terminal.write(`\r\x1b[K${session.style.changed("This command cannot be stopped from outside; Ctrl-C again drops the connection (a fresh one takes its place).")}\r\n`);
        });
      } else {
        // Abandon the command: a new connection replaces this one, in the same database.
        void session.clients.reconnect(client).catch(() => {});
      }
    } else if (key.ctrl && key.name === "z" && session.isBlocking(args)) {
      detach();
    }
  });
  try {
    return await Promise.race([running.then((result) => ({ detached: false as const, result })), detached]);
  } finally {
    clearInterval(timer);
    terminal.onKey(undefined);
    if (shown) terminal.write("\r\x1b[K");
    if (stopped) terminal.write(session.style.dim("(stopped waiting: Ctrl-C; the command returned as if its timeout had passed)") + "\r\n");
  }
}

/** SUBSCRIBE and MONITOR: print what arrives until Ctrl-C (then a fresh connection), or Ctrl-Z (it stays subscribed). */
async function stream(args: Buffer[], session: SandboxSession, terminal: Terminal, print: (t: string) => void): Promise<void> {
  const client = session.client;
  const show = (r: Parameters<typeof formatReply>[0]): void => print(bytesToText(formatReply(r, session.theme)));
  client.conn.onUnsolicited = show;
  print(session.style.dim(`Reading messages… ${STREAM_KEYS}`) + "\n");
  const first = await client.conn.send(args);
  show(first);
  if (first.type === "error") {
    client.conn.onUnsolicited = undefined;
    return;
  }
  await follow(client, args.map((a) => a.toString("utf8")).join(" "), session, terminal, print);
}

/** Kept short: at 80 columns a longer line wraps mid-word. */
const STREAM_KEYS = "Ctrl-C stops, Ctrl-Z lets you type as another client.";

/**
 * Shows what arrives for a subscribed (or MONITORing) client until Ctrl-C ends it, or
 * Ctrl-Z leaves it running: then the learner types as another client, what arrives is
 * shown above the prompt (as a waiting BLPOP's reply is), and `:client` back to this
 * one follows it again.
 */
async function follow(client: NamedClient, what: string, session: SandboxSession, terminal: Terminal, print: (t: string) => void): Promise<void> {
  const { style } = session;
  client.conn.onUnsolicited = (r) => print(bytesToText(formatReply(r, session.theme)));
  const key = await new Promise<"stop" | "leave">((resolve) =>
    terminal.onKey((k) => {
      if (k.ctrl && k.name === "c") resolve("stop");
      else if (k.ctrl && k.name === "z") resolve("leave");
    }),
  );
  terminal.onKey(undefined);
  if (key === "stop") {
    session.waiting.delete(client.name);
    await session.clients.reconnect(client);
    print(style.dim(`Stopped; client ${client.name} has a fresh connection${client.db ? ` in db ${client.db}` : ""}.`) + "\n");
    return;
  }
  session.waiting.set(client.name, what);
  client.conn.onUnsolicited = (r) => {
    const text = style.strong(`client ${client.name}'s ${what} received:`) + "\n" + bytesToText(formatReply(r, session.theme));
    terminal.interject(redact(text).replace(/\r?\n/g, "\r\n"));
  };
  const other = otherClient(session, client);
  const message = await session.switchTo(other);
  print("\n" + style.dim(`Client ${client.name} stays in ${what}: what it receives shows above the prompt.\n${message}`) + "\n");
}

/** After :client, back on a client left subscribed with Ctrl-Z: follow its messages again. */
async function followAgain(session: SandboxSession, terminal: Terminal, print: (t: string) => void): Promise<void> {
  const client = session.client;
  const what = session.waiting.get(client.name);
  if (!what || client.conn.onUnsolicited === undefined) return;
  print(session.style.dim(`Client ${client.name} is still in ${what}, reading messages…\n${STREAM_KEYS}`) + "\n");
  await follow(client, what, session, terminal, print);
}

async function tryReconnect(session: SandboxSession, client: NamedClient, terminal: Terminal, print: (t: string) => void): Promise<boolean> {
  try {
    await session.clients.reconnect(client);
    print(session.style.dim(`Reconnected to ${session.source.target.label}.`) + "\n");
    return true;
  } catch (err) {
    // A private server that has ended will not come back: trying again is pointless.
    const server = session.source.server;
    if (server && !server.alive()) return offerNewServer(session, terminal, print);
    print(session.style.bad(redact((err as Error).message)) + session.style.dim(" (the next command tries again)") + "\n");
    return false;
  }
}

/** The private server died (killed from outside, out of memory): say so, and offer a fresh, empty one. */
async function offerNewServer(session: SandboxSession, terminal: Terminal, print: (t: string) => void): Promise<boolean> {
  const { style, source } = session;
  print(style.bad(`The private redis-server is gone (its process ${source.server?.pid} ended), and the keys it held with it.`) + " Start a new one? [y/N] ");
  const key = await terminal.readKey();
  const yes = key.sequence === "y" || key.sequence === "Y";
  print(yes ? "y\n" : "N\n");
  if (!yes) {
    print(style.dim("Not started: commands fail until you start one (the next command asks again); leaving now exits with status 1.") + "\n");
    return false;
  }
  try {
    await session.clients.startNewServer();
  } catch (err) {
    print(style.bad(`Could not start a new one: ${redact((err as Error).message)}`) + "\n");
    return false;
  }
  print(style.dim(`Started a new private redis-server on ${source.target.label}; it is empty: the keys you made before are lost. Every client is connected to it.`) + "\n");
  return true;
}
