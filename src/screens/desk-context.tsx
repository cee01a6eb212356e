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
  /** What the first frame shows from the store, read before it is drawn (readFirst). */
  firstReads?: FirstReads;
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
 *
 * `known`: the answer without reading (nothing to look up), given at once. `firstRead`: the
 * key of an answer the runtime may have read before the first frame (useNamedRead), taken as
 * the first answer when the engine is still at the revision it was read at: that frame then
 * shows what the store holds, not an empty pane that fills a moment later.
 */
export function useStoreQuery<T>(load: (q: StoreReader, engine: Engine) => Promise<T>, deps: readonly unknown[], opts: { known?: T; firstRead?: string } = {}): T | undefined {
  const host = useDesk();
  const engine = host.engine;
  const revision = useSyncExternalStore(
    useCallback((fn) => engine.subscribe(fn), [engine]),
    () => engine.revision,
  );
  // A new object whenever deps change: an answer is kept with the deps it was read for.
  const key = useMemo(() => ({}), [engine, ...deps]);
  const [answer, setAnswer] = useState<{ key: object; revision: number; value: T } | undefined>(() => {
    const first = host.firstReads;
    if (opts.firstRead === undefined || first?.revision !== engine.revision || !first.answers.has(opts.firstRead)) return undefined;
    return { key, revision: first.revision, value: first.answers.get(opts.firstRead) as T };
  });
  const known = opts.known !== undefined;
  useEffect(() => {
    // Nothing to read, or read at this revision for these deps already (before the first frame).
    if (known || (answer && answer.key === key && answer.revision === revision)) return;
    let current = true;
    engine.read((q) => load(q, engine)).then(
      (value) => {
        if (current) setAnswer({ key, revision, value });
      },
      () => {
        // Kept as it was: the next change of the engine reads again.
      },
    );
    return () => {
      current = false;
    };
    // `load` is a new closure on every render; what it reads is named by `deps`.
  }, [key, revision, known]);
  if (known) return opts.known;
  return answer && answer.key === key ? answer.value : undefined;
}

/** Answers read before the first frame (readFirst), each under its read's name and arguments. */
export interface FirstReads {
  revision: number;
  answers: ReadonlyMap<string, unknown>;
}

/** A read a view shows, named so that the runtime can read it before the view's first frame. */
export interface NamedRead<A extends readonly unknown[], T> {
  name: string;
  load: (...args: A) => (q: StoreReader, engine: Engine) => Promise<T>;
}

const readKey = (name: string, args: readonly unknown[]) => `${name}:${JSON.stringify(args)}`;

/** One read to make before the first frame: a named read with its arguments. */
export interface FirstRead {
  key: string;
  load: (q: StoreReader, engine: Engine) => Promise<unknown>;
}

export function firstRead<A extends readonly unknown[], T>(read: NamedRead<A, T>, ...args: A): FirstRead {
  return { key: readKey(read.name, args), load: read.load(...args) };
}

/** useStoreQuery of a named read: the answer read before the first frame is its first. */
export function useNamedRead<A extends readonly unknown[], T>(read: NamedRead<A, T>, ...args: A): T | undefined {
  return useStoreQuery(read.load(...args), args, { firstRead: readKey(read.name, args) });
}

/** Makes `reads` in one read of the store, at the engine's revision now (see useStoreQuery). */
export async function readFirst(engine: Engine, reads: readonly FirstRead[]): Promise<FirstReads> {
  const revision = engine.revision;
  const answers = new Map<string, unknown>();
  if (reads.length > 0) {
    await engine.read(async (q) => {
      for (const read of reads) answers.set(read.key, await read.load(q, engine));
    });
  }
  return { revision, answers };
}

/** The contacts of some interactions (the panes' rows, the notice line), by id, read as useStoreQuery reads. */
export function useContactsOf(contactIds: readonly (string | null)[]): ReadonlyMap<string, Contact> {
  const ids = [...new Set(contactIds.filter((id): id is string => id !== null))].sort();
  const key = ids.join('\n');
  return useStoreQuery((q): Promise<ReadonlyMap<string, Contact>> => q.contacts.getMany(ids), [key], { known: ids.length === 0 ? NO_CONTACTS : undefined }) ?? NO_CONTACTS;
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
