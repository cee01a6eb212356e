import { useState } from 'react';
import { Box } from 'ink';
import { Text } from '../components/text.js';
import { useKeymap } from '../keypress.js';
import { CONFIRM, PICK_LIST, RECORD_EDIT } from '../keymaps.js';
import { TextField } from '../components/text-field.js';
import { useTextFields } from '../components/use-text-field.js';
import { useTheme } from '../theme.js';
import { clampIndex } from '../components/pane.js';
import { SelectList } from '../components/select-list.js';
import { useSelectList } from '../components/use-select-list.js';
import { Notice } from '../components/fields.js';

export function PickList<T extends { key: string; label: string }>({ title, items, current, onChoose, onCancel }: { title: string; items: T[]; current?: string | null; onChoose: (item: T) => void; onCancel: () => void }) {
  const list = useSelectList({
    items: items.map((it) => ({ key: it.key, label: `${it.key === current ? '● ' : '  '}${it.label}`, value: it })),
    initialIndex: items.findIndex((i) => i.key === current),
    onSelect: (i) => onChoose(i.value),
  });
  useKeymap(PICK_LIST, { ...list.keys, cancel: onCancel }, { priority: 60, modal: true });
  return (
    <Box flexDirection="column" borderStyle="round" paddingX={1}>
      <Text bold>{title}</Text>
      <SelectList list={list} />
    </Box>
  );
}

const RECORD_FIELD = { maxLength: 60 };

/** Update customer record: the campaign's custom fields, edited in place. */
export function RecordEditor({ fields, onSave, onCancel }: { fields: Record<string, string>; onSave: (f: Record<string, string>) => Promise<string | null>; onCancel: () => void }) {
  const theme = useTheme();
  const names = Object.keys(fields);
  const { states, keys } = useTextFields(fields, RECORD_FIELD);
  const [sel, setSel] = useState(0);
  const [error, setError] = useState<string | null>(null);
  useKeymap(
    RECORD_EDIT,
    {
      up: () => setSel((s) => clampIndex(s - 1, names.length)),
      down: () => setSel((s) => clampIndex(s + 1, names.length)),
      save: async () => setError(await onSave(Object.fromEntries(names.map((n) => [n, states[n].value])))),
      cancel: onCancel,
    },
    // The focused field takes its keys (Backspace, ←/→, Ctrl+U...); the rest are the form's.
    { priority: 60, modal: true, field: (key, text) => names.length > 0 && keys(names[sel], key, text) },
  );
  return (
    <Box flexDirection="column" borderStyle="round" paddingX={1}>
      <Text bold>Update customer record</Text>
      {names.map((n, i) => (
        <Text key={n} wrap="truncate">
          {i === sel ? '› ' : '  '}
          {n.padEnd(14)}{' '}
          <TextField {...states[n]} focused={i === sel} placeholder={i === sel ? '' : '—'} />
          {states[n].value !== fields[n] ? <Text color={theme.fg('warning')}> (changed)</Text> : null}
        </Text>
      ))}
      {error ? <Notice kind="error">{error}</Notice> : null}
    </Box>
  );
}

export function Confirm({ question, onYes, onNo }: { question: string; onYes: () => void; onNo: () => void }) {
  const theme = useTheme();
  useKeymap(CONFIRM, { yes: onYes, no: onNo }, { priority: 60, modal: true });
  return (
    <Box borderStyle="round" borderColor={theme.fg('warning')} paddingX={1}>
      <Text>
        {question} <Text bold>y</Text>/<Text bold>n</Text>
      </Text>
    </Box>
  );
}
