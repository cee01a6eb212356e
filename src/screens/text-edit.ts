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

/** What a time field takes: digits, am/pm, and a zone or offset ("15:30 UTC", "10:00 Europe/Berlin", "14:00 +0900"). */
export const TIME_CHAR = /^[\w:+\-/. ]$/;

/** Keys a focused text field keeps for itself: ink-text-input edits with them. */
const EDIT_KEYS = new Set(['backspace', 'delete', 'left', 'right', 'paste']);

/** Whether a key belongs to a focused text field (so no other binding may act on it). */
export function isFieldKey(key: string): boolean {
  return key !== '?' && (EDIT_KEYS.has(key) || printable(key) !== null);
}

export interface TextFieldBinding {
  value: string;
  onChange: (v: string) => void;
  maxLength: number;
  accept?: RegExp;
}

/**
 * A text field's value, a setter, the router's key test and the props of its <TextField>.
 * ink-text-input does the editing; the key test only claims the field's keys, so that while a
 * field has focus a typed "r" is text and not "Ready". ctrl+u empties the field.
 */
export function useTextField(initial = '', maxLength = 80, accept?: RegExp): [string, (v: string) => void, (key: string) => boolean, TextFieldBinding] {
  const [value, setValue] = useState(initial);
  const onKey = useCallback(
    (key: string) => {
      if (key === 'ctrl+u') {
        setValue('');
        return true;
      }
      if (!isFieldKey(key)) return false;
      const ch = printable(key);
      return ch === null || !accept || accept.test(ch);
    },
    [accept],
  );
  return [value, setValue, onKey, { value, onChange: setValue, maxLength, accept }];
}

/**
 * The login screen's two fields edit here, without ink-text-input: the login frame is the
 * first frame of every start, built as one text node for speed (see login.tsx).
 */
export function useLoginField(initial: string, maxLength = 40): [string, (key: string) => boolean] {
  const [value, setValue] = useState(initial);
  const onKey = useCallback(
    (key: string) => {
      if (editText('', key, maxLength) === null) return false;
      setValue((v) => editText(v, key, maxLength) ?? v);
      return true;
    },
    [maxLength],
  );
  return [value, onKey];
}
