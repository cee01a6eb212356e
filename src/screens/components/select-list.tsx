import { Box } from 'ink';
import { Text } from './text.js';
import { useTheme } from '../theme.js';
import type { SelectList as SelectListInput } from './use-select-list.js';

export type { SelectItem } from './use-select-list.js';

/**
 * A list to choose from, drawn (the state is select-list-state.ts, the keys use-select-list.ts):
 * the highlighted entry is marked "›" and in inverse video while the list has the focus, so it
 * reads without colour.
 */
export function SelectList<V>({ list, focused = true }: { list: SelectListInput<V>; focused?: boolean }) {
  const theme = useTheme();
  return (
    <Box flexDirection="column">
      {list.visible.map((item, i) => {
        const isSelected = i === list.selected;
        return (
          <Box key={item.key ?? String(item.value)}>
            <Text>{isSelected && focused ? '› ' : '  '}</Text>
            <Text inverse={isSelected && focused} color={isSelected ? theme.fg('focus') : undefined} wrap="truncate">
              {item.label}
            </Text>
          </Box>
        );
      })}
    </Box>
  );
}
