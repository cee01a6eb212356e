import { useState } from 'react';
import { Box, Text } from 'ink';
import { useActiveKeymaps, useKeymap } from '../keypress.js';
import { HELP, keyLabel, type Keymap } from '../keymaps.js';
import { useTheme } from '../theme.js';

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

/** A help line fitted to `width`: cut between words, the rest on lines indented under the description. */
export function wrapHelpLine(l: { heading: boolean; text: string }, width: number): { heading: boolean; text: string }[] {
  if (l.text.length <= width) return [l];
  const indent = l.heading ? '' : ' '.repeat(21);
  const out: { heading: boolean; text: string }[] = [];
  let rest = l.text;
  while (rest.length > width) {
    let cut = rest.lastIndexOf(' ', width);
    if (cut <= indent.length) cut = width;
    out.push({ heading: l.heading, text: rest.slice(0, cut) });
    rest = indent + rest.slice(cut).trimStart();
  }
  out.push({ heading: l.heading, text: rest });
  return out;
}

export function HelpOverlay({ onClose, width, height }: { onClose: () => void; width: number; height: number }) {
  const maps = useActiveKeymaps();
  const theme = useTheme();
  const [top, setTop] = useState(0);
  // Long descriptions wrap under themselves instead of being cut: nothing in help is hidden.
  const lines = helpLines(maps).flatMap((l) => wrapHelpLine(l, width - 4));
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
          {l.text || ' '}
        </Text>
      ))}
    </Box>
  );
}
