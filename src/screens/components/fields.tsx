import type { ReactNode } from 'react';

import { Text } from './text.js';
import { useTheme } from '../theme.js';

/** A form row: the focused one is marked with › and its value in inverse video. */
export function FieldRow({ label, focused, children, width = 8 }: { label: string; focused: boolean; children: ReactNode; width?: number }) {
  return (
    <Text wrap="truncate">
      {focused ? '› ' : '  '}
      <Text bold={focused}>{label.padEnd(width)}</Text> {children}
    </Text>
  );
}

export function Checkbox({ checked, label, focused, locked }: { checked: boolean; label: string; focused: boolean; locked?: string }) {
  const theme = useTheme();
  return (
    <Text wrap="truncate">
      {focused ? '› ' : '  '}
      <Text inverse={focused}>[{checked ? 'x' : ' '}]</Text> <Text bold={focused}>{label}</Text>
      {locked ? <Text color={theme.fg('muted')}> ({locked})</Text> : null}
    </Text>
  );
}

/** An editable value: the text being typed with a caret, or the current value. */
export function EditValue({ text, editing, focused, placeholder }: { text: string; editing: boolean; focused: boolean; placeholder?: string }) {
  const theme = useTheme();
  if (editing) return <Text inverse={focused}>{text}▏</Text>;
  return <Text inverse={focused}>{text || <Text color={theme.fg('muted')}>{placeholder ?? ' '}</Text>}</Text>;
}

export function Notice({ kind, children }: { kind: 'ok' | 'warning' | 'error' | 'info'; children: ReactNode }) {
  const theme = useTheme();
  const glyph = kind === 'ok' ? '✓' : kind === 'warning' ? '⚠' : kind === 'error' ? '✕' : '·';
  const token = kind === 'ok' ? 'success' : kind === 'warning' ? 'warning' : kind === 'error' ? 'error' : 'muted';
  return (
    <Text color={theme.fg(token)} wrap="wrap">
      {glyph} {children}
    </Text>
  );
}
