import { describe, expect, it } from 'vitest';
import { moveSelection, selectListState, visibleItems, type SelectListState } from '../../src/screens/components/select-list-state.js';

const items = ['a', 'b', 'c', 'd', 'e', 'f'];
function moves(list: string[], limit: number | undefined, initial: number, keys: ('up' | 'down')[]) {
  let s: SelectListState = selectListState(list.length, limit, initial);
  for (const k of keys) s = moveSelection(s, k, list.length, limit);
  const shown = visibleItems(list, s, limit);
  return { shown: shown.join(''), highlighted: shown[s.selected] };
}

describe('a list to choose from, key by key (the reducer, without Ink)', () => {
  it('moves down and up, wrapping at both ends of a short list', () => {
    expect(moves(items, undefined, 0, ['down', 'down'])).toEqual({ shown: 'abcdef', highlighted: 'c' });
    expect(moves(items, undefined, 0, ['up'])).toEqual({ shown: 'abcdef', highlighted: 'f' });
    expect(moves(items, undefined, 5, ['down'])).toEqual({ shown: 'abcdef', highlighted: 'a' });
  });

  it('scrolls a long list under its window, as ink-select-input did', () => {
    expect(moves(items, 4, 0, ['down', 'down', 'down'])).toEqual({ shown: 'abcd', highlighted: 'd' });
    expect(moves(items, 4, 0, ['down', 'down', 'down', 'down'])).toEqual({ shown: 'bcde', highlighted: 'e' });
    expect(moves(items, 4, 0, ['down', 'down', 'down', 'down', 'up'])).toEqual({ shown: 'bcde', highlighted: 'd' });
    expect(moves(items, 4, 0, ['up'])).toEqual({ shown: 'fabc', highlighted: 'f' });
  });

  it('opens on the given entry, the window scrolled to show it', () => {
    expect(moves(items, 4, 2, [])).toEqual({ shown: 'abcd', highlighted: 'c' });
    expect(moves(items, 4, 5, [])).toEqual({ shown: 'cdef', highlighted: 'f' });
  });
});
