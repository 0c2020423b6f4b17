import { MASK } from "./redaction.js";

/**
 * Which arguments of a typed command are passwords. The sandbox registers them as secrets
 * for the rest of the session (so the server's replies, errors and :code never show them),
 * keeps the line out of the history, and shows them as *** in :code. Pure.
 */

/** A password inside a command: args[index] from byte `start` on (an ACL rule `>pw` starts at 1). */
export interface SecretArg {
  index: number;
  start: number;
}

const lower = (arg: Buffer | undefined): string => (arg ? arg.toString("latin1").toLowerCase() : "");

/** CONFIG SET and SENTINEL SET parameters that hold a password (requirepass, masterauth, tls-key-file-pass, auth-pass ...). */
const PASSWORD_PARAMETER = /pass|auth/;

/** Name/value pairs from index `from` on: the values of password parameters. */
function passwordValues(args: readonly Buffer[], from: number): SecretArg[] {
  const found: SecretArg[] = [];
  for (let i = from; i + 1 < args.length; i += 2) {
    if (PASSWORD_PARAMETER.test(lower(args[i]))) found.push({ index: i + 1, start: 0 });
  }
  return found;
}

const whole = (index: number): SecretArg => ({ index, start: 0 });

export function secretArgs(args: readonly Buffer[]): SecretArg[] {
  const [name, sub] = [lower(args[0]), lower(args[1])];
  const found: SecretArg[] = [];
  switch (name) {
    case "auth":
      // AUTH password, AUTH username password; with more arguments, all but the first might be.
      if (args.length === 2) return [whole(1)];
      for (let i = 2; i < args.length; i++) found.push(whole(i));
      return found;
    case "hello":
      // HELLO [protover [AUTH username password] [SETNAME name]]
      for (let i = 1; i < args.length; i++) {
        const word = lower(args[i]);
        if (word === "auth") {
          if (i + 2 < args.length) found.push(whole(i + 2));
          else if (i + 1 < args.length) found.push(whole(i + 1));
          i += 2;
        } else if (word === "setname") i += 1;
      }
      return found;
    case "acl":
      if (sub !== "setuser") return [];
      // >pw adds a password, <pw removes one; #hash and !hash name one by its SHA-256.
      for (let i = 3; i < args.length; i++) {
        if ([0x3e, 0x3c, 0x23, 0x21].includes(args[i]?.[0] ?? 0)) found.push({ index: i, start: 1 });
      }
      return found;
    case "migrate":
      // MIGRATE host port key db timeout [COPY] [REPLACE] [AUTH pw | AUTH2 user pw] [KEYS key ...]
      for (let i = 6; i < args.length; i++) {
        const word = lower(args[i]);
        if (word === "keys") break;
        if (word === "auth" && i + 1 < args.length) found.push(whole(++i));
        else if (word === "auth2" && i + 2 < args.length) found.push(whole((i += 2)));
      }
      return found;
    case "config":
      return sub === "set" ? passwordValues(args, 2) : [];
    case "sentinel":
      // SENTINEL SET master auth-pass pw; SENTINEL CONFIG SET sentinel-pass pw
      if (sub === "set") return passwordValues(args, 3);
      if (sub === "config" && lower(args[2]) === "set") return passwordValues(args, 3);
      return [];
    default:
      return [];
  }
}

/** The passwords a typed command carries, as text. */
export function typedSecrets(args: readonly Buffer[]): string[] {
  return secretArgs(args)
    .map(({ index, start }) => (args[index] as Buffer).subarray(start).toString("utf8"))
    .filter((s) => s !== "");
}

/** The command with each password shown as *** (an ACL rule keeps its > or <). */
export function maskSecretArgs(args: readonly Buffer[]): Buffer[] {
  const masked = [...args];
  for (const { index, start } of secretArgs(args)) {
    masked[index] = Buffer.concat([(args[index] as Buffer).subarray(0, start), Buffer.from(MASK)]);
  }
  return masked;
}
