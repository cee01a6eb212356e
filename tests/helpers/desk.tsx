import { HeadlessTerminal } from '../../src/runtime/headless-terminal.js';
import { renderDesk } from '../../src/runtime/render-desk.js';
import { ScriptedClock, type ClockControl } from '../../src/runtime/clock-driver.js';
import { preloadViews } from '../../src/screens/lazy-views.js';
import type { Engine } from '../../src/engine/engine.js';

/**
 * Waits until the screen passes the test (each frame Ink draws is checked, and the screen now),
 * failing after `timeoutMs` with the screen it last saw. A condition, never a fixed sleep.
 */
export function waitForScreen(term: HeadlessTerminal, test: (screen: string) => boolean, what: string, timeoutMs = 10_000): Promise<string> {
  return new Promise((resolve, reject) => {
    const check = () => {
      const s = term.screen();
      if (!test(s)) return false;
      done();
      resolve(s);
      return true;
    };
    const off = term.onFrame(() => void check());
    const timer = setTimeout(() => {
      done();
      reject(new Error(`${what}: not on the screen after ${timeoutMs} ms; the screen was:\n${term.screen()}`));
    }, timeoutMs);
    const done = () => {
      off();
      clearTimeout(timer);
    };
    check();
  });
}

/** The real desktop in a headless terminal of a fixed size, on a fixed world and clock. */
export async function mountDesk(engine: Engine, opts: { columns?: number; rows?: number; color?: boolean; agentTz?: string; clock?: ClockControl } = {}) {
  await preloadViews();
  const term = new HeadlessTerminal(opts.columns ?? 80, opts.rows ?? 24);
  const instance = renderDesk(
    { engine, agentTz: opts.agentTz ?? 'America/New_York', clock: opts.clock ?? new ScriptedClock(() => engine.now), defaultAgent: 'a.lopez', defaultPlace: 'Place_3101' },
    opts.color ?? false,
    term,
    true,
  );
  await term.settle();
  const keys = async (...names: string[]) => {
    for (const n of names) {
      term.press(n);
      await term.settle();
    }
  };
  const type = async (text: string) => {
    for (const ch of text) await keys(ch === ' ' ? 'space' : ch);
  };
  /** Raw bytes in one write, as a terminal delivers a burst (a held key, a paste, tmux send-keys). */
  const write = async (bytes: string) => {
    term.stdin.write(bytes);
    await term.settle();
  };
  return {
    term,
    keys,
    type,
    write,
    waitFor: (test: (screen: string) => boolean, what: string) => waitForScreen(term, test, what),
    screen: () => term.screen(),
    unmount: () => {
      instance.unmount();
      instance.cleanup();
    },
  };
}
