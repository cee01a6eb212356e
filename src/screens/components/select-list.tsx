import { useContext } from 'react';
import { Text } from './text.js';
import SelectInput from 'ink-select-input';
import { useTheme } from '../theme.js';
import { InputLive } from './text-field.js';

/**
 * Handlers for a SelectList's keys in the view's keymap (LIST_KEYS): the list moves and chooses
 * itself (ink-select-input reads the keys); the router only names them for the footer and help.
 */
export const LIST_MOVES = { up: () => {}, down: () => {}, choose: () => {}, number: () => {} };

export interface SelectItem<V> {
  key?: string;
  label: string;
  value: V;
}

/**
 * A list to choose from, on ink-select-input: ↑/↓ (or k/j) move, Enter chooses, 1-9 choose
 * directly. Drawn in our theme: the highlighted entry is marked "›" and in inverse video, so it
 * reads without colour; ink-select-input's own blue is not used. The view registers the keys
 * with the router (for the footer and help) and lets the list move.
 */
export function SelectList<V>({
  items,
  onSelect,
  onHighlight,
  initialIndex = 0,
  limit,
  focused = true,
}: {
  items: SelectItem<V>[];
  onSelect: (item: SelectItem<V>) => void;
  onHighlight?: (item: SelectItem<V>) => void;
  initialIndex?: number;
  limit?: number;
  focused?: boolean;
}) {
  const live = useContext(InputLive);
  const theme = useTheme();
  return (
    <SelectInput<V>
      items={items.map((i) => ({ key: i.key ?? String(i.value), label: i.label, value: i.value }))}
      initialIndex={Math.max(0, initialIndex)}
      limit={limit}
      isFocused={focused && live}
      onSelect={(i) => onSelect(i as SelectItem<V>)}
      onHighlight={onHighlight ? (i) => onHighlight(i as SelectItem<V>) : undefined}
      indicatorComponent={({ isSelected }) => <Text>{isSelected && focused ? '› ' : '  '}</Text>}
      itemComponent={({ isSelected, label }) => (
        <Text inverse={isSelected && focused} color={isSelected ? theme.fg('focus') : undefined} wrap="truncate">
          {label}
        </Text>
      )}
    />
  );
}
