import { Box } from 'ink';
import { Text } from './text.js';
import { useKeymap } from '../keypress.js';
import { CONFIRM_QUIT } from '../keymaps.js';
import { useTheme } from '../theme.js';

export function ConfirmQuit({ onYes, onNo, warning, persistent = true }: { onYes: () => void; onNo: () => void; warning?: string; persistent?: boolean }) {
  const theme = useTheme();
  useKeymap(CONFIRM_QUIT, { yes: onYes, no: onNo }, { priority: 100, modal: true });
  return (
    <Box flexDirection="column" borderStyle="double" borderColor={theme.fg('warning')} paddingX={2} paddingY={1}>
      <Text bold>Quit callback-desk?</Text>
      {warning ? <Text color={theme.fg('warning')}>⚠ {warning}</Text> : null}
      <Text>{persistent ? 'Everything you committed is saved. The simulation resumes from here next time.' : 'This run keeps nothing (it lives in memory only): quitting ends it.'}</Text>
      <Text>
        <Text bold>y</Text> quit    <Text bold>n</Text> stay
      </Text>
    </Box>
  );
}
