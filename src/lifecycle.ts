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
      runCleanups();
      process.exit(SIGNAL_EXIT_CODES[signal]);
    });
  }
}
