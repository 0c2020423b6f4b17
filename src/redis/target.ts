import { UserError, EXIT_USAGE } from "../errors.js";
import { registerSecret } from "./redact.js";

/** Where commands go, and how to log in there. */
export interface Target {
  host: string;
  port: number;
  tls: boolean;
  username?: string;
  password?: string;
  db: number;
  /** PEM file of a private certificate authority, for rediss:// servers. */
  tlsCa?: string;
  /** A name fit to show: host:port, never the password. */
  label: string;
}

const DEFAULT_PORT = 6379;

/** Parses redis://[user[:password]@]host[:port][/db] and rediss://...; registers the password for redaction first. */
export function parseRedisUrl(url: string, tlsCa?: string): Target {
  const credentials = /^[a-z]+:\/\/([^@/]*)@/i.exec(url)?.[1];
  if (credentials?.includes(":")) registerSecret(safeDecode(credentials.slice(credentials.indexOf(":") + 1)));

  let parsed: URL;
  try {
    parsed = new URL(url);
  } catch {
    throw new UserError(`not a Redis URL: expected redis://[user:password@]host[:port][/db] or rediss://...`, EXIT_USAGE);
  }
  if (parsed.protocol !== "redis:" && parsed.protocol !== "rediss:") {
    throw new UserError(`unsupported URL scheme "${parsed.protocol}": use redis:// or rediss:// (TLS)`, EXIT_USAGE);
  }
  const password = parsed.password ? safeDecode(parsed.password) : undefined;
  registerSecret(password);
  const username = parsed.username ? safeDecode(parsed.username) : undefined;
  const host = parsed.hostname.replace(/^\[(.*)\]$/, "$1") || "127.0.0.1";
  const port = parsed.port ? Number(parsed.port) : DEFAULT_PORT;

  const dbText = parsed.pathname.replace(/^\//, "") || parsed.searchParams.get("db") || "0";
  if (!/^\d+$/.test(dbText)) {
    throw new UserError(`the database in a Redis URL is a number (redis://host:port/2), not "${dbText}"`, EXIT_USAGE);
  }
  const label = `${host.includes(":") ? `[${host}]` : host}:${port}`;
  return {
    host,
    port,
    tls: parsed.protocol === "rediss:",
    ...(username !== undefined && { username }),
    ...(password !== undefined && { password }),
    db: Number(dbText),
    ...(tlsCa !== undefined && { tlsCa }),
    label,
  };
}

function safeDecode(text: string): string {
  try {
    return decodeURIComponent(text);
  } catch {
    return text;
  }
}
