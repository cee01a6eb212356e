import { HeadlessTerminal } from '../../src/runtime/headless-terminal.js';
import { renderDesk } from '../../src/runtime/render-desk.js';
import { ScriptedClock, type ClockControl } from '../../src/runtime/clock-driver.js';
import { preloadViews } from '../../src/screens/lazy-views.js';
import type { Engine } from '../../src/engine/engine.js';
import type { DeskHost } from '../../src/screens/desk-context.js';

/**
 * Until the screen is still and the engine idle, as a demo waits (demo-runner.ts): a key's
 * command is a store transaction, and what a view shows is read from the store after it
 * (useStoreQuery), each answer a render of its own.
 */
export async function settleDesk(term: HeadlessTerminal, engine: Engine): Promise<void> {
  for (let i = 0; i < 100; i++) {
    await engine.whenIdle();
    const before = term.frames.length;
    await term.settle();
    if (term.frames.length === before && engine.isIdle) return;
  }
}

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

// What the screen tests check after a key, as committed (the engine's `chainOf`, `gcallback` and
// `contact` answer only inside a transaction). Beside world.ts's recordOf and interactionOf.

/** A contact's chain of numbers, in chain order. */
export function chainOf(e: Engine, contactId: string) {
  return e.read((q) => q.records.ofContact(contactId));
}

/** One Genesys booking. */
export function gcallbackOf(e: Engine, id: string) {
  return e.read((q) => q.gcallbacks.get(id));
}

/** One contact. */
export function contactOf(e: Engine, id: string) {
  return e.read((q) => q.contacts.get(id));
}

/**
 * The real desktop in a headless terminal of a fixed size, on a fixed world and clock. `host`:
 * what a runtime adds to the screens' host (the desktop's zoneOf and login).
 */
export async function mountDesk(engine: Engine, opts: { columns?: number; rows?: number; color?: boolean; agentTz?: string; clock?: ClockControl; host?: Partial<Omit<DeskHost, 'engine'>> } = {}) {
  await preloadViews();
  const term = new HeadlessTerminal(opts.columns ?? 80, opts.rows ?? 24);
  const instance = renderDesk(
    { engine, agentTz: opts.agentTz ?? 'America/New_York', clock: opts.clock ?? new ScriptedClock(() => engine.now), defaultAgent: 'a.lopez', defaultPlace: 'Place_3101', ...opts.host },
    opts.color ?? false,
    term,
    true,
  );
  const settle = () => settleDesk(term, engine);
  await settle();
  const keys = async (...names: string[]) => {
    for (const n of names) {
      term.press(n);
      await settle();
    }
  };
  const type = async (text: string) => {
    for (const ch of text) await keys(ch === ' ' ? 'space' : ch);
  };
  /** Raw bytes in one write, as a terminal delivers a burst (a held key, a paste, tmux send-keys). */
  const write = async (bytes: string) => {
    term.stdin.write(bytes);
    await settle();
  };
  return {
    term,
    keys,
    type,
    /** Waits for the screen to answer a change made outside it (an engine command, a resize). */
    settle,
    write,
    /** Until the screen shows what `test` looks for (a frame, not the quiet after it). */
    waitFor: (test: (screen: string) => boolean, what: string) => waitForScreen(term, test, what),
    /** waitFor with a bound of its own (ms). */
    until: async (test: (screen: string) => boolean, what: string, ms = 10_000) => {
      await waitForScreen(term, test, what, ms);
    },
    screen: () => term.screen(),
    unmount: () => {
      instance.unmount();
      instance.cleanup();
    },
  };
}
