import { createContext, useCallback, useContext, useEffect, useMemo, useState, useSyncExternalStore } from 'react';
import type { Engine } from '../engine/engine.js';
import type { Result } from '../engine/result.js';
import type { StoreReader } from '../engine/store-port.js';
import type { Contact } from '../engine/domain.js';
import type { ClockControl } from '../runtime/clock-driver.js';

/** What the screens get from their host: the engine, the agent's zone, the clock's controls. */
export interface DeskHost {
  engine: Engine;
  /** The agent's zone; useDesk gives the screens zoneOf's answer instead where there is one. */
  agentTz: string;
  /**
   * The zone an agent works in at this desktop, as the runtime decides it (undefined: no such
   * agent). The screens show the logged-in agent's, before login the default agent's; the login
   * form, the one typed in it. Absent, agentTz is everyone's (a demo, the supervisor).
   */
  zoneOf?: (agentId: string) => string | undefined;
  clock: ClockControl;
  /** Default values for the login form. */
  defaultAgent: string;
  defaultPlace: string;
  /**
   * Logs an agent in at this desktop. On a state a team shares, the runtime refuses an agent
   * logged in at another desktop that is alive, and takes over a session whose desktop is gone;
   * absent, the engine's login.
   */
  login?: (agentId: string, place: string) => Promise<Result<void>>;
}

const DeskContext = createContext<DeskHost | null>(null);
export const DeskProvider = DeskContext.Provider;

export function useDesk(): DeskHost {
  const d = useContext(DeskContext);
  if (!d) throw new Error('useDesk outside DeskProvider');
  // The zone follows the agent at this desktop: one picked at the login form works in their own.
  const agentTz = d.zoneOf?.(d.engine.agentId ?? d.defaultAgent) ?? d.agentTz;
  return agentTz === d.agentTz ? d : { ...d, agentTz };
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

/**
 * What a view shows from the store, loaded outside any transaction (never while the view
 * renders): when the view mounts, again after every change the engine commits or takes in (its
 * revision), and when `deps` change. The last answer stays on screen while the next one is
 * read; after `deps` change, nothing (undefined) until their answer comes. A read that fails
 * (the store busy or unreachable) keeps the last answer; the next change reads again.
 */
export function useStoreQuery<T>(load: (q: StoreReader, engine: Engine) => Promise<T>, deps: readonly unknown[]): T | undefined {
  const engine = useEngine();
  const revision = useSyncExternalStore(
    useCallback((fn) => engine.subscribe(fn), [engine]),
    () => engine.revision,
  );
  // A new object whenever deps change: an answer is kept with the deps it was read for.
  const key = useMemo(() => ({}), [engine, ...deps]);
  const [answer, setAnswer] = useState<{ key: object; value: T } | undefined>(undefined);
  useEffect(() => {
    let current = true;
    engine.read((q) => load(q, engine)).then(
      (value) => {
        if (current) setAnswer({ key, value });
      },
      () => {
        // Kept as it was: the next change of the engine reads again.
      },
    );
    return () => {
      current = false;
    };
    // `load` is a new closure on every render; what it reads is named by `deps`.
  }, [key, revision]);
  return answer && answer.key === key ? answer.value : undefined;
}

/** The contacts of some interactions (the panes' rows, the notice line), by id, read as useStoreQuery reads. */
export function useContactsOf(contactIds: readonly (string | null)[]): ReadonlyMap<string, Contact> {
  const ids = [...new Set(contactIds.filter((id): id is string => id !== null))].sort();
  const key = ids.join('\n');
  return (
    useStoreQuery((q): Promise<ReadonlyMap<string, Contact>> => q.contacts.getMany(ids), [key]) ?? NO_CONTACTS
  );
}

const NO_CONTACTS: ReadonlyMap<string, Contact> = new Map();

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
