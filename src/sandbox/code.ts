import commands from "@ioredis/commands";
import { maskSecretArgs } from "../redis/secret-args.js";

/**
 * The ioredis call for a command typed in the sandbox, so a learner can carry it into
 * an application: `await redis.lmove("src", "dst", "LEFT", "RIGHT")`. A password in it
 * (AUTH, HELLO ... AUTH, CONFIG SET requirepass ...) is shown as "***". Pure.
 */
export function ioredisCall(args: readonly Buffer[]): string {
  const call = method(args);
  return call ? `await redis.${call}` : "";
}

/** Beyond this, a chain is written one call per line. */
const ONE_LINE = 72;

/**
 * A transaction as ioredis writes it, one chain sent at once:
 * `await redis.multi().incr("a").exec()`. The keys WATCHed before MULTI come first, as
 * their own call. `open`: EXEC is not typed yet, so the chain ends with a comment
 * instead. Pure.
 */
export function transactionCode(queued: readonly (readonly Buffer[])[], watched: readonly (readonly Buffer[])[] = [], open = false): string {
  return [...watched.map((w) => `${ioredisCall(w)};`), chain("multi", queued, open)].join("\n");
}

/** A command repeated (`3 INCR a`) as one pipeline: one round trip, as redis-cli sends them. Pure. */
export function pipelineCode(args: readonly Buffer[], times: number): string {
  return chain("pipeline", Array.from({ length: times }, () => args), false);
}

function chain(start: "multi" | "pipeline", calls: readonly (readonly Buffer[])[], open: boolean): string {
  const head = `await redis.${start}()`;
  const links = calls.map(method).filter(Boolean).map((l) => `.${l}`);
  if (open) return [head, ...links.map((l) => `  ${l}`), "  // EXEC not typed yet: .exec() sends it all"].join("\n");
  const flat = `${head}${links.join("")}.exec();`;
  if (flat.length <= ONE_LINE) return flat;
  return [head, ...links.map((l) => `  ${l}`), "  .exec();"].join("\n");
}

/** `incr("a")`, or `call("X", ...)` for a command ioredis has no method for; "" for none. */
function method(args: readonly Buffer[]): string {
  const [first, ...rest] = maskSecretArgs([...args]);
  if (!first) return "";
  const name = first.toString("utf8").toLowerCase();
  // ioredis has a method for each command it knows; others go through call().
  if (commands.exists(name) && /^[a-z_][a-z0-9_]*$/.test(name)) return `${name}(${rest.map(literal).join(", ")})`;
  return `call(${[first, ...rest].map(literal).join(", ")})`;
}

function literal(arg: Buffer): string {
  const text = arg.toString("utf8");
  if (!Buffer.from(text, "utf8").equals(arg)) return `Buffer.from("${arg.toString("hex")}", "hex")`;
  if (/^-?(0|[1-9]\d{0,14})$/.test(text)) return text;
  return JSON.stringify(text);
}
