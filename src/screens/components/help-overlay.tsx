import { useState } from 'react';
import { Box } from 'ink';
import { Text } from './text.js';
import { useActiveKeymaps, useKeymap } from '../keypress.js';
import { HELP, keyLabel, type Keymap } from '../keymaps.js';
import { useTheme } from '../theme.js';

/** Every key in force, grouped as this view, its parents, and global; built from the keymaps. */
export function helpLines(maps: Keymap[]): { heading: boolean; text: string }[] {
  const lines: { heading: boolean; text: string }[] = [];
  // A key bound by a map listed earlier (or the global map, which comes first) is that map's
  // here: it is left out of the later binding, which is marked when it has no key left.
  const shown = maps.filter((m) => m.context !== HELP.context);
  const owner = new Map<string, string>();
  for (const m of shown.filter((x) => x.context === 'global')) for (const b of m.bindings) for (const k of b.keys) owner.set(k, m.title);
  shown.forEach((m, i) => {
    if (i > 0) lines.push({ heading: false, text: '' });
    lines.push({ heading: true, text: i === 0 ? `This view: ${m.title}` : m.title });
    const mine = new Map<string, string>();
    for (const b of m.bindings) {
      const off = m.disabled?.[b.id];
      const taken = m.context === 'global' ? [] : b.keys.filter((k) => owner.has(k));
      const keys = b.keys.filter((k) => !taken.includes(k));
      for (const k of b.keys) if (!owner.has(k)) mine.set(k, m.title);
      const label = keys.length ? keyLabel({ ...b, keys }) : keyLabel(b);
      const text = keys.length === 0 ? `(${b.description}: not here, ${taken.join(', ')} ${taken.length > 1 ? 'are' : 'is'} ${owner.get(taken[0])}'s)` : off ? `(${b.description}: not now, ${off})` : b.description;
      lines.push({ heading: false, text: `  ${label.padEnd(18)} ${text}` });
    }
    for (const [k, title] of mine) owner.set(k, title);
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
