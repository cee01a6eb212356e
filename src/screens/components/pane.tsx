import type { ReactNode } from 'react';

import { Box } from 'ink';
import { Text } from './text.js';
import { useTheme } from '../theme.js';

/**
 * A titled, bordered view. The focused one has a double border and a ▸ before its title, so
 * focus reads without colour.
 */
export function Pane({
  title,
  focused,
  width,
  height,
  children,
  hint,
  flexGrow,
}: {
  title: string;
  focused: boolean;
  width?: number | string;
  height: number;
  children: ReactNode;
  hint?: string;
  flexGrow?: boolean;
}) {
  const theme = useTheme();
  return (
    <Box
      flexDirection="column"
      borderStyle={focused ? 'double' : 'single'}
      borderColor={focused ? theme.fg('focus') : theme.fg('muted')}
      width={width}
      height={height}
      flexGrow={flexGrow ? 1 : 0}
      flexShrink={0}
      paddingX={1}
      overflow="hidden"
    >
      <Box>
        <Text bold color={focused ? theme.fg('focus') : undefined} wrap="truncate">
          {focused ? '▸ ' : '  '}
          {title}
        </Text>
        {hint ? (
          <Text color={theme.fg('muted')} wrap="truncate">
            {'  '}
            {hint}
          </Text>
        ) : null}
      </Box>
      {children}
    </Box>
  );
}

/** One row of a list: the selected row is marked with › and inverse video. */
export function ListRow({ selected, focused, children }: { selected: boolean; focused: boolean; children: ReactNode }) {
  return (
    <Text inverse={selected && focused} wrap="truncate">
      {selected ? '› ' : '  '}
      {children}
    </Text>
  );
}

/** Keeps the selected index visible in a window of `height` rows. */
export function visibleWindow<T>(items: T[], selected: number, height: number): { start: number; items: T[] } {
  if (items.length <= height) return { start: 0, items };
  const start = Math.min(Math.max(0, selected - Math.floor(height / 2)), items.length - height);
  return { start, items: items.slice(start, start + height) };
}

export function clampIndex(i: number, length: number): number {
  return length === 0 ? 0 : Math.max(0, Math.min(length - 1, i));
}
