import { createContext, useCallback, useContext, useSyncExternalStore } from 'react';
import type { Engine } from '../engine/engine.js';
import type { ClockControl } from '../runtime/clock-driver.js';

/** What the screens get from their host: the engine, the agent's zone, the clock's controls. */
export interface DeskHost {
  engine: Engine;
  agentTz: string;
  clock: ClockControl;
  /** Default values for the login form. */
  defaultAgent: string;
  defaultPlace: string;
}

const DeskContext = createContext<DeskHost | null>(null);
export const DeskProvider = DeskContext.Provider;

export function useDesk(): DeskHost {
  const d = useContext(DeskContext);
  if (!d) throw new Error('useDesk outside DeskProvider');
  return d;
}

export function useEngine(): Engine {
  return useDesk().engine;
}

/**
 * Re-renders when the engine's state changes (not on bare clock ticks) and returns the
 * selector's value computed from the current state.
 */
export function useEngineState<T>(selector: (e: Engine) => T): T {
  const engine = useEngine();
  useSyncExternalStore(
    useCallback((fn) => engine.subscribe(fn), [engine]),
    () => engine.revision,
  );
  return selector(engine);
}

/** The simulated now, rounded to `granularityMs`: only components that show time subscribe. */
export function useNow(granularityMs = 1000): number {
  const engine = useEngine();
  return useSyncExternalStore(
    useCallback((fn) => engine.subscribeClock(fn), [engine]),
    () => Math.floor(engine.now / granularityMs) * granularityMs,
  );
}

export function useClockPaused(): boolean {
  const { clock } = useDesk();
  return useSyncExternalStore(
    useCallback((fn) => clock.subscribe(fn), [clock]),
    () => clock.paused,
  );
}
