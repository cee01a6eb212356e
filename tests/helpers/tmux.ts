import { execFileSync, spawnSync } from 'node:child_process';
import { BIN } from './bin.js';

/**
 * The real bin in a real pseudo-terminal (tmux), read off the screen as a person would: one
 * session a test file, keys sent with send-keys, the screen read with capture-pane, and every
 * check a wait for what should come (never a fixed sleep).
 *
 * Without tmux these tests fail, naming what to install, as the PostgreSQL ones do: a skipped
 * end-to-end test reads as a pass in a summary nobody opens.
 */

let tmuxRuns = false;

/** Fails, naming what to install, when there is no tmux to run. */
export function requireTmux(): void {
  if (tmuxRuns) return;
  const r = spawnSync('tmux', ['-V'], { encoding: 'utf8' });
  if (r.status !== 0) {
    const missing = (r.error as NodeJS.ErrnoException | undefined)?.code === 'ENOENT';
    const why = missing ? 'is not installed (not found on PATH)' : `does not run (tmux -V: ${r.error?.message ?? (r.stderr.trim() || `exit ${r.status}`)})`;
    throw new Error(`tmux ${why}: the tests that drive the desktop in a real terminal need it (apt-get install tmux; .ci/run installs it)`);
  }
  tmuxRuns = true;
}

/**
 * The shell command that runs the bin as a person starts it: CI=false (with CI set Ink draws
 * only the last frame), NO_COLOR unless `color`, then says how it exited (`EXIT=0`) and keeps
 * the pane open so the exit can be read. `env`: more `NAME=value` words, such as `TZ=UTC`.
 */
export function binInTerminal(args: string, opts: { env?: string; color?: boolean } = {}): string {
  const env = [opts.env, 'CI=false', opts.color ? '' : 'NO_COLOR=1'].filter(Boolean).join(' ');
  return `${env} ${process.execPath} ${BIN} ${args}; echo EXIT=$?; sleep 60`;
}

export class TmuxSession {
  constructor(readonly name: string) {}

  private tmux(...args: string[]): string {
    return execFileSync('tmux', args, { encoding: 'utf8' });
  }

  /** Runs `command` in a new window of columns x rows, ending this session's earlier one first. */
  start(command: string, columns = 100, rows = 30): void {
    requireTmux();
    this.kill();
    // Killing the last session ends tmux's server; a new session asked for while it is still
    // going answers "server exited unexpectedly" (seen in CI). Asked again, a new server starts.
    for (let attempt = 0; ; attempt++) {
      try {
        this.tmux('new-session', '-d', '-s', this.name, '-x', String(columns), '-y', String(rows), command);
        return;
      } catch (e) {
        if (attempt >= 4 || !/server exited unexpectedly/.test(String((e as { stderr?: unknown }).stderr ?? (e as Error).message))) throw e;
      }
    }
  }

  /** Keys by tmux's names (`Enter`, `Escape`, `BSpace`, `C-u`) or text; one call is one write. */
  keys(...keys: string[]): void {
    this.tmux('send-keys', '-t', this.name, ...keys);
  }

  /** A paste, bracketed as a terminal marks one (tmux's -p). */
  paste(text: string): void {
    this.tmux('set-buffer', '-b', this.name, text);
    this.tmux('paste-buffer', '-p', '-b', this.name, '-t', this.name);
    this.tmux('delete-buffer', '-b', this.name);
  }

  screen(): string {
    return this.tmux('capture-pane', '-p', '-t', this.name);
  }

  /** Until the screen passes `test`, failing after `timeoutMs` with the screen it last saw. */
  async waitUntil(test: (screen: string) => boolean, what: string, timeoutMs = 15_000): Promise<string> {
    const end = Date.now() + timeoutMs;
    let s = '';
    while (Date.now() < end) {
      s = this.screen();
      if (test(s)) return s;
      // The next look at the screen: tmux has no way to say it changed.
      await new Promise((r) => setTimeout(r, 100));
    }
    throw new Error(`${what} never appeared within ${timeoutMs} ms; the screen was:\n${s}`);
  }

  waitFor(text: string, timeoutMs = 15_000): Promise<string> {
    return this.waitUntil((s) => s.includes(text), `"${text}"`, timeoutMs);
  }

  waitForGone(text: string, timeoutMs = 15_000): Promise<string> {
    return this.waitUntil((s) => !s.includes(text), `the screen without "${text}"`, timeoutMs);
  }

  /** Ends the session and what runs in it (nothing when there is none, or no tmux). */
  kill(): void {
    spawnSync('tmux', ['kill-session', '-t', this.name]);
  }
}
