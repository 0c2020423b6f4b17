/**
 * What a snippet left running, said plainly: "1 timer", "2 open connections". Node names
 * what keeps its event loop alive (process.getActiveResourcesInfo()); the runner's own
 * resources, counted before the snippet ran, are taken away first. Pure.
 */
export function describeLeftovers(now: readonly string[], before: readonly string[]): string[] {
  const counts = new Map<string, number>();
  const own = new Map<string, number>();
  for (const name of before) own.set(name, (own.get(name) ?? 0) + 1);
  for (const name of now) {
    const left = own.get(name) ?? 0;
    if (left > 0) {
      own.set(name, left - 1);
      continue;
    }
    const phrase = PHRASES[name] ?? [name, name];
    const key = phrase.join("\0");
    counts.set(key, (counts.get(key) ?? 0) + 1);
  }
  return [...counts].map(([key, n]) => {
    const [one, many] = key.split("\0") as [string, string];
    return `${n} ${n === 1 ? one : many}`;
  });
}

/** Node's resource names, singular and plural, for a person who wrote a few lines of JavaScript. */
const PHRASES: Record<string, [string, string]> = {
  Timeout: ["timer", "timers"],
  Immediate: ["setImmediate callback", "setImmediate callbacks"],
  TCPSocketWrap: ["open connection", "open connections"],
  PipeWrap: ["open connection", "open connections"],
  TCPConnectWrap: ["connection being opened", "connections being opened"],
  ConnectWrap: ["connection being opened", "connections being opened"],
  TCPServerWrap: ["listening server", "listening servers"],
  PipeServerWrap: ["listening server", "listening servers"],
  UDPWrap: ["UDP socket", "UDP sockets"],
  GetAddrInfoReqWrap: ["DNS lookup", "DNS lookups"],
  GetNameInfoReqWrap: ["DNS lookup", "DNS lookups"],
  QueryReqWrap: ["DNS lookup", "DNS lookups"],
  FSReqCallback: ["file operation", "file operations"],
  FSReqPromise: ["file operation", "file operations"],
  FileHandle: ["open file", "open files"],
  FSEventWrap: ["file watcher", "file watchers"],
  StatWatcher: ["file watcher", "file watchers"],
  ProcessWrap: ["child process", "child processes"],
  Worker: ["worker thread", "worker threads"],
  MessagePort: ["message port", "message ports"],
  SignalWrap: ["signal handler", "signal handlers"],
  ShutdownWrap: ["connection being closed", "connections being closed"],
  WriteWrap: ["write in progress", "writes in progress"],
};
