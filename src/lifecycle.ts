/**
 * Cleanup that must happen however the process ends: normal exit, Ctrl-C, SIGTERM,
 * SIGHUP or an uncaught error. Cleanups are synchronous because the 'exit' event
 * allows nothing else.
 */
const cleanups: (() => void)[] = [];
let installed = false;

const SIGNAL_EXIT_CODES: Record<string, number> = { SIGINT: 130, SIGTERM: 143, SIGHUP: 129 };

export function onExit(cleanup: () => void): () => void {
  install();
  cleanups.push(cleanup);
  return () => {
    const i = cleanups.indexOf(cleanup);
    if (i !== -1) cleanups.splice(i, 1);
  };
}

export function runCleanups(): void {
  for (const cleanup of cleanups.splice(0).reverse()) {
    try {
      cleanup();
    } catch {
      // One failing cleanup must not keep the others from running.
    }
  }
}

function install(): void {
  if (installed) return;
  installed = true;
  process.on("exit", runCleanups);
  for (const signal of Object.keys(SIGNAL_EXIT_CODES) as NodeJS.Signals[]) {
    process.on(signal, () => {
      const exit = (): void => {
        runCleanups();
        process.exit(SIGNAL_EXIT_CODES[signal]);
      };
      if (signalled || !asyncCleanups.length) return exit();
      signalled = true;
      void runAsyncCleanups().then(exit, exit);
    });
  }
}

/**
 * Cleanup that needs the server (deleting keys, putting keys back) when a signal ends
 * the run: awaited, for at most ASYNC_LIMIT_MS, before the synchronous cleanups and the
 * exit. A second signal while it runs exits at once.
 */
const asyncCleanups: (() => Promise<void>)[] = [];
const ASYNC_LIMIT_MS = 3000;
let signalled = false;

export function onSignal(cleanup: () => Promise<void>): () => void {
  install();
  asyncCleanups.push(cleanup);
  return () => {
    const i = asyncCleanups.indexOf(cleanup);
    if (i !== -1) asyncCleanups.splice(i, 1);
  };
}

async function runAsyncCleanups(): Promise<void> {
  const pending = asyncCleanups.splice(0).reverse();
  if (!pending.length) return;
  let timer: NodeJS.Timeout | undefined;
  const limit = new Promise<void>((resolve) => (timer = setTimeout(resolve, ASYNC_LIMIT_MS)));
  const all = (async () => {
    for (const cleanup of pending) await cleanup().catch(() => {});
  })();
  await Promise.race([all, limit]);
  clearTimeout(timer);
}
