import { HeadlessTerminal } from '../../src/runtime/headless-terminal.js';
import { renderDesk } from '../../src/runtime/render-desk.js';
import { ScriptedClock, type ClockControl } from '../../src/runtime/clock-driver.js';
import { preloadViews } from '../../src/screens/lazy-views.js';
import type { Engine } from '../../src/engine/engine.js';

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
  return {
    term,
    keys,
    type,
    screen: () => term.screen(),
    unmount: () => {
      instance.unmount();
      instance.cleanup();
    },
  };
}
