import { type MutableRefObject, type ReactNode, createContext, useCallback, useContext, useEffect, useLayoutEffect, useRef, useSyncExternalStore } from 'react';
import { useStdin } from 'ink';
import { KeyReader, type KeyPress } from './keys.js';
import { bindingFor, type Keymap } from './keymaps.js';

/**
 * One reader of the keyboard. Ink hands every active useInput every key, so two views would
 * both act on one press; instead each view registers its keymap here with a priority and the
 * router offers each key to the highest first. A handler that returns true consumes the key.
 */
type Handler = (key: string, text?: string) => boolean;
interface Registration {
  map: Keymap;
  /** The map as in force now: with the view's disabled bindings. */
  shown?: Keymap;
  modal: boolean;
  priority: number;
  order: number;
  handler: MutableRefObject<Handler>;
  /** A text field: it types the printable keys that reach it (see KeymapOptions.takesText). */
  takesText?: boolean;
  /** The view's rows are still being read (KeymapOptions.loading): keys wait for them. */
  loading?: boolean;
}

interface Router {
  register(r: Omit<Registration, 'order'>): () => void;
  /**
   * Registers a keymap while the first frame renders, before any layout effect has run: the
   * footer, rendered after the views, shows it in that frame (no second frame to add it).
   * The view's layout effect adopts it (`adopt`), or the registration is dropped at the end of
   * that first commit. Null once the first frame is committed.
   */
  registerEarly(r: Omit<Registration, 'order'>): Registration | null;
  adopt(reg: Registration): () => void;
  /** A registered view says which of its bindings are unavailable now, and why. */
  setDisabled(handler: MutableRefObject<Handler>, disabled: Record<string, string>): void;
  /** A registered view says whether its rows are still being read (keys wait meanwhile). */
  setLoading(handler: MutableRefObject<Handler>, loading: boolean): void;
  /**
   * Keymaps of the active registrations, highest priority first and the global map last. With
   * `aboveModal`, only what the topmost modal lets through (the footer shows that).
   */
  activeMaps(aboveModal?: boolean): Keymap[];
  subscribe(fn: () => void): () => void;
  /** Keys handed out so far: a notice set by one key is stale once the next key comes. */
  keySeq(): number;
  /** The key being handed out now (an entry with many keys asks which: 1-9 in a list). */
  keyNow(): string;
  subscribeKeys(fn: () => void): () => void;
}

const RouterContext = createContext<Router | null>(null);

/** The longest keys wait for a view's rows (KeymapOptions.loading). */
const HOLD_KEYS_MAX_MS = 1000;

