import type { Reply } from "./reply-types.js";

/** What the connected server is, detected once per run: lessons may need a version or a module. */
export interface ServerInfo {
  /** "redis" or "valkey". */
  product: string;
  version: string;
  modules: string[];
  /** The server wants a password we did not give: commands will fail with NOAUTH until AUTH. */
  needsAuth: boolean;
  /** INFO server's run_id: tells a restarted or different server on the same address apart. */
  runId?: string;
}

/** What to ask: INFO server and MODULE LIST. Either may be refused by an ACL; that is not fatal. */
export const SERVER_INFO_COMMANDS = [["INFO", "server"], ["MODULE", "LIST"]];

export function parseServerInfo(info: Reply | undefined, modules: Reply | undefined): ServerInfo {
  const text = info && (info.type === "bulk" || info.type === "verbatim") ? info.value.toString("utf8") : "";
  const field = (name: string): string | undefined => new RegExp(`^${name}:(.*)$`, "m").exec(text)?.[1]?.trim();
  const valkey = field("valkey_version");
  const product = valkey || field("server_name") === "valkey" ? "valkey" : "redis";
  const version = valkey ?? field("redis_version") ?? "unknown";
  const needsAuth = info?.type === "error" && info.value.toString("latin1").startsWith("NOAUTH");
  const runId = field("run_id");
  return { product, version, modules: moduleNames(modules), needsAuth, ...(runId && { runId }) };
}

function moduleNames(reply: Reply | undefined): string[] {
  if (!reply || reply.type !== "array") return [];
  const names: string[] = [];
  for (const mod of reply.items) {
    if (mod.type !== "array" && mod.type !== "map") continue;
    for (let i = 0; i + 1 < mod.items.length; i += 2) {
      const key = mod.items[i];
      const value = mod.items[i + 1];
      if (key && value && "value" in key && String(key.value) === "name" && "value" in value) names.push(String(value.value));
    }
  }
  return names;
}

/** Compares dotted versions numerically: "7.0.15" >= "6.2". */
export function versionAtLeast(version: string, minimum: string): boolean {
  const a = version.split(".").map((n) => Number.parseInt(n, 10) || 0);
  const b = minimum.split(".").map((n) => Number.parseInt(n, 10) || 0);
  for (let i = 0; i < Math.max(a.length, b.length); i++) {
    const x = a[i] ?? 0;
    const y = b[i] ?? 0;
    if (x !== y) return x > y;
  }
  return true;
}
