import commands from "@ioredis/commands";
import { maskSecretArgs } from "../redis/secret-args.js";

/**
 * The ioredis call for a command typed in the sandbox, so a learner can carry it into
 * an application: `await redis.lmove("src", "dst", "LEFT", "RIGHT")`. A password in it
 * (AUTH, HELLO ... AUTH, CONFIG SET requirepass ...) is shown as "***". Pure.
 */
export function ioredisCall(args: readonly Buffer[]): string {
  const [first, ...rest] = maskSecretArgs(args);
  if (!first) return "";
  const name = first.toString("utf8").toLowerCase();
  // ioredis has a method for each command it knows; others go through call().
  if (commands.exists(name) && /^[a-z_][a-z0-9_]*$/.test(name)) {
    return `await redis.${name}(${rest.map(literal).join(", ")})`;
  }
  return `await redis.call(${[first, ...rest].map(literal).join(", ")})`;
}

function literal(arg: Buffer): string {
  const text = arg.toString("utf8");
  if (!Buffer.from(text, "utf8").equals(arg)) return `Buffer.from("${arg.toString("hex")}", "hex")`;
  if (/^-?(0|[1-9]\d{0,14})$/.test(text)) return text;
  return JSON.stringify(text);
}
