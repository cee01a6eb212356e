import { printable } from '../keys.js';

/**
 * A one-line text field's state and the edits keys make to it: a pure reducer, tested without
 * Ink (tests/screens/text-field-state.test.ts). Every key of a burst (a held Backspace, a paste,
 * `tmux send-keys`) is applied in order to the state the previous key left, never to the value
 * last drawn: that is what ink-text-input did (it computes an edit from its props), so three
 * Backspaces in one read deleted one. The input hook (use-text-field.ts) holds the state; the
 * view (text-field.tsx) draws it.
 */
export interface TextFieldState {
  value: string;
  /** Where the cursor is, in UTF-16 units from the start; always between two characters. */
  cursor: number;
}

/** What a field takes: at most `maxLength` characters, each one `accept`ed (all when absent). */
export interface TextFieldRules {
  maxLength: number;
  accept?: RegExp;
}

/** What a time field takes: digits, am/pm, and a zone or offset ("15:30 UTC", "10:00 Europe/Berlin", "14:00 +0900"). */
export const TIME_CHAR = /^[\w:+\-/. ]$/;

/** What a phone number field takes: digits, +, spaces, and the usual separators. */
export const PHONE_CHAR = /^[\d+()\-. x]$/;

export type TextEdit =
  | { type: 'insert'; text: string }
  | { type: 'deleteBack' }
  | { type: 'deleteForward' }
  | { type: 'deleteWordBack' }
  | { type: 'clear' }
  | { type: 'left' }
  | { type: 'right' }
  | { type: 'home' }
  | { type: 'end' }
  | { type: 'set'; value: string };

export function textFieldState(value = ''): TextFieldState {
  return { value, cursor: value.length };
}

const length = (s: string) => [...s].length;
/** UTF-16 units of the character that ends at `i` (2 for a surrogate pair). */
const before = (s: string, i: number) => (i >= 2 && /[\udc00-\udfff]/.test(s[i - 1]) && /[\ud800-\udbff]/.test(s[i - 2]) ? 2 : 1);
/** UTF-16 units of the character that starts at `i`. */
const after = (s: string, i: number) => (/[\ud800-\udbff]/.test(s[i] ?? '') && /[\udc00-\udfff]/.test(s[i + 1] ?? '') ? 2 : 1);

/**
 * What a field keeps of typed or pasted text, at most `room` characters: line breaks and tabs
 * become one space (a paste is never Enter), control characters are dropped, and so is "?"
 * (it opens help from every field; it is never text), then what the field does not accept.
 */
export function fieldText(text: string, rules: TextFieldRules, room: number): string {
  let out = '';
  let n = 0;
  for (const ch of text.replace(/[\r\n\t]+/g, ' ')) {
    if (n >= room) break;
    if (ch === '?' || /[\x00-\x1f\x7f-\x9f]/.test(ch) || (rules.accept && !rules.accept.test(ch))) continue;
    out += ch;
    n++;
  }
  return out;
}

const at = (value: string, cursor: number): TextFieldState => ({ value, cursor });

/** The state after an edit; the same object when the edit changes nothing. */
export function editText(state: TextFieldState, edit: TextEdit, rules: TextFieldRules): TextFieldState {
  const { value, cursor } = state;
  switch (edit.type) {
    case 'insert': {
      const text = fieldText(edit.text, rules, rules.maxLength - length(value));
      return text ? at(value.slice(0, cursor) + text + value.slice(cursor), cursor + text.length) : state;
    }
    case 'deleteBack': {
      if (cursor === 0) return state;
      const from = cursor - before(value, cursor);
      return at(value.slice(0, from) + value.slice(cursor), from);
    }
    case 'deleteForward':
      return cursor >= value.length ? state : at(value.slice(0, cursor) + value.slice(cursor + after(value, cursor)), cursor);
    case 'deleteWordBack': {
      // As a shell's Ctrl+W: the spaces before the cursor, then the word before them.
      let from = cursor;
      while (from > 0 && value[from - 1] === ' ') from--;
      while (from > 0 && value[from - 1] !== ' ') from--;
      return from === cursor ? state : at(value.slice(0, from) + value.slice(cursor), from);
    }
    case 'clear':
      return value === '' ? state : at('', 0);
    case 'left':
      return cursor === 0 ? state : at(value, cursor - before(value, cursor));
    case 'right':
      return cursor >= value.length ? state : at(value, cursor + after(value, cursor));
    case 'home':
      return cursor === 0 ? state : at(value, 0);
    case 'end':
      return cursor === value.length ? state : at(value, value.length);
    case 'set':
      return value === edit.value && cursor === value.length ? state : textFieldState(edit.value);
  }
}

const KEY_EDITS: Record<string, TextEdit> = {
  backspace: { type: 'deleteBack' },
  delete: { type: 'deleteForward' },
  'ctrl+u': { type: 'clear' },
  'ctrl+w': { type: 'deleteWordBack' },
  left: { type: 'left' },
  right: { type: 'right' },
  home: { type: 'home' },
  end: { type: 'end' },
};

/** Keys that only move the cursor: an empty field leaves them to the view (← steps a date). */
const MOVES = new Set(['left', 'right', 'home', 'end']);

/**
 * A key (a name from keys.ts; a paste with its text) applied to a field: the new state, or null
 * when the key is not the field's, so the keymaps beneath act on it. A field takes its edit keys
 * (Backspace, Delete, Ctrl+U empties it, Ctrl+W deletes a word), the moves while it holds text,
 * every paste (a paste never acts as keys, even when the field keeps none of it), and the
 * characters it accepts; "?" is never text (help opens from every field).
 */
export function fieldKey(state: TextFieldState, key: string, text: string | undefined, rules: TextFieldRules): TextFieldState | null {
  if (key === 'paste') return editText(state, { type: 'insert', text: text ?? '' }, rules);
  const edit = KEY_EDITS[key];
  if (edit) return MOVES.has(key) && state.value === '' ? null : editText(state, edit, rules);
  const ch = printable(key);
  if (ch === null || fieldText(ch, rules, 1) === '') return null;
  return editText(state, { type: 'insert', text: ch }, rules);
}
