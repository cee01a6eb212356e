import { useCallback, useState } from 'react';
import { printable } from './keys.js';

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
