import { useReducer, useRef } from 'react';
import { useKeyNow } from '../keypress.js';
import { isDeepStrictEqual } from 'node:util';
import { moveSelection, selectListState, visibleItems, type SelectListState } from './select-list-state.js';

export interface SelectItem<V> {
  key?: string;
  label: string;
  value: V;
}

export interface SelectList<V> {
  /** The items in the window, in the order drawn, and which of them is highlighted. */
  visible: SelectItem<V>[];
  selected: number;
  /** Handlers for the LIST_KEYS entries of the view's keymap (keymaps.ts): ↑/k, ↓/j, Enter, 1-9. */
  keys: { up: () => void; down: () => void; choose: () => void; number: () => void };
}

/**
 * The input side of a list (the reducer is select-list-state.ts, the view select-list.tsx): the
 * view that shows the list puts `keys` in its keymap, so the list's keys come from the router
 * like every other key. A list given other items (the zone matches as the agent types) starts
 * again at the top.
 */
export function useSelectList<V>({ items, initialIndex = 0, limit, onSelect }: { items: SelectItem<V>[]; initialIndex?: number; limit?: number; onSelect: (item: SelectItem<V>) => void }): SelectList<V> {
  const values = items.map((i) => i.value);
  // Kept in a ref: the keys of one read each see the move of the key before.
  const current = useRef<{ values: V[]; state: SelectListState } | null>(null);
  if (!current.current) current.current = { values, state: selectListState(items.length, limit, initialIndex) };
  else if (!isDeepStrictEqual(current.current.values, values)) current.current = { values, state: { rotate: 0, selected: 0 } };
  const [, redraw] = useReducer((n: number) => n + 1, 0);
  const keyNow = useKeyNow();
  const latest = useRef({ items, limit, onSelect });
  latest.current = { items, limit, onSelect };
  const list = current.current;
  const shown = () => visibleItems(latest.current.items, list.state, latest.current.limit);
  const pick = (item: SelectItem<V> | undefined) => item && latest.current.onSelect(item);
  const move = (m: 'up' | 'down') => {
    const next = moveSelection(list.state, m, latest.current.items.length, latest.current.limit);
    if (next === list.state) return;
    list.state = next;
    redraw();
  };
  return {
    visible: visibleItems(items, list.state, limit),
    selected: list.state.selected,
    keys: {
      up: () => move('up'),
      down: () => move('down'),
      choose: () => pick(shown()[list.state.selected]),
      number: () => pick(shown()[Number(keyNow()) - 1]),
    },
  };
}
