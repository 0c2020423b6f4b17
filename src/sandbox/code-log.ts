import type { Reply } from "../redis/reply-types.js";
import { ioredisCall, pipelineCode, transactionCode } from "./code.js";

/**
 * What :code shows: the last thing the learner sent, as ioredis code. A transaction
 * (WATCH ..., MULTI, the queued commands, EXEC) becomes one `redis.multi()...exec()`
 * chain rather than `await redis.exec()`; a repeated command (`3 INCR a`) a pipeline.
 * Each client (A, B, ...) has its own transaction.
 */
type Last =
  | { kind: "one"; args: Buffer[] }
  | { kind: "repeat"; args: Buffer[]; times: number }
  | { kind: "tx"; watched: Buffer[][]; queued: Buffer[][]; open: boolean }
  | { kind: "note"; text: string };

const nameOf = (args: readonly Buffer[]): string => (args[0] ?? Buffer.alloc(0)).toString("latin1").toLowerCase();

export class CodeLog {
  private last: Last | undefined;
  private readonly queued = new Map<string, Buffer[][]>();
  private readonly watched = new Map<string, Buffer[][]>();

  /**
   * One command as it ran for a client. `inMulti`: the client was inside MULTI when
   * it sent it (so it was queued, or it is EXEC/DISCARD).
   */
  record(client: string, args: Buffer[], reply: Reply, inMulti: boolean): void {
    const name = nameOf(args);
    const failed = reply.type === "error";
    if (inMulti) {
      const queued = this.queued.get(client) ?? [];
      if (name === "exec" || name === "discard" || name === "reset") {
        if (name === "exec" && !failed) this.last = { kind: "tx", watched: this.watched.get(client) ?? [], queued, open: false };
        else this.last = { kind: "note", text: name === "exec" ? "// EXEC was refused, so nothing ran: there is no code to show." : "// The transaction was discarded: nothing to send." };
        this.queued.delete(client);
        this.watched.delete(client);
        return;
      }
      // A command refused while queuing makes EXEC fail: it is kept out of the chain.
      if (!failed) queued.push(args);
      this.queued.set(client, queued);
      this.last = { kind: "tx", watched: this.watched.get(client) ?? [], queued, open: true };
      return;
    }
    if (name === "multi" && !failed) {
      this.queued.set(client, []);
      this.last = { kind: "tx", watched: this.watched.get(client) ?? [], queued: [], open: true };
      return;
    }
    if (name === "watch" && !failed) this.watched.set(client, [...(this.watched.get(client) ?? []), args]);
    if (name === "unwatch" || name === "reset") this.watched.delete(client);
    this.last = { kind: "one", args };
  }

  /** The same command sent `times` times in a row (redis-cli's `3 INCR a`). */
  repeated(args: Buffer[], times: number): void {
    if (times > 1 && this.last?.kind === "one") this.last = { kind: "repeat", args, times };
  }

  /** The ioredis code, or undefined before any command. */
  code(): string | undefined {
    const last = this.last;
    if (!last) return undefined;
    switch (last.kind) {
      case "one":
        return ioredisCall(last.args);
      case "repeat":
        return pipelineCode(last.args, last.times);
      case "tx":
        return transactionCode(last.queued, last.watched, last.open);
      case "note":
        return last.text;
    }
  }
}