export function KeypressProvider({ children }: { children: ReactNode }) {
  const { internal_eventEmitter, setRawMode, isRawModeSupported } = useStdin();
  const regs = useRef<Registration[]>([]);
  const order = useRef(0);
  const listeners = useRef(new Set<() => void>());
  const keyListeners = useRef(new Set<() => void>());
  const seq = useRef(0);
  const keyNow = useRef('');
  const cache = useRef(new Map<boolean, Keymap[]>());
  const shownBefore = useRef(new Map<boolean, Keymap[]>());
  /** True once the first commit's layout effects have run; before, no one listens yet. */
  const started = useRef(false);
  const early = useRef(new Set<Registration>());
  /** Hands out the keys that waited for a view's rows (set by the keyboard's reader below). */
  const resume = useRef<() => void>(() => {});
  const notify = () => {
    cache.current.clear();
    if (started.current) for (const fn of [...listeners.current]) fn();
  };
  const unregister = (reg: Registration) => () => {
    regs.current = regs.current.filter((x) => x !== reg);
    notify();
  };
  const sorted = () => [...regs.current].sort((a, b) => b.priority - a.priority || b.order - a.order);
  const router = useRef<Router>({
    register(r) {
      const reg = { ...r, order: order.current++ };
      regs.current.push(reg);
      notify();
      return unregister(reg);
    },
    registerEarly(r) {
      if (started.current) return null;
      const reg = { ...r, order: order.current++ };
      regs.current.push(reg);
      early.current.add(reg);
      notify();
      return reg;
    },
    adopt(reg) {
      // The order of layout effects (children first), as a registration made there would have.
      reg.order = order.current++;
      early.current.delete(reg);
      notify();
      return unregister(reg);
    },
    setDisabled(handler, disabled) {
      const reg = regs.current.find((r) => r.handler === handler);
      if (!reg) return;
      if (JSON.stringify(reg.shown?.disabled ?? {}) === JSON.stringify(disabled)) return;
      reg.shown = Object.keys(disabled).length ? { ...reg.map, disabled } : undefined;
      notify();
    },
    setLoading(handler, loading) {
      const reg = regs.current.find((r) => r.handler === handler);
      if (!reg || !!reg.loading === loading) return;
      reg.loading = loading;
      if (!loading) resume.current();
    },
    activeMaps(aboveModal = false) {
      let maps = cache.current.get(aboveModal);
      if (!maps) {
        let regsInForce = sorted();
        if (aboveModal) {
          const firstModal = regsInForce.findIndex((r) => r.modal);
          if (firstModal >= 0) regsInForce = regsInForce.filter((r, i) => i <= firstModal || r.map.context === 'global');
        }
        // Beneath a text field, a binding on a printable key is typed instead: not offered.
        const field = regsInForce.findIndex((r) => r.takesText);
        const inForce = (r: Registration, i: number): Keymap => {
          const m = r.shown ?? r.map;
          return field < 0 || i <= field || m.context === 'global' ? m : withoutTypedKeys(m);
        };
        const seen = new Set<string>();
        const unique = regsInForce.map(inForce).filter((m) => (seen.has(m.context) ? false : (seen.add(m.context), true)));
        const own = unique.filter((m) => m.context !== 'global' && !m.ambient);
        maps = [...own, ...unique.filter((m) => m.ambient), ...unique.filter((m) => m.context === 'global')];
        // The same maps as last time are the same snapshot: the footer does not render again.
        const before = shownBefore.current.get(aboveModal);
        if (before && before.length === maps.length && before.every((m, i) => m === maps![i])) maps = before;
        shownBefore.current.set(aboveModal, maps);
        cache.current.set(aboveModal, maps);
      }
      return maps;
    },
    subscribe(fn) {
      listeners.current.add(fn);
      return () => listeners.current.delete(fn);
    },
    keySeq: () => seq.current,
    keyNow: () => keyNow.current,
    subscribeKeys(fn) {
      keyListeners.current.add(fn);
      return () => keyListeners.current.delete(fn);
    },
  });

  // Runs after every view's layout effects of the first commit: early registrations no view
  // adopted (a render that was not committed) are dropped, and changes are told from now on.
  useLayoutEffect(() => {
    for (const reg of early.current) regs.current = regs.current.filter((x) => x !== reg);
    early.current.clear();
    started.current = true;
    notify();
  }, []);

  useEffect(() => {
    if (!isRawModeSupported) return;
    setRawMode(true);
    return () => setRawMode(false);
  }, [isRawModeSupported, setRawMode]);

  // The one reader of the keyboard: every input event Ink emits goes through one KeyReader
  // (keys.ts) and its keys are handed out in order. Keys of one read (a paste without marks, a
  // fast typist, "3\r", a held Backspace) are handed out one per turn of the event loop, so the
  // view the first key opens has rendered and registered before the next.
  useLayoutEffect(() => {
    const reader = new KeyReader();
    const pending: KeyPress[] = [];
    let draining = false;
    let heldSince: number | null = null;
    const drain = () => {
      // A view in force is still reading its rows (a list on a database): its keys wait for
      // them, as typed ahead, so Down and Enter pressed at once act on the list that comes. Never
      // for more than a second: a store that does not answer must not take the keyboard away.
      if (pending.length > 0 && regs.current.some((r) => r.loading)) {
        heldSince ??= Date.now();
        if (Date.now() - heldSince < HOLD_KEYS_MAX_MS) {
          draining = false;
          setTimeout(() => {
            if (!draining && pending.length > 0) {
              draining = true;
              drain();
            }
          }, HOLD_KEYS_MAX_MS - (Date.now() - heldSince));
          return;
        }
      }
      heldSince = null;
      const key = pending.shift();
      if (key === undefined) {
        draining = false;
        return;
      }
      seq.current++;
      keyNow.current = key.name;
      for (const r of sorted()) if (r.handler.current(key.name, key.text)) break;
      for (const fn of [...keyListeners.current]) fn();
      setTimeout(drain, 0);
    };
    resume.current = () => {
      if (!draining && pending.length > 0) {
        draining = true;
        setTimeout(drain, 0);
      }
    };
    const onInput = (data: string) => {
      pending.push(...reader.push(data));
      if (!draining && pending.length > 0) {
        draining = true;
        drain();
      }
    };
    internal_eventEmitter.on('input', onInput);
    return () => {
      internal_eventEmitter.off('input', onInput);
    };
  }, [internal_eventEmitter]);

  return <RouterContext.Provider value={router.current}>{children}</RouterContext.Provider>;
}

/**
 * A keymap without its bindings on printable keys (a text field above it types them). The same
 * map gives the same object, so the footer's snapshot of the maps in force stays the same.
 */
const typedKeysOut = new WeakMap<Keymap, Keymap>();
function withoutTypedKeys(m: Keymap): Keymap {
  let out = typedKeysOut.get(m);
  if (!out) {
    const bindings = m.bindings.filter((b) => !b.keys.every((k) => [...k].length === 1));
    out = bindings.length === m.bindings.length ? m : { ...m, bindings };
    typedKeysOut.set(m, out);
  }
  return out;
}

