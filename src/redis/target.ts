import { UserError, EXIT_USAGE } from "../errors.js";
import { registerSecret, registerUrlSecrets } from "./redact.js";

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

const USAGE = "redis://[user:password@]host[:port][/db], or rediss://... for TLS";

/**
 * Parses redis://[user[:password]@]host[:port][/db] and rediss://.... Whatever could be the
 * password is registered for redaction before anything else, and no error quotes the URL
 * beyond its scheme: a mistyped URL is where passwords leak.
 */
export function parseRedisUrl(url: string, tlsCa?: string): Target {
  registerUrlSecrets(url);

  const scheme = /^([a-z][a-z0-9+.-]*):\/\//i.exec(url)?.[1]?.toLowerCase();
  if (scheme !== undefined && scheme !== "redis" && scheme !== "rediss") {
    throw new UserError(`unsupported URL scheme "${scheme}:": use redis:// or rediss:// (TLS)`, EXIT_USAGE);
  }
  let parsed: URL;
  try {
    if (scheme === undefined) throw new Error("no scheme://");
    parsed = new URL(url);
  } catch {
    throw new UserError(`not a Redis URL: expected ${USAGE}`, EXIT_USAGE);
  }
  if (`${parsed.pathname}${parsed.search}${parsed.hash}`.includes("@")) {
    throw new UserError(`not a Redis URL: an @ after the host; user:password@ comes right after redis:// (write a / # ? in the password as %2F %23 %3F)`, EXIT_USAGE);
  }
  const password = parsed.password ? safeDecode(parsed.password) : undefined;
  registerSecret(password);
  const username = parsed.username ? safeDecode(parsed.username) : undefined;
  const host = parsed.hostname.replace(/^\[(.*)\]$/, "$1") || "127.0.0.1";
  const port = parsed.port ? Number(parsed.port) : DEFAULT_PORT;

  const dbText = parsed.pathname.replace(/^\//, "") || parsed.searchParams.get("db") || "0";
  if (!/^\d+$/.test(dbText)) {
    // Quoted only when it cannot be part of a mistyped password.
    const shown = /^[\w.-]{1,20}$/.test(dbText) ? `, not "${dbText}"` : "";
    throw new UserError(`the database in a Redis URL is a number (redis://host:port/2)${shown}`, EXIT_USAGE);
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
