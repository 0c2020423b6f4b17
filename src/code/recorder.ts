import { randomBytes } from "node:crypto";
import { Connection } from "../redis/connection.js";
import { replyString } from "../redis/reply-types.js";
import type { Target } from "../redis/target.js";
import { UserError } from "../errors.js";
import { parseMonitorLine, type MonitorLine } from "./monitor.js";

/** How long the last line may take to come through MONITOR after the snippet's process ended. */
const SENTINEL_LIMIT_MS = 3000;

export interface Recording {
  lines: MonitorLine[];
  /** The addresses of connections open before the recording started: redis-learn's own, these two included. */
  before: Set<string>;
}

/**
 * Records every command the server runs while a snippet runs, with MONITOR on a
 * connection of its own. stop() sends a sentinel through a second connection and waits
 * for MONITOR to show it: the server has then run every command sent before it, so no
 * trailing command of the snippet is missed.
 */
export class CommandRecorder {
  private readonly raw: Buffer[] = [];
  private sentinelSeen: (() => void) | undefined;
  private sentinel: Buffer | undefined;

  private constructor(
    private readonly monitor: Connection,
    private readonly control: Connection,
    private readonly before: Set<string>,
  ) {
    monitor.onUnsolicited = (reply) => {
      if (reply.type !== "status") return;
      if (this.sentinel && reply.value.includes(this.sentinel)) return this.sentinelSeen?.();
      this.raw.push(reply.value);
    };
  }

  static async start(target: Target): Promise<CommandRecorder> {
    const [monitor, control] = await Promise.all([Connection.open(target), Connection.open(target)]);
    try {
      const list = await control.send(["CLIENT", "LIST"]);
      const before = new Set(list.type === "bulk" || list.type === "verbatim" ? [...replyString(list).matchAll(/\baddr=(\S+)/g)].map((m) => m[1] as string) : []);
      const recorder = new CommandRecorder(monitor, control, before);
      const ok = await monitor.send(["MONITOR"]);
      if (ok.type === "error") throw new UserError(`cannot show the snippet's commands: the server refused MONITOR: ${replyString(ok)}`);
      return recorder;
    } catch (err) {
      monitor.close();
      control.close();
      throw err;
    }
  }

  /** Waits until MONITOR has shown everything sent so far, then closes both connections. */
  async stop(): Promise<Recording> {
    const token = Buffer.from(`redis-learn:trace-end:${randomBytes(8).toString("hex")}`);
    this.sentinel = token;
    const seen = new Promise<void>((resolve) => (this.sentinelSeen = resolve));
    let timer: NodeJS.Timeout | undefined;
    try {
      // A server that died with the snippet (SHUTDOWN) answers nothing: what came before is kept.
      await Promise.race([
        this.control.send(["ECHO", token]).then(() => seen),
        new Promise<void>((resolve) => (timer = setTimeout(resolve, SENTINEL_LIMIT_MS))),
      ]).catch(() => {});
    } finally {
      clearTimeout(timer);
      this.monitor.close();
      this.control.close();
    }
    const lines = this.raw.map((line) => parseMonitorLine(line)).filter((line): line is MonitorLine => line !== undefined);
    return { lines, before: this.before };
  }

  /** Closes both connections without waiting (redis-learn is ending). */
  close(): void {
    this.monitor.close();
    this.control.close();
  }
}