export interface KeymapOptions {
  priority?: number;
  active?: boolean;
  /** A modal swallows every key it does not handle, so nothing beneath it reacts. */
  modal?: boolean;
  /**
   * The focused text field this keymap serves (use-text-field.ts): it sees each key first and
   * returns true for the keys it takes (its text, Backspace, Ctrl+U, the cursor moves while it
   * holds text), so a binding on one of those keys is there for help only, or acts when the field
   * does not take the key (← in an empty Date field steps the day).
   */
  field?: (key: string, text?: string) => boolean;
  /**
   * This keymap is a text field's: the printable keys it types never reach the keymaps beneath,
   * so the footer and help leave their bindings on such keys out while it is active.
   */
  takesText?: boolean;
  /** Bindings unavailable now, by id, with the reason (null or absent: available). */
  disabled?: Record<string, string | null | undefined | false>;
  /** Told the reason when an unavailable binding's key is pressed. */
  onDisabled?: (reason: string) => void;
  /**
   * The view's rows are still being read from the store: keys typed meanwhile wait (at most a
   * second) and reach the view once they are there, instead of acting on an empty list.
   */
  loading?: boolean;
}

/**
 * Binds a keymap table to handlers. Every handler must name an entry of the table, so the help
 * overlay and the footer can never miss a key the view handles.
 */
export function useKeymap(map: Keymap, handlers: Record<string, () => unknown>, opts: KeymapOptions = {}): void {
  for (const id of Object.keys(handlers)) {
    if (!map.bindings.some((b) => b.id === id)) {
      throw new Error(`keymap "${map.context}" has no entry "${id}"; add it to src/screens/keymaps.ts`);
    }
  }
  const router = useContext(RouterContext);
  const handlerRef = useRef<Handler>(() => false);
  const disabled: Record<string, string> = {};
  for (const [id, reason] of Object.entries(opts.disabled ?? {})) if (reason) disabled[id] = reason;
  handlerRef.current = (key: string, text?: string) => {
    if (opts.field?.(key, text)) return true;
    const b = bindingFor(map, key);
    const h = b && handlers[b.id];
    if (b && disabled[b.id]) {
      opts.onDisabled?.(disabled[b.id]);
      return true;
    }
    if (h) {
      // An engine command answers later (the store's transaction): its handler says the answer
      // itself; a failure no command expected is not swallowed.
      void Promise.resolve(h()).catch((e: unknown) => setImmediate(() => {
        throw e;
      }));
      return true;
    }
    return opts.modal ?? false;
  };
  const active = opts.active ?? true;
  const priority = opts.priority ?? 0;
  // On the first frame, registered while rendering, so the footer shows it in that frame.
  const early = useRef<Registration | null>(null);
  if (router && active && !early.current) {
    early.current = router.registerEarly({ map, shown: Object.keys(disabled).length ? { ...map, disabled } : undefined, modal: opts.modal ?? false, priority, handler: handlerRef, takesText: opts.takesText });
  }
  // A layout effect registers synchronously with the render that made the view active, so the
  // next key of the same input chunk ("4mar" typed fast) already reaches it.
  useLayoutEffect(() => {
    if (!router || !active) return;
    const registered = early.current;
    if (registered) {
      early.current = null;
      return router.adopt(registered);
    }
    return router.register({ map, modal: opts.modal ?? false, priority, handler: handlerRef, takesText: opts.takesText });
  }, [router, active, priority, map, opts.modal, opts.takesText]);
  const loading = !!opts.loading && active;
  useLayoutEffect(() => {
    if (router && active) router.setLoading(handlerRef, loading);
  }, [router, active, loading]);
  const disabledKey = JSON.stringify(disabled);
  useLayoutEffect(() => {
    if (router && active) router.setDisabled(handlerRef, JSON.parse(disabledKey) as Record<string, string>);
  }, [router, active, priority, map, opts.modal, disabledKey]);
}

/** The number of keys handled so far; re-renders on every key. */
export function useKeySeq(): number {
  const router = useContext(RouterContext);
  return useSyncExternalStore(
    useCallback((fn: () => void) => (router ? router.subscribeKeys(fn) : () => {}), [router]),
    () => (router ? router.keySeq() : 0),
  );
}

/** The key being handed out now, for a handler whose entry has many keys (1-9 in a list). */
export function useKeyNow(): () => string {
  const router = useContext(RouterContext);
  return useCallback(() => (router ? router.keyNow() : ''), [router]);
}

/** The router's key count now, without subscribing (for stamping a notice). */
export function useKeySeqRef(): () => number {
  const router = useContext(RouterContext);
  return useCallback(() => (router ? router.keySeq() : 0), [router]);
}

/** The keymaps in force now, highest priority first. */
export function useActiveKeymaps(aboveModal = false): Keymap[] {
  const router = useContext(RouterContext);
  return useSyncExternalStore(
    useCallback((fn: () => void) => (router ? router.subscribe(fn) : () => {}), [router]),
    () => (router ? router.activeMaps(aboveModal) : []),
  );
}
