import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { PHONE_CHAR, TIME_CHAR, editText, fieldKey, textFieldState, type TextFieldRules, type TextFieldState } from '../../src/screens/components/text-field-state.js';

const ANY: TextFieldRules = { maxLength: 80 };

/** Keys applied in order, as the router hands out a burst; a key the field does not take is skipped. */
function typeKeys(keys: (string | { paste: string })[], rules = ANY, from: TextFieldState = textFieldState()): TextFieldState {
  let s = from;
  for (const k of keys) s = (typeof k === 'string' ? fieldKey(s, k, undefined, rules) : fieldKey(s, 'paste', k.paste, rules)) ?? s;
  return s;
}
const chars = (text: string) => [...text].map((c) => (c === ' ' ? 'space' : c));

describe('a text field, key by key (the reducer, without Ink)', () => {
  it('inserts at the cursor and moves it left, right, home and end', () => {
    expect(typeKeys([...chars('garca'), 'left', 'i'])).toEqual({ value: 'garcia', cursor: 5 });
    expect(typeKeys([...chars('bc'), 'home', 'a', 'end', 'd'])).toEqual({ value: 'abcd', cursor: 4 });
    expect(typeKeys([...chars('ab'), 'right', 'right', 'left', 'left', 'left', 'X'])).toEqual({ value: 'Xab', cursor: 1 });
  });

  it('applies every Backspace of a burst to the text the one before left', () => {
    expect(typeKeys([...chars('garcia'), 'backspace', 'backspace', 'backspace']).value).toBe('gar');
    expect(typeKeys([...chars('garcia'), 'left', 'left', 'X']).value).toBe('garcXia');
    expect(typeKeys([...chars('ab'), 'backspace', 'backspace', 'backspace', 'backspace'])).toEqual({ value: '', cursor: 0 });
  });

  it('deletes forward with Delete, and nothing at the end', () => {
    expect(typeKeys([...chars('abc'), 'home', 'delete'])).toEqual({ value: 'bc', cursor: 0 });
    expect(typeKeys([...chars('abc'), 'delete'])).toEqual({ value: 'abc', cursor: 3 });
  });

  it('empties the field with Ctrl+U and deletes the word before the cursor with Ctrl+W', () => {
    expect(typeKeys([...chars('3443.57'), 'ctrl+u', ...chars('100.00')])).toEqual({ value: '100.00', cursor: 6 });
    expect(typeKeys([...chars('next monday  '), 'ctrl+w']).value).toBe('next ');
    expect(typeKeys([...chars('next monday'), 'left', 'left', 'ctrl+w'])).toEqual({ value: 'next ay', cursor: 5 });
  });

  it('inserts a paste at the cursor with its line breaks and tabs as spaces, and takes it even when it keeps none', () => {
    expect(typeKeys(['a', 'b', 'left', { paste: 'gar\r\ncia\tx' }])).toEqual({ value: 'agar cia xb', cursor: 10 });
    expect(fieldKey(textFieldState(), 'paste', '?\x07', ANY)).toEqual(textFieldState(''));
    // A paste never holds control characters or "?" in the field.
    expect(typeKeys([{ paste: 'a\x1b[31mb?c\x07' }]).value).toBe('a[31mbc');
  });

  it('keeps to the characters a field accepts and to its length', () => {
    const time: TextFieldRules = { maxLength: 8, accept: TIME_CHAR };
    expect(typeKeys([...chars('15:30pm!?x'), { paste: '9 Europe/Berlin' }], time).value).toBe('15:30pmx');
    const phone: TextFieldRules = { maxLength: 24, accept: PHONE_CHAR };
    expect(typeKeys([{ paste: '+1 (212) 555-0123 ext' }], phone).value).toBe('+1 (212) 555-0123 x');
    // A refused character is not the field's: the keymaps beneath may act on it.
    expect(fieldKey(textFieldState(), 'r', undefined, phone)).toBeNull();
    // At the length a typed character is the field's all the same (it is not a key for the form).
    const full = typeKeys(chars('12345678'), time);
    expect(fieldKey(full, '9', undefined, time)).toBe(full);
  });

  it('leaves "?" and the keys it does not edit with (Enter, ↑, F4) to the keymaps, and the moves while it is empty', () => {
    for (const key of ['?', 'enter', 'up', 'down', 'tab', 'f4', 'esc', 'ctrl+a']) expect(fieldKey(textFieldState('ab'), key, undefined, ANY), key).toBeNull();
    for (const key of ['left', 'right', 'home', 'end']) expect(fieldKey(textFieldState(''), key, undefined, ANY), key).toBeNull();
    expect(fieldKey(textFieldState(''), 'backspace', undefined, ANY)).toEqual(textFieldState(''));
  });

  it('moves over a character outside the BMP as one', () => {
    expect(typeKeys(['a', '😀', 'b', 'left', 'left', 'backspace'])).toEqual({ value: '😀b', cursor: 0 });
    expect(typeKeys(['😀', 'home', 'delete'])).toEqual({ value: '', cursor: 0 });
  });

  it('keeps the cursor between characters and the value within its rules, whatever the keys', () => {
    const key = fc.oneof(
      fc.constantFrom('backspace', 'delete', 'left', 'right', 'home', 'end', 'ctrl+u', 'ctrl+w', 'space', 'a', 'Z', '7', ':', '?', '😀', 'é'),
      fc.string({ maxLength: 12 }).map((paste) => ({ paste })),
    );
    const rules: TextFieldRules = { maxLength: 10, accept: TIME_CHAR };
    fc.assert(
      fc.property(fc.array(key, { maxLength: 40 }), (keys) => {
        const s = typeKeys(keys, rules);
        expect(s.cursor).toBeGreaterThanOrEqual(0);
        expect(s.cursor).toBeLessThanOrEqual(s.value.length);
        expect([...s.value].length).toBeLessThanOrEqual(10);
        for (const ch of s.value) expect(TIME_CHAR.test(ch)).toBe(true);
        expect(/[\udc00-\udfff]/.test(s.value[s.cursor] ?? '')).toBe(false);
      }),
    );
  });

  it('sets a value with the cursor at its end, and returns the same state for an edit that changes nothing', () => {
    const s = editText(textFieldState('abc'), { type: 'set', value: 'xy' }, ANY);
    expect(s).toEqual({ value: 'xy', cursor: 2 });
    expect(editText(s, { type: 'set', value: 'xy' }, ANY)).toBe(s);
    expect(editText(s, { type: 'right' }, ANY)).toBe(s);
  });
});
