import { useState } from 'react';
import { Box } from 'ink';
import { Text } from './text.js';
import { useKeymap } from '../keypress.js';
import { DROPDOWN_LIST, FIELD_DROPDOWN } from '../keymaps.js';
import { FieldRow } from './fields.js';
import { SelectList } from './select-list.js';
import { useSelectList } from './use-select-list.js';

export interface DropdownItem<V> {
  key: string;
  label: string;
  value: V;
}

/**
 * A drop-down field (WDE's Phone, callback type): "‹ value ›" in the form; ←/→ step through
 * the choices, Enter (space, F4) opens the list under the field, where ↑/↓ and Enter choose.
 */
export function Dropdown<V>({
  label,
  items,
  selected,
  focused,
  onChange,
  labelWidth,
  suffix,
  maxRows = 6,
  onRows,
  showPosition = false,
}: {
  label: string;
  items: DropdownItem<V>[];
  selected: number;
  focused: boolean;
  onChange: (index: number) => void;
  labelWidth?: number;
  suffix?: string;
  maxRows?: number;
  /** Told how many rows the open list takes (0 when closed), so the form can make room. */
  onRows?: (rows: number) => void;
  /** "1/2" before the value: for lists whose entries all look alike (a chain's numbers). */
  showPosition?: boolean;
}) {
  const [open, setOpenState] = useState(false);
  const setOpen = (o: boolean) => {
    setOpenState(o);
    onRows?.(o ? Math.min(maxRows, items.length) : 0);
  };
  const step = (d: number) => items.length > 0 && onChange((selected + d + items.length) % items.length);
  useKeymap(FIELD_DROPDOWN, { prevChoice: () => step(-1), nextChoice: () => step(1), open: () => setOpen(true) }, { priority: 65, active: focused && !open });
  const current = items[selected];
  return (
    <Box flexDirection="column">
      <FieldRow label={label} focused={focused} width={labelWidth}>
        {/* The place in the list comes first: a long entry may be cut at the right edge. */}
        <Text inverse={focused && !open}>
          ‹ {showPosition && items.length > 1 ? `${selected + 1}/${items.length} ` : ''}
          {current?.label ?? '—'} ›
        </Text>
        {suffix ? <Text>{suffix}</Text> : null}
      </FieldRow>
      {open && focused ? (
        <Box marginLeft={(labelWidth ?? 8) + 3}>
          <DropdownList
            items={items}
            selected={selected}
            rows={Math.min(maxRows, items.length)}
            onChoose={(i) => {
              onChange(i);
              setOpen(false);
            }}
            onClose={() => setOpen(false)}
          />
        </Box>
      ) : null}
    </Box>
  );
}

/** The open list of a drop-down: it starts on the value and takes the list's keys until closed. */
function DropdownList<V>({ items, selected, rows, onChoose, onClose }: { items: DropdownItem<V>[]; selected: number; rows: number; onChoose: (index: number) => void; onClose: () => void }) {
  const list = useSelectList({ items, initialIndex: selected, limit: rows, onSelect: (i) => onChoose(Math.max(0, items.findIndex((x) => x.key === i.key))) });
  useKeymap(DROPDOWN_LIST, { ...list.keys, close: onClose }, { priority: 75, modal: true });
  return <SelectList list={list} />;
}
