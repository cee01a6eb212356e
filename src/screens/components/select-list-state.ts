/**
 * A list to choose from (the Action menu, drop-downs, the zone matches): which entry is
 * highlighted and which part of a long list shows, as a pure reducer. It moves as
 * ink-select-input moved (the list rotates under a window of `limit` rows, wrapping at both
 * ends), so the screens read as they did, but every key of a burst ("↓ ↓ Enter" in one read)
 * is applied to the state the key before it left. The input hook is use-select-list.ts, the view
 * select-list.tsx.
 */
export interface SelectListState {
  /** Steps the items are rotated by (a long list scrolled past its window). */
  rotate: number;
  /** The highlighted row of the window. */
  selected: number;
}

export type SelectMove = 'up' | 'down';

/** Rows shown: `limit` when the list is longer, else every item. */
export function windowRows(count: number, limit: number | undefined): number {
  return limit !== undefined && count > limit ? limit : count;
}

export function selectListState(count: number, limit: number | undefined, initialIndex: number): SelectListState {
  const last = windowRows(count, limit) - 1;
  const i = Math.max(0, initialIndex);
  return { rotate: i > last ? last - i : 0, selected: i === 0 ? 0 : Math.min(i, last) };
}

export function moveSelection(state: SelectListState, move: SelectMove, count: number, limit: number | undefined): SelectListState {
  const rows = windowRows(count, limit);
  if (rows === 0) return state;
  const scrolls = rows < count;
  if (move === 'up') {
    if (state.selected > 0) return { ...state, selected: state.selected - 1 };
    // At the top: a long list scrolls by one; a short one wraps to its last entry.
    return scrolls ? { ...state, rotate: state.rotate + 1 } : { ...state, selected: rows - 1 };
  }
  if (state.selected < rows - 1) return { ...state, selected: state.selected + 1 };
  return scrolls ? { ...state, rotate: state.rotate - 1 } : { ...state, selected: 0 };
}

/** The items in the window, in the order drawn. */
export function visibleItems<T>(items: T[], state: SelectListState, limit: number | undefined): T[] {
  const rows = windowRows(items.length, limit);
  if (rows === items.length) return items;
  const steps = ((state.rotate % items.length) + items.length) % items.length;
  const rotated = steps === 0 ? items : [...items.slice(-steps), ...items.slice(0, -steps)];
  return rotated.slice(0, rows);
}
