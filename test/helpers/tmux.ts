import { execFileSync } from "node:child_process";
import { rmSync } from "node:fs";

/**
 * Drives a program in a real pseudo-terminal through tmux: type keys, read the screen.
 * Each instance has its own tmux server (socket), so tests never touch anyone's tmux.
 */
export class TmuxScreen {
  private readonly socket = `rl-e2e-${process.pid}-${Math.random().toString(36).slice(2, 8)}`;

  constructor(command: string, env: Record<string, string> = {}, width = 140, height = 60) {
    const exports = Object.entries(env).map(([k, v]) => `${k}=${shellQuote(v)}`).join(" ");
    this.tmux("new-session", "-d", "-s", "main", "-x", String(width), "-y", String(height), `${exports} ${command}; sleep 30`);
  }

  private tmux(...args: string[]): string {
    return execFileSync("tmux", ["-L", this.socket, ...args], { encoding: "utf8" });
  }

  /** Types text literally (no key names). */
  type(text: string): void {
    this.tmux("send-keys", "-t", "main", "-l", text);
  }

  /** Sends tmux key names: Enter, Tab, C-c, C-z, C-d, Up ... */
  press(...keys: string[]): void {
    this.tmux("send-keys", "-t", "main", ...keys);
  }

  /** Pastes text as a terminal does: between bracketed-paste marks when the program turned them on. */
  paste(text: string): void {
    execFileSync("tmux", ["-L", this.socket, "load-buffer", "-"], { input: text });
    this.tmux("paste-buffer", "-p", "-d", "-t", "main");
  }

  screen(): string {
    return this.tmux("capture-pane", "-t", "main", "-p", "-S", "-200");
  }

  async waitFor(test: RegExp | ((screen: string) => boolean), timeoutMs = 10_000): Promise<string> {
    const deadline = Date.now() + timeoutMs;
    for (;;) {
      const screen = this.screen();
      if (typeof test === "function" ? test(screen) : test.test(screen)) return screen;
      if (Date.now() > deadline) throw new Error(`screen never matched ${String(test)}:\n${screen}`);
      await new Promise((r) => setTimeout(r, 50));
    }
  }

  close(): void {
    try {
      this.tmux("kill-server");
    } catch {
      // Already gone.
    }
  }
}

function shellQuote(s: string): string {
  return `'${s.replace(/'/g, "'\\''")}'`;
}

/**
 * What an e2e test file opens: its screens and temp folders, closed and removed after
 * each test. Use: const { screens, dirs, cleanup } = e2eTrack(); afterEach(cleanup);
 */
export function e2eTrack(): { screens: TmuxScreen[]; dirs: string[]; cleanup(): void } {
  const screens: TmuxScreen[] = [];
  const dirs: string[] = [];
  return {
    screens,
    dirs,
    cleanup() {
      for (const s of screens.splice(0)) s.close();
      for (const d of dirs.splice(0)) rmSync(d, { recursive: true, force: true });
    },
  };
}
