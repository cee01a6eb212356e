import { useCallback, useState } from 'react';
import { printable } from './keys.js';

/**
 * Applies a key to a single-line text value; null when the key is not an edit. "?" is never
 * text: no field here needs it, and it opens help from every field.
 */
export function editText(value: string, key: string, maxLength = 80): string | null {
  if (key === '?') return null;
  if (key === 'backspace') return value.slice(0, -1);
  if (key === 'ctrl+u') return '';
  const ch = printable(key);
  if (ch !== null) return value.length < maxLength ? value + ch : value;
  return null;
}

/**
 * A text field's value and its key handler. A fast typist's (or a paste's) keys arrive in one
 * chunk before React re-renders, so edits go through functional updates, never a stale value.
 */
/** What a time field takes: digits, am/pm, and a zone or offset ("15:30 UTC", "10:00 Europe/Berlin", "14:00 +0900"). */
export const TIME_CHAR = /^[\w:+\-/. ]$/;

export function useTextField(initial = '', maxLength = 80): [string, (v: string) => void, (key: string) => boolean] {
  const [value, setValue] = useState(initial);
  const onKey = useCallback(
    (key: string) => {
      if (editText('', key, maxLength) === null) return false;
      setValue((v) => editText(v, key, maxLength) ?? v);
      return true;
    },
    [maxLength],
  );
  return [value, setValue, onKey];
}
