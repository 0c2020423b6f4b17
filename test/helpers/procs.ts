import { readdirSync, readFileSync, readlinkSync } from "node:fs";

/**
 * Live redis-server (or valkey-server) processes, and forks of them still saving, that
 * belong to a run given its own TMPDIR: the server inherited TMPDIR=tmp from redis-learn, or runs in a directory under
 * tmp. Relies on nothing redis-learn writes, so it also finds a server whose owner never
 * recorded it. Linux only (/proc); zombies (ended, not yet reaped) do not count.
 */
export function serversUnder(tmp: string): number[] {
  const found: number[] = [];
  for (const name of readdirSync("/proc")) {
    if (!/^\d+$/.test(name)) continue;
    try {
      const cmdline = readFileSync(`/proc/${name}/cmdline`, "latin1");
      if (!/(redis|valkey)-(server|rdb-bgsave|aof-rewrite|rdb-to-slaves|rdb-to-replicas|module-fork)/.test(cmdline)) continue;
      const stat = readFileSync(`/proc/${name}/stat`, "latin1");
      if (stat.slice(stat.lastIndexOf(")") + 2).startsWith("Z")) continue;
      const environ = readFileSync(`/proc/${name}/environ`, "latin1").split("\0");
      let cwd = "";
      try {
        cwd = readlinkSync(`/proc/${name}/cwd`);
      } catch {
        // Gone meanwhile.
      }
      if (environ.includes(`TMPDIR=${tmp}`) || cwd.startsWith(tmp + "/")) found.push(Number(name));
    } catch {
      // The process ended while we looked.
    }
  }
  return found;
}

/** Kills what a failed test left behind, so one failure does not leak servers into the machine. */
export function killServersUnder(tmp: string): void {
  for (const pid of serversUnder(tmp)) {
    try {
      process.kill(pid, "SIGKILL");
    } catch {
      // Already gone.
    }
  }
}

export function alive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch {
    return false;
  }
}
