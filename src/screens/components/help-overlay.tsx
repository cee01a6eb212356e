import { useState } from 'react';
import { Box, Text } from 'ink';
import { useActiveKeymaps, useKeymap } from '../keypress.js';
import { HELP, keyLabel, type Keymap } from '../keymaps.js';
import { useTheme } from '../theme.js';
import { clipWords } from '../text-fit.js';

/** Every key in force, grouped as this view, its parents, and global; built from the keymaps. */
export function helpLines(maps: Keymap[]): { heading: boolean; text: string }[] {
  const lines: { heading: boolean; text: string }[] = [];
  maps
    .filter((m) => m.context !== HELP.context)
    .forEach((m, i) => {
      if (i > 0) lines.push({ heading: false, text: '' });
      lines.push({ heading: true, text: i === 0 ? `This view: ${m.title}` : m.title });
      for (const b of m.bindings) {
        const off = m.disabled?.[b.id];
        lines.push({ heading: false, text: `  ${keyLabel(b).padEnd(18)} ${off ? `(${b.description}: not now, ${off})` : b.description}` });
      }
    });
  return lines;
}

export function HelpOverlay({ onClose, width, height }: { onClose: () => void; width: number; height: number }) {
  const maps = useActiveKeymaps();
  const theme = useTheme();
  const [top, setTop] = useState(0);
  const lines = helpLines(maps);
  const bodyHeight = Math.max(1, height - 4);
  const maxTop = Math.max(0, lines.length - bodyHeight);
  useKeymap(
    HELP,
    {
      close: onClose,
      up: () => setTop((t) => Math.max(0, t - 1)),
      down: () => setTop((t) => Math.min(maxTop, t + 1)),
    },
    { priority: 100, modal: true },
  );
  return (
    <Box flexDirection="column" borderStyle="double" borderColor={theme.fg('accent')} width={width} height={height} paddingX={1}>
      <Text bold>
        Keyboard help{lines.length > bodyHeight ? `  (↑/↓ scroll, ${top + 1}-${Math.min(lines.length, top + bodyHeight)} of ${lines.length})` : ''}
      </Text>
      {lines.slice(top, top + bodyHeight).map((l, i) => (
        <Text key={i} bold={l.heading} color={l.heading ? theme.fg('accent') : undefined} wrap="truncate">
          {clipWords(l.text, width - 4) || ' '}
        </Text>
      ))}
    </Box>
  );
}
