import type { ReactNode } from 'react';
import { Box } from 'ink';
import { Text } from './text.js';
import { MIN_COLUMNS, MIN_ROWS } from '../terminal-size.js';

/** What a screen shows below 80x24 until the window grows (the desktop's and the supervisor's). */
export function TooSmall({ columns, rows, children }: { columns: number; rows: number; children?: ReactNode }) {
  return (
    <Box flexDirection="column">
      <Text bold>
        terminal too small (needs {MIN_COLUMNS}x{MIN_ROWS})
      </Text>
      <Text>
        now {columns}x{rows}; resize the window to continue, or ctrl+c to quit
      </Text>
      {children}
    </Box>
  );
}
